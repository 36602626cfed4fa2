"""Concurrent clients against a served index: throughput, latency, and wrong answers (issue 9).

    python -m bench.concurrency --index-dir var/bench/100k/index          # serves it itself
    python -m bench.concurrency --url http://127.0.0.1:5000 --clients 1,4,16 --seconds 20
    python -m bench.concurrency --index-dir IDX --out bench/RESULTS.md --label "before fix"

The workload is a mix of what users do, over the public HTTP interface only: report JSON,
paragraph JSON, search JSON (several queries, filters, sorts, pages), the report page, the
paragraph permalink, the search page, the reports list, and the .docx/.txt/.md exports of
several paragraphs. Before any concurrent load, every URL of the workload is asked once,
serially, and its answer is kept as the reference. Under load every answer is checked:

- `5xx`: status >= 500;
- `false 404`: 404 for an id or page that exists (the serial answer was 200);
- `wrong id`: the content belongs to another id: a report whose report_id or paragraph ids
  are not the one asked for, a paragraph with another id, search hits other than the serial
  answer's, an export holding another paragraph's text, a permalink to another report;
- `wrong content`: right ids but content that differs from the serial answer (missing
  paragraphs, other text, other totals or facet counts);
- `other`: any other status, a connection error or a timeout.

Clients are threads of this process, each with its own keep-alive connection
(http.client), only to 127.0.0.1. The server's RSS (VmRSS of the server process and its
children, from /proc) is read before the load and after each client count.

The checks are also what tests/test_serve_concurrency.py asserts.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import http.client
import io
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlencode, urlsplit

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60.0
CATEGORIES = ("5xx", "false 404", "wrong id", "wrong content", "other")

# Weights of the request kinds in the mix (relative).
MIX = {
    "api_report": 14, "api_paragraph": 14, "api_search": 16,
    "page_report": 10, "page_permalink": 6, "page_search": 10, "page_reports": 5,
    "export_docx": 8, "export_txt": 8, "export_md": 9,
}

# Queries of the workload: common and rare terms, a phrase, OR, NOT, fuzzy; with filters,
# sorts and pages. Each is asked as the JSON API and (without limit/offset) as the page.
QUERIES = ("出庭应诉率", "行政复议", "法治政府", "\"行政 复议\"", "复议 OR 诉讼", "执法 -处罚",
           "合法性审查", "败诉率", "(复议 OR 诉讼) 败诉率", "规范性文件")
FILTER_SETS = ({}, {"year": "2023"}, {"level": "县级"}, {"section": "存在的不足和原因"},
               {"issuer_type": "部门"}, {"year": "2020", "level": "市级"})
SORTS = ("relevance", "year_desc", "year_asc")


# ---------------------------------------------------------------------------- HTTP client

@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float
    error: str | None = None      # connection error or timeout: status is 0

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Client:
    """One keep-alive connection to 127.0.0.1:port; reconnects when the server closed it."""

    def __init__(self, port: int, timeout: float = REQUEST_TIMEOUT):
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _once(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        self.conn.request("GET", path, headers={"Accept-Encoding": "identity"})
        resp = self.conn.getresponse()
        body = resp.read()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        if resp.will_close:
            self.close()
        return resp.status, headers, body

    def get(self, path: str) -> Answer:
        started = time.perf_counter()
        reused = self.conn is not None
        try:
            try:
                status, headers, body = self._once(path)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server had closed: one retry on a fresh one.
                self.close()
                if not reused:
                    raise
                status, headers, body = self._once(path)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return Answer(0, {}, b"", time.perf_counter() - started,
                          f"{type(exc).__name__}: {exc}")
        return Answer(status, headers, body, time.perf_counter() - started)


# ---------------------------------------------------------------------------- probes

@dataclass
class Problem:
    category: str
    detail: str


@dataclass
class Probe:
    """One URL of the workload and the check of its answer against the serial reference."""
    kind: str
    path: str
    check: Callable[[Answer], Problem | None]


def _status_problem(ans: Answer, expected: int = 200) -> Problem | None:
    if ans.error:
        return Problem("other", ans.error)
    if ans.status == expected:
        return None
    snippet = ans.text()[:200].replace("\n", " ")
    if ans.status >= 500:
        return Problem("5xx", f"status {ans.status}: {snippet}")
    if ans.status == 404:
        return Problem("false 404", f"status 404 (serial answer was {expected}): {snippet}")
    return Problem("other", f"status {ans.status} (expected {expected}): {snippet}")


def _json_or_problem(ans: Answer):
    try:
        return ans.json(), None
    except ValueError as exc:
        return None, Problem("wrong content", f"not JSON ({exc}): {ans.text()[:120]!r}")


def _short(items, n: int = 3) -> str:
    items = list(items)
    return ", ".join(map(str, items[:n])) + (f" (+{len(items) - n})" if len(items) > n else "")


def _first_difference(got: list, want: list) -> str:
    """Where two id lists part: 'hit 3 is X (serial: Y); 20 hits (serial 20)'."""
    n = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    a = got[n] if n < len(got) else "(none)"
    b = want[n] if n < len(want) else "(none)"
    return f"hit {n + 1} is {a} (serial: {b}); {len(got)} hits (serial {len(want)})"


def _foreign(ids, report_id: str) -> list[str]:
    prefix = report_id + "-p"
    return [i for i in ids if not str(i).startswith(prefix)]


@dataclass
class Reference:
    """What the serial requests answered: reports with their paragraphs, search answers."""
    report_ids: list[str]                       # every report of the index
    reports: dict[str, dict]                    # sampled report id -> report JSON
    paragraphs: dict[str, dict] = field(default_factory=dict)   # pid -> {report_id, text, ...}
    text_owner: dict[str, str] = field(default_factory=dict)    # text -> first pid with it
    total_paragraphs: int = 0


def report_probe(ref: Reference, rid: str) -> Probe:
    want = [(p["id"], p["text"]) for p in ref.reports[rid]["paragraphs"]]
    title = ref.reports[rid].get("title")

    def check(ans: Answer) -> Problem | None:
        problem = _status_problem(ans)
        if problem:
            return problem
        d, problem = _json_or_problem(ans)
        if problem:
            return problem
        if d.get("report_id") != rid:
            return Problem("wrong id", f"report_id {d.get('report_id')!r}")
        got = [(p.get("id"), p.get("text")) for p in d.get("paragraphs") or []]
        foreign = _foreign([g[0] for g in got], rid)
        if foreign:
            return Problem("wrong id", f"paragraphs of another report: {_short(foreign)}")
        if got != want or d.get("title") != title:
            missing = [w[0] for w in want if w not in got]
            return Problem("wrong content", f"{len(got)} paragraphs (serial {len(want)}); "
                                            f"differing: {_short(missing)}; title {d.get('title')!r}")
        return None
    return Probe("api_report", f"/api/reports/{quote(rid)}", check)


def paragraph_probe(ref: Reference, pid: str) -> Probe:
    want = ref.paragraphs[pid]

    def check(ans: Answer) -> Problem | None:
        problem = _status_problem(ans)
        if problem:
            return problem
        d, problem = _json_or_problem(ans)
        if problem:
            return problem
        if d.get("id") != pid or d.get("report_id") != want["report_id"]:
            return Problem("wrong id", f"id {d.get('id')!r}, report_id {d.get('report_id')!r}")
        if d.get("text") != want["text"] or d.get("title") != want["title"]:
            owner = ref.text_owner.get(d.get("text"))
            if owner and owner != pid and ref.paragraphs[owner]["text"] != want["text"]:
                return Problem("wrong id", f"text of {owner}")
            return Problem("wrong content", f"text {str(d.get('text'))[:40]!r} "
                                            f"title {d.get('title')!r}")
        return None
    return Probe("api_paragraph", f"/api/paragraphs/{quote(pid)}", check)


_ID_ATTR = re.compile(r'\bid="([A-Za-z0-9][A-Za-z0-9_.-]*-p[0-9]+)"')
_PERMALINK = re.compile(r'href="/p/([^"?#]+)')


def report_page_probe(ref: Reference, rid: str) -> Probe:
    report = ref.reports[rid]
    want_ids = [p["id"] for p in report["paragraphs"]]
    texts = [p["text"] for p in report["paragraphs"]]
    title = report.get("title") or rid

    def check(ans: Answer) -> Problem | None:
        problem = _status_problem(ans)
        if problem:
            return problem
        body = ans.text()
        ids = _ID_ATTR.findall(body)
        foreign = _foreign(ids + _PERMALINK.findall(body), rid)
        if foreign:
            return Problem("wrong id", f"paragraph ids of another report: {_short(foreign)}")
        if f'data-report-id="{rid}"' not in body:
            return Problem("wrong id", "data-report-id is not the report asked for")
        if ids != want_ids:
            return Problem("wrong content", f"{len(ids)} paragraph ids (serial {len(want_ids)})")
        page = html.unescape(body)
        missing = [t for t in texts if t not in page]
        if title not in page or missing:
            return Problem("wrong content", f"title or {len(missing)} paragraph texts missing: "
                                            f"{_short(t[:30] for t in missing)}")
        return None
    return Probe("page_report", f"/reports/{quote(rid)}", check)


def permalink_probe(ref: Reference, pid: str) -> Probe:
    rid = ref.paragraphs[pid]["report_id"]

    def check(ans: Answer) -> Problem | None:
        problem = _status_problem(ans, 302)
        if problem:
            return problem
        loc = urlsplit(ans.headers.get("location", ""))
        if loc.path != f"/reports/{rid}" or loc.fragment != pid:
            return Problem("wrong id", f"redirects to {ans.headers.get('location')!r}")
        return None
    return Probe("page_permalink", f"/p/{quote(pid)}", check)


def _search_signature(d: dict):
    hits = [(h.get("id"), h.get("report_id"), h.get("text")) for h in d.get("hits") or []]
    return d.get("total"), hits, d.get("facets")


def search_probe(path: str, ref_answer: dict) -> Probe:
    want_total, want_hits, want_facets = _search_signature(ref_answer)

    def check(ans: Answer) -> Problem | None:
        problem = _status_problem(ans)
        if problem:
            return problem
        d, problem = _json_or_problem(ans)
        if problem:
            return problem
        total, hits, facets = _search_signature(d)
        bad = [h[0] for h in hits if not str(h[0]).startswith(f"{h[1]}-p")]
        if bad:
            return Problem("wrong id", f"hit id not of its report_id: {_short(bad)}")
        if [h[0] for h in hits] != [h[0] for h in want_hits]:
            return Problem("wrong id", _first_difference([h[0] for h in hits],
                                                         [h[0] for h in want_hits]))
        if total != want_total or hits != want_hits or facets != want_facets:
            return Problem("wrong content", f"total {total} (serial {want_total}); "
                                            f"hits equal {hits == want_hits}, "
                                            f"facets equal {facets == want_facets}")
        return None
    return Probe("api_search", path, check)


_HIT = re.compile(r'\bid="hit-([^"]+)"')
_HIT_LINK = re.compile(r'class="hit-title" href="/reports/([^"?#]+)[^"#]*#([^"]+)"')
_RESULT_COUNT = re.compile(r'id="result-count">\D*?<strong>(\d+)</strong>')


def _page_search_signature(body: str):
    m = _RESULT_COUNT.search(body)
    return (m.group(1) if m else None), _HIT.findall(body), _HIT_LINK.findall(body)


def page_search_probe(path: str, ref_body: str) -> Probe:
    want = _page_search_signature(ref_body)

    def check(ans: Answer) -> Problem | None:
        problem = _status_problem(ans)
        if problem:
            return problem
        total, ids, links = _page_search_signature(ans.text())
        bad = [pid for rid, pid in links if not pid.startswith(f"{rid}-p")]
        if bad:
            return Problem("wrong id", f"hit linked to another report: {_short(bad)}")
        if ids != want[1]:
            return Problem("wrong id", _first_difference(ids, want[1]))
        if (total, links) != (want[0], want[2]):
            return Problem("wrong content", f"total {total} (serial {want[0]})")
        return None
    return Probe("page_search", path, check)


_REPORT_LINK = re.compile(r'href="/reports/([^"?#/]+)"')
_REPORT_COUNT = re.compile(r'id="report-count">\D*?<strong>(\d+)</strong>\s*/\s*(\d+)')


def _reports_signature(body: str):
    m = _REPORT_COUNT.search(body)
    return (m.groups() if m else None), _REPORT_LINK.findall(body)


def reports_page_probe(path: str, ref_body: str) -> Probe:
    want = _reports_signature(ref_body)

    def check(ans: Answer) -> Problem | None:
        problem = _status_problem(ans)
        if problem:
            return problem
        counts, links = _reports_signature(ans.text())
        if links != want[1]:
            return Problem("wrong id", f"{len(links)} report links (serial {len(want[1])}), "
                                       f"first differing: {_short(set(links) - set(want[1]))}")
        if counts != want[0]:
            return Problem("wrong content", f"counts {counts} (serial {want[0]})")
        return None
    return Probe("page_reports", path, check)


_MD_UNESCAPE = re.compile(r"\\([\\`*_\[\]<>|~#])")


def _export_items(kind: str, body: bytes) -> list[tuple[str, str]]:
    """(heading, text) of every excerpt of an export, in order."""
    items = []
    if kind == "export_docx":
        from docx import Document
        paras = Document(io.BytesIO(body)).paragraphs
        for i, p in enumerate(paras[:-1]):
            if p.style.name.startswith("Heading") and re.match(r"\d+\. ", p.text):
                items.append((p.text, paras[i + 1].text))
        return items
    lines = body.decode("utf-8").split("\n")
    if kind == "export_txt":
        for i in range(len(lines) - 2):
            if re.match(r"\d+\. ", lines[i]) and lines[i + 2].startswith("——"):
                items.append((lines[i], lines[i + 1]))
        return items
    heading = None
    for line in lines:
        if line.startswith("## "):
            heading = _MD_UNESCAPE.sub(r"\1", line[3:])
        elif line.startswith("> ") and heading is not None:
            items.append((heading, _MD_UNESCAPE.sub(r"\1", line[2:])))
            heading = None
    return items


def export_probe(ref: Reference, kind: str, pids: list[str]) -> Probe:
    want = []
    for n, pid in enumerate(pids, 1):
        p = ref.paragraphs[pid]
        want.append((f"{n}. {p['title'] or p['issuer'] or p['report_id']}", p["text"]))

    def check(ans: Answer) -> Problem | None:
        problem = _status_problem(ans)
        if problem:
            return problem
        try:
            got = _export_items(kind, ans.body)
        except Exception as exc:   # a corrupt .docx, bad UTF-8
            return Problem("wrong content", f"unreadable export: {type(exc).__name__}: {exc}")
        for n, ((w_head, w_text), pid) in enumerate(zip(want, pids)):
            if n >= len(got):
                break
            head, text = got[n]
            if text != w_text or not head.startswith(w_head):
                owner = ref.text_owner.get(text)
                if owner and ref.paragraphs[owner]["text"] != w_text:
                    return Problem("wrong id", f"excerpt {n + 1} ({pid}) holds the text of {owner}")
                return Problem("wrong id" if not head.startswith(w_head) else "wrong content",
                               f"excerpt {n + 1} ({pid}): heading {head[:40]!r}, "
                               f"text {text[:30]!r}")
        if len(got) != len(want):
            return Problem("wrong content", f"{len(got)} excerpts (asked {len(want)})")
        return None
    ext = kind.split("_")[1]
    return Probe(kind, f"/api/export.{ext}?" + urlencode({"ids": ",".join(pids)}), check)


# ---------------------------------------------------------------------------- workload

class WorkloadError(RuntimeError):
    """The serial answers themselves are unusable (server not answering, inconsistent)."""


def _serial_get(client: Client, path: str, expected: int = 200) -> Answer:
    ans = client.get(path)
    if ans.status != expected:
        raise WorkloadError(f"serial GET {path} answered {ans.status or ans.error}: "
                              f"{ans.text()[:200]}")
    return ans


def build_workload(port: int, *, sample_reports: int | None = 200, seed: int = 1,
                   exports_per_kind: int = 12, paragraphs: int = 300
                   ) -> tuple[Reference, dict[str, list[Probe]]]:
    """Ask every URL of the workload once, serially; the probes that check answers against it.

    sample_reports: how many reports (random, seeded) the report, paragraph, page and export
    probes use (None: all)."""
    rng = random.Random(seed)
    client = Client(port)
    listing = _serial_get(client, "/api/reports").json()
    report_ids = [r["report_id"] for r in listing["reports"]]
    total_paragraphs = sum(r.get("paragraph_count") or 0 for r in listing["reports"])
    sampled = list(report_ids)
    if sample_reports is not None and len(sampled) > sample_reports:
        sampled = rng.sample(sampled, sample_reports)
    ref = Reference(report_ids, {}, total_paragraphs=total_paragraphs)
    for rid in sampled:
        d = _serial_get(client, f"/api/reports/{quote(rid)}").json()
        ids = [p["id"] for p in d.get("paragraphs") or []]
        if d.get("report_id") != rid or _foreign(ids, rid):
            raise WorkloadError(f"serial /api/reports/{rid} is not that report: "
                                  f"{d.get('report_id')}, {_short(_foreign(ids, rid))}")
        ref.reports[rid] = d
        for p in d.get("paragraphs") or []:
            ref.paragraphs[p["id"]] = {"report_id": rid, "text": p["text"],
                                       "title": d.get("title"), "issuer": d.get("issuer")}
            ref.text_owner.setdefault(p["text"], p["id"])
    with_paras = [rid for rid in sampled if ref.reports[rid].get("paragraphs")]
    if not with_paras:
        raise WorkloadError("no report with paragraphs in the index")

    probes: dict[str, list[Probe]] = defaultdict(list)
    for rid in sampled:
        probes["api_report"].append(report_probe(ref, rid))
        probes["page_report"].append(report_page_probe(ref, rid))
    pids = sorted(ref.paragraphs)
    for pid in rng.sample(pids, min(paragraphs, len(pids))):
        probes["api_paragraph"].append(paragraph_probe(ref, pid))
        probes["page_permalink"].append(permalink_probe(ref, pid))

    # Exports: 2-6 paragraphs from 1-3 reports, in a random order.
    for kind in ("export_docx", "export_txt", "export_md"):
        for _ in range(exports_per_kind):
            chosen: list[str] = []
            for rid in rng.sample(with_paras, min(len(with_paras), rng.randint(1, 3))):
                ps = [p["id"] for p in ref.reports[rid]["paragraphs"]]
                chosen += rng.sample(ps, min(len(ps), rng.randint(1, 3)))
            rng.shuffle(chosen)
            probes[kind].append(export_probe(ref, kind, chosen[:6]))

    # Searches: every query unfiltered and under a few filters, sorts and pages.
    for qn, q in enumerate(QUERIES):
        for fn, filters in enumerate(FILTER_SETS):
            if (qn + fn) % 2 and filters:
                continue
            sort = SORTS[(qn + fn) % len(SORTS)]
            page = 1 + (qn * 7 + fn) % 3
            mode = "fuzzy" if (qn + fn) % 5 == 4 else "exact"
            params = [("q", q), *filters.items()]
            if mode != "exact":
                params.append(("mode", mode))
            if sort != "relevance":
                params.append(("sort", sort))
            limit = (10, 20, 50)[(qn + 2 * fn) % 3]
            api = "/api/search?" + urlencode(params + [("limit", limit),
                                                       ("offset", (page - 1) * limit)])
            probes["api_search"].append(search_probe(api, _serial_get(client, api).json()))
            page_path = "/?" + urlencode(params + ([("page", page)] if page > 1 else []))
            probes["page_search"].append(
                page_search_probe(page_path, _serial_get(client, page_path).text()))

    # The reports list: default, another sort, a filter, page 2 when there is one.
    years = sorted({r.get("year") for r in listing["reports"] if r.get("year")})
    report_pages = ["/reports", "/reports?sort=title", "/reports?sort=province",
                    "/reports?" + urlencode({"level": "县级"})]
    if years:
        report_pages.append("/reports?" + urlencode({"year": years[len(years) // 2]}))
    if len(report_ids) > 100:
        report_pages += ["/reports?page=2", "/reports?sort=level&page=2"]
    for path in report_pages:
        probes["page_reports"].append(reports_page_probe(path, _serial_get(client, path).text()))
    client.close()
    return ref, dict(probes)


# ---------------------------------------------------------------------------- load

@dataclass
class Failure:
    category: str
    kind: str
    path: str
    detail: str
    client: int


@dataclass
class LoadResult:
    clients: int
    seconds: float
    latencies: dict[str, list[float]]          # kind -> seconds of every request
    failures: list[Failure]

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def counts(self) -> Counter:
        return Counter(f.category for f in self.failures)

    def all_latencies(self) -> list[float]:
        return sorted(x for v in self.latencies.values() for x in v)


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(-(-q * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


def run_load(port: int, probes: dict[str, list[Probe]], clients: int, *,
             requests_per_client: int | None = None, seconds: float | None = None,
             deadline: float | None = None, seed: int = 1, mix: dict[str, int] = MIX,
             timeout: float = REQUEST_TIMEOUT) -> LoadResult:
    """`clients` threads, each asking a random (seeded) mix of probes until it has asked
    requests_per_client, or `seconds` have passed; none starts a request after `deadline`
    (time.monotonic())."""
    if requests_per_client is None and seconds is None:
        raise ValueError("give requests_per_client or seconds")
    kinds = [k for k in mix if probes.get(k)]
    weights = [mix[k] for k in kinds]
    lock = threading.Lock()
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: list[Failure] = []
    barrier = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def worker(n: int) -> None:
        rng = random.Random(f"{seed}:{clients}:{n}")
        client = Client(port, timeout)
        mine: dict[str, list[float]] = defaultdict(list)
        bad: list[Failure] = []
        barrier.wait()
        done = 0
        try:
            while True:
                now = time.monotonic()
                if requests_per_client is not None and done >= requests_per_client:
                    break
                if seconds is not None and now >= stop_at[0]:
                    break
                if deadline is not None and now >= deadline:
                    break
                kind = rng.choices(kinds, weights)[0]
                probe = rng.choice(probes[kind])
                ans = client.get(probe.path)
                mine[kind].append(ans.seconds)
                try:
                    problem = probe.check(ans)
                except Exception as exc:      # a check that broke is a finding, not a crash
                    problem = Problem("wrong content", f"check raised {type(exc).__name__}: {exc}")
                if problem:
                    bad.append(Failure(problem.category, kind, probe.path, problem.detail, n))
                done += 1
        finally:
            client.close()
            with lock:
                for k, v in mine.items():
                    latencies[k].extend(v)
                failures.extend(bad)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    started = time.monotonic()
    stop_at[0] = started + (seconds or 0)
    barrier.wait()
    for t in threads:
        t.join()
    return LoadResult(clients, time.monotonic() - started, dict(latencies), failures)


def failure_report(result: LoadResult, examples: int = 4) -> str:
    """Counts per category and per kind, with a few examples each: for assertion messages."""
    counts = result.counts()
    lines = [f"{result.requests} requests by {result.clients} clients in "
             f"{result.seconds:.1f} s: " + ", ".join(f"{c} {counts.get(c, 0)}" for c in CATEGORIES)]
    by_kind = Counter((f.kind, f.category) for f in result.failures)
    if by_kind:
        lines.append("by kind: " + "; ".join(f"{k} {c} ×{n}" for (k, c), n in sorted(by_kind.items())))
    for cat in CATEGORIES:
        shown = [f for f in result.failures if f.category == cat][:examples]
        for f in shown:
            lines.append(f"  [{cat}] {f.kind} GET {f.path[:120]}: {f.detail[:300]}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def reportsearch_command() -> list[str]:
    """The `reportsearch` console script of this interpreter's environment."""
    beside = Path(sys.executable).with_name("reportsearch")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("reportsearch")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from web.cli import main; sys.exit(main())"]


