"""`reportsearch index` and `reportsearch search` as a user runs them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from web.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HIT_KEYS = {"id", "report_id", "title", "issuer", "year", "province", "city", "level",
            "section", "section_path", "text", "highlight", "snippet", "score", "citation"}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    ix = root / "ix"
    assert main(["index", str(corpus), "--index-dir", str(ix)]) == 0
    return corpus, ix


def search_json(ix, *args) -> dict:
    return main(["search", *args, "--json", "--index-dir", str(ix)])


def test_index_summary_and_unchanged_rerun(indexed, capsys):
    corpus, ix = indexed
    capsys.readouterr()
    assert main(["index", str(corpus), "--index-dir", str(ix)]) == 0
    out = capsys.readouterr().out
    assert "新增 0" in out and f"未变 {len(list(corpus.glob('*.txt')))}" in out


def test_search_json_has_the_documented_shape_and_exact_hits(indexed, capsys):
    _, ix = indexed
    capsys.readouterr()
    assert search_json(ix, "败诉率") == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"query", "mode", "total", "hits", "facets"}
    assert set(result["facets"]) == {"year", "province", "level", "section", "issuer_type"}
    truth = sum(1 for f in SEEDS.glob("*.txt")
                for line in f.read_text(encoding="utf-8").splitlines() if "败诉率" in line)
    assert result["total"] == len(result["hits"]) == truth
    for hit in result["hits"]:
        assert set(hit) == HIT_KEYS
        assert "<mark>败诉率</mark>" in hit["highlight"]
    assert sum(result["facets"]["year"].values()) == truth


def test_filters_narrow_and_several_values_of_one_facet_are_ored(indexed, capsys):
    _, ix = indexed
    capsys.readouterr()
    search_json(ix, "法治", "--year", "2023")
    only_2023 = json.loads(capsys.readouterr().out)
    assert only_2023["total"] > 0 and {h["year"] for h in only_2023["hits"]} == {2023}
    search_json(ix, "法治", "--year", "2023", "--year", "2019")
    both = json.loads(capsys.readouterr().out)
    assert {h["year"] for h in both["hits"]} == {2023, 2019}
    search_json(ix, "法治", "--year", "2023", "--province", "浙江")
    assert json.loads(capsys.readouterr().out)["total"] == 0


def test_limit_and_offset_page_through_the_same_order(indexed, capsys):
    _, ix = indexed
    capsys.readouterr()
    search_json(ix, "法治")
    every = [h["id"] for h in json.loads(capsys.readouterr().out)["hits"]]
    search_json(ix, "法治", "--limit", "3", "--offset", "2")
    page = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in page["hits"]] == every[2:5] and page["total"] == len(every)


def test_words_after_the_command_form_one_query(indexed, capsys):
    _, ix = indexed
    capsys.readouterr()
    search_json(ix, "败诉率")
    every = json.loads(capsys.readouterr().out)["total"]
    search_json(ix, "败诉率 -降低")
    quoted = json.loads(capsys.readouterr().out)
    search_json(ix, "败诉率", "-降低")
    assert json.loads(capsys.readouterr().out)["total"] == quoted["total"]
    assert 0 < quoted["total"] < every
    assert all("降低" not in h["text"] for h in quoted["hits"])


def test_human_output_marks_the_match(indexed, capsys):
    _, ix = indexed
    capsys.readouterr()
    assert main(["search", "出庭应诉率", "--index-dir", str(ix)]) == 0
    out = capsys.readouterr().out
    assert "【出庭应诉率】" in out and "<mark>" not in out


@pytest.mark.parametrize("args,needle", [
    (['"出庭应诉'], "引号"),
    (["(复议 OR 诉讼"], "括号"),
    (["foo:bar"], "foo"),
    (["x" * 501], "500"),
    (["OR"], ""),
    (["-法治"], "排除"),
])
def test_bad_queries_exit_2_with_one_sentence(indexed, capsys, args, needle):
    _, ix = indexed
    assert main(["search", *args, "--index-dir", str(ix)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("reportsearch: ") and "\n" not in err and "Traceback" not in err
    assert needle in err


def test_missing_or_foreign_index_folder_exits_2(tmp_path, capsys):
    assert main(["search", "法治", "--index-dir", str(tmp_path / "nope")]) == 2
    assert "不存在" in capsys.readouterr().err
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "a.txt").write_text("x")
    assert main(["search", "法治", "--index-dir", str(tmp_path / "junk")]) == 2
    assert "不存在" in capsys.readouterr().err


def test_index_reports_failures_and_goes_on(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(next(SEEDS.glob("002_*.txt")), corpus / "good.txt")
    (corpus / "empty.txt").write_bytes(b"")
    assert main(["index", str(corpus), "--index-dir", str(tmp_path / "ix")]) == 1
    captured = capsys.readouterr()
    assert "新增 1" in captured.out and "失败 1" in captured.out
    assert "empty.txt" in captured.err
