"""The `reportsearch` command line as a user runs it: index, search, help and usage errors in
Chinese, and serve / search from an empty folder on a fresh machine."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
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
    assert set(result) == {"query", "mode", "total", "reports", "hits", "facets", "suggestions"}
    assert result["suggestions"] == []          # only a search without hits suggests
    assert result["reports"] == len({h["report_id"] for h in result["hits"]})
    assert set(result["facets"]) == {"year", "province", "level", "section", "issuer_type", "cites"}
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


# ---------------------------------------------------------------- default 20 hits, --limit, --all

def test_search_shows_20_hits_by_default_and_says_how_many_more(indexed, capsys):
    _, ix = indexed
    capsys.readouterr()
    search_json(ix, "法治")
    result = json.loads(capsys.readouterr().out)
    total = result["total"]
    reports = len({h["report_id"] for h in result["hits"]})
    assert total > 25, "the seeds have more than one screen of 法治"
    assert main(["search", "法治", "--index-dir", str(ix)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"共 {total} 段，涉及 {reports} 份报告，显示第 1–20 段")
    assert len(re.findall(r"^\d+\. ", out, re.M)) == 20
    assert f"还有 {total - 20} 段未显示" in out and "--all" in out and "--offset 20" in out
    assert main(["search", "法治", "--limit", "3", "--index-dir", str(ix)]) == 0
    out = capsys.readouterr().out
    assert len(re.findall(r"^\d+\. ", out, re.M)) == 3 and f"还有 {total - 3} 段" in out
    assert main(["search", "法治", "--all", "--index-dir", str(ix)]) == 0
    out = capsys.readouterr().out
    assert len(re.findall(r"^\d+\. ", out, re.M)) == total and "还有" not in out
    assert main(["search", "法治", "--all", "--json", "--index-dir", str(ix)]) == 0
    assert len(json.loads(capsys.readouterr().out)["hits"]) == total
    assert main(["search", "法治", "--all", "--limit", "3", "--index-dir", str(ix)]) == 2
    assert "--limit 和 --all 只能用一个" in capsys.readouterr().err


# ---------------------------------------------------------------- queries that start with a dash

def test_a_query_may_start_with_a_dash(indexed, capsys):
    _, ix = indexed
    capsys.readouterr()
    search_json(ix, "败诉率", "-降低")
    want = json.loads(capsys.readouterr().out)["total"]
    search_json(ix, "-降低", "败诉率")                 # dash word first
    assert json.loads(capsys.readouterr().out)["total"] == want > 0
    assert main(["search", "--year", "2019", "-降低", "败诉率", "--json",
                 "--index-dir", str(ix)]) == 0         # after an option's value, too
    assert 0 < json.loads(capsys.readouterr().out)["total"] <= want
    # `--` ends the options: -foo is the query (only an exclusion, so a query error, not a
    # usage error), and so is "-出庭" without it
    for argv in (["--", "-foo"], ["-出庭"]):
        assert main(["search", "--index-dir", str(ix), *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("reportsearch: ") and "排除" in err and "选项" not in err
    search_json(ix, "政务")
    every = json.loads(capsys.readouterr().out)["total"]
    assert main(["search", "政务", "--json", "--index-dir", str(ix), "--", "-APP"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] <= every


def test_no_argparse_left():
    import web.cli as cli
    assert "argparse" not in Path(cli.__file__).read_text(encoding="utf-8")


# ---------------------------------------------------------------- filters as on the web pages

def test_filter_spellings_are_the_web_pages_and_an_empty_filter_says_why(indexed, capsys):
    from index.config import load_config
    from searcher import open_searcher
    from web.app import create_app

    _, ix = indexed
    config = load_config()
    config["index_dir"] = str(ix)
    client = create_app(config, open_searcher(ix, config)).test_client()
    capsys.readouterr()
    for name, typed, canonical in (("level", "县", "县级"), ("level", "乡镇", "乡镇级"),
                                   ("province", "浙江省", "浙江"), ("province", "安徽", "安徽"),
                                   ("section", "不足", "存在的不足和原因"), ("year", "2019", "2019")):
        web = client.get(f"/api/search?q=法治&{name}={typed}").get_json()["total"]
        assert web == client.get(f"/api/search?q=法治&{name}={canonical}").get_json()["total"] > 0
        search_json(ix, "法治", f"--{name}", typed)
        assert json.loads(capsys.readouterr().out)["total"] == web, (name, typed)
        assert main(["search", "法治", f"--{name}", typed, "--index-dir", str(ix)]) == 0
        assert canonical in capsys.readouterr().out.splitlines()[0]
    # 省 is 省级, as on the pages; none of the seeds is provincial, and the CLI says so
    assert client.get("/api/search?q=法治&level=省").get_json()["total"] == 0
    assert main(["search", "法治", "--level", "省", "--index-dir", str(ix)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("共 0 段（层级 省级）") and "不限层级时有：" in out and "县级" in out
    for name in ("level", "province"):
        assert client.get(f"/api/search?q=法治&{name}=火星").status_code == 400
        assert main(["search", "法治", f"--{name}", "火星", "--index-dir", str(ix)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("reportsearch: ") and "火星" in err and "\n" not in err


# ---------------------------------------------------------------- Chinese help and usage errors

ENGLISH = ("Usage:", "Options", "Commands", "Show this message", "Missing", "No such",
           "Error:", "Try '", "Got unexpected", "requires an argument", "is not", "Invalid value")


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["search", "--help"], ["index", "-h"],
                                  ["inspect", "--help"], ["serve", "--help"]])
def test_help_is_chinese(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：reportsearch") and "选项：" in out and "显示本帮助并退出" in out
    assert not [w for w in ENGLISH if w in out], out
    if argv == ["--help"]:
        assert "命令：" in out and "默认位置：" in out and "REPORTSEARCH_INDEX_DIR" in out


@pytest.mark.parametrize("argv,needle", [
    (["search"], "缺少参数 检索词"),
    (["search", "法治", "--limt", "3"], "没有选项 --limt。是不是要用"),
    (["search", "法治", "--limit"], "选项 --limit 后面要跟一个取值"),
    (["search", "法治", "--limit", "x"], "--limit 的取值无效"),
    (["search", "法治", "--limit", "-1"], "--limit 的取值无效"),
    (["search", "法治", "--mode", "foo"], "--mode 的取值无效"),
    (["serve", "--port", "99999"], "--port 的取值无效"),
    (["serve", "extra"], "多出了参数"),
    (["nosuch"], "没有命令 nosuch"),
    (["search", "法治", "--json=1"], "--json 不带取值"),
])
def test_usage_errors_are_chinese_and_exit_2(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：reportsearch") and "查看帮助" in err
    assert err.strip().splitlines()[-1].startswith("错误："), err
    assert needle in err, err
    assert not [w for w in ENGLISH if w in err], err


def test_every_chinese_click_message_is_one_click_has():
    """CLICK_ZH's keys are click's gettext msgids (a click upgrade that renames one fails
    here), and no translation uses a placeholder the original does not fill."""
    import ast

    import click

    from web.cli import CLICK_ZH, click_placeholders
    msgids = set()
    for name in ("core", "exceptions", "parser", "formatting", "types", "decorators"):
        path = Path(click.__file__).with_name(f"{name}.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
                msgids.update(a.value for a in node.args
                              if isinstance(a, ast.Constant) and isinstance(a.value, str))
    for english, chinese in CLICK_ZH.items():
        assert english in msgids, english
        assert click_placeholders(chinese) <= click_placeholders(english), english
    for needed in ("Usage:", "Show this message and exit.", "No such option {name!r}.",
                   "Missing argument", "Error: {message}"):
        assert needed in CLICK_ZH


def test_click_is_english_again_after_main(capsys):
    import click
    main(["--help"])
    capsys.readouterr()
    assert click.exceptions._("Missing argument") == "Missing argument"


# ---------------------------------------------------------------- nothing written for nothing

def test_index_of_paths_that_do_not_exist_writes_nothing(tmp_path, capsys):
    ix = tmp_path / "ix"
    assert main(["index", str(tmp_path / "nope"), "--index-dir", str(ix)]) == 2
    err = capsys.readouterr().err
    assert "找不到" in err and "reportsearch index <报告文件夹>" in err
    assert not ix.exists()


def test_search_without_an_index_names_the_command_to_run(tmp_path, capsys):
    assert main(["search", "法治", "--index-dir", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "索引尚未建立" in err and "请先运行 reportsearch index <报告文件夹>" in err


# ---------------------------------------------------------------- where things are

def test_defaults_do_not_depend_on_the_current_folder(tmp_path, monkeypatch):
    from index.config import INDEX_DIR_ENV, load_config, shipped_seeds
    monkeypatch.delenv(INDEX_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert shipped_seeds() == SEEDS
    assert config["corpus"] == [str(SEEDS)]
    assert config["index_dir"] == str(tmp_path / "xdg" / "reportsearch" / "index")
    assert not (tmp_path / "xdg").exists(), "resolving the path creates nothing"


def test_index_dir_precedence_and_relative_paths_in_a_config_file(tmp_path, monkeypatch):
    from index.config import INDEX_DIR_ENV, load_config
    monkeypatch.delenv(INDEX_DIR_ENV, raising=False)
    conf_dir = tmp_path / "conf"
    conf_dir.mkdir()
    user = conf_dir / "my.yaml"
    user.write_text("corpus: [报告, /abs/x]\nindex_dir: 索引\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(str(Path("..") / "conf" / "my.yaml"))
    assert config["corpus"] == [str(conf_dir / "报告"), "/abs/x"]
    assert config["index_dir"] == str(conf_dir / "索引")
    monkeypatch.setenv(INDEX_DIR_ENV, "from-env")
    assert load_config(str(user))["index_dir"] == str(elsewhere / "from-env")


def test_the_cli_flag_beats_the_environment(indexed, tmp_path, monkeypatch, capsys):
    from index.config import INDEX_DIR_ENV
    _, ix = indexed
    monkeypatch.setenv(INDEX_DIR_ENV, str(tmp_path / "empty"))
    assert main(["search", "法治", "--json"]) == 2          # the variable's folder: no index
    capsys.readouterr()
    monkeypatch.chdir(ix.parent)
    assert main(["search", "法治", "--json", "--index-dir", ix.name]) == 0   # relative: cwd
    assert json.loads(capsys.readouterr().out)["total"] > 0
    monkeypatch.setenv(INDEX_DIR_ENV, str(ix))
    assert main(["search", "法治", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] > 0


def test_a_bad_config_file_is_one_chinese_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("corpus: [\n", encoding="utf-8")
    assert main(["search", "法治", "--config", str(bad)]) == 2
    assert capsys.readouterr().err.startswith("reportsearch: 配置文件")
    assert main(["search", "法治", "--config", str(tmp_path / "none.yaml")]) == 2
    assert "无法读取配置文件" in capsys.readouterr().err


# ---------------------------------------------------------------- fresh machine, any folder

def _env(tmp: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "REPORTSEARCH_INDEX_DIR"}
    env.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "data"), PYTHONUNBUFFERED="1",
               **extra)
    return env


def _cli() -> list[str]:
    exe = shutil.which("reportsearch")
    return [exe] if exe else [sys.executable, "-m", "web.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(args, cwd, env, log, timeout=300):
    """Start `reportsearch serve ARGS` and wait until /api/search answers: (process, result),
    or (process, None) when it exited first."""
    port = _free_port()
    with open(log, "ab") as out:
        proc = subprocess.Popen(_cli() + ["serve", "--port", str(port), *args], cwd=cwd,
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=%E6%B3%95%E6%B2%BB",
                                        timeout=5) as resp:
                return proc, json.load(resp)
        except OSError:
            time.sleep(0.3)
    return proc, None


def _stop(proc) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def _run(args, cwd, env):
    return subprocess.run(_cli() + args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)


def test_serve_then_search_from_empty_folders_on_a_fresh_machine(tmp_path):
    """No configuration, a fresh HOME: `serve` builds the index of the shipped reports in the
    per-user folder and answers; `search` from another empty folder finds what it serves."""
    env = _env(tmp_path)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    done = _run(["search", "出庭应诉率"], second, env)
    assert done.returncode == 2 and "索引尚未建立" in done.stderr
    assert "reportsearch index <报告文件夹>" in done.stderr and "Traceback" not in done.stderr
    log = tmp_path / "serve.log"
    proc, result = _serve([], first, env, log)
    try:
        assert result is not None and result["total"] > 0, log.read_text(encoding="utf-8")
    finally:
        assert _stop(proc) == 0, log.read_text(encoding="utf-8")
    assert not any(first.iterdir()) and not any(second.iterdir()), "nothing in the cwd"
    index_dir = tmp_path / "data" / "reportsearch" / "index"
    assert (index_dir / "STORE.json").is_file()
    assert str(SEEDS) in log.read_text(encoding="utf-8")
    done = _run(["search", "出庭应诉率"], second, env)
    assert done.returncode == 0, done.stderr
    assert re.match(r"共 [1-9]\d* 段", done.stdout) and "【出庭应诉率】" in done.stdout
    done = _run(["search", "法治", "--json"], second, env)
    assert json.loads(done.stdout)["total"] == result["total"]


def test_a_failed_first_serve_never_stops_the_next_one(tmp_path):
    """A corpus that does not exist: serve says what to run and writes nothing; a corpus
    without reports: the empty index it leaves is built again by the next start, which
    serves once the corpus has a report."""
    env = _env(tmp_path)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    ix = tmp_path / "ix"
    missing = tmp_path / "missing.yaml"
    missing.write_text("corpus: [没有这个文件夹]\n", encoding="utf-8")
    done = _run(["serve", "--config", str(missing), "--index-dir", str(ix), "--port",
                 str(_free_port())], cwd, env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "不存在" in done.stderr and "reportsearch index <报告文件夹>" in done.stderr
    assert not ix.exists() and not any(cwd.iterdir())

    (tmp_path / "reports").mkdir()
    config = tmp_path / "c.yaml"
    config.write_text("corpus: [reports]\n", encoding="utf-8")    # relative to c.yaml
    done = _run(["serve", "--config", str(config), "--index-dir", str(ix), "--port",
                 str(_free_port())], cwd, env)
    assert done.returncode == 1 and "没有可以索引的报告" in done.stderr, done.stderr
    shutil.copy(next(SEEDS.glob("000_*.txt")), tmp_path / "reports")
    log = tmp_path / "serve.log"
    proc, result = _serve(["--config", str(config), "--index-dir", str(ix)], cwd, env, log)
    try:
        assert result is not None and result["total"] > 0, log.read_text(encoding="utf-8")
    finally:
        assert _stop(proc) == 0
    assert "中还没有报告，正在从" in log.read_text(encoding="utf-8")


def test_an_installation_without_sample_reports_says_what_to_run(tmp_path, monkeypatch, capsys):
    import index.config
    from web.serve import NothingToServe, open_or_build
    monkeypatch.setattr(index.config, "shipped_seeds", lambda: None)
    config = index.config.load_config()
    assert config["corpus"] == []
    for command in ("index", "inspect"):
        assert main([command, "--index-dir", str(tmp_path / "ix")]) == 2
        assert f"请运行 reportsearch {command} <报告文件夹>" in capsys.readouterr().err
    config["index_dir"] = str(tmp_path / "ix")
    with pytest.raises(NothingToServe, match="没有配置语料"):
        open_or_build(config)
    assert not (tmp_path / "ix").exists()
