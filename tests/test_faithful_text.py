"""Round trip: a report written with full-width punctuation and digits in Traditional
characters comes back character for character everywhere a user sees, copies, cites or
exports it, while a half-width Simplified query still finds and marks it."""
from __future__ import annotations

import html
import io
import re
import zipfile
from urllib.parse import quote

import docx
import pytest

REPORT = """\
溫嶺市濱海鎮人民政府關於２０２３年度法治政府建設情況的報告
２０２３年，我鎮堅持以習近平法治思想為指導，全面推進依法行政。現將有關情況報告如下：
一、２０２３年度推進法治政府建設的主要舉措和成效
（一）規範行政應訴工作
行政機關負責人出庭應訴率達１００％（含副職），行政訴訟敗訴率為０；「三項制度」落實良好！
（二）推進嚴格規範公正文明執法
全年辦理行政處罰案件１２３件，案卷評查合格率９８．５％。
二、存在的不足和原因
基層執法人員專業能力有待提高，執法規範化水平仍需加強。
三、下一年度工作安排
２０２４年，我鎮將繼續深化法治政府建設。
溫嶺市濱海鎮人民政府
２０２４年１月１９日
"""
LINE = "行政機關負責人出庭應訴率達１００％（含副職），行政訴訟敗訴率為０；「三項制度」落實良好！"
QUERY = '"出庭应诉率达100%(含副职)"'        # Simplified, half-width, a quoted phrase
MARKED = "出庭應訴率達１００％（含副職）"       # what the mark must cover, as written


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher
    from web.app import create_app

    corpus = tmp_path_factory.mktemp("faithful")
    (corpus / "trad_fullwidth.txt").write_text(REPORT, encoding="utf-8")
    config = load_config()
    config["corpus"] = [str(corpus)]
    config["index_dir"] = str(tmp_path_factory.mktemp("faithful_index"))
    summary = update_index(config["corpus"], config["index_dir"], config)
    assert not summary.failed, summary.failed
    return create_app(config, open_searcher(config["index_dir"], config)).test_client()


def _hit(client) -> dict:
    result = client.get(f"/api/search?q={quote(QUERY)}").get_json()
    assert result["total"] == 1
    return result["hits"][0]


def test_a_half_width_simplified_query_finds_and_marks_the_original_characters(client):
    hit = _hit(client)
    assert hit["text"] == LINE
    assert f"<mark>{html.escape(MARKED)}</mark>" in hit["highlight"]
    assert f"<mark>{html.escape(MARKED)}</mark>" in hit["snippet"]


def test_the_paragraph_api_returns_the_report_characters(client):
    p = client.get(f"/api/paragraphs/{_hit(client)['id']}").get_json()
    assert p["text"] == LINE
    assert p["section_path"] == ["一、２０２３年度推進法治政府建設的主要舉措和成效", "（一）規範行政應訴工作"]
    assert p["title"] == REPORT.splitlines()[0]


def test_the_citation_cites_the_report_as_written(client):
    p = client.get(f"/api/paragraphs/{_hit(client)['id']}").get_json()
    cite = p["citation"]
    assert REPORT.splitlines()[0] + "[R]" in cite
    assert cite.endswith(" 第一部分（一）.")
    assert _hit(client)["citation"] == cite


def test_the_report_page_shows_the_report_characters(client):
    rid = _hit(client)["report_id"]
    page = html.unescape(client.get(f"/reports/{rid}").get_data(as_text=True))
    for line in REPORT.splitlines():
        assert line in page
    assert "(含副职)" not in page and "100%" not in page


def test_every_export_keeps_the_report_characters(client):
    pid = _hit(client)["id"]
    citation = client.get(f"/api/paragraphs/{pid}").get_json()["citation"]
    text = client.get(f"/api/export.txt?ids={pid}").get_data(as_text=True)
    assert LINE in text and citation in text
    md = client.get(f"/api/export.md?ids={pid}").get_data(as_text=True)
    assert LINE in md
    body = client.get(f"/api/export.docx?ids={pid}").get_data()
    document = docx.Document(io.BytesIO(body))
    assert LINE in [p.text for p in document.paragraphs]
    # the citation travels with it (a footnote or a list entry), in the report's characters
    assert citation in _docx_text(body)


def _docx_text(body: bytes) -> str:
    """The text of every XML part of a .docx, tags removed (runs joined)."""
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return html.unescape(re.sub(r"<[^>]+>", "", xml))
