"""Exact search finds exactly the paragraphs a substring scan finds, with exact counts."""
from __future__ import annotations

import random

import pytest

from engine_corpus import (fake_pipeline, make_corpus, read_fake_report, seed_paragraphs,
                           write_report_file)
from index.normalize import match_form
from searcher.query import (And, Filter, Near, Not, Or, Term, normalize_filter, parse_query,
                            synonym_table)

FACETS = ("year", "province", "level", "section", "issuer_type")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(searcher, oracle rows) for ~150 generated reports plus a Traditional one."""
    root = tmp_path_factory.mktemp("exact")
    make_corpus(root / "c", 150, seed=11)
    trad = [(k, _to_traditional(t)) for k, t in
            seed_paragraphs()[:25]]
    trad.append(("text", "行政機關負責人出庭應訴率達100％，敗訴率為8.73%。"))
    write_report_file(root / "c" / "trad.rpt",
                      {"title": "某縣人民政府關於2022年法治政府建設情況的報告", "year": 2022,
                       "province": "台湾", "level": "县级", "traditional": 1}, trad)
    with fake_pipeline():
        from index.writer import update_index
        summary = update_index([root / "c"], root / "ix")
    assert not summary.failed
    from searcher import open_searcher
    s = open_searcher(root / "ix")
    rows = []
    for f in sorted((root / "c").glob("*.rpt")):
        r = read_fake_report(f)
        m = r.meta
        for p in r.paragraphs:
            rows.append({"id": p.id, "mf": match_form(p.text),
                         "year": str(m.year or ""), "province": m.province or "",
                         "city": m.city or "", "level": m.level or "",
                         "section": p.section, "issuer_type": m.issuer_type or "",
                         "issuer": match_form(m.issuer or ""),
                         "title": match_form(m.title or "")})
    return s, rows


def _to_traditional(text: str) -> str:
    import opencc
    return opencc.OpenCC("s2t").convert(text)


def _oracle_match(node, row) -> bool:
    if isinstance(node, Term):
        return node.text in row["mf"]
    if isinstance(node, Filter):
        if node.field in ("issuer", "title"):
            return any(v in row[node.field] for v in node.values)
        return row[node.field] in node.values
    if isinstance(node, Not):
        return not _oracle_match(node.item, row)
    if isinstance(node, And):
        return all(_oracle_match(i, row) for i in node.items)
    if isinstance(node, Or):
        return any(_oracle_match(i, row) for i in node.items)
    if isinstance(node, Near):
        return _oracle_near(node, row["mf"])
    raise AssertionError(node)


def _words(operand) -> list[str]:
    return [t.text for t in (operand.items if isinstance(operand, Or) else (operand,))]


def _oracle_near(node, text: str) -> bool:
    """Brute force: every sentence (split at every 。!?;), every pair of character positions."""
    groups = [_words(i) for i in node.items]
    if node.within == "s":
        cuts = [-1] + [i for i, c in enumerate(text) if c in "。!?;"] + [len(text)]
        parts = [text[a + 1:b] for a, b in zip(cuts, cuts[1:])]
        return any(all(any(w in part for w in g) for g in groups) for part in parts)
    n = node.within
    spans = [[(i, i + len(w)) for w in g for i in range(len(text)) if text.startswith(w, i)]
             for g in groups]
    # characters strictly between the two spans, or overlapping (gap <= 0)
    return any(max(b0 - a1, a0 - b1) <= n for a0, a1 in spans[0] for b0, b1 in spans[1])


def _check(searcher, rows, query, filters=None):
    node = parse_query(query, synonyms=searcher.synonyms)
    # Facet filters from `filters` and the query's top-level facet filters: each facet's
    # counts ignore its own filters (disjunctive facets); the hits honour all of them.
    facet_filters = [(f, {x for v in vals for x in normalize_filter(f, v)})
                     for f, vals in (filters or {}).items()]
    items = node.items if isinstance(node, And) else (node,)
    core = [i for i in items if not (isinstance(i, Filter) and i.field in FACETS)]
    facet_filters += [(i.field, set(i.values)) for i in items
                      if isinstance(i, Filter) and i.field in FACETS]

    def passes(row, skip=None):
        return all(row[f] in vals for f, vals in facet_filters if f != skip)

    base = [r for r in rows if all(_oracle_match(i, r) for i in core)]
    expected = {r["id"] for r in base if passes(r)}
    res = searcher.search(query, filters=filters, limit=None)
    got = [h["id"] for h in res["hits"]]
    assert len(got) == len(set(got)), query
    assert set(got) == expected, \
        f"{query!r}: missing {expected - set(got)}, extra {set(got) - expected}"
    assert res["total"] == len(expected)
    for f in FACETS:
        want = {}
        for r in base:
            if passes(r, skip=f) and r[f]:
                want[r[f]] = want.get(r[f], 0) + 1
        assert res["facets"][f] == want, (query, f)


DOMAIN = ["出庭应诉率", "败诉率", "行政执法", "合法性审查", "一网通办", "首违不罚", "法治",
          "100%", "100％", "8.73%", "“最多跑一次”", "（一）", "(一)", "法 治政府",
          "出庭應訴率", "敗訴率", "X", "2023年", "。", "、", "依法"]


@pytest.mark.parametrize("query", DOMAIN)
def test_domain_terms_match_exactly_like_a_substring_scan(corpus, query):
    s, rows = corpus
    _check(s, rows, f'"{query}"' if " " in query else query)


def test_random_substrings_across_word_boundaries(corpus):
    s, rows = corpus
    rng = random.Random(3)
    for _ in range(40):
        mf = rng.choice(rows)["mf"]
        n = rng.randint(1, 8)
        if len(mf) <= n:
            continue
        i = rng.randrange(len(mf) - n)
        q = mf[i:i + n]
        if any(c in q for c in '"()') or q.upper() in ("OR", "NOT") or q.startswith("-") \
                or ":" in q:
            continue
        _check(s, rows, q)


@pytest.mark.parametrize("query", [
    "行政执法 合法性审查", "出庭应诉 OR 败诉率", "法治 -行政执法", "法治 NOT 行政执法",
    "(出庭应诉 OR 复议) 100%", "year:2023 法治", "year:2021-2023 province:浙江",
    "level:县级 合法性审查", "issuer:司法局 执法", "title:2022 法治", "section:不足 问题",
    "city:温州 OR city:淮南", "-法治 year:2024",
])
def test_boolean_queries_and_filters(corpus, query):
    s, rows = corpus
    _check(s, rows, query)


@pytest.mark.parametrize("query,filters", [
    ("法治", {"year": ["2022", "2023"]}),
    ("行政执法", {"province": ["浙江"], "level": ["市级", "县级"]}),
    ("依法", {"section": ["存在的不足和原因"], "issuer_type": ["部门"]}),
    ("year:2023 法治", {"year": ["2020"]}),
])
def test_facet_filters_are_exact_and_disjunctive(corpus, query, filters):
    s, rows = corpus
    _check(s, rows, query, filters)


def test_filter_only_query_lists_every_matching_paragraph(corpus):
    s, rows = corpus
    _check(s, rows, "year:2022")
    _check(s, rows, "province:内蒙古自治区")


def _random_term(rng, rows, max_len=4) -> str | None:
    mf = rng.choice(rows)["mf"]
    n = rng.randint(1, max_len)
    if len(mf) <= n:
        return None
    i = rng.randrange(len(mf) - n)
    q = mf[i:i + n]
    return f'"{q}"' if not any(c in q for c in '"()~/') and ":" not in q else None


@pytest.mark.parametrize("op", ["/s", "/p", "NEAR/0", "NEAR/3", "NEAR/12", "NEAR/40"])
def test_proximity_operators_equal_a_brute_force_check(corpus, op):
    """Random pairs of terms, most from one paragraph (so that some sentences hold both),
    some from anywhere; every answer is the brute-force set, counts and ids."""
    s, rows = corpus
    rng = random.Random(hash(op) % 1000)
    asked = 0
    while asked < 25:
        row = rng.choice(rows)
        a = _random_term(rng, [row]) if rng.random() < 0.7 else _random_term(rng, rows)
        b = _random_term(rng, [row])
        if not a or not b:
            continue
        _check(s, rows, f"{a} {op} {b}")
        asked += 1


@pytest.mark.parametrize("op", ["/s", "NEAR/0", "NEAR/5"])
def test_proximity_of_operands_written_next_to_each_other_equals_a_brute_force_check(corpus, op):
    """Operands that some paragraphs hold one right after the other (the index settles those
    without reading them), in both orders, with sentence ends inside or between them."""
    s, rows = corpus
    rng = random.Random(len(op))
    asked = 0
    while asked < 25:
        mf = rng.choice(rows)["mf"]
        i = rng.randrange(max(1, len(mf) - 8))
        k, m = rng.randint(1, 4), rng.randint(1, 4)
        a, b = mf[i:i + k], mf[i + k:i + k + m]
        if not a or not b or any(c in a + b for c in '"()~/:'):
            continue
        first, second = (a, b) if rng.random() < 0.5 else (b, a)
        _check(s, rows, f'"{first}" {op} "{second}"')
        asked += 1


def test_proximity_with_or_groups_chains_and_filters(corpus):
    s, rows = corpus
    for q in ["(出庭应诉 OR 败诉率) /s 100%", "法治 /s 政府 /s 建设", "依法 /s 行政 year:2023",
              "行政 NEAR/5 执法 -合法性审查", "审查 NEAR/2 (合法性 OR 备案)",
              "(法治 /s 政府) OR 复议", "~出庭应诉率 /s 100%"]:
        _check(s, rows, q)


def test_tilde_expands_a_term_to_its_configured_synonyms_each_exact(corpus):
    s, rows = corpus
    sets = s.config["search"]["synonyms"]
    assert sets, "the shipped configuration has synonym sets"
    table = synonym_table(sets)
    for group in sets[:6]:
        word = group[0]
        res = s.search("~" + word, limit=None)
        want = {match_form(word)} | {match_form(w) for w in table[match_form(word)]}
        expected = {r["id"] for r in rows if any(w in r["mf"] for w in want)}
        assert {h["id"] for h in res["hits"]} == expected, word
        assert res["total"] == len(expected)


def test_fuzzy_mode_finds_what_each_synonym_finds(corpus):
    s, rows = corpus
    for group in s.config["search"]["synonyms"][:6]:
        exact = {h["id"] for h in s.search("~" + group[0], limit=None)["hits"]}
        fuzzy = {h["id"] for h in s.search(group[0], mode="fuzzy", limit=None)["hits"]}
        assert exact <= fuzzy, (group[0], sorted(exact - fuzzy)[:5])
