"""Collect reports where they are published: `reportsearch fetch` and the 添加报告 page.

    fetch_reports(urls, folder, config)         report pages (and their attachments)
    fetch_column(url, folder, config, ...)      a column's list pages, then its report pages

Each report page is saved as the HTML bytes received (a GBK page keeps its bytes and its
<meta charset>), each attachment (.docx/.pdf/.wps/.doc link on the page) beside it, and
every saved file gets a row in the folder's manifest.csv (file, url, fetched_at, list_page,
page). The indexer already reads manifest.csv for the reports' URLs (index.formats
.manifest_urls), so a fetched report's citation carries its URL; sidecar NAME.yaml files
stay the user's own way to correct metadata, and fetching never writes one.

A page that is not a report itself (only a link to its attachment, or no report at all) is
kept in the hidden `.pages/` folder, which the indexer skips, so `index` never fails on it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..model import IngestError
from .client import Client, FetchError, check_url
from .links import Link, article_links, attachment_links, next_list_page, page_links
from .save import (PAGES_DIR, content_hash, file_name_for, read_state, record_in_manifest,
                   write_atomically, write_state)

NEW, UPDATED, UNCHANGED, FAILED = "新增", "更新", "未变", "失败"
# The kind of outcome of a page that only links to its report: listed, never counted.
PAGE_ONLY = "网页"


@dataclass
class Outcome:
    url: str
    status: str                              # NEW | UPDATED | UNCHANGED | FAILED
    files: list[str] = field(default_factory=list)   # saved into the corpus folder
    reason: str = ""                         # why it failed, or a note
    kind: str = "报告"                        # 报告 | 附件 | 列表页 | PAGE_ONLY


@dataclass
class FetchSummary:
    folder: str
    outcomes: list[Outcome] = field(default_factory=list)
    list_pages: int = 0
    resumed: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status and o.kind != PAGE_ONLY)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def saved_files(self) -> list[str]:
        return [f for o in self.outcomes if o.status in (NEW, UPDATED) for f in o.files]

    def to_json(self) -> dict:
        return {"folder": self.folder, "list_pages": self.list_pages, "resumed": self.resumed,
                "counts": {s: self.count(s) for s in (NEW, UPDATED, UNCHANGED, FAILED)},
                "outcomes": [vars(o) for o in self.outcomes]}


def fetch_folder(config: dict) -> Path:
    """Where fetched and uploaded reports go (the `fetch.folder` setting; see defaults.yaml):
    never the shipped sample reports."""
    from ..config import default_index_dir, shipped_seeds

    folder = (config.get("fetch") or {}).get("folder")
    if folder:
        return Path(folder)
    seeds = shipped_seeds()
    for path in config.get("corpus") or []:
        if not (seeds and Path(path).resolve() == seeds.resolve()) and not Path(path).is_file():
            return Path(path)
    return default_index_dir().parent / "reports"


def urls_from_file(path: str | Path) -> list[str]:
    """The URLs of a text file, one a line; blank lines and lines starting with # skipped."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class _Run:
    """One fetch run over one folder: the client, the state, and what resumes."""

    def __init__(self, folder: Path, config: dict, key: str, client: Client | None = None):
        self.folder, self.config = Path(folder), config
        self.settings = config["fetch"]
        self.own_client = client is None
        self.client = client or Client(self.settings)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.state = read_state(self.folder)
        run = self.state.get("run")
        # The same targets as an interrupted run: what it finished is not asked again.
        self.resumed = bool(run and run.get("key") == key)
        self.since = run["started"] if self.resumed else time.time()
        self.state["run"] = {"key": key, "started": self.since}
        write_state(self.folder, self.state)

    def done_in_this_run(self, url: str) -> dict | None:
        entry = self.state["urls"].get(url)
        if self.resumed and entry and entry.get("checked", 0) >= self.since:
            return entry
        return None

    def remember(self, url: str, entry: dict) -> None:
        entry["checked"] = time.time()
        self.state["urls"][url] = entry
        write_state(self.folder, self.state)

    def finish(self) -> None:
        self.state.pop("run", None)
        write_state(self.folder, self.state)
        if self.own_client:
            self.client.close()

    # ------------------------------------------------------------ one resource

    def download(self, url: str) -> tuple[object, dict]:
        """(response, previous state entry); the request is conditional when the file saved
        last time is still there."""
        entry = self.state["urls"].get(url) or {}
        files = entry.get("files") or ([entry["stored"]] if entry.get("stored") else [])
        have = entry.get("hash") and all((self.folder / f).is_file() for f in files)
        response = self.client.get(url, entry.get("etag") if have else None,
                                   entry.get("last_modified") if have else None)
        return response, (entry if have else {})

    def fetch_report(self, url: str, list_page: str = "") -> list[Outcome]:
        """The report page at `url` and its attachments, saved; one outcome each."""
        earlier = self.done_in_this_run(url)
        if earlier is not None:
            return [Outcome(**o) for o in earlier.get("outcomes", [])]
        try:
            url = check_url(url)
            response, entry = self.download(url)
        except FetchError as exc:
            outcome = Outcome(url, FAILED, reason=str(exc))
            self.remember(url, {**self.state["urls"].get(url, {}), "outcomes": [vars(outcome)]})
            return [outcome]
        digest = content_hash(response.body) if response.status == 200 else entry.get("hash")
        if response.status == 304 or digest == entry.get("hash"):
            # The attachments of an unchanged page are not asked for again: portals give a
            # changed file a new link.
            outcomes = [Outcome(url, UNCHANGED, files=list(entry.get("files", [])),
                                kind="报告" if entry.get("files") else PAGE_ONLY)]
            outcomes += [Outcome(u, UNCHANGED, files=[f], kind="附件")
                         for u, f in entry.get("attachments", [])]
            self.remember(url, {**entry, **_validators(response, entry),
                                "outcomes": [vars(o) for o in outcomes]})
            return outcomes

        document = document_extension(response, self.settings["attachment_extensions"])
        if document:
            # The address of a file itself (a .pdf link given as a report): saved as the file.
            outcome = self.store_document(url, response, entry, document, "", list_page, "报告")
            self.remember(url, {**self.state["urls"][url], "outcomes": [vars(outcome)]})
            return [outcome]
        name = file_name_for(url, ".html")
        links = page_links(response.body, response.url)
        attachments = attachment_links(links, self.settings["attachment_extensions"])
        outcomes = [self.fetch_attachment(link.url, ext, page=response.url, list_page=list_page)
                    for link, ext in attachments]
        is_report, why_not = self.save_page(name, response.body)
        if is_report:
            record_in_manifest(self.folder, {"file": name, "url": response.url,
                                             "fetched_at": _now(), "list_page": list_page,
                                             "page": ""})
            page = Outcome(url, UPDATED if entry else NEW, files=[name])
        elif attachments:
            # Not counted as a report: its attachments are.
            page = Outcome(url, UNCHANGED, kind=PAGE_ONLY,
                           reason=f"网页本身不是报告正文，报告在附件中；网页存于 {PAGES_DIR}/{name}")
        else:
            page = Outcome(url, FAILED, reason=f"{why_not}，网页上也没有报告附件"
                                               f"（网页已存于 {PAGES_DIR}/{name}，不会被索引）")
        outcomes.insert(0, page)
        self.remember(url, {"stored": name if is_report else f"{PAGES_DIR}/{name}",
                            "files": [name] if is_report else [],
                            "hash": digest, **_validators(response, {}), "final_url": response.url,
                            "attachments": [[o.url, o.files[0]] for o in outcomes
                                            if o.kind == "附件" and o.files],
                            "fetched_at": _now(), "outcomes": [vars(o) for o in outcomes]})
        return outcomes

    def save_page(self, name: str, body: bytes) -> tuple[bool, str]:
        """Save the page's bytes: into the folder when they read as a report, else into
        .pages/. (whether it is a report, why not)."""
        from ..pipeline import read_report

        hidden = self.folder / PAGES_DIR / name
        write_atomically(hidden, body)
        try:
            report = read_report(hidden, self.config)
            # A page that only announces its attachment reads as a title and a link line:
            # headings, no paragraph of text.
            if not any(p.kind == "text" for p in report.paragraphs):
                raise IngestError("网页中只有标题和链接，没有报告正文")
        except IngestError as exc:
            stale = self.folder / name
            if stale.is_file():
                stale.unlink()          # an earlier version of this page that was a report
            return False, str(exc)
        os.replace(hidden, self.folder / name)
        return True, ""

    def fetch_attachment(self, url: str, ext: str, page: str, list_page: str) -> Outcome:
        try:
            response, entry = self.download(url)
        except FetchError as exc:
            return Outcome(url, FAILED, reason=str(exc), kind="附件")
        return self.store_document(url, response, entry, ext, page, list_page, "附件")

    def store_document(self, url: str, response, entry: dict, ext: str, page: str,
                       list_page: str, kind: str) -> Outcome:
        """Save a downloaded file (a .docx, .pdf …) as it came, with its manifest row."""
        name = file_name_for(url, ext)
        if response.status == 304 or content_hash(response.body) == entry.get("hash"):
            self.state["urls"][url] = {**entry, **_validators(response, entry)}
            return Outcome(url, UNCHANGED, files=[name], kind=kind)
        write_atomically(self.folder / name, response.body)
        record_in_manifest(self.folder, {"file": name, "url": response.url, "fetched_at": _now(),
                                         "list_page": list_page, "page": page})
        self.state["urls"][url] = {"files": [name], "hash": content_hash(response.body),
                                   **_validators(response, {}), "fetched_at": _now()}
        return Outcome(url, UPDATED if entry else NEW, files=[name], kind=kind)

    # ------------------------------------------------------------ a column

    def crawl_column(self, url: str, pattern: str, max_pages: int
                     ) -> tuple[list[tuple[str, str]], list[Outcome], int]:
        """([(article url, list page)], failed list pages, list pages read)."""
        articles, seen_articles, failures = [], set(), []
        seen_links: set[str] = set()
        visited: list[str] = []
        page, guessed = check_url(url), False
        while page and len(visited) < max_pages:
            visited.append(page)
            entry = self.done_in_this_run(page)
            if entry is None or "links" not in entry:
                try:
                    response, entry = self.download(page)
                except FetchError as exc:
                    if guessed and exc.status == 404:       # a guessed page past the end
                        self.remember(page, {"links": [], "next": None})
                    else:
                        failures.append(Outcome(page, FAILED, reason=str(exc), kind="列表页"))
                    break
                if response.status == 304 and "links" in entry:
                    entry = {**entry, **_validators(response, entry)}
                else:
                    links = page_links(response.body, response.url)
                    entry = {"hash": content_hash(response.body), **_validators(response, {}),
                             "stored": "", "links": [[lk.url, lk.text] for lk in links],
                             "next": next_list_page(response.body, links, response.url)}
                self.remember(page, entry)
            links = [Link(u, t) for u, t in entry["links"]]
            fresh = {lk.url for lk in links} - seen_links
            if guessed and not fresh:
                break                   # a portal answering every index_N with the same page
            seen_links |= fresh
            for link in article_links(links, pattern):
                if link.url not in seen_articles:
                    seen_articles.add(link.url)
                    articles.append((link.url, page))
            nxt = entry.get("next")
            guessed = bool(nxt) and nxt not in {lk.url for lk in links}
            page = nxt if nxt and nxt not in visited else None
        return articles, failures, len(visited)