class Server:
    """`reportsearch serve --index-dir DIR --port P` in its own session (process group)."""

    def __init__(self, index_dir, log_path, *, extra_args=(), ready_timeout: float = 120.0):
        self.index_dir, self.log_path = str(index_dir), Path(log_path)
        self.extra_args, self.ready_timeout = list(extra_args), ready_timeout
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def start(self, attempts: int = 3) -> "Server":
        last = ""
        for _ in range(attempts):
            self.port = free_port()
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                reportsearch_command() + ["serve", "--index-dir", self.index_dir,
                                          "--host", HOST, "--port", str(self.port),
                                          *self.extra_args],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
            log.close()
            if wait_ready(self.port, self.proc, self.ready_timeout):
                return self
            last = self.log_tail()
            self.stop()
        raise RuntimeError(f"reportsearch serve did not start:\n{last}")

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def wait_ready(port: int, proc: subprocess.Popen | None, timeout: float) -> bool:
    """Until GET / answers 200 (False when the process exited or the time is up)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            return False
        ans = Client(port, timeout=10).get("/api/reports")
        if ans.status == 200:
            return True
        time.sleep(0.2)
    return False


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children[ppid].append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def rss_kb(pid: int) -> int | None:
    """VmRSS of `pid` and all its descendants, in kB (None when it is gone)."""
    total, seen = 0, False
    for p in _descendants(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        seen = True
        except OSError:
            continue
    return total if seen else None


def pid_listening_on(port: int) -> int | None:
    """The process whose socket listens on 127.0.0.1:port (or any address), from /proc."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(cols[9])
        except OSError:
            continue
    if not inodes:
        return None
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{entry}/fd"):
                link = os.readlink(f"/proc/{entry}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(entry)
        except OSError:
            continue
    return None


# ---------------------------------------------------------------------------- report

def _revision() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                             capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "index", "searcher", "web"],
                               cwd=root, text=True, capture_output=True).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _mb(kb: int | None) -> str:
    return "—" if kb is None else f"{kb / 1024:.0f}"


