"""The 添加报告 page and its API: uploads and pasted URLs saved into the corpus folder and
indexed in the background; who may upload (loopback, the switch, same-origin POSTs); and a
real Chromium uploading two files and finding their text by search."""
from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests import portal as fake
from tests.test_fetch import TEST_FETCH

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ORIGIN = {"Origin": "http://localhost"}
PLACE_TXT, PLACE_DOCX = "泰顺县", "文成县"


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch):
    """Every connection opened in this process goes to 127.0.0.1."""
    targets = []
    real = socket.socket.connect

    def connect(self, address):
        targets.append(address[0] if isinstance(address, tuple) else address)
        return real(self, address)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield
    assert set(targets) <= {"127.0.0.1"}, targets


def make_config(tmp_path, **fetch) -> dict:
    """A corpus of one seed, indexed, and the fetch settings of the tests."""
    from index.config import load_config
    from index.writer import update_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(seed, corpus / seed.name)
    config = load_config()
    config["corpus"] = [str(corpus)]
    config["index_dir"] = str(tmp_path / "index")
    config["fetch"] = {**config["fetch"], **TEST_FETCH, **fetch}
    config["web"] = {**config["web"], "reload_seconds": 0}
    update_index(config["corpus"], config["index_dir"], config)
    return config


@pytest.fixture()
def config(tmp_path):
    return make_config(tmp_path)


@pytest.fixture()
def client(config):
    from web.app import create_app
    return create_app(config).test_client()


def report_txt(place: str) -> bytes:
    return "\n".join(fake.report_lines(place)).encode("utf-8")


def report_docx(place: str) -> bytes:
    return fake._docx(place)


def wait_for(client, job: dict, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = client.get(job["status_url"]).get_json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"job did not finish: {status}")


def hits(client, query: str) -> list[dict]:
    return client.get("/api/search", query_string={"q": query}).get_json()["hits"]


def test_uploaded_files_are_saved_indexed_and_found(client, config):
    assert not hits(client, f'"{PLACE_TXT}人民政府关于"')
    response = client.post("/api/upload", headers=ORIGIN, data={
        "files": [(io.BytesIO(report_txt(PLACE_TXT)), f"{PLACE_TXT}2023年报告.txt"),
                  (io.BytesIO(report_docx(PLACE_DOCX)), "wencheng.docx"),
                  (io.BytesIO(b"MZ\x90\x00"), "setup.exe"),
                  (io.BytesIO(b"x" * (config["fetch"]["upload_max_file_bytes"] + 1)), "big.txt"),
                  (io.BytesIO(b"   "), "empty.txt")],
        "urls": "ftp://example.org/report.html"})
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    reasons = {f["name"]: f["reason"] for f in job["failed"]}
    assert "不支持的文件类型" in reasons["setup.exe"]
    assert "文件过大" in reasons["big.txt"]
    assert "空" in reasons["empty.txt"]
    assert "http://" in reasons["ftp://example.org/report.html"]
    status = wait_for(client, job)
    assert status["state"] == "done", status
    assert status["indexed"]["added"] == 2
    folder = Path(config["corpus"][0])
    assert (folder / f"{PLACE_TXT}2023年报告.txt").read_bytes() == report_txt(PLACE_TXT)
    for place in (PLACE_TXT, PLACE_DOCX):
        found = hits(client, f'"{place}人民政府关于"')
        assert found, place
    ids = {a["name"]: a["report_id"] for a in status["added"]}
    assert client.get(f"/reports/{ids['wencheng.docx']}").status_code == 200


def test_an_upload_never_overwrites_a_file_of_the_same_name(client, config):
    folder = Path(config["corpus"][0])
    for place in (PLACE_TXT, PLACE_DOCX):
        job = client.post("/api/upload", headers=ORIGIN, data={
            "files": [(io.BytesIO(report_txt(place)), "report.txt")]}).get_json()
        assert wait_for(client, job)["state"] == "done"
    assert (folder / "report.txt").read_bytes() == report_txt(PLACE_TXT)
    assert (folder / "report-1.txt").read_bytes() == report_txt(PLACE_DOCX)


def test_pasted_urls_are_fetched_indexed_and_cited_with_their_url(client, config):
    site, server, _thread = fake.start()
    try:
        url = site.url("/col/a-gbk.html")
        job = client.post("/api/upload", headers=ORIGIN, data={"urls": url}).get_json()
        status = wait_for(client, job)
    finally:
        server.shutdown()
        server.server_close()
    assert status["state"] == "done", status
    assert [a["name"] for a in status["added"]] == [url]
    found = hits(client, f'"{fake.PLACES["/col/a-gbk.html"]}人民政府关于"')
    assert found and all(url in h["citation"] for h in found)


