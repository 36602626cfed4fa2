"""Fuzz a running `reportsearch serve` with hostile and malformed HTTP requests.

    python -m bench.fuzz --base http://127.0.0.1:5000            # a server already running
    python -m bench.fuzz --index-dir var/fuzz-index              # build a seeds index, serve it
    python -m bench.fuzz --index-dir DIR --requests 2000 --threads 1 --seed 3 --out fuzz.json
    python -m bench.fuzz --base http://127.0.0.1:5000 --replay 1234   # resend request 1234

Sends `--requests` (default 20,000) random requests, stopping earlier after `--seconds`
(default 600), from `--threads` (default 4) threads, to every route of the app (web/views.py,
web/api.py) and to paths it does not have: random Unicode (CJK, emoji, astral characters,
lone surrogates and control characters percent-encoded, NUL), query syntax and deep nesting,
huge, negative and non-numeric page/limit/offset, repeated parameters, bad percent-encoding,
raw non-ASCII bytes in the request line, values near and above the URL cap, odd methods with
and without bodies, odd Accept/Range/conditional headers.

Request number i is built from its own `random.Random(f"{seed}:{i}")`, so a failure is
reproduced with `--replay i` (same seed, same server content) whatever the thread count.

Only 127.0.0.1 is ever contacted. With `--index-dir` the script first runs
`reportsearch index SEEDS --index-dir DIR`, then starts `reportsearch serve --index-dir DIR
--port P` (a free port unless `--port`) in its own process group, and stops it at the end;
the server's log goes to DIR/../fuzz-serve.log (or `--log`), where the tracebacks of any 500
are.

Prints requests sent, the status histogram, and every distinct (method, route, status >= 500)
with one example request. Exit code 1 when any response was >= 500 or the server failed to
answer (connection refused or reset, timeout, malformed response), 0 otherwise. Standard
library only.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_from_bytes, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HOST = "127.0.0.1"
# The app refuses request targets longer than this (web/app.py MAX_URL_CHARS) with 414.
URL_CAP = 16_384
QUERY_CAP = 500             # search.max_query_chars in index/defaults.yaml

# ---------------------------------------------------------------- random material

WORDS = ["出庭应诉率", "法治政府", "行政复议", "执法", "败诉率", "浙江", "温州", "鹿城区", "司法局",
         "合法性审查", "（一）", "“最多跑一次”", "１００％", "100%", "出庭應訴", "法 治", "2023",
         "a", "OR", "or", "AND", "NOT", "not", "*", "?", "http://x.cn/a?b=c", "12:30", "年份:2023"]
FIELDS = ["year", "province", "city", "level", "section", "issuer", "issuer_type", "title",
          "YEAR", "Year", "foo", "q", "x_y", "年份", "a"]
FIELD_VALUES = ["2023", "2020-2023", "2023-2020", "1948", "2101", "99999", "0", "-1", "二〇二三",
                "浙江", "浙江省", "广西壮族自治区", "火星", "县", "县级", "乡镇", "不足", "部门", "政府",
                "温州市", "鹿城区", "北京", "", '"法治 政府"', "族" * 60, "维吾尔" * 20 + "x"]
SYNTAX = ["(", ")", '"', "-", " OR ", " AND ", " NOT ", ":", "*", "（", "）", "＂", "：", "\u3000",
          " ", "--", "-(", "NOT(", "()", '""', "\\", "'", "&", "=", "#", "+", "%", "/", ";", ","]
SPECIAL = ["\ufeff", "\u200b", "\u200d", "\u202e", "\u2028", "\ufffd", "\ufffe", "\uffff",
           "\u0301", "e\u0301", "ß", "ﬁ", "㈠", "Ⅻ", "İ", "ǅ", "\u00a0", "\u3000", "\U000e0001",
           "<script>alert(1)</script>", "&amp;", "{{7*7}}", "${x}", "../", "..\\", "%00",
           "\U0010ffff", "\U000f0000"]
DIGITS = ["0", "1", "-1", "20", "1000", "1001", "100000", "100001", "99999999999999999999",
          "1e3", "1.5", " 5", "5 ", "+5", "0x10", "١٢", "²", "٣", "𝟗", "５", "", "NaN", "inf",
          "-0", "00000000001", "9" * 400, "9" * 5000, "1,2", "1;2", "true", "[]", "null"]
MODES = ["exact", "fuzzy", "EXACT", "regex", "", "模糊", "exact\x00"]
SORTS = ["relevance", "year_desc", "year_asc", "province", "level", "title", "published",
         "random", "", "__class__"]
ACCEPTS = ["*/*", "text/html", "application/json", "text/html,application/json;q=0.9",
           "application/json;q=0, text/html;q=0", "text/*", "image/png", "", "a/b/c;;q=x",
           ";q=", "*/*;q=NaN", "application/json;q=1e9", "text/html;level=1;q=0.5," * 200,
           "\xe4\xb8\xad/\xe6\x96\x87"]
METHODS = ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND", "TRACE", "HEAD",
           "MKCOL", "FOO", "get", "CONNECT"]
STATIC = ["app.js", "style.css", "nope.js", "../app.py", "..%2fapp.py", "%2e%2e/%2e%2e/setup.cfg",
          "style.css/", "", "STYLE.CSS", "app.js%00.png", ".", "..", "/etc/passwd"]


def _char(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return chr(rng.randint(0x4E00, 0x9FFF))            # CJK
    if r < 0.45:
        return chr(rng.randint(0x20, 0x7E))                # printable ASCII
    if r < 0.52:
        return chr(rng.randint(0x1F300, 0x1FAFF))          # emoji (astral)
    if r < 0.57:
        return chr(rng.randint(0x20000, 0x2A6DF))          # CJK extension B (astral)
    if r < 0.63:
        return chr(rng.randint(0xD800, 0xDFFF))            # lone surrogate
    if r < 0.72:
        return chr(rng.choice([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]))   # controls, NUL
    if r < 0.80:
        return rng.choice(SPECIAL)
    if r < 0.90:
        return rng.choice(SYNTAX)
    return chr(rng.randint(0xA0, 0xFFFF))


def rand_text(rng: random.Random, max_len: int = 40) -> str:
    n = rng.choice([0, 1, 2, 3, 5, 8, 13, max_len])
    if rng.random() < 0.3:
        return rng.choice(WORDS) + "".join(_char(rng) for _ in range(min(n, 4)))
    return "".join(_char(rng) for _ in range(n))


def rand_query(rng: random.Random) -> str:
    kind = rng.randrange(14)
    term = rng.choice(WORDS)
    if kind == 0:
        return rand_text(rng)
    if kind == 1:                                          # nesting, balanced or not
        k = rng.choice([1, 2, 19, 20, 21, 50, 245, rng.randint(1, 300)])
        j = k if rng.random() < 0.7 else rng.randint(0, k + 3)
        return "(" * k + term + ")" * j
    if kind == 2:
        k = rng.randint(1, 150)
        return rng.choice(["NOT ", "-", "- ", "NOT(", "-(", "NOT -", "-NOT "]) * k + term
    if kind == 3:
        return " OR ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 120)))
    if kind == 4:
        f = rng.choice(FIELDS)
        return f"{term} {f}:{rng.choice(FIELD_VALUES)}" + (f" {f}:" if rng.random() < 0.2 else "")
    if kind == 5:
        return '"' * rng.randint(1, 7) + term + '"' * rng.randint(0, 3)
    if kind == 6:                                          # operator soup
        return "".join(rng.choice(SYNTAX + WORDS[:5]) for _ in range(rng.randint(1, 200)))
    if kind == 7:                                          # around the length cap
        n = rng.choice([QUERY_CAP - 1, QUERY_CAP, QUERY_CAP + 1, rng.randint(400, 600)])
        return (term * (n // len(term) + 1))[:n]
    if kind == 8:                                          # alternating deep structure
        q = term
        for i in range(rng.randint(1, 25)):
            q = rng.choice([f"(x{i} OR {q})", f"-({q})", f"NOT ({q} y{i})", f'("{i}" {q})'])
        return q
    if kind == 9:
        return "".join(_char(rng) for _ in range(rng.randint(1, 600)))
    if kind == 10:
        return rng.choice(["", " ", "\u3000", "\x00", "\t\n", "-", "(", ")", '"', "OR", "NOT",
                           "year:", ":", "-\"\"", "()", "NOT NOT", "a -a"])
    if kind == 11:
        return " ".join(f"{rng.choice(FIELDS)}:{rng.choice(FIELD_VALUES)}"
                        for _ in range(rng.randint(1, 30)))
    if kind == 12:
        return term + rand_text(rng) + rng.choice(SYNTAX) + rand_text(rng)
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60)))


def rand_number(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return str(rng.randint(-10 ** rng.randint(1, 15), 10 ** rng.randint(1, 15)))
    return rng.choice(DIGITS)


# ---------------------------------------------------------------- encoding

def enc(value: str, rng: random.Random) -> str:
    """`value` for a query string: percent-encoded UTF-8 (lone surrogates as the three
    bytes %ED%A0%80 of their CESU form); sometimes with broken escapes mixed in."""
    data = value.encode("utf-8", "surrogatepass")
    out = quote_from_bytes(data, safe="")
    r = rng.random()
    if r < 0.06:
        pos = rng.randint(0, len(out))
        out = out[:pos] + rng.choice(["%zz", "%e4%b8", "%C0%AF", "%E0%80%AF", "%F8%88%80%80%80",
                                      "%", "%%", "%4", "%ff%fe", "%c3", "%ED%A0%80%ED%B0%80",
                                      "%F4%90%80%80", "+", "%2B", "%26", "%3D"]) + out[pos:]
    elif r < 0.1:
        out = _raw_bytes(data)
    return out


def _raw_bytes(data: bytes) -> str:
    """Non-ASCII bytes left raw in the request line (as latin-1 characters of the target);
    only what would break the request line itself is escaped."""
    keep = []
    for b in data:
        if b <= 0x20 or b == 0x7F or chr(b) in "%#&=+?":
            keep.append(f"%{b:02X}")
        else:
            keep.append(chr(b))
    return "".join(keep)


def query_string(pairs: list[tuple[str, str]], rng: random.Random) -> str:
    parts = []
    for name, value in pairs:
        if rng.random() < 0.03:
            parts.append(enc(name, rng))                  # a name without "="
        else:
            parts.append(f"{enc(name, rng)}={enc(value, rng)}")
    sep = "&" if rng.random() < 0.95 else rng.choice([";", "&&", "&amp;"])
    return sep.join(parts)


# ---------------------------------------------------------------- requests

@dataclass
class Req:
    index: int
    route: str          # the route pattern, for the summary
    method: str
    target: str         # path + query, as sent on the request line
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    chunked: bool = False


def _ids(rng: random.Random, real: list[str], pattern: str) -> str:
    """A real id most of the time, else a mangled or random one."""
    if real and rng.random() < 0.6:
        return rng.choice(real)
    base = rng.choice(real) if real else "000_x"
    return rng.choice([
        base + rng.choice(["x", "-p", "-p99999999", "/", "%2F", ".", "..", "-p0", "-p-1"]),
        base.upper(), base[:rng.randint(0, len(base))], rand_text(rng, 20),
        "a" * rng.choice([127, 128, 129, 1000]), "..", "../../etc/passwd", "%2e%2e%2f", "-p1",
        pattern, base + "\u4e2d", base + "%00", " " + base, "0" * 200 + "-p1",
        base + "-p" + "9" * 20,
    ])


def _path_part(value: str, rng: random.Random) -> str:
    data = value.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:
        return _raw_bytes(data).replace("/", "%2F") if rng.random() < 0.5 else _raw_bytes(data)
    return quote_from_bytes(data, safe="" if rng.random() < 0.5 else "/")


def _search_pairs(rng: random.Random, api: bool) -> list[tuple[str, str]]:
    pairs = []
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        pairs.append(("q", rand_query(rng)))
    names = ["page", "mode", "sort"] + (["limit", "offset"] if api else [])
    for name in names:
        if rng.random() < 0.35:
            value = {"mode": lambda: rng.choice(MODES), "sort": lambda: rng.choice(SORTS)}.get(
                name, lambda: rand_number(rng))()
            pairs += [(name, value)] * rng.choice([1, 1, 1, 2])
            if rng.random() < 0.1:
                pairs.append((name, rand_number(rng)))    # repeated, different values
    for name in FIELDS[:8]:
        if rng.random() < 0.12:
            for _ in range(rng.choice([1, 1, 2, 3, 60])):
                pairs.append((name, rng.choice(FIELD_VALUES + [rand_text(rng)])))
    if rng.random() < 0.1:
        pairs.append((rand_text(rng, 10), rand_text(rng)))
    return pairs


def _long(rng: random.Random, pairs: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    """Pad one value so the target lands near or above the URL cap."""
    size = rng.choice([URL_CAP - 200, URL_CAP - 20, URL_CAP - 1, URL_CAP, URL_CAP + 1,
                       URL_CAP + 100, 2 * URL_CAP, 100_000, 270_000])
    unit = rng.choice(["a", "出", "%", "(", "\U0001f600", " OR ", ","])
    per = len(enc(unit, random.Random(0)))
    return pairs + [(name, unit * max(1, size // per))]


def build_request(i: int, seed: int, reports: list[str], paragraphs: list[str]) -> Req:
    rng = random.Random(f"{seed}:{i}")
    kind = rng.randrange(100)
    pairs: list[tuple[str, str]] = []
    if kind < 22:
        route, path, pairs = "/api/search", "/api/search", _search_pairs(rng, True)
    elif kind < 38:
        route, path, pairs = "/", "/", _search_pairs(rng, False)
    elif kind < 42:
        route, path, pairs = "/search", "/search", _search_pairs(rng, False)
    elif kind < 45:
        route = "/r/<x>"
        path = "/r/" + _path_part(_ids(rng, reports, "<x>"), rng)
    elif kind < 53:
        route = "/reports/<id>"
        path = "/reports/" + _path_part(_ids(rng, reports, "<id>"), rng)
        if rng.random() < 0.15:
            route, path = "/reports/<id>/original", path + "/original"
        elif rng.random() < 0.7:
            pairs = [("q", rand_query(rng))] + ([("mode", rng.choice(MODES))] if rng.random() < 0.4 else [])
    elif kind < 58:
        route, path = "/reports", "/reports"
        pairs = [p for p in _search_pairs(rng, False) if p[0] != "q"]
    elif kind < 61:
        route, path = "/api/reports", "/api/reports"
        if rng.random() < 0.3:
            pairs = _search_pairs(rng, True)
    elif kind < 67:
        route = "/api/reports/<id>"
        path = "/api/reports/" + _path_part(_ids(rng, reports, "<id>"), rng)
    elif kind < 73:
        route = "/api/paragraphs/<pid>"
        path = "/api/paragraphs/" + _path_part(_ids(rng, paragraphs, "<pid>"), rng)
    elif kind < 79:
        route = "/p/<pid>"
        path = "/p/" + _path_part(_ids(rng, paragraphs, "<pid>"), rng)
        if rng.random() < 0.7:
            pairs = [("q", rand_query(rng)), ("mode", rng.choice(MODES))]
    elif kind < 90:
        ext = rng.choice(["docx", "txt", "md", "pdf", "DOCX", "docx/"])
        route, path = f"/api/export.{ext}", f"/api/export.{ext}"
        n = rng.choice([0, 1, 2, 5, 50, 200, 201, 1000])
        ids = [_ids(rng, paragraphs, "<pid>") for _ in range(n)]
        sep = rng.choice([",", ",", ",", "，", ", ", ",,", ";"])
        for _ in range(rng.choice([1, 1, 1, 2])):
            pairs.append(("ids", sep.join(ids)))
        if rng.random() < 0.1:
            pairs.append(("ids", rand_text(rng)))
    elif kind < 93:
        route, path = "/excerpts", "/excerpts"
        if rng.random() < 0.3:
            pairs = [(rand_text(rng, 5), rand_text(rng))]
    elif kind < 96:
        route = "/static/<file>"
        path = "/static/" + rng.choice(STATIC + [_path_part(rand_text(rng, 10), rng)])
    else:
        route = "/<other>"
        path = rng.choice(["/api", "/api/", "//", "/%2e%2e/", "/index.html", "/favicon.ico",
                           "/api/search/", "/api/export.", "/reports/", "/p/", "/api/paragraphs/",
                           "/" + _path_part(rand_text(rng, 30), rng), "/robots.txt", "/%ff",
                           "/../../etc/passwd", "/\u00e4".encode("utf-8").decode("latin-1"),
                           "*"])
    if rng.random() < 0.04:
        pairs = _long(rng, pairs, rng.choice(["q", "ids", "year", "x", "page"]))
    target = path
    if pairs or rng.random() < 0.05:
        target += "?" + query_string(pairs, rng)
    if rng.random() < 0.02:
        target += "#" + rand_text(rng, 5).encode("utf-8", "surrogatepass").hex()

    method = "GET"
    r = rng.random()
    if r < 0.07:
        method = "HEAD"
    elif r < 0.2:
        method = rng.choice(METHODS)
    headers: list[tuple[str, str]] = []
    if rng.random() < 0.5:
        headers.append(("Accept", rng.choice(ACCEPTS)))
    for name, values in (("Accept-Language", ["zh-CN,zh;q=0.9", "*", "xx;q=abc", ""]),
                         ("Accept-Encoding", ["gzip, deflate, br", "identity;q=0", "*"]),
                         ("Range", ["bytes=0-10", "bytes=99999999-", "bytes=-0", "bytes=5-1",
                                    "bytes=0-1,2-3,4-5", "items=1-2", "bytes=abc"]),
                         ("If-Modified-Since", ["Thu, 01 Jan 1970 00:00:00 GMT", "garbage",
                                                "Mon, 32 Foo 99999 99:99:99 GMT"]),
                         ("If-None-Match", ['"x"', "*", "W/", '""' * 50]),
                         ("Cookie", ["a=b; c", "=;=;=", "session=" + "x" * 5000]),
                         ("Content-Type", ["application/json", "multipart/form-data",
                                           "multipart/form-data; boundary=", "text/plain; charset=x",
                                           "application/x-www-form-urlencoded"]),
                         ("X-Forwarded-For", ["1.2.3.4", "::1, garbage"]),
                         ("Referer", ["http://127.0.0.1/", "\xe4\xb8\xad"])):
        if rng.random() < 0.06:
            headers.append((name, rng.choice(values)))
    body, chunked = None, False
    if method not in ("GET", "HEAD") and rng.random() < 0.5 or rng.random() < 0.02:
        choice = rng.randrange(5)
        if choice == 0:
            body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 2000)))
        elif choice == 1:
            body = json.dumps({"q": rand_query(rng), "ids": [1, None]}).encode("utf-8", "surrogatepass")
        elif choice == 2:
            body = ("q=" + enc(rand_query(rng), rng)).encode("latin-1", "replace")
        elif choice == 3:
            body = b"x" * rng.choice([65_535, 65_536, 65_537, 200_000])   # around MAX_CONTENT_LENGTH
        else:
            body, chunked = b"0123456789" * rng.randint(0, 50), True
    return Req(i, route, method, target, headers, body, chunked)


# ---------------------------------------------------------------- sending

class ServerFailure(Exception):
    """The server did not answer properly: refused, reset, timed out, malformed response."""


def send(port: int, req: Req, timeout: float) -> tuple[int, bytes, dict]:
    """Send `req` on a fresh connection to 127.0.0.1:port; (status, body, headers)."""
    lines = [f"{req.method} {req.target} HTTP/1.1", f"Host: {HOST}:{port}",
             "Connection: close", "User-Agent: reportsearch-fuzz"]
    lines += [f"{k}: {v}" for k, v in req.headers]
    payload = b""
    if req.body is not None:
        if req.chunked:
            lines.append("Transfer-Encoding: chunked")
            payload = (f"{len(req.body):x}\r\n".encode() + req.body + b"\r\n0\r\n\r\n"
                       if req.body else b"0\r\n\r\n")
        else:
            lines.append(f"Content-Length: {len(req.body)}")
            payload = req.body
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    try:
        sock = socket.create_connection((HOST, port), timeout=timeout)
    except OSError as exc:
        raise ServerFailure(f"connect: {exc.__class__.__name__}: {exc}") from None
    try:
        try:
            sock.sendall(head + payload)
        except OSError:
            pass            # the server may have answered and closed early: read what it said
        resp = http.client.HTTPResponse(sock, method=req.method)
        try:
            resp.begin()
            body = resp.read()
        except socket.timeout:
            raise ServerFailure(f"timeout after {timeout:.0f} s") from None
        except (http.client.HTTPException, OSError) as exc:
            raise ServerFailure(f"{exc.__class__.__name__}: {exc}") from None
        return resp.status, body, dict(resp.getheaders())
    finally:
        sock.close()


@dataclass
class Summary:
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    routes: Counter = field(default_factory=Counter)
    route_statuses: Counter = field(default_factory=Counter)   # (route, status) -> n
    failures: dict = field(default_factory=dict)     # (method, route, status) -> example
    errors: dict = field(default_factory=dict)       # (method, route, message) -> example
    anomalies: dict = field(default_factory=dict)    # (route, what) -> example
    error_count: int = 0
    anomaly_count: int = 0

    @property
    def server_errors(self) -> int:
        """Responses >= 500."""
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def ok(self) -> bool:
        return self.server_errors == 0 and self.error_count == 0

    def to_json(self) -> dict:
        return {
            "requests": self.requests, "seconds": round(self.seconds, 1),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "routes": dict(sorted(self.routes.items())),
            "route_statuses": {r: {str(st): n for (rr, st), n in sorted(self.route_statuses.items())
                                   if rr == r} for r in sorted(self.routes)},
            "failures": [{"method": m, "route": r, "status": s, **ex}
                         for (m, r, s), ex in sorted(self.failures.items())],
            "errors": [{"method": m, "route": r, "error": e, **ex}
                       for (m, r, e), ex in sorted(self.errors.items())],
            "error_count": self.error_count,
            "anomalies": [{"route": r, "what": w, **ex}
                          for (r, w), ex in sorted(self.anomalies.items())],
            "anomaly_count": self.anomaly_count,
        }


def _example(req: Req, **extra) -> dict:
    return {"index": req.index, "target": req.target, "headers": req.headers,
            "body_bytes": None if req.body is None else len(req.body), **extra}


def _check(req: Req, status: int, body: bytes, headers: dict) -> str | None:
    """A soft expectation the response breaks (reported, does not fail the run)."""
    path = urlsplit(req.target).path
    if b"(generated by waitress)" in body:
        return None         # refused by the HTTP server before the app saw it (bad method, URI)
    if status >= 400 and path.startswith("/api/") and not path.startswith("/api/export.") \
            and req.method != "HEAD":
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not data.get("error"):
                return "API error without an {'error': …} body"
        except ValueError:
            return "API error answered with a non-JSON body"
    if b"Traceback (most recent call last)" in body:
        return "traceback in the response body"
    return None


def run_fuzz(base: str, requests: int = 20_000, seconds: float = 600, threads: int = 4,
             seed: int = 1, timeout: float = 30, progress=None, only: list[int] | None = None,
             server_alive=None) -> Summary:
    """Send the requests to `base` (http://127.0.0.1:PORT) and return the summary.

    `only`: just these request numbers (replay). `server_alive`: a callable, False once the
    server process has died (then the run stops; remaining requests are not sent)."""
    port = _port_of(base)
    reports, paragraphs = known_ids(port, timeout)
    numbers = list(only) if only is not None else list(range(requests))
    summary = Summary()
    lock = threading.Lock()
    next_i = iter(numbers)
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    stop = threading.Event()

    def worker():
        while not stop.is_set() and time.monotonic() < deadline:
            with lock:
                i = next(next_i, None)
            if i is None:
                return
            req = build_request(i, seed, reports, paragraphs)
            try:
                status, body, headers = send(port, req, timeout)
            except ServerFailure as exc:
                with lock:
                    summary.requests += 1
                    summary.routes[req.route] += 1
                    summary.error_count += 1
                    key = (req.method, req.route, str(exc).split(":")[0])
                    summary.errors.setdefault(key, _example(req, error=str(exc)))
                if server_alive is not None and not server_alive():
                    stop.set()
                continue
            problem = _check(req, status, body, headers)
            with lock:
                summary.requests += 1
                summary.routes[req.route] += 1
                summary.statuses[status] += 1
                summary.route_statuses[(req.route, status)] += 1
                if status >= 500:
                    summary.failures.setdefault((req.method, req.route, status),
                                                _example(req, response=body[:300].decode("utf-8", "replace")))
                if problem:
                    summary.anomaly_count += 1
                    summary.anomalies.setdefault((req.route, problem), _example(req, status=status))
                done = summary.requests
            if progress and done % 1000 == 0:
                progress(summary)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, threads))]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    summary.seconds = time.monotonic() - started
    return summary


def known_ids(port: int, timeout: float) -> tuple[list[str], list[str]]:
    """Real report and paragraph ids, so that many requests get past the id checks."""
    def get(path):
        status, body, _ = send(port, Req(-1, path, "GET", path), timeout)
        if status != 200:
            raise SystemExit(f"fuzz: GET {path} answered {status}; is the server healthy?")
        return json.loads(body)

    reports = sorted(r["report_id"] for r in get("/api/reports")["reports"])
    paragraphs = []
    for rid in reports[:6]:
        paragraphs += [p["id"] for p in get(f"/api/reports/{quote_from_bytes(rid.encode())}")["paragraphs"]]
    return reports, sorted(paragraphs)


def _port_of(base: str) -> int:
    parts = urlsplit(base)
    if parts.scheme != "http" or parts.hostname != HOST or not parts.port:
        raise SystemExit(f"fuzz: --base must be http://{HOST}:PORT (only {HOST} is ever targeted)")
    return parts.port


# ---------------------------------------------------------------- starting a server

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _command() -> list[str]:
    exe = shutil.which("reportsearch")
    return [exe] if exe else [sys.executable, "-m", "web.cli"]


def build_index(index_dir: str | os.PathLike, corpus: str | os.PathLike = SEEDS) -> None:
    """`reportsearch index CORPUS --index-dir DIR`."""
    subprocess.run(_command() + ["index", str(corpus), "--index-dir", str(index_dir)],
                   check=True, stdout=subprocess.DEVNULL)


def start_server(index_dir, port: int | None = None, log_path=None,
                 wait_seconds: float = 120) -> tuple[subprocess.Popen, str]:
    """Start `reportsearch serve --index-dir DIR --port P` in its own process group and wait
    until it answers; returns (process, base URL). Stop it with stop_server()."""
    port = port or free_port()
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        _command() + ["serve", "--index-dir", str(index_dir), "--host", HOST, "--port", str(port)],
        stdout=log, stderr=log, start_new_session=True)
    if log_path:
        log.close()
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"reportsearch serve exited with {proc.returncode}"
                               + (f"; see {log_path}" if log_path else ""))
        try:
            status, _, _ = send(port, Req(-1, "/api/reports", "GET", "/api/reports"), 5)
            if status == 200:
                return proc, base
        except ServerFailure:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"reportsearch serve did not answer on {base} within {wait_seconds:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """Terminate the server's process group (SIGTERM, then SIGKILL)."""
    if proc.poll() is not None:
        return
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# ---------------------------------------------------------------- report

def print_summary(s: Summary, out=sys.stdout) -> None:
    rate = s.requests / s.seconds if s.seconds else 0
    print(f"requests: {s.requests} in {s.seconds:.1f} s ({rate:.0f}/s)", file=out)
    print("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(s.statuses.items())), file=out)
    print("routes:", file=out)
    for route, n in sorted(s.routes.items()):
        by_status = ", ".join(f"{st}: {c}" for (r, st), c in sorted(s.route_statuses.items())
                              if r == route)
        print(f"  {route:26} {n:6}   {by_status}", file=out)
    print(f"responses >= 500: {s.server_errors}", file=out)
    for (method, route, status), ex in sorted(s.failures.items()):
        print(f"  {status} {method} {route}  e.g. request {ex['index']}: {_short(ex['target'])}",
              file=out)
    print(f"server failures (refused, reset, timeout, malformed): {s.error_count}", file=out)
    for (method, route, err), ex in sorted(s.errors.items()):
        print(f"  {method} {route}: {ex['error']}  e.g. request {ex['index']}: "
              f"{_short(ex['target'])}", file=out)
    if s.anomalies:
        print(f"anomalies (not counted as failures): {s.anomaly_count}", file=out)
        for (route, what), ex in sorted(s.anomalies.items()):
            print(f"  {route}: {what} ({ex['status']}) e.g. request {ex['index']}: "
                  f"{_short(ex['target'])}", file=out)
    print("result: " + ("OK, no 5xx and no server failures" if s.ok else "FAILED"), file=out)


def _short(target: str, n: int = 300) -> str:
    return target if len(target) <= n else f"{target[:n]}… ({len(target)} characters)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--base", help=f"a running server, http://{HOST}:PORT")
    where.add_argument("--index-dir", help="build a seeds index here and serve it")
    ap.add_argument("--corpus", default=str(SEEDS), help="what --index-dir indexes (default seeds/)")
    ap.add_argument("--port", type=int, help="port for the started server (default: a free one)")
    ap.add_argument("--log", help="the started server's log (default: beside the index folder)")
    ap.add_argument("--requests", "-n", type=int, default=20_000)
    ap.add_argument("--seconds", type=float, default=600, help="stop after this long")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30, help="per request, seconds")
    ap.add_argument("--replay", type=int, action="append", metavar="I",
                    help="send only request number I (repeatable)")
    ap.add_argument("--out", help="write the full summary as JSON here")
    args = ap.parse_args(argv)
    if args.requests < 0 or args.seconds <= 0 or args.threads < 1:
        ap.error("--requests >= 0, --seconds > 0, --threads >= 1")

    proc = None
    if args.index_dir:
        index_dir = Path(args.index_dir)
        log_path = Path(args.log) if args.log else index_dir.resolve().parent / "fuzz-serve.log"
        print(f"building the index {index_dir} from {args.corpus} …", file=sys.stderr)
        build_index(index_dir, args.corpus)
        proc, base = start_server(index_dir, args.port, log_path)
        print(f"serving on {base} (pid {proc.pid}, log {log_path})", file=sys.stderr)
    else:
        base = args.base
        _port_of(base)
    try:
        summary = run_fuzz(
            base, args.requests, args.seconds, args.threads, args.seed, args.timeout,
            progress=lambda s: print(f"  … {s.requests} requests, {s.server_errors} >= 500, "
                                     f"{s.error_count} failures", file=sys.stderr, flush=True),
            only=args.replay, server_alive=(lambda: proc.poll() is None) if proc else None)
    finally:
        if proc is not None:
            died = proc.poll()
            stop_server(proc)
            if died is not None:
                print(f"the server died during the run (exit code {died}); see its log",
                      file=sys.stderr)
    print_summary(summary)
    if args.out:
        Path(args.out).write_text(json.dumps(summary.to_json(), ensure_ascii=False, indent=1),
                                  encoding="utf-8")
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