# Content types of the files a report comes in, for addresses that do not end in their
# extension (download.jsp?id=3).
DOCUMENT_TYPES = {"application/pdf": ".pdf", "application/msword": ".doc",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
                  "application/vnd.ms-works": ".wps", "application/kswps": ".wps",
                  "application/wps-office.wps": ".wps", "text/plain": ".txt"}


def document_extension(response, extensions) -> str | None:
    """The extension to save a response under when it is a document file rather than a web
    page: by the address's path, else by its Content-Type or Content-Disposition."""
    from urllib.parse import unquote, urlsplit

    exts = tuple(e.lower() for e in extensions)
    path = unquote(urlsplit(response.url).path).lower()
    by_path = next((e for e in exts if path.endswith(e)), None)
    if by_path:
        return by_path
    ctype = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[ctype]
    disposition = (response.headers.get("content-disposition") or "").lower().rstrip('"; ')
    return next((e for e in (*exts, ".txt") if disposition.endswith(e)), None)


def _validators(response, entry: dict) -> dict:
    """The ETag / Last-Modified to send next time (a 304 may omit them: keep the old ones)."""
    return {"etag": response.etag or entry.get("etag"),
            "last_modified": response.last_modified or entry.get("last_modified")}


def _run_key(kind: str, targets) -> str:
    return hashlib.sha1("\n".join([kind, *targets]).encode("utf-8")).hexdigest()


