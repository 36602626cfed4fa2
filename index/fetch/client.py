"""The polite HTTP client of `reportsearch fetch`: robots.txt, one request per host per
interval, a User-Agent naming the tool, timeouts, retries with backoff, conditional requests,
size caps, redirects checked hop by hop, http/https only.

Built on requests and the standard library's urllib.robotparser. Retries are a loop of our
own rather than urllib3's Retry: urllib3 makes the first retry at once (its backoff starts at
the second), which would hit a struggling server twice within the per-host interval.
"""
from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests

SCHEMES = ("http", "https")


class FetchError(Exception):
    """One URL could not be fetched; str(e) is the reason in Chinese, `status` the HTTP
    status when the server answered with an error."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


@dataclass
class Response:
    url: str                      # after redirects
    status: int                   # 200, or 304 when the conditional request found no change
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def check_url(url: str) -> str:
    """`url` stripped, or FetchError when it is not an http(s) address with a host."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"只能抓取 http:// 或 https:// 网址，“{url[:200]}”不是")
    if not parts.hostname:
        raise FetchError(f"网址“{url[:200]}”缺少主机名")
    return url


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class Client:
    """One fetch run's HTTP client. `settings` is the `fetch:` block of the configuration;
    `sleep` and `clock` are replaceable for tests."""

    def __init__(self, settings: dict, sleep=time.sleep, clock=time.monotonic):
        if not str(settings["user_agent"]).isascii():
            raise FetchError("配置 fetch.user_agent 只能用 ASCII 字符（HTTP 请求头不能带中文）")
        self.settings = settings
        self.sleep, self.clock = sleep, clock
        self.session = requests.Session()
        self.session.headers["User-Agent"] = settings["user_agent"]
        # Never use proxies or .netrc from the environment: what is fetched is what was asked.
        self.session.trust_env = False
        self.last_request: dict[str, float] = {}
        self.robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def close(self) -> None:
        self.session.close()

    # ------------------------------------------------------------ politeness

    def _interval(self, origin: str) -> float:
        interval = float(self.settings["interval_seconds"])
        rules = self.robots.get(origin)
        if isinstance(rules, urllib.robotparser.RobotFileParser):
            delay = rules.crawl_delay(self.settings["user_agent"])
            if delay:
                interval = max(interval, float(delay))
        return interval

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host may be asked again."""
        host = urlsplit(url).netloc.lower()
        last = self.last_request.get(host)
        if last is not None:
            wait = last + self._interval(_origin(url)) - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last_request[host] = self.clock()

    def allowed(self, url: str) -> None:
        """FetchError when robots.txt of the url's site does not allow us to fetch it."""
        origin = _origin(url)
        if origin not in self.robots:
            self.robots[origin] = self._read_robots(origin)
        rules = self.robots[origin]
        if isinstance(rules, str):
            raise FetchError(rules)
        if not rules.can_fetch(self.settings["user_agent"], url):
            raise FetchError("该网站的 robots.txt 不允许抓取这个网址")

    def _read_robots(self, origin: str):
        """The site's robots rules, or the reason (a string) why nothing may be fetched.

        As urllib.robotparser.read() does: 401/403 forbid everything, another 4xx (no
        robots.txt) allows everything. A site whose robots.txt cannot be read at all (5xx,
        no answer) is not fetched: we cannot know what it allows."""
        url = origin + "/robots.txt"
        rules = urllib.robotparser.RobotFileParser(url)
        try:
            response = self._get(url, {}, check_robots=False)
        except FetchError as exc:
            if exc.status in (401, 403):
                return f"该网站的 robots.txt 拒绝访问（HTTP {exc.status}），按规矩不抓取"
            if exc.status is not None and 400 <= exc.status < 500:
                rules.parse([])
                return rules
            return f"无法读取该网站的 robots.txt（{exc}），为稳妥起见不抓取"
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules

    # ------------------------------------------------------------ requests

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET `url` politely; status 304 when etag / last_modified (from an earlier fetch)
        say the resource has not changed. FetchError with the reason otherwise."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(check_url(url), headers, check_robots=True)

    def _get(self, url: str, headers: dict, check_robots: bool) -> Response:
        for _hop in range(int(self.settings["max_redirects"]) + 1):
            if check_robots:
                self.allowed(url)
            response = self._attempts(url, headers)
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"服务器返回了重定向（HTTP {response.status}）却没有给出新地址")
                url = check_url(urljoin(url, location))
                continue
            return response
        raise FetchError(f"重定向超过 {self.settings['max_redirects']} 次")

    def _attempts(self, url: str, headers: dict) -> Response:
        """One request with its retries: on 5xx, timeouts and dropped connections, never on 4xx."""
        retries = int(self.settings["retries"])
        backoff = float(self.settings["backoff_seconds"])
        for attempt in range(retries + 1):
            if attempt:
                self.sleep(backoff * 2 ** (attempt - 1))
            self._wait_turn(url)
            try:
                response = self._once(url, headers)
            except _Retryable as exc:
                reason = str(exc)
                if attempt == retries:
                    raise FetchError(f"{reason}（共试了 {retries + 1} 次）") from None
                continue
            if response.status >= 500:
                reason = f"服务器出错（HTTP {response.status}）"
                wait = _retry_after(response.headers.get("retry-after"))
                if wait is not None and wait > float(self.settings["max_retry_after_seconds"]):
                    raise FetchError(f"{reason}，要求 {wait:.0f} 秒后再试", response.status)
                if attempt == retries:
                    raise FetchError(f"{reason}（共试了 {retries + 1} 次）", response.status)
                if wait:
                    self.sleep(wait)
                continue
            if 400 <= response.status < 500:
                raise FetchError(_client_error(response.status), response.status)
            return response
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict) -> Response:
        """One GET, streamed and cut off at the size and time caps."""
        timeout = float(self.settings["timeout_seconds"])
        cap = int(self.settings["max_response_bytes"])
        started = self.clock()
        try:
            with self.session.get(url, headers=headers, timeout=(timeout, timeout),
                                  stream=True, allow_redirects=False) as r:
                got = {k.lower(): v for k, v in r.headers.items()}
                if r.status_code != 200:
                    return Response(url, r.status_code, b"", got)
                length = got.get("content-length", "")
                if length.isdigit() and int(length) > cap:
                    raise FetchError(_too_large(int(length), cap))
                chunks, size = [], 0
                # iter_content undoes only a Content-Encoding (gzip): the page's bytes in
                # their own charset, as sent; the cap counts them unpacked.
                for chunk in r.iter_content(65536):
                    size += len(chunk)
                    if size > cap:
                        raise FetchError(_too_large(size, cap, partial=True))
                    if self.clock() - started > float(self.settings["response_seconds"]):
                        raise _Retryable(f"下载超过 {self.settings['response_seconds']} 秒仍未完成")
                    chunks.append(chunk)
                return Response(url, 200, b"".join(chunks), got)
        except requests.exceptions.Timeout:
            raise _Retryable(f"服务器在 {timeout:g} 秒内没有响应（超时）") from None
        except requests.exceptions.ConnectionError as exc:
            raise _Retryable(f"连接失败或被中断（{_short(exc)}）") from None
        except requests.exceptions.ChunkedEncodingError as exc:
            raise _Retryable(f"下载中连接被中断（{_short(exc)}）") from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"请求失败：{_short(exc)}") from None


class _Retryable(Exception):
    pass


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _client_error(status: int) -> str:
    known = {403: "禁止访问", 404: "页面不存在", 410: "页面已删除", 401: "需要登录",
             429: "请求过于频繁，服务器拒绝"}
    return f"{known.get(status, '请求被拒绝')}（HTTP {status}）"


def _too_large(size: int, cap: int, partial: bool = False) -> str:
    got = f"已超过 {size / 1048576:.1f} MB" if partial else f"{size / 1048576:.1f} MB"
    return (f"响应过大（{got}，上限 {cap / 1048576:.1f} MB），已停止下载；"
            "如确需抓取，请调高配置 fetch.max_response_bytes")


def _short(exc: Exception) -> str:
    text = str(exc.args[0] if exc.args else exc)
    return text if len(text) <= 160 else text[:157] + "…"