def test_other_sites_cannot_post(client):
    data = {"urls": "http://127.0.0.1:9/a.html"}
    for headers in ({}, {"Origin": "http://evil.example"}, {"Referer": "http://evil.example/x"},
                    {**ORIGIN, "Sec-Fetch-Site": "cross-site"}):
        response = client.post("/api/upload", headers=headers, data=data)
        assert response.status_code == 403, headers
        assert "本站" in response.get_json()["error"]
    # a page that rebinds its own name to 127.0.0.1 (DNS rebinding) sends its own Host
    response = client.post("/api/upload", headers={"Origin": "http://evil.example"},
                           base_url="http://evil.example", data=data)
    assert response.status_code == 403
    assert "127.0.0.1" in response.get_json()["error"]
    # the same page's Referer is enough without Origin
    assert client.post("/api/upload", headers={"Referer": "http://localhost/upload"},
                       data={}).status_code == 400


def test_upload_is_off_on_a_public_address_unless_enabled(tmp_path):
    from web.app import create_app

    config = make_config(tmp_path)
    config["web"]["host"] = "0.0.0.0"
    client = create_app(config).test_client()
    page = client.get("/upload").get_data(as_text=True)
    assert "upload-off" in page and "fetch.upload_enabled" in page
    assert 'id="upload-form"' not in page
    response = client.post("/api/upload", headers=ORIGIN,
                           data={"files": [(io.BytesIO(b"x"), "a.txt")]})
    assert response.status_code == 403
    assert not (Path(config["corpus"][0]) / "a.txt").exists()

    config["fetch"]["upload_enabled"] = True
    page = create_app(config).test_client().get("/upload").get_data(as_text=True)
    assert 'id="upload-form"' in page

    config["web"]["host"] = "127.0.0.1"
    config["fetch"]["upload_enabled"] = False
    page = create_app(config).test_client().get("/upload").get_data(as_text=True)
    assert "upload-off" in page


def test_too_large_an_upload_is_refused_in_chinese(tmp_path):
    from web.app import create_app

    config = make_config(tmp_path, upload_max_total_bytes=1024)
    client = create_app(config).test_client()
    response = client.post("/api/upload", headers=ORIGIN, data={
        "files": [(io.BytesIO(b"x" * 3 * 1048576), "a.txt")]})
    assert response.status_code == 413
    assert "合计不能超过" in response.get_json()["error"]


def test_an_unknown_job_is_a_404(client):
    assert client.get("/api/upload/jobs/0123456789abcdef").status_code == 404
    assert client.get("/api/upload/jobs/..%2Fstate").status_code == 404


# ---------------------------------------------------------------- in Chromium

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason=f"{CHROMIUM} is not installed")
def test_browser_uploads_two_files_and_finds_them_by_search(tmp_path):
    import waitress
    from playwright.sync_api import sync_playwright

    from tests.test_browser import ARGS
    from web.app import create_app

    config = make_config(tmp_path)
    server = waitress.create_server(create_app(config), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(60_000)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/")
            page.get_by_role("link", name="添加报告").click()
            page.wait_for_url(base + "/upload")
            page.set_input_files("#upload-files", [
                {"name": f"{PLACE_TXT}.txt", "mimeType": "text/plain",
                 "buffer": report_txt(PLACE_TXT)},
                {"name": f"{PLACE_DOCX}.docx", "buffer": report_docx(PLACE_DOCX),
                 "mimeType": "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document"}])
            page.click("#upload-go")
            page.wait_for_selector("#upload-state:has-text('现在可以检索')")
            added = page.locator("#upload-added li").all_inner_texts()
            assert sorted(added) == sorted([f"{PLACE_TXT}.txt", f"{PLACE_DOCX}.docx"])
            assert page.locator("#upload-failed").is_hidden()
            for place in (PLACE_TXT, PLACE_DOCX):
                page.goto(f"{base}/?q={place}人民政府关于")
                page.wait_for_selector(".hit")
                assert place in page.locator(".hit").first.inner_text()
            browser.close()
            assert not errors, errors
    finally:
        server.close()
        thread.join(timeout=5)


def test_an_uploaded_name_cannot_leave_the_folder(client, config, tmp_path):
    folder = Path(config["corpus"][0])
    job = client.post("/api/upload", headers=ORIGIN, data={
        "files": [(io.BytesIO(report_txt(PLACE_TXT)), "../../outside.txt")]}).get_json()
    assert wait_for(client, job)["state"] == "done"
    assert (folder / "outside.txt").read_bytes() == report_txt(PLACE_TXT)
    assert not (tmp_path / "outside.txt").exists()
    assert not (folder.parent.parent / "outside.txt").exists()
