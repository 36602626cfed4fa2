"""The benchmark corpus generator: deterministic, well-formed, places real and consistent."""
from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from bench.generate import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
H1_LINE = re.compile(r"^[一二三四五六七八九十]+、", re.M)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _manifest(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def _text(folder: Path, name: str) -> str:
    # NFKC: some generated pages use full-width brackets and colons, as real pages do.
    return unicodedata.normalize("NFKC", (folder / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    assert main(["--reports", "40", "--seed", "3", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def gazetteer_paths() -> dict[tuple, str]:
    """Every (province, city, county, town) prefix path of jionlp's gazetteer -> short name,
    read here independently of the generator."""
    spec = importlib.util.find_spec("jionlp")
    path = Path(spec.submodule_search_locations[0]) / "dictionary" / "china_location.zip"
    with zipfile.ZipFile(path) as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    paths: dict[tuple, str] = {}
    stack: list[str] = []
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 3:
            continue
        cols = line.strip().split("\t")
        stack = stack[:depth] + [cols[0]]
        short = max(cols[2].split("/"), key=len) if len(cols) > 2 else cols[0]
        if depth == 1:  # the prefecture short form of index/places.py: 吉林市 -> 吉林
            short = re.sub(r"(?<=..)(地区|市|盟|州)$", "", short)
        paths[tuple(stack)] = short
    return paths


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((a, "5"), (b, "5"), (c, "6")):
        assert main(["--reports", "5", "--seed", seed, "--out", str(out)]) == 0
    files_a = _files(a)
    assert len(files_a) == 6  # 5 reports + manifest.jsonl
    assert files_a == _files(b)
    files_c = _files(c)
    assert files_a.keys() == files_c.keys()
    assert all(files_a[k] != files_c[k] for k in files_a)


def test_every_file_has_title_headings_and_its_manifest_year(corpus):
    entries = _manifest(corpus)
    assert len(entries) == 40
    assert {p.name for p in corpus.glob("*.txt")} == {e["file"] for e in entries}
    for e in entries:
        text = _text(corpus, e["file"])
        head = "".join(text.split("\n")[:12])  # a split title is joined back here
        assert e["title"] and e["title"] in head, e["file"]
        assert len(H1_LINE.findall(text)) >= 2, e["file"]
        assert 2016 <= e["year"] <= 2024
        assert f"{e['year']}年" in e["title"]
        for key in ("published", "dated"):
            if e[key]:
                assert e[key].startswith(f"{e['year'] + 1}-0"), (e["file"], key)
                assert e[key][5:7] in ("01", "02", "03")
        if e["published"]:
            y, m, d = e["published"].split("-")
            assert re.search(rf"{y}\D{m}\D{d}", text), e["file"]
        assert e["issuer"] in text


def test_levels_and_places_are_real_gazetteer_entries(corpus, gazetteer_paths):
    entries = _manifest(corpus)
    depth = {"省级": 1, "市级": 2, "县级": 3, "乡镇级": 4}
    for e in entries:
        chain = tuple(e["places"])
        assert chain in gazetteer_paths, chain
        assert len(chain) == depth[e["level"]]
        assert e["province"] == gazetteer_paths[chain[:1]]
        municipality = chain[0] in ("北京市", "天津市", "上海市", "重庆市")
        if e["level"] == "省级" or municipality:
            assert e["city"] is None
        else:
            assert e["city"] == gazetteer_paths[chain[:2]]
        assert chain[-1] in e["issuer"]
    assert len({e["province"] for e in entries}) >= 10
    assert len({e["level"] for e in entries}) == 4


def _seed_title_places() -> list[str]:
    """The place in each seed's title line, where its first line is a title."""
    rx = re.compile(r"^(?:关于)?([\u4e00-\u9fa5]{2,12}?(?:省|市|区|县|旗|镇|乡|街道))"
                    r"(?:人民政府|办事处)?(?:关于)?\d{4}年")
    places = []
    for seed in sorted(SEEDS.glob("*.txt")):
        first = next(ln.strip() for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip())
        m = rx.match(first)
        if m:
            places.append(m.group(1))
    return places


def test_seed_issuers_places_do_not_leak_into_reports_about_other_places(corpus):
    places = _seed_title_places()
    assert len(places) >= 2  # otherwise this test checks nothing
    for e in _manifest(corpus):
        text = _text(corpus, e["file"])
        for place in places:
            if place not in e["places"]:
                assert place not in text, (e["file"], place)


def test_shortcomings_stay_under_their_heading(corpus):
    # Seed paragraphs about 不足 say what is lacking; achievements never land there.
    lacking = re.compile(r"有待|不足|薄弱|不够|缺乏|亟待|伺待|尚需|较高|较低|短板|需进一步|困难|不强|单一")
    checked = 0
    for e in _manifest(corpus):
        lines = [ln for ln in _text(corpus, e["file"]).split("\n") if ln.strip()]
        for i, ln in enumerate(lines):
            if H1_LINE.match(ln) and re.search(r"不足|存在问题", ln) and len(ln) < 60:
                for body in lines[i + 1:]:
                    if H1_LINE.match(body):
                        break
                    assert lacking.search(body), (e["file"], body[:40])
                    checked += 1
    assert checked > 20


def test_paragraphs_per_report_sets_the_average(tmp_path):
    assert main(["--reports", "30", "--seed", "1", "--out", str(tmp_path),
                 "--paragraphs-per-report", "20"]) == 0
    counts = [e["paragraphs"] for e in _manifest(tmp_path)]
    assert 14 <= sum(counts) / len(counts) <= 26
