"""Near-duplicate paragraphs (issue 14): signatures equal datasketch's MinHash; on composed
reports indexed for real, a copy with other places and figures is found, an edited or a
merely formulaic paragraph is not, updates and prunes keep the answers right, the earliest
source is decided by year and then published date; the API, the page and the CLI."""
from __future__ import annotations

import json
import shutil

import pytest

from index.normalize import match_form
from index.similar import (SignatureParams, minhash_signatures, shingle_hash32,
                           shingle_hashes, shingles, similarity_form)

# One county's paragraph, copied by a city of another prefecture with its own places and
# figures ...
SOURCE = ("江山市全年办理行政复议案件126件，依法纠错11件；贺村镇、清湖街道建成基层法律服务站8个，"
          "在衢州市年度考核中江山市位列第2名。")
COPY = ("龙泉市全年办理行政复议案件98件，依法纠错7件；八都镇、剑池街道建成基层法律服务站12个，"
        "在丽水市年度考核中龙泉市位列第1名。")
# ... a paragraph rewritten in half of its words ...
ORIGINAL = ("全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，执法行为更加规范，"
            "群众对行政执法工作的满意度明显提升。")
EDITED = ("全面推行行政执法公示制度和执法全过程记录制度，组织开展执法案卷评查，执法行为更加规范，"
          "群众对行政执法工作的满意度明显提升。")
# ... and two shortcomings that share only the stock phrases of every report.
STOCK_A = ("部分行政执法人员法治意识有待提高，执法规范化水平仍需进一步加强，行政复议应诉工作"
           "还存在薄弱环节，基层司法所人员配备不足。")
STOCK_B = ("法治宣传教育形式较为单一，群众法治意识有待提高，仍需进一步加强，公共法律服务资源"
           "分布还不均衡，乡村法律顾问作用发挥不足。")
PLAN = "继续深化法治政府建设，加强执法队伍建设和合法性审查工作，全面提升依法行政水平。"


def _report(issuer: str, place: str, year: int, published: str, body: list[str],
            shortcoming: str) -> str:
    lines = [f"{issuer}关于{year}年度法治政府建设情况的报告",
             f"发布时间：{published} 信息来源：{place}司法局",
             f"{year}年，{place}全面推进法治政府建设，现将有关情况报告如下。",
             f"一、{year}年度推进法治政府建设的主要举措和成效"]
    lines += body
    lines += ["二、存在的不足和原因", shortcoming, "三、下一年度工作安排", PLAN,
              issuer, f"{published[:4]}年2月15日"]
    return "\n".join(lines) + "\n"


# File names decide report ids: the report published first has the larger id, so that a tie
# in year broken by report id would give the wrong answer.
COMPOSED = {
    "a_jiangshan_2022.txt": _report("江山市人民政府", "江山市", 2022, "2023-03-10",
                                    [SOURCE, ORIGINAL], STOCK_A),
    "b_longquan_2022.txt": _report("龙泉市人民政府", "龙泉市", 2022, "2023-02-20",
                                   [COPY, EDITED], STOCK_B),
    "c_jiangshan_2023.txt": _report("江山市人民政府", "江山市", 2023, "2024-03-01",
                                    [SOURCE.replace("126", "140").replace("第2名", "第1名"),
                                     "新建成市级公共法律服务中心一个，乡镇公共法律服务工作站实现全覆盖，"
                                     "群众办事更加便捷高效，全年接待来访群众三千余人次。"],
                                    STOCK_A),
}


def _jaccard(a: str, b: str, params=SignatureParams()) -> float:
    """The exact Jaccard similarity the signatures estimate."""
    sa = set(shingles(similarity_form(match_form(a), params), params.shingle_chars))
    sb = set(shingles(similarity_form(match_form(b), params), params.shingle_chars))
    return len(sa & sb) / len(sa | sb)


def _raw_jaccard(a: str, b: str, k: int = 3) -> float:
    sa, sb = set(shingles(match_form(a), k)), set(shingles(match_form(b), k))
    return len(sa & sb) / len(sa | sb)


def _build(root, index_dir, prune=False):
    from index.config import load_config
    from index.writer import update_index
    from searcher import open_searcher

    config = load_config()
    config["corpus"] = [str(root)]
    config["index_dir"] = str(index_dir)
    summary = update_index(config["corpus"], config["index_dir"], config, prune=prune)
    assert not summary.failed, summary.failed
    return config, open_searcher(config["index_dir"], config)


def _para_id(searcher, report_id: str, text: str) -> str:
    report = searcher.report(report_id)
    return next(p["id"] for p in report["paragraphs"] if p["text"] == text)


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "reports"
    root.mkdir()
    for name, text in COMPOSED.items():
        (root / name).write_text(text, encoding="utf-8")
    config, searcher = _build(root, tmp_path / "index")
    return root, tmp_path / "index", config, searcher


# ---------------------------------------------------------------------- signatures

