import re

from searcher.highlight import highlight, match_spans, snippet


def visible(html_text: str) -> str:
    """What a browser shows: tags removed, entities counted as one character."""
    text = re.sub(r"</?mark>", "", html_text)
    return re.sub(r"&(?:lt|gt|amp|quot|#x27);", "x", text)


def marked(html_text: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html_text)


def test_script_in_a_report_line_is_escaped_and_only_our_marks_are_tags():
    text = "加强执法<script>alert(1)</script>监督，“两法衔接”&公开"
    out = highlight(text, ["执法"])
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&amp;" in out
    assert re.findall(r"<[^>]*>", out) == ["<mark>", "</mark>"]


def test_quotes_are_escaped_too():
    out = highlight('他说"法治"\'好\'', ["法治"])
    assert '"' not in out.replace("<mark>", "").replace("</mark>", "")
    assert "'" not in out


def test_overlapping_terms_merge_into_one_mark():
    text = "行政机关负责人出庭应诉率达到100%。"
    assert marked(highlight(text, ["出庭应诉", "应诉率"])) == ["出庭应诉率"]


def test_every_occurrence_is_marked():
    text = "法治政府建设，建设法治政府，法治"
    assert marked(highlight(text, ["法治"])) == ["法治", "法治", "法治"]


def test_traditional_display_text_is_marked_for_simplified_query():
    text = "本年度行政機關負責人出庭應訴率為100%"
    assert marked(highlight(text, ["出庭应诉率"])) == ["出庭應訴率"]


def test_full_width_and_half_width_match_each_other():
    assert marked(highlight("复议纠错率100％，", ["100%"])) == ["100％"]
    assert marked(highlight("复议纠错率100%，", ["100％"])) == ["100%"]
    assert marked(highlight("ＡＰＰ上线", ["app"])) == ["ＡＰＰ"]


def test_whitespace_inside_the_display_text_is_covered_by_one_mark():
    text = "推进法 治政府建设"
    assert match_spans(text, ["法治政府"]) == [(2, 7)]
    assert marked(highlight(text, ["法治政府"])) == ["法 治政府"]


def test_characters_whose_normal_form_changes_length():
    # ㈠ is "(一)" after NFKC, ß is "ss" after casefold: spans still land on display chars
    text = "见㈠项 Straße 法治"
    assert marked(highlight(text, ["(一)"])) == ["㈠"]
    assert marked(highlight(text, ["strasse"])) == ["Straße"]
    assert marked(highlight(text, ["法治"])) == ["法治"]
    assert marked(highlight(text, ["s"])) == ["S", "ß"]


def test_combining_marks_stay_with_their_letter():
    text = "Cafe\u0301 法治"
    assert marked(highlight(text, ["café"])) == ["Cafe\u0301"]


def test_no_terms_or_no_match():
    assert match_spans("法治政府", []) == []
    assert match_spans("法治政府", ["复议"]) == []
    assert highlight("a<b", []) == "a&lt;b"


def test_spans_are_sorted_and_disjoint():
    text = "应诉 出庭应诉 复议 应诉率"
    spans = match_spans(text, ["复议", "应诉", "出庭"])
    assert spans == sorted(spans)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))


LONG = ("前面的内容。" * 60) + "行政机关负责人出庭应诉率达到100%。" + ("后面的内容，" * 60)


def test_snippet_contains_the_first_match_and_respects_width():
    for width in (40, 80, 160):
        out = snippet(LONG, ["出庭应诉"], width)
        assert "<mark>出庭应诉</mark>" in out
        assert len(visible(out)) <= width + 2
        assert out.startswith("…") and out.endswith("…")


def test_snippet_of_the_first_match_when_there_are_several():
    text = "甲" * 300 + "复议一" + "乙" * 300 + "复议二"
    out = snippet(text, ["复议"], 60)
    assert "复议一" in visible(out) and "复议二" not in out