def render(label: str, meta: dict, results: list[tuple[LoadResult, int | None]],
           rss_start: int | None, rss_ref: int | None, examples: int = 3) -> str:
    lines = [f"<!-- bench.concurrency: {label} -->", f"## Concurrency: {label}", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    lines += [f"- serving RSS (server process + children): {_mb(rss_start)} MB when ready, "
              f"{_mb(rss_ref)} MB after the serial reference requests, "
              f"{_mb(results[-1][1] if results else None)} MB after all loads", ""]
    lines += ["| clients | requests | seconds | req/s | p50 ms | p95 ms | p99 ms | 5xx | "
              "false 404 | wrong id | wrong content | other | errors % | RSS after MB |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for res, rss in results:
        lat = res.all_latencies()
        c = res.counts()
        errors = sum(c.values())
        lines.append(
            f"| {res.clients} | {res.requests} | {res.seconds:.1f} | "
            f"{res.requests / res.seconds if res.seconds else 0:.1f} | "
            f"{percentile(lat, 50) * 1000:.1f} | {percentile(lat, 95) * 1000:.1f} | "
            f"{percentile(lat, 99) * 1000:.1f} | "
            + " | ".join(str(c.get(k, 0)) for k in CATEGORIES)
            + f" | {100 * errors / max(res.requests, 1):.1f} | {_mb(rss)} |")
    lines += ["", "Per request kind at the highest client count (p50 / p95 ms, errors):", "",
              "| kind | requests | p50 ms | p95 ms | errors |", "|---|---:|---:|---:|---:|"]
    if results:
        res = results[-1][0]
        errs = Counter(f.kind for f in res.failures)
        for kind in MIX:
            lat = sorted(res.latencies.get(kind, []))
            if lat:
                lines.append(f"| {kind} | {len(lat)} | {percentile(lat, 50) * 1000:.1f} | "
                             f"{percentile(lat, 95) * 1000:.1f} | {errs.get(kind, 0)} |")
    shown = sorted(((res.clients, f) for res, _ in results for f in res.failures),
                   key=lambda cf: CATEGORIES.index(cf[1].category))
    if shown:
        lines += ["", "Examples of errors:", ""]
        per_cat: Counter = Counter()
        for clients, f in shown:
            if per_cat[f.category] >= examples:
                continue
            per_cat[f.category] += 1
            detail = f.detail[:200].replace("|", "\\|").replace("\n", " ")
            lines.append(f"- {clients} clients, {f.category}, {f.kind} `{f.path[:90]}`: {detail}")
    lines += ["", f"<!-- /bench.concurrency: {label} -->", ""]
    return "\n".join(lines)


def write_section(out: Path, label: str, section: str) -> None:
    """Replace the section of this label in `out`, or append it."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    pattern = re.compile(rf"<!-- bench\.concurrency: {re.escape(label)} -->.*?"
                         rf"<!-- /bench\.concurrency: {re.escape(label)} -->\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + ("\n\n" if text.strip() else "") + section
    out.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.concurrency", description=__doc__.split("\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--index-dir", help="serve this index with `reportsearch serve` on a free port")
    where.add_argument("--url", help="an already running server, http://127.0.0.1:PORT")
    ap.add_argument("--server-pid", type=int, help="with --url: the server's pid for RSS "
                                                   "(default: the process listening on the port)")
    ap.add_argument("--workers", type=int, default=1,
                    help="with --index-dir: serving processes (`serve --workers N`, default 1)")
    ap.add_argument("--clients", default="1,4,16", help="client counts, comma-separated (1,4,16)")
    ap.add_argument("--seconds", type=float, default=20.0, help="duration per client count (20)")
    ap.add_argument("--requests", type=int, default=None,
                    help="requests per client instead of a duration")
    ap.add_argument("--sample-reports", type=int, default=200,
                    help="reports the workload uses, chosen at random (200; 0 = all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="append or replace this run's section in FILE")
    ap.add_argument("--label", default="concurrency", help="section name in --out (and heading)")
    ap.add_argument("--code", help="what code is served, for the report (default: the git "
                                   "revision of this checkout, +dirty when index/, searcher/ "
                                   "or web/ differ from it)")
    ap.add_argument("--log", type=Path, help="server log with --index-dir (default: a temp file)")
    args = ap.parse_args(argv)

    clients = [int(c) for c in args.clients.split(",") if c.strip()]
    load_before = os.getloadavg()
    server = None
    if args.index_dir:
        log = args.log or Path(f"/tmp/bench-concurrency-serve-{os.getpid()}.log")
        server = Server(args.index_dir, log, extra_args=["--workers", str(args.workers)])
        print(f"starting reportsearch serve on {args.index_dir} (log {log}) ...", file=sys.stderr)
        server.start()
        port, pid = server.port, server.proc.pid
    else:
        u = urlsplit(args.url)
        if u.hostname not in ("127.0.0.1", "localhost"):
            ap.error("only 127.0.0.1 is a target")
        port = u.port or 80
        pid = args.server_pid or pid_listening_on(port)
    try:
        rss_start = rss_kb(pid) if pid else None
        t0 = time.monotonic()
        ref, probes = build_workload(port, sample_reports=args.sample_reports or None,
                                     seed=args.seed)
        n_probes = sum(map(len, probes.values()))
        print(f"reference: {n_probes} URLs asked serially in {time.monotonic() - t0:.1f} s",
              file=sys.stderr)
        rss_ref = rss_kb(pid) if pid else None
        results = []
        for n in clients:
            res = run_load(port, probes, n, seconds=None if args.requests else args.seconds,
                           requests_per_client=args.requests, seed=args.seed)
            rss = rss_kb(pid) if pid else None
            results.append((res, rss))
            print(failure_report(res, examples=2), file=sys.stderr)
            if server and server.proc.poll() is not None:
                print("the server exited:\n" + server.log_tail(), file=sys.stderr)
                break
    finally:
        if server:
            server.stop()
    meta = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "code": args.code or _revision(),
        "index": f"{args.index_dir or args.url}: {len(ref.report_ids)} reports, "
                 f"{ref.total_paragraphs} paragraphs",
        "workload": f"{n_probes} URLs over {len(ref.reports)} reports (serial answers are the "
                    f"reference); mix " + ", ".join(f"{k} {w}" for k, w in MIX.items()),
        "per client count": (f"{args.requests} requests per client" if args.requests
                             else f"{args.seconds:g} s"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, "
                   f"load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after "
                   f"(other processes on the machine slow the figures)",
    }
    section = render(args.label, meta, results, rss_start, rss_ref)
    print(section)
    if args.out:
        write_section(args.out, args.label, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