def _fetch_all(run: _Run, targets: list[tuple[str, str]], summary: FetchSummary,
               progress=None) -> FetchSummary:
    for done, (url, list_page) in enumerate(targets, start=1):
        summary.outcomes += run.fetch_report(url, list_page)
        if progress:
            progress(done, len(targets), url)
    run.finish()
    return summary


def fetch_reports(urls, folder, config: dict, progress=None, client: Client | None = None
                  ) -> FetchSummary:
    """Fetch report pages (and their attachments) into `folder`; progress(done, total, url)."""
    urls = [u.strip() for u in urls if u and u.strip()]
    run = _Run(folder, config, _run_key("urls", urls), client)
    summary = FetchSummary(str(folder), resumed=run.resumed)
    return _fetch_all(run, [(u, "") for u in urls], summary, progress)


def fetch_column(url: str, folder, config: dict, pages: int | None = None,
                 pattern: str | None = None, progress=None, client: Client | None = None
                 ) -> FetchSummary:
    """Fetch the reports of a column: its list pages (following 下一页 / index_N.html, at
    most `pages`), the article links whose titles match `pattern`, each as fetch_reports."""
    settings = config["fetch"]
    pattern = pattern or settings["title_pattern"]
    pages = int(pages or settings["max_pages"])
    run = _Run(folder, config, _run_key("column", [url.strip(), pattern, str(pages)]), client)
    summary = FetchSummary(str(folder), resumed=run.resumed)
    try:
        articles, failures, summary.list_pages = run.crawl_column(url.strip(), pattern, pages)
    except FetchError as exc:
        articles, failures = [], [Outcome(url, FAILED, reason=str(exc), kind="列表页")]
    summary.outcomes += failures
    return _fetch_all(run, articles, summary, progress)


def summary_lines(summary: FetchSummary) -> list[str]:
    """The end of a run in Chinese: the counts, then each failure with its reason."""
    head = (f"新增 {summary.count(NEW)}，更新 {summary.count(UPDATED)}，"
            f"未变 {summary.count(UNCHANGED)}，失败 {summary.count(FAILED)}"
            f"（保存在 {summary.folder}")
    head += f"；读了 {summary.list_pages} 个列表页）" if summary.list_pages else "）"
    lines = ([f"接着上次中断的地方继续：上次已完成的不再请求。"] if summary.resumed else []) + [head]
    for o in summary.outcomes:
        if o.status == FAILED:
            lines.append(f"  失败 {o.kind} {o.url}：{o.reason}")
        elif o.status in (NEW, UPDATED):
            lines.append(f"  {o.status} {o.kind} {'、'.join(o.files)} ← {o.url}")
        elif o.kind == PAGE_ONLY:
            lines.append(f"  说明 {o.url}：{o.reason}")
    return lines