def test_signatures_equal_datasketch_minhash():
    from datasketch import MinHash

    texts = [similarity_form(match_form(t), SignatureParams())
             for t in (SOURCE, COPY, ORIGINAL, EDITED, STOCK_A)] + ["法治", "依法行政"]
    hashes, starts = shingle_hashes(texts, 3)
    ours = minhash_signatures(hashes, starts, 64, 1)
    for text, row in zip(texts, ours):
        reference = MinHash(num_perm=64, seed=1, hashfunc=shingle_hash32)
        reference.update_batch(shingles(text, 3))
        assert row.tolist() == reference.hashvalues.tolist()


def test_similarity_form_hides_places_figures_and_markers():
    params = SignatureParams()
    assert similarity_form(match_form(SOURCE), params) == similarity_form(match_form(COPY), params)
    assert similarity_form(match_form("（三）" + PLAN), params) == \
        similarity_form(match_form("3." + PLAN), params)


# ---------------------------------------------------------------------- lookups

def test_copy_with_other_places_and_figures_is_found(corpus):
    from searcher.similar import similar

    *_, searcher = corpus
    # the copy differs in most of its shingles as written: only the normalization finds it
    assert _raw_jaccard(SOURCE, COPY) < 0.5
    source = _para_id(searcher, "a_jiangshan_2022", SOURCE)
    copy = _para_id(searcher, "b_longquan_2022", COPY)
    out = similar(searcher, source)
    ids = [s["id"] for s in out["similar"]]
    assert copy in ids
    entry = out["similar"][ids.index(copy)]
    assert entry["report_id"] == "b_longquan_2022" and entry["year"] == 2022
    assert entry["issuer"] == "龙泉市人民政府" and 0.8 <= entry["similarity"] <= 1
    # and the other way round
    assert source in [s["id"] for s in similar(searcher, copy)["similar"]]


def test_edited_beyond_threshold_and_stock_phrases_are_not_paired(corpus):
    from searcher.similar import similar

    *_, searcher = corpus
    assert 0.5 < _jaccard(ORIGINAL, EDITED) < 0.7       # an edit well below 0.8
    assert _jaccard(STOCK_A, STOCK_B) < 0.5
    original = _para_id(searcher, "a_jiangshan_2022", ORIGINAL)
    stock = _para_id(searcher, "a_jiangshan_2022", STOCK_A)
    assert _para_id(searcher, "b_longquan_2022", EDITED) not in \
        [s["id"] for s in similar(searcher, original)["similar"]]
    stock_b = _para_id(searcher, "b_longquan_2022", STOCK_B)
    listed = [s["id"] for s in similar(searcher, stock)["similar"]]
    assert stock_b not in listed
    # the same issuer's next report repeats STOCK_A word for word: that one is found
    assert _para_id(searcher, "c_jiangshan_2023", STOCK_A) in listed


def test_earliest_source_same_year_decided_by_published_date(corpus):
    from searcher.similar import similar

    *_, searcher = corpus
    later_published = _para_id(searcher, "a_jiangshan_2022", SOURCE)   # 2022, published 03-10
    first_published = _para_id(searcher, "b_longquan_2022", COPY)      # 2022, published 02-20
    next_year = _para_id(searcher, "c_jiangshan_2023", searcher.report("c_jiangshan_2023")
                         ["paragraphs"][3]["text"])
    for pid in (later_published, first_published, next_year):
        assert similar(searcher, pid)["earliest"] == first_published
    # listed earliest first
    assert [s["id"] for s in similar(searcher, next_year)["similar"]] == \
        [first_published, later_published]


def test_heading_and_short_lines_have_no_similar_list(corpus):
    from searcher.similar import similar

    *_, searcher = corpus
    report = searcher.report("a_jiangshan_2022")
    heading = next(p for p in report["paragraphs"] if p["kind"] == "heading")
    out = similar(searcher, heading["id"])
    assert out["similar"] == [] and out["earliest"] is None and out["compared"] is False
    assert similar(searcher, "a_jiangshan_2022-p999") is None


def test_groups_and_report_counts(corpus):
    from searcher.similar import group_ids, similar_report_counts

    *_, searcher = corpus

    def doc(rid, text):
        return searcher._doc_of(rid, int(_para_id(searcher, rid, text).rpartition("-p")[2]))

    docs = [doc("a_jiangshan_2022", SOURCE), doc("b_longquan_2022", COPY),
            doc("a_jiangshan_2022", ORIGINAL), doc("b_longquan_2022", EDITED),
            doc("a_jiangshan_2022", STOCK_A), doc("b_longquan_2022", STOCK_B)]
    groups = group_ids(searcher, docs).tolist()
    assert groups[0] == groups[1] != -1
    assert groups[2] == -1 and groups[3] == -1          # the edit is no copy
    assert groups[4] != -1 and groups[5] == -1 and groups[4] != groups[0]
    assert similar_report_counts(searcher, docs).tolist() == [2, 2, 0, 0, 1, 0]


