"""Every `reportsearch ...` command in README.md works as written, from an empty folder.

The commands are taken from the README's code blocks (and from inline code that is a complete
command: no placeholder such as <报告文件夹>, PATH or […]). Each runs as a real subprocess in
an empty temporary folder, with the index in a temporary folder given by
REPORTSEARCH_INDEX_DIR and a temporary HOME / XDG_DATA_HOME, and must exit 0; a search must
find at least one paragraph in the shipped reports. A `serve` command is started (on a free
port instead of the one written, the only change made to a command) on a fresh index, which
it must build, and must answer /api/search before it is stopped with Ctrl+C (SIGINT).
The examples in the query-language table must each find a paragraph too.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TIMEOUT = 300


def code_blocks(text: str) -> list[str]:
    """Fenced blocks and indented (4-space) blocks, in order."""
    blocks, fenced, current, indented = [], False, [], []
    for line in text.splitlines():
        if line.startswith("```"):
            if fenced:
                blocks.append("\n".join(current))
                current = []
            fenced = not fenced
            continue
        if fenced:
            current.append(line)
            continue
        if line.startswith("    ") and (indented or not line.strip() == ""):
            indented.append(line[4:])
            continue
        if indented and not line.strip():
            indented.append("")
            continue
        if indented:
            blocks.append("\n".join(indented).strip("\n"))
            indented = []
    if indented:
        blocks.append("\n".join(indented).strip("\n"))
    return blocks


def _command_in(line: str) -> str | None:
    """The `reportsearch ...` part of a shell line (after `&&`), without a trailing comment."""
    for part in line.split("&&"):
        part = re.sub(r"\s+#.*$", "", part).strip()
        if part.startswith("reportsearch ") or part == "reportsearch":
            return part
    return None


_PLACEHOLDER = re.compile(r"[<\[…]|\.\.\.|\b(PATH|FILE|DIR|QUERY|HOST|PORT)\b")


def readme_commands(text: str = README) -> list[str]:
    found = []
    for block in code_blocks(text):
        for line in block.splitlines():
            command = _command_in(line)
            if command and command not in found:
                found.append(command)
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("    "))
    for span in re.findall(r"`([^`\n]+)`", prose):
        command = _command_in(span)
        if command and command != "reportsearch" and not _PLACEHOLDER.search(command) \
                and command not in found:
            found.append(command)
    return found


COMMANDS = readme_commands()


def test_the_readme_opens_with_install_and_serve_then_install_and_test():
    first, second = code_blocks(README)[:2]
    assert first.startswith("pip install -e .") and first.endswith("reportsearch serve")
    assert second == "pip install -e '.[test]' && python -m pytest -q"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-e '.[test]'" in ci and "python -m pytest -q" in ci, \
        ".ci/run runs the README's test command"


def test_the_readme_has_search_and_serve_examples():
    assert sum(c.split()[1:2] == ["search"] for c in COMMANDS) >= 4
    assert any(c.split()[1:2] == ["serve"] for c in COMMANDS)


def fresh_env(tmp: Path, index_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "data"),
               REPORTSEARCH_INDEX_DIR=str(index_dir), PYTHONUNBUFFERED="1")
    return env


def executable() -> list[str]:
    exe = shutil.which("reportsearch")
    return [exe] if exe else [sys.executable, "-m", "web.cli"]


def run(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    argv = shlex.split(command)
    return subprocess.run(executable() + argv[1:], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def empty_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cwd")
    assert not any(folder.iterdir())
    return folder


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory):
    """An index of the shipped reports, built by `reportsearch index` from an empty folder."""
    tmp = tmp_path_factory.mktemp("readme")
    env = fresh_env(tmp, tmp / "index")
    done = run("reportsearch index", empty_folder(tmp_path_factory), env)
    assert done.returncode == 0, done.stderr
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_port(argv: list[str], port: int) -> list[str]:
    out, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--port":
            skip = True
        elif not arg.startswith("--port="):
            out.append(arg)
    return out + ["--port", str(port)]


def hits_in(command: str, stdout: str) -> int:
    if "--json" in shlex.split(command):
        result = json.loads(stdout)
        return min(result["total"], len(result["hits"]))
    m = re.match(r"共 (\d+) 段", stdout)
    assert m, stdout[:300]
    return int(m.group(1))


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.split()[1:2] != ["serve"]])
def test_readme_command_works_from_an_empty_folder(command, shared_index, tmp_path_factory):
    done = run(command, empty_folder(tmp_path_factory), shared_index)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr
    if command.split()[1:2] == ["search"] and "--help" not in command.split():
        assert hits_in(command, done.stdout) >= 1, f"{command} found nothing:\n{done.stdout}"


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.split()[1:2] == ["serve"]])
def test_readme_serve_builds_a_fresh_index_and_answers(command, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    index_dir = tmp / "index"
    env = fresh_env(tmp, index_dir)
    port = free_port()
    argv = with_port(shlex.split(command), port)
    log = tmp / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(executable() + argv[1:], cwd=empty_folder(tmp_path_factory),
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        result = None
        deadline = time.monotonic() + TIMEOUT
        url = f"http://127.0.0.1:{port}/api/search?q=%E6%B3%95%E6%B2%BB"   # 法治
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    result = json.load(resp)
                break
            except OSError:
                time.sleep(0.3)
        assert result is not None, log.read_text(encoding="utf-8", errors="replace")
        assert result["total"] > 0
        assert (index_dir / "STORE.json").is_file(), "the index is where the variable says"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
    text = log.read_text(encoding="utf-8", errors="replace")
    assert code == 0, text
    assert "正在从" in text and "Traceback" not in text


def query_table_examples(text: str = README) -> list[str]:
    section = text[text.index("### Query language"):]
    section = section[:section.index("\n## ")]
    examples = []
    for line in section.splitlines():
        cells = line.split("|")
        if len(cells) >= 3 and "`" in cells[1]:
            examples += re.findall(r"`([^`]+)`", cells[1])
    return examples


def test_every_query_language_example_finds_a_paragraph(shared_index, capsys):
    from web.cli import main

    examples = query_table_examples()
    assert len(examples) >= 10
    for query in examples:
        assert main(["search", query, "--json", "--limit", "1",
                     "--index-dir", shared_index["REPORTSEARCH_INDEX_DIR"]]) == 0, query
        assert json.loads(capsys.readouterr().out)["total"] >= 1, query
