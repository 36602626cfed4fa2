"""`reportsearch fetch` against a fake portal on 127.0.0.1 (tests/portal.py): a column of
three list pages, UTF-8 and GBK articles, .docx and .pdf attachments, robots.txt, a flaky
page, a slow one, a too large one, a redirect; re-runs, an interrupted run, and the fetched
folder indexed with each report's URL in its citations."""
from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import pytest
import yaml

from tests import portal as fake

TEST_FETCH = {"interval_seconds": 0.01, "timeout_seconds": 0.5, "response_seconds": 5,
              "retries": 2, "backoff_seconds": 0.01, "max_response_bytes": 200_000}


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch):
    """Every connection the code under test opens goes to 127.0.0.1."""
    targets = []
    real = socket.socket.connect

    def connect(self, address):
        targets.append(address[0] if isinstance(address, tuple) else address)
        return real(self, address)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield targets
    assert set(targets) <= {"127.0.0.1"}, targets


@pytest.fixture()
def portal():
    site, server, thread = fake.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture()
def config_file(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"fetch": TEST_FETCH, "index_dir": "index"},
                                   allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture()
def config(config_file):
    from index.config import load_config
    return load_config(config_file)


def run(*argv) -> int:
    from web.cli import main
    return main([str(a) for a in argv])


def manifest(folder: Path) -> dict[str, dict]:
    text = (folder / "manifest.csv").read_text(encoding="utf-8-sig")
    return {row["file"]: row for row in csv.DictReader(io.StringIO(text))}


def by_url(folder: Path) -> dict[str, str]:
    """url -> file name, from the manifest."""
    return {row["url"]: name for name, row in manifest(folder).items()}


def test_a_column_is_followed_and_each_report_saved_as_received(portal, config_file, tmp_path,
                                                                capsys):
    folder = tmp_path / "reports"
    code = run("fetch", "--column", portal.url("/col/index.html"), "--to", folder,
               "--config", config_file)
    out = capsys.readouterr().out
    assert code == 1, "the slow and the too large page failed"
    # all three list pages read; the guessed index_3.html (404) ends the column quietly
    assert [p for p, _ in portal.log if p.startswith("/col/index")] == \
        ["/col/index.html", "/col/index_1.html", "/col/index_2.html", "/col/index_3.html"]
    assert "index_3" not in out

    saved = by_url(folder)
    pages = portal.pages
    for path in ("/col/a-utf8.html", "/col/a-gbk.html", "/files/report.docx", "/col/flaky.html"):
        assert (folder / saved[portal.url(path)]).read_bytes() == pages[path][0], path
    assert b'<meta charset="gbk">' in (folder / saved[portal.url("/col/a-gbk.html")]).read_bytes()
    if "/files/report.pdf" in pages:
        assert (folder / saved[portal.url("/files/report.pdf")]).read_bytes() == \
            pages["/files/report.pdf"][0]
    # attachments name the page they were linked from, every row its list page
    rows = manifest(folder)
    docx_row = rows[saved[portal.url("/files/report.docx")]]
    assert docx_row["page"] == portal.url("/col/with-docx.html")
    assert docx_row["list_page"] == portal.url("/col/index_1.html")
    assert all(row["fetched_at"] for row in rows.values())
    # a page that only links to its attachment is kept aside, not among the reports
    assert not any("with-docx" in name for name in rows)
    assert any(p.name.startswith("with-docx") for p in (folder / ".pages").iterdir())

    # the redirect is followed and the report filed under the address it ended at
    assert portal.url("/col/new/moved.html") in saved
    # robots.txt: the disallowed report is never asked for, and the summary says why
    assert portal.requested("/private/hidden.html") == []
    assert "robots.txt 不允许" in out
    # 503 twice, then the page
    assert portal.requested("/col/flaky.html") == [503, 503, 200]
    # too slow: tried 3 times, then failed; too large: stopped, not retried, not saved
    assert len(portal.requested("/col/slow.html")) == 3
    assert "超时" in out and "响应过大" in out
    assert portal.url("/col/big.html") not in saved
    assert "新增 6，更新 0，未变 0，失败 3" in out
    # the non-matching news item of the column is not fetched
    assert portal.requested("/col/news.html") == []


def test_a_second_run_downloads_nothing_unchanged(portal, config_file, tmp_path, capsys):
    folder = tmp_path / "reports"
    run("fetch", "--column", portal.url("/col/index.html"), "--to", folder, "--config", config_file)
    before = {p: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}
    portal.log.clear()
    capsys.readouterr()
    run("fetch", "--column", portal.url("/col/index.html"), "--to", folder, "--config", config_file)
    out = capsys.readouterr().out
    # only the page that failed for its size is asked for in full again
    assert set(portal.downloads()) == {"/col/big.html"}
    assert 304 in [s for _, s in portal.log]
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()
            if p.name != "manifest.csv"} == {p: t for p, t in before.items()
                                            if p.name != "manifest.csv"}
    assert "新增 0，更新 0，未变 6，失败 3" in out


def test_a_changed_page_is_fetched_again(portal, config, tmp_path):
    from index.fetch import UPDATED, fetch_reports

    folder = tmp_path / "reports"
    url = portal.url("/col/a-utf8.html")
    fetch_reports([url], folder, config)
    body, ctype = portal.pages["/col/a-utf8.html"]
    changed = body.replace("松阳县司法局".encode(), "松阳县人民政府办公室".encode())
    portal.pages["/col/a-utf8.html"] = (changed, ctype)
    summary = fetch_reports([url], folder, config)
    assert [o.status for o in summary.outcomes] == [UPDATED]
    assert (folder / by_url(folder)[url]).read_bytes() == changed


