"""The whole ingest stage, as `reportsearch inspect` users see it: seeds, encodings, bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import opencc
import pytest

from index.model import SECTIONS, IngestError
from index.pipeline import read_report, report_id_for
from web.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(prefix + "_*.txt"))


# What a reader of each seed finds in it (see the "Done when").
EXPECTED = {
    "000": dict(place="大通区", province="安徽", city="淮南", level="县级", year=2023,
                published="2024-03-29"),
    "001": dict(place="两路街道", province="重庆", city=None, level="乡镇级", year=2023,
                published="2024-03-15", dated="2024-01-19"),
    "002": dict(place="瑞安市", province="浙江", city="温州", level="县级", year=2019,
                published="2020-03-23"),
    "003": dict(place="天宁区", province="江苏", city="常州", level="县级", year=2024,
                published=None, dated="2025-02-21", title_derived=True),
    "004": dict(place="滨海镇", province="浙江", city="台州", level="乡镇级", year=2022),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata(prefix):
    report = read_report(seed(prefix))
    m, want = report.meta, EXPECTED[prefix]
    assert want["place"] in (m.issuer or "")
    for key in ("province", "city", "level", "year", "published"):
        assert getattr(m, key) == want.get(key), key
    if "dated" in want:
        assert m.dated == want["dated"]
    assert m.title_derived == want.get("title_derived", False)
    assert m.title and want["place"] in m.title and str(want["year"]) in m.title


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_paragraphs_keep_every_body_line(prefix):
    report = read_report(seed(prefix))
    assert [p.ordinal for p in report.paragraphs] == list(range(1, len(report.paragraphs) + 1))
    assert all(p.id == f"{report.report_id}-p{p.ordinal}" for p in report.paragraphs)
    assert all(p.section in SECTIONS for p in report.paragraphs)
    # every sentence of the body is somewhere in the paragraphs
    raw = seed(prefix).read_text(encoding="utf-8")
    text = "\n".join(p.text for p in report.paragraphs)
    for sentence in ("坚持以习近平新时代中国特色社会主义思想为指导", "法治"):
        assert (sentence in raw) == (sentence in text)
    sections = {p.section for p in report.paragraphs}
    assert "主要举措和成效" in sections


def test_report_id_is_stable_and_safe(tmp_path):
    assert report_id_for(seed("000")) == seed("000").stem
    chinese = tmp_path / "大通区2023年报告.txt"
    assert report_id_for(chinese) == report_id_for(tmp_path / "other" / "大通区2023年报告.txt")
    assert report_id_for(chinese).isascii()


def _write(tmp_path, name, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_gb18030_and_big5_reports_decode(tmp_path):
    text = seed("002").read_text(encoding="utf-8")
    gbk = _write(tmp_path, "gbk.txt", text.encode("gb18030"))
    assert read_report(gbk).meta.year == read_report(seed("002")).meta.year

    traditional = opencc.OpenCC("s2t").convert(text)
    big5 = _write(tmp_path, "big5.txt", traditional.encode("big5", errors="ignore"))
    report = read_report(big5)
    assert report.traditional
    assert report.meta.province == "浙江" and report.meta.year == 2019
    # users see the report's own characters, in the paragraphs and in the title
    assert any("報告" in p.text or "建設" in p.text for p in report.paragraphs)
    assert "報告" in report.meta.title


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "空"),
    ("blank.txt", b"  \n\r\n\t\n", "空"),
    ("binary.txt", bytes(range(256)) * 40, "二进制"),
    ("truncated.txt", ("法治政府建设年度报告。" * 20).encode("utf-8")[:-1], "截断"),
    ("stub.txt", "您当前的位置:首页 > 内容\n打印本页 关闭窗口\n".encode("utf-8"), "正文"),
    ("latin.txt", b"This is not a report at all.\n" * 20, "正文"),
])
def test_bad_files_give_one_clear_error(tmp_path, name, data, reason):
    path = _write(tmp_path, name, data)
    with pytest.raises(IngestError) as info:
        read_report(path)
    message = str(info.value)
    assert reason in message and "\n" not in message


def test_missing_and_huge_files(tmp_path):
    with pytest.raises(IngestError, match="不存在"):
        read_report(tmp_path / "nope.txt")
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:           # sparse: 50 MB without writing 50 MB
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(IngestError, match="过大"):
        read_report(huge)


def test_sidecar_wins_over_extraction(tmp_path):
    path = _write(tmp_path, "r.txt", seed("003").read_bytes())
    (tmp_path / "r.yaml").write_text(
        "title: 某区2024年法治政府建设年度报告\nyear: 2024\nurl: https://example.gov.cn/a.html\n"
        "city: 某市\n", encoding="utf-8")
    report = read_report(path)
    assert report.meta.title == "某区2024年法治政府建设年度报告"
    assert report.meta.title_derived is False
    assert report.meta.url == "https://example.gov.cn/a.html"
    assert report.meta.city == "某市"
    assert report.meta.province == read_report(seed("003")).meta.province


def test_bad_sidecar_is_a_clear_error(tmp_path):
    path = _write(tmp_path, "r.txt", seed("003").read_bytes())
    (tmp_path / "r.yaml").write_text("year: next year\n", encoding="utf-8")
    with pytest.raises(IngestError, match="year"):
        read_report(path)
    (tmp_path / "r.yaml").write_text("colour: red\n", encoding="utf-8")
    with pytest.raises(IngestError, match="colour"):
        read_report(path)


def test_content_hash_changes_with_content_or_sidecar(tmp_path):
    path = _write(tmp_path, "r.txt", seed("004").read_bytes())
    first = read_report(path).content_hash
    assert read_report(path).content_hash == first
    (tmp_path / "r.yaml").write_text("year: 2022\n", encoding="utf-8")
    assert read_report(path).content_hash != first


def test_inspect_json_has_the_documented_keys(capsys):
    assert main(["inspect", str(seed("001")), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["file", "report_id", "title", "title_derived", "issuer", "issuer_full",
                         "issuer_type",
                         "level", "province", "city", "year", "published", "dated", "source",
                         "url", "paragraphs"]
    assert set(out["paragraphs"][0]) == {"id", "ordinal", "kind", "section", "section_path", "text"}


def test_inspect_goes_on_after_a_bad_file_and_exits_1(tmp_path, capsys):
    empty = _write(tmp_path, "empty.txt", b"")
    code = main(["inspect", str(empty), str(tmp_path / "missing.txt"), str(seed("000")), "--json"])
    assert code == 1
    results = json.loads(capsys.readouterr().out)
    assert [("error" in r) for r in results] == [True, True, False]
    assert results[2]["year"] == 2023


def test_inspect_runs_as_a_command():
    done = subprocess.run([sys.executable, "-m", "web.cli", "inspect", str(seed("004"))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "滨海镇" in done.stdout and "乡镇级" in done.stdout


# ---------------------------------------------------------------- other formats, end to end

def test_every_format_gives_the_same_report_as_its_text(tmp_path):
    from tests import fixtures_formats as fx

    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(fx.report_lines()), encoding="utf-8")
    want = read_report(plain)
    files = {"page.html": fx.portal_html(encoding="gb2312", declare_charset=False),
             "word.docx": fx.numbered_docx()}
    font = fx.cjk_font()
    if font:
        files["paper.pdf"] = fx.report_pdf(font)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        got = read_report(tmp_path / name)
        assert [p.text for p in got.paragraphs] == [p.text for p in want.paragraphs], name
        assert [p.section for p in got.paragraphs] == [p.section for p in want.paragraphs], name
        for key in ("title", "issuer", "level", "province", "year"):
            assert getattr(got.meta, key) == getattr(want.meta, key), (name, key)


def test_portal_meta_tags_and_manifest_urls_reach_the_metadata(tmp_path):
    from tests import fixtures_formats as fx

    (tmp_path / "page.html").write_bytes(fx.portal_html())
    (tmp_path / "manifest.csv").write_text(
        "file,url\npage.html,https://www.example.gov.cn/art/1.html\n", encoding="utf-8")
    report = read_report(tmp_path / "page.html")
    assert report.meta.published == fx.PORTAL_META["PubDate"][:10]
    assert report.meta.url == "https://www.example.gov.cn/art/1.html"


@pytest.mark.parametrize("name", ["old.doc", "old.wps"])
def test_legacy_word_files_ask_for_conversion(tmp_path, name):
    path = _write(tmp_path, name, b"\xd0\xcf\x11\xe0" + bytes(2000))
    with pytest.raises(IngestError, match="另存为 .docx"):
        read_report(path)


def test_a_folder_mixing_formats_is_indexed_file_by_file(tmp_path, capsys):
    from tests import fixtures_formats as fx

    (tmp_path / "a.html").write_bytes(fx.portal_html())
    (tmp_path / "b.docx").write_bytes(b"PK\x03\x04 truncated zip")
    (tmp_path / "c.txt").write_bytes(seed("002").read_bytes())
    assert main(["inspect", str(tmp_path), "--json"]) == 1
    results = {Path(r["file"]).name: r for r in json.loads(capsys.readouterr().out)}
    assert "error" in results["b.docx"] and "\n" not in results["b.docx"]["error"]
    assert results["a.html"]["year"] == 2023 and results["c.txt"]["year"] == 2019