def test_originality(corpus):
    from searcher.similar import originality

    *_, searcher = corpus
    out = originality(searcher, "c_jiangshan_2023")
    # compared: the opening, SOURCE with new figures, the new paragraph, STOCK_A, PLAN
    assert out["compared"] == 5
    assert out["previous_report_id"] == "a_jiangshan_2022"
    # all but the new paragraph were in the previous year's report (the opening too: only
    # its year differs)
    assert out["from_previous_year"] == 4 and out["from_previous_year_share"] == 0.8
    # earlier in another issuer's report (龙泉, 2022): SOURCE, PLAN and the opening, whose
    # place name and year differ
    assert out["earlier_elsewhere"] == 3
    first = originality(searcher, "b_longquan_2022")
    assert first["previous_report_id"] is None and first["from_previous_year"] is None
    assert first["earlier_elsewhere"] == 0              # it is the first of the tie
    assert originality(searcher, "nosuchreport") is None


def test_update_and_prune_keep_groups_right(corpus):
    from searcher.similar import group_ids, similar

    root, index_dir, _, searcher = corpus
    source = _para_id(searcher, "a_jiangshan_2022", SOURCE)
    before = {s["report_id"] for s in similar(searcher, source)["similar"]}
    assert before == {"b_longquan_2022", "c_jiangshan_2023"}
    # 龙泉 rewrites its paragraph: no longer a copy
    (root / "b_longquan_2022.txt").write_text(
        COMPOSED["b_longquan_2022.txt"].replace(
            COPY, "龙泉市深化行政复议体制改革，复议机构实现集中统一办理，群众申请复议只进一扇门。"),
        encoding="utf-8")
    _, searcher = _build(root, index_dir)
    out = similar(searcher, source)
    assert {s["report_id"] for s in out["similar"]} == {"c_jiangshan_2023"}
    assert out["earliest"] == source                  # the copy that was first is gone
    # the 2023 report is removed from the folder and pruned
    (root / "c_jiangshan_2023.txt").unlink()
    _, searcher = _build(root, index_dir, prune=True)
    out = similar(searcher, source)
    assert out["similar"] == [] and out["earliest"] is None
    doc = searcher._doc_of("a_jiangshan_2022", int(source.rpartition("-p")[2]))
    assert group_ids(searcher, [doc]).tolist() == [-1]
    # and back: a new report copying it again joins the group
    shutil.copy(root / "a_jiangshan_2022.txt", root / "d_copy_2024.txt")
    text = (root / "d_copy_2024.txt").read_text(encoding="utf-8").replace("2022", "2024")
    (root / "d_copy_2024.txt").write_text(text.replace("江山市人民政府", "衢州市司法局"),
                                          encoding="utf-8")
    _, searcher = _build(root, index_dir)
    assert "d_copy_2024" in {s["report_id"] for s in similar(searcher, source)["similar"]}


# ---------------------------------------------------------------------- API, page, CLI

def test_api_page_and_cli(corpus, capsys):
    from web.app import create_app
    from web.cli import run_similar

    _, _, config, searcher = corpus
    source = _para_id(searcher, "a_jiangshan_2022", SOURCE)
    copy = _para_id(searcher, "b_longquan_2022", COPY)
    client = create_app(config, searcher).test_client()
    api = client.get(f"/api/paragraphs/{source}/similar")
    assert api.status_code == 200
    data = api.get_json()
    assert data["id"] == source and data["earliest"] == copy
    assert {"id", "report_id", "year", "similarity"} <= set(data["similar"][0])
    first = client.get(f"/api/paragraphs/{source}/similar?limit=1").get_json()
    assert [s["id"] for s in first["similar"]] == [copy] and first["total"] == 2
    assert first["reports"] == 2
    bad = client.get(f"/api/paragraphs/{source}/similar?limit=x")
    assert bad.status_code == 400 and "limit" in bad.get_json()["error"]
    missing = client.get("/api/paragraphs/a_jiangshan_2022-p999/similar")
    assert missing.status_code == 404 and "没有" in missing.get_json()["error"]
    assert client.get("/api/paragraphs/bad%20id/similar").status_code == 404

    page = client.get(f"/paragraphs/{source}/similar").get_data(as_text=True)
    assert "龙泉市人民政府" in page and "最早出处" in page
    assert f'href="/p/{copy}"' in page or f"/p/{copy}" in page
    # the diff marks what the copy changed, in the report's own characters
    assert '<del class="diff-del">江山</del>' in page and '<ins class="diff-ins">龙泉</ins>' in page

    assert run_similar(config, source, as_json=True) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["id"] == source and printed["earliest"] == copy
    assert {s["report_id"] for s in printed["similar"]} == {"b_longquan_2022", "c_jiangshan_2023"}
    assert run_similar(config, source) == 0
    out = capsys.readouterr().out
    assert "龙泉市人民政府" in out and "最早出处" in out
    assert run_similar(config, "a_jiangshan_2022-p999") == 2
    assert "没有" in capsys.readouterr().err