def test_an_interrupted_run_goes_on_where_it_stopped(portal, config, tmp_path):
    from index.fetch import fetch_column

    folder = tmp_path / "reports"
    column = portal.url("/col/index.html")
    fetched = []

    def stop_after_two(done, total, url):
        fetched.append(url)
        if done == 2:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        fetch_column(column, folder, config, progress=stop_after_two)
    assert len(fetched) == 2 and len(by_url(folder)) == 2
    portal.log.clear()

    summary = fetch_column(column, folder, config)
    assert summary.resumed
    asked = {p for p, _ in portal.log}
    for url in fetched:
        assert url.removeprefix(portal.base) not in asked, "finished before the interruption"
    assert not any(p.startswith("/col/index") for p in asked), "list pages read before"
    assert portal.url("/col/flaky.html") in by_url(folder)
    # a run after a completed one is a new run again
    assert not fetch_column(column, folder, config).resumed


def test_urls_from_a_file_and_bad_addresses(portal, config_file, tmp_path, capsys):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# 报告网址\n{portal.url('/col/a-gbk.html')}\n\nftp://example.org/a.html\n"
                       f"{portal.url('/col/missing.html')}\n{portal.url('/files/report.docx')}\n",
                       encoding="utf-8")
    folder = tmp_path / "reports"
    code = run("fetch", portal.url("/col/a-utf8.html"), "--from-file", listing, "--to", folder,
               "--config", config_file, "--json")
    result = json.loads(capsys.readouterr().out)[0]
    assert code == 1
    reasons = {o["url"]: (o["status"], o["reason"]) for o in result["outcomes"]}
    assert reasons["ftp://example.org/a.html"][0] == "失败"
    assert "http://" in reasons["ftp://example.org/a.html"][1]
    assert reasons[portal.url("/col/missing.html")] == ("失败", "页面不存在（HTTP 404）")
    assert portal.requested("/col/missing.html") == [404], "no retry on a 4xx"
    saved = by_url(folder)
    assert set(saved) == {portal.url("/col/a-utf8.html"), portal.url("/col/a-gbk.html"),
                          portal.url("/files/report.docx")}
    # the address of a Word file is saved as that file, not as a web page
    docx = folder / saved[portal.url("/files/report.docx")]
    assert docx.suffix == ".docx" and docx.read_bytes() == portal.pages["/files/report.docx"][0]


def test_usage_errors_are_chinese(config_file, capsys):
    assert run("fetch", "--config", config_file) == 2
    assert "没有要抓取的网址" in capsys.readouterr().err
    assert run("fetch", "--column", "http://127.0.0.1:9/", "--match", "(", "--config",
               config_file) == 2
    assert "正则表达式" in capsys.readouterr().err


def test_the_fetched_folder_indexes_and_citations_carry_the_urls(portal, config_file, config,
                                                                tmp_path, capsys):
    from searcher import open_searcher

    folder = tmp_path / "reports"
    run("fetch", "--column", portal.url("/col/index.html"), "--to", folder, "--config", config_file)
    capsys.readouterr()
    assert run("index", folder, "--config", config_file) == 0, capsys.readouterr().err
    searcher = open_searcher(config["index_dir"], config)
    reports = searcher.reports()
    assert len(reports) == len(manifest(folder))
    urls = {name: row["url"] for name, row in manifest(folder).items()}
    for path, place in fake.PLACES.items():
        if path not in portal.pages:
            continue                            # no CJK font: no PDF
        result = searcher.search(f'"{place}人民政府关于"', limit=50)
        assert result["hits"], place
        for hit in result["hits"]:
            file = Path(searcher.report(hit["report_id"])["file"]).name
            assert urls[file] in hit["citation"], (place, hit["citation"])
    # the GBK page's text comes back in its own characters
    gbk = fake.report_lines(fake.PLACES["/col/a-gbk.html"])
    texts = {p["text"] for r in reports if "a-gbk" in r["file"]
             for p in searcher.report(r["report_id"])["paragraphs"]}
    assert gbk[1] in texts


def test_a_site_whose_robots_txt_cannot_be_read_is_not_fetched(portal, config, tmp_path):
    from index.fetch import FAILED, fetch_reports

    portal.failures["/robots.txt"] = 99
    summary = fetch_reports([portal.url("/col/a-utf8.html")], tmp_path / "reports", config)
    assert [o.status for o in summary.outcomes] == [FAILED]
    assert "robots.txt" in summary.outcomes[0].reason
    assert portal.requested("/col/a-utf8.html") == []


def test_pages_limits_the_list_pages_read(portal, config_file, tmp_path, capsys):
    folder = tmp_path / "reports"
    run("fetch", "--column", portal.url("/col/index.html"), "--pages", 1, "--to", folder,
        "--config", config_file)
    assert [p for p, _ in portal.log if p.startswith("/col/index")] == ["/col/index.html"]
    assert set(by_url(folder)) == {portal.url("/col/a-utf8.html"), portal.url("/col/a-gbk.html")}
    assert "读了 1 个列表页" in capsys.readouterr().out
