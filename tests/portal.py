"""A fake government portal for the fetch tests, served by http.server on 127.0.0.1.

A column 法治政府建设年度报告 of three list pages (the first two paged the TRS way, by script
and index_N.html, the second also with a 下一页 link), articles in UTF-8 and GBK, a page whose
report is a .docx attachment and one whose report is a .pdf, a robots.txt that disallows
/private/, a page that fails twice with 503, one that answers too slowly, one too large, a
redirect; ETag and Last-Modified answered with 304. Every request is logged.

Each report is the fixture report of tests/fixtures_formats with its place renamed, so the
reports differ and each can be found by its own name.
"""
from __future__ import annotations

import hashlib
import html
import io
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests import fixtures_formats as fx

PLACE = "青溪县"
# Article path -> the place its report is about (so each report has its own text).
PLACES = {"/col/a-utf8.html": "松阳县", "/col/a-gbk.html": "庆元县", "/col/flaky.html": "景宁县",
          "/col/new/moved.html": "云和县", "/files/report.docx": "龙泉县",
          "/files/report.pdf": PLACE}
SLOW_SECONDS = 3.0
BIG_BYTES = 300_000          # tests set fetch.max_response_bytes below this


def report_lines(place: str) -> list[str]:
    return [line.replace(PLACE, place) for line in fx.report_lines(with_table=False)]


def article_page(place: str, encoding: str = "utf-8", attachment: str | None = None) -> bytes:
    """A portal article: chrome, the report (or only a link to its attachment), footer."""
    e = html.escape
    lines = report_lines(place)
    if attachment:
        body = (f'<p>附件：<a href="{e(attachment)}">{e(lines[0])}'
                f'{e(attachment[attachment.rfind("."):])}</a></p>')
    else:
        body = "\n".join(f"<p>{e(line)}</p>" for line in lines[1:])
    page = f"""<!DOCTYPE html><html><head><meta charset="{encoding}">
<title>{e(lines[0])}_{e(place)}人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/col/index.html">政务公开</a></div>
<div class="crumbs">您当前的位置：<a href="/">首页</a> &gt; 法治政府建设年度报告</div>
<h1>{e(lines[0])}</h1>
<div class="info">发布时间：2024-03-05 09:30 信息来源：{e(place)}司法局</div>
<div id="zoom">{body}</div>
<div class="footer">版权所有：{e(place)}人民政府 ICP备00000000号</div>
</body></html>"""
    return page.encode(encoding)


def _list_page(items: list[tuple[str, str]], extra: str = "") -> bytes:
    e = html.escape
    rows = "\n".join(f'<li><a href="{e(href)}" title="{e(title)}">{e(title[:18])}…</a>'
                     f"<span>2024-03-05</span></li>" for href, title in items)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>法治政府建设年度报告</title>
</head><body><div class="nav"><a href="/">首页</a></div><ul class="list">{rows}</ul>
{extra}<script>createPageHTML(3, 0, "index", "html");</script></body></html>""".encode("utf-8")


def _title(place: str) -> str:
    return report_lines(place)[0]


def _docx(place: str) -> bytes:
    import docx

    d = docx.Document()
    for line in report_lines(place):
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@dataclass
class Portal:
    """The served pages and the request log; `url(path)` is the full address of a path."""
    base: str = ""
    log: list[tuple[str, int]] = field(default_factory=list)    # (path, status)
    failures: dict[str, int] = field(default_factory=dict)      # path -> 503s still to give
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def requested(self, path: str) -> list[int]:
        return [status for p, status in self.log if p == path]

    def downloads(self) -> list[str]:
        """Paths answered with a body (200), robots.txt aside."""
        return [p for p, status in self.log if status == 200 and p != "/robots.txt"]


def build_pages() -> dict[str, tuple[bytes, str]]:
    html_type = "text/html; charset=utf-8"
    pages = {
        "/robots.txt": (b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/col/index.html": (_list_page([
            ("a-utf8.html", _title(PLACES["/col/a-utf8.html"])),
            ("a-gbk.html", _title(PLACES["/col/a-gbk.html"])),
            ("/private/hidden.html", _title("遂昌县")),
            ("news.html", "县政府召开常务会议"),
        ]), html_type),
        "/col/index_1.html": (_list_page([
            ("with-docx.html", _title(PLACES["/files/report.docx"])),
            ("with-pdf.html", _title(PLACES["/files/report.pdf"])),
            ("flaky.html", _title(PLACES["/col/flaky.html"])),
        ], extra='<a href="index_2.html">下一页</a>'), html_type),
        "/col/index_2.html": (_list_page([
            ("slow.html", _title("缙云县")),
            ("big.html", _title("武义县")),
            ("old.html", _title(PLACES["/col/new/moved.html"])),
        ]), html_type),
        "/col/a-utf8.html": (article_page(PLACES["/col/a-utf8.html"]), html_type),
        "/col/a-gbk.html": (article_page(PLACES["/col/a-gbk.html"], "gbk"),
                            "text/html; charset=gbk"),
        "/col/flaky.html": (article_page(PLACES["/col/flaky.html"]), html_type),
        "/col/new/moved.html": (article_page(PLACES["/col/new/moved.html"]), html_type),
        "/col/with-docx.html": (article_page(PLACES["/files/report.docx"],
                                             attachment="/files/report.docx"), html_type),
        "/col/with-pdf.html": (article_page(PLACES["/files/report.pdf"],
                                            attachment="/files/report.pdf"), html_type),
        "/col/news.html": (article_page("新闻"), html_type),
        "/private/hidden.html": (article_page("遂昌县"), html_type),
        "/files/report.docx": (_docx(PLACES["/files/report.docx"]),
                               "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    }
    font = fx.cjk_font()
    if font is not None:
        pages["/files/report.pdf"] = (fx.report_pdf(font), "application/pdf")
    return pages


class Handler(BaseHTTPRequestHandler):
    portal: Portal

    def log_message(self, *args):       # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.portal.log.append((self.path, status))
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (headers or {}) and status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        portal, path = self.portal, self.path.split("?")[0]
        if portal.failures.get(path, 0) > 0:
            portal.failures[path] -= 1
            return self._send(503, b"busy")
        if path == "/col/slow.html":
            portal.log.append((path, 0))
            time.sleep(SLOW_SECONDS)
            return
        if path == "/col/big.html":
            portal.log.append((path, 200))
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()        # no Content-Length: the size shows only while reading
            try:
                for _ in range(BIG_BYTES // 10_000):
                    self.wfile.write(b"<p>" + b"x" * 9_993 + b"</p>\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if path == "/col/old.html":
            return self._send(301, headers={"Location": "/col/new/moved.html"})
        if path not in portal.pages:
            return self._send(404, b"not found")
        body, ctype = portal.pages[path]
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = "Tue, 05 Mar 2024 01:30:00 GMT"
        # HTML answers with an ETag, files with Last-Modified, as portals' servers do.
        if path.startswith("/files/"):
            if self.headers.get("If-Modified-Since") == modified:
                return self._send(304)
            return self._send(200, body, {"Content-Type": ctype, "Last-Modified": modified})
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, headers={"ETag": etag})
        return self._send(200, body, {"Content-Type": ctype, "ETag": etag})


def start() -> tuple[Portal, ThreadingHTTPServer, threading.Thread]:
    portal = Portal(pages=build_pages(), failures={"/col/flaky.html": 2})
    handler = type("PortalHandler", (Handler,), {"portal": portal})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    portal.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return portal, server, thread