def test_snippet_never_cuts_a_mark_or_an_escape():
    text = "<b>" * 50 + "出庭应诉" + "&" * 20 + "应诉率" * 30
    for width in range(10, 120, 7):
        out = snippet(text, ["出庭应诉", "应诉率"], width)
        assert out.count("<mark>") == out.count("</mark>")
        inner = re.sub(r"</?mark>", "", out)
        # every & starts a whole entity
        assert not re.search(r"&(?!(?:lt|gt|amp|quot|#x27);)", inner)
        assert "<" not in inner and ">" not in inner
        assert len(visible(out)) <= width + 2


def test_snippet_without_a_match_is_the_start_of_the_text():
    out = snippet("第一句话。" * 100, ["复议"], 30)
    assert out.startswith("第一句话") and out.endswith("…")
    assert len(visible(out)) == 31


def test_short_text_snippet_has_no_ellipsis():
    assert snippet("坚持依法行政<法治>", ["依法"]) == "坚持<mark>依法</mark>行政&lt;法治&gt;"


def test_snippet_near_the_end_fills_the_window_before_the_match():
    text = "前文" * 100 + "出庭应诉"
    out = snippet(text, ["出庭应诉"], 50)
    assert out.endswith("<mark>出庭应诉</mark>")
    assert len(visible(out)) == 51


def test_traditional_and_simplified_forms_mark_each_other():
    # one character table on both sides, like the index: no context-dependent phrase rules
    assert marked(highlight("頭髮", ["头发"])) == ["頭髮"]
    assert marked(highlight("头发", ["頭髮"])) == ["头发"]
    assert marked(highlight("乾隆年間", ["乾"])) == ["乾"]


def test_marks_agree_with_the_match_form_on_mixed_text():
    # texts built from pieces whose normal forms differ from what is displayed
    import random
    from index.normalize import match_form
    pieces = ["法", "治", " ", "政府", "（一）", "㈠", "％", "100", "應訴", "应诉", "Ａ", "a",
              "ß", "ss", "\u3000", "<", "&"]
    terms = ["法治政府", "100%", "(一)", "应诉", "ass", "a<"]
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        form = match_form(text)
        for term in terms:
            spans = match_spans(text, [term])
            assert bool(spans) == (term in form), (text, term)
            for s, e in spans:
                assert term in match_form(text[s:e]), (text, term, s, e)


def test_snippet_starts_at_a_clause_boundary_when_no_sentence_starts_nearby():
    text = "甲" * 200 + "，各单位落实行政机关负责人出庭应诉制度" + "乙" * 200
    out = snippet(text, ["出庭应诉"], 60)
    assert visible(out).startswith("…各单位落实")
    # no boundary at all: a cut, marked by the ellipsis
    out = snippet("甲" * 200 + "出庭应诉" + "乙" * 200, ["出庭应诉"], 60)
    assert out.startswith("…甲")


def test_marks_land_on_the_display_characters_for_every_kind_of_character():
    """Every occurrence of a term's match form, found by brute force over the text's own
    characters (each normalized on its own, combining marks with their base), is marked over
    exactly the display characters it came from: full-width digits, Traditional characters,
    spaces inside words, ㈠ and ß that expand, é written with a combining accent."""
    import random
    import unicodedata

    from index.normalize import match_form, text_units

    alphabet = list("法治政府出庭应诉應訴率１００％100%，。、（一）ABab ß㈠\u3000\u200b國務院") + ["e\u0301"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
        term = rng.choice(["出庭应诉", "100%", "(一)", "ss", "国务院", "法治", "é", "ab"])
        chars, owners = [], []
        for start, end in text_units(text):
            for ch in match_form(text[start:end]):
                chars.append(ch)
                owners.append((start, end))
        form = "".join(chars)
        want = [(owners[i][0], owners[i + len(term) - 1][1])
                for i in range(len(form)) if form.startswith(term, i)]
        got = match_spans(text, [term])
        merged = []
        for s, e in sorted(want):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        assert got == merged, (text, term)
