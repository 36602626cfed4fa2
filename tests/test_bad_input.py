"""Bad input on the ingest side: what a user sees when a folder holds files that are not
what they look like. Every file is created here, in tmp_path."""
from __future__ import annotations

import io
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fixtures_formats import BODY, PORTAL_META, TITLE, numbered_docx, portal_html, report_lines
from index.config import load_config
from index.model import IngestError
from index.normalize import display_form
from index.pipeline import read_report
from web.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOOD = sorted(SEEDS.glob("*.txt"))
GBK_NAME = "报告.txt".encode("gbk")          # b"\xb1\xa8\xb8\xe6.txt"
GBK_SHOWN = r"\xb1\xa8\xb8\xe6.txt"
# Generous: these runs take a second or two; a hang (a FIFO opened, a bomb unpacked) is
# minutes or forever.
TIMEOUT = 120


def reportsearch(*args, timeout=TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "web.cli", *map(str, args)],
                          capture_output=True, timeout=timeout,
                          cwd=Path(__file__).resolve().parent.parent)


def texts(report) -> list[str]:
    return [p.text for p in report.paragraphs]


# ---------------------------------------------------------------- names that are not UTF-8

@pytest.fixture
def folder_with_gbk_name(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in GOOD[:2]:
        shutil.copy(seed, corpus)
    with open(os.path.join(os.fsencode(str(corpus)), GBK_NAME), "wb") as f:
        f.write(GOOD[2].read_bytes())
    return corpus


def test_index_goes_on_past_a_file_name_that_is_not_utf8(folder_with_gbk_name, tmp_path):
    done = reportsearch("index", folder_with_gbk_name, "--index-dir", tmp_path / "ix")
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in err and "UnicodeEncodeError" not in err
    assert done.returncode == 1                 # like any other file that could not be read
    assert "新增 2" in out and "失败 1" in out
    [line] = [ln for ln in err.splitlines() if GBK_SHOWN in ln]
    assert "请改名" in line and "报告.txt" in line   # the GBK reading, to help renaming


def test_inspect_shows_a_name_that_is_not_utf8_escaped(folder_with_gbk_name):
    bad = os.path.join(os.fsencode(str(folder_with_gbk_name)), GBK_NAME)
    done = subprocess.run([sys.executable, "-m", "web.cli", "inspect", bad],
                          capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert GBK_SHOWN in done.stdout.decode("utf-8")
    done = reportsearch("inspect", folder_with_gbk_name, "--json")
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    results = json.loads(done.stdout.decode("utf-8"))
    assert [r["file"].endswith(GBK_SHOWN) for r in results].count(True) == 1
    assert sum("error" not in r for r in results) == 2


# ---------------------------------------------------------------- not regular files

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and Unix sockets")
def test_fifo_socket_and_device_named_like_reports_are_skipped(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(GOOD[0], corpus)
    os.mkfifo(corpus / "x.txt")                   # opening it for reading blocks forever
    os.symlink("/dev/zero", corpus / "zero.txt")  # reading it never ends
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(corpus / "s.txt"))
    try:
        done = reportsearch("index", corpus, "--index-dir", tmp_path / "ix")
    finally:
        server.close()
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "新增 1" in out and "失败 3" in out and "Traceback" not in err
    for name, kind in (("x.txt", "命名管道"), ("zero.txt", "字符设备"), ("s.txt", "套接字")):
        [line] = [ln for ln in err.splitlines() if f"/{name}:" in ln]
        assert kind in line and "不是普通文件" in line


def test_symlink_loop_is_reported_as_a_loop(tmp_path):
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("gone.txt", tmp_path / "dangling.txt")
    with pytest.raises(IngestError) as loop:
        read_report(tmp_path / "a.txt")
    assert "符号链接循环" in str(loop.value) and "不存在" not in str(loop.value)
    with pytest.raises(IngestError, match="符号链接指向的文件不存在"):
        read_report(tmp_path / "dangling.txt")


# ---------------------------------------------------------------- zip bombs

DOCUMENT = "word/document.xml"


def docx_bomb(unpacked_bytes: int) -> bytes:
    """A real Word file whose document.xml unpacks to `unpacked_bytes` of repeated paragraphs
    (about 1 MB on disk for 300 MB), written in chunks so the test itself stays small."""
    source = zipfile.ZipFile(io.BytesIO(numbered_docx()))
    out = io.BytesIO()
    run = "<w:p><w:r><w:t>法治政府建设</w:t></w:r></w:p>".encode() * 20000
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename != DOCUMENT:
                z.writestr(info, source.read(info))
                continue
            with z.open(DOCUMENT, "w") as f:
                f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                        b'wordprocessingml/2006/main"><w:body>')
                for _ in range(unpacked_bytes // len(run) + 1):
                    f.write(run)
                f.write(b"</w:body></w:document>")
    return out.getvalue()


def understate(data: bytes, name: str, size: int) -> bytes:
    """`data` with the uncompressed size of member `name` rewritten as `size` in both the
    local and the central header (the data and its CRC are left as they are)."""
    data, raw, at = bytearray(data), name.encode(), 0
    while (at := data.find(raw, at)) != -1:
        if data[at - 46:at - 42] == b"PK\x01\x02":
            struct.pack_into("<I", data, at - 46 + 24, size)
        if data[at - 30:at - 26] == b"PK\x03\x04":
            struct.pack_into("<I", data, at - 30 + 22, size)
        at += 1
    return bytes(data)


# Run in a child process so its peak memory is its own, and a runaway unpack hits the timeout.
PROBE = """
import json, resource, sys
from index.model import IngestError
from index.pipeline import read_report
try:
    read_report(sys.argv[1]); error = None
except IngestError as exc:
    error = str(exc)
print(json.dumps({"error": error, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def probe(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True,
                          timeout=TIMEOUT, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_docx_that_unpacks_to_300_mb_is_refused_fast_in_little_memory(tmp_path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bomb(300 * 1048576))
    assert bomb.stat().st_size < 2 * 1048576
    result = probe(bomb)
    assert result["error"] and "解压后" in result["error"] and "上限" in result["error"]
    assert "max_unzipped_part_bytes" in result["error"]    # says which setting to raise
    assert result["rss_mb"] < 300                          # the XML alone would be 300 MB


def test_docx_whose_header_understates_a_size_is_refused(tmp_path):
    liar = tmp_path / "liar.docx"
    liar.write_bytes(understate(docx_bomb(300 * 1048576), DOCUMENT, 5000))
    result = probe(liar)
    assert result["error"] and "文件头记载" in result["error"]
    assert result["rss_mb"] < 300


def test_docx_limits_are_settings_in_the_config(tmp_path):
    report = tmp_path / "report.docx"
    report.write_bytes(numbered_docx())
    assert read_report(report).paragraphs                  # the defaults admit a real report
    for key in ("max_unzipped_part_bytes", "max_unzipped_total_bytes"):
        user = tmp_path / f"{key}.yaml"
        user.write_text(f"ingest:\n  {key}: 4096\n", encoding="utf-8")
        with pytest.raises(IngestError, match=f"ingest.{key}"):
            read_report(report, load_config(user))


# ---------------------------------------------------------------- control characters

def seed_and_dirty(tmp_path, edit) -> tuple[list[str], list[str]]:
    """Paragraph texts of a seed report and of the same report with `edit` applied."""
    text = GOOD[0].read_text(encoding="utf-8")
    clean, dirty = tmp_path / "clean.txt", tmp_path / "dirty.txt"
    clean.write_text(text, encoding="utf-8")
    dirty.write_text(edit(text), encoding="utf-8")
    return texts(read_report(clean)), texts(read_report(dirty))


def long_body_line(text: str) -> str:
    return next(ln for ln in text.splitlines() if len(ln) > 80 and ln.endswith("。"))


def test_control_characters_are_removed_from_txt_paragraphs(tmp_path):
    def edit(text):
        line = long_body_line(text)
        return text.replace(line, line[:10] + "\x01" + line[10:20] + "\x7f\x1b" + line[20:], 1)

    clean, dirty = seed_and_dirty(tmp_path, edit)
    assert dirty == clean
    assert not any(c in p for p in dirty for c in "\x01\x7f\x1b")


@pytest.mark.parametrize("soft", ["\x0b", "\x0c", "\x85", "\u2028", "\x1e"])
def test_soft_line_breaks_do_not_split_a_sentence_in_txt(tmp_path, soft):
    def edit(text):
        line = long_body_line(text)
        return text.replace(line, line[:30] + soft + line[30:], 1)

    clean, dirty = seed_and_dirty(tmp_path, edit)
    assert dirty == clean


def test_word_manual_line_break_after_a_sentence_ends_the_paragraph(tmp_path):
    def edit(text):
        line = long_body_line(text)
        after = text[text.index(line) + len(line):]
        gap = after[:len(after) - len(after.lstrip("\n"))]
        return text.replace(line + gap, line + "\x0b", 1)   # "。\x0b" + the next paragraph

    clean, dirty = seed_and_dirty(tmp_path, edit)
    assert dirty == clean


def test_paragraph_separator_always_ends_a_paragraph(tmp_path):
    def edit(text):
        line = long_body_line(text)
        return text.replace(line, line[:30] + "\u2029" + line[30:], 1)

    clean, dirty = seed_and_dirty(tmp_path, edit)
    assert len(dirty) == len(clean) + 1


def word_file(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_control_characters_in_docx_are_removed_and_do_not_split(tmp_path):
    # XML admits C1 controls and U+2028 (not \x01 or \x0b), so Word files can carry these.
    body = BODY[0]
    dirty_body = body[:10] + "\x9f" + body[10:20] + "\u2028" + body[20:30] + "\x85" + body[30:]
    lines = report_lines(with_table=False)
    clean, dirty = tmp_path / "clean.docx", tmp_path / "dirty.docx"
    clean.write_bytes(word_file(lines))
    dirty.write_bytes(word_file([dirty_body if ln == body else ln for ln in lines]))
    got = texts(read_report(dirty))
    assert got == texts(read_report(clean))
    assert display_form(body) in got


def test_control_characters_in_html_text_and_title_are_removed(tmp_path):
    body = BODY[0]
    page = portal_html(meta={**PORTAL_META, "ArticleTitle": TITLE[:6] + "\x01" + TITLE[6:]})
    page = page.replace(body.encode(), (body[:10] + "\x01\x0b" + body[10:]).encode())
    clean, dirty = tmp_path / "clean.html", tmp_path / "dirty.html"
    clean.write_bytes(portal_html())
    dirty.write_bytes(page)
    report = read_report(dirty)
    assert texts(report) == texts(read_report(clean))
    assert report.meta.title == display_form(TITLE)


# ---------------------------------------------------------------- UTF-16 without BOM

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_like_utf8(tmp_path, encoding):
    text = GOOD[0].read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(text.encode(encoding))
    assert not utf16.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    assert texts(read_report(utf16)) == texts(read_report(GOOD[0]))


def test_binary_data_is_still_refused_as_binary(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(random.Random(9).randbytes(20000))
    with pytest.raises(IngestError, match="二进制"):
        read_report(junk)


# ---------------------------------------------------------------- inspect on no files

def test_inspect_on_paths_that_hold_no_report_says_so_and_exits_1(tmp_path, capsys):
    folder = tmp_path / "some_dir.txt"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert main(["inspect", f"{folder}/"]) == 1
    captured = capsys.readouterr()
    assert "没有可读取的报告文件" in captured.err and "some_dir.txt" in captured.err
    assert captured.out == ""
    assert main(["inspect", "--json", str(folder)]) == 1
    assert capsys.readouterr().out == ""
