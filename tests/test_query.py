import pytest

from index.model import LEVELS, SECTIONS
from index.normalize import match_form
from searcher.query import (
    FILTER_FIELDS, And, Filter, Not, Or, QueryError, Term, normalize_filter, parse_query,
    positive_terms, short_place_name,
)


def T(raw):
    return Term(match_form(raw), raw)


# ------------------------------------------------------------------ terms and operators

def test_whitespace_separated_terms_are_anded():
    assert parse_query("法治 政府") == And((T("法治"), T("政府")))
    # the ideographic space typed by a Chinese input method separates too
    assert parse_query("法治\u3000政府") == And((T("法治"), T("政府")))


def test_single_term_stands_alone():
    assert parse_query("  出庭应诉  ") == T("出庭应诉")


def test_quoted_phrase_keeps_its_spaces_out_of_the_match_form():
    node = parse_query('"法 治政府"')
    assert node == Term("法治政府", "法 治政府")


def test_terms_are_normalized_after_tokenizing():
    assert parse_query("ＡＢＣ１２３").text == "abc123"          # full-width -> half-width, casefold
    assert parse_query("出庭應訴").text == "出庭应诉"              # Traditional -> Simplified
    assert parse_query("100％").text == "100%"


def test_full_width_parentheses_are_literal_text_ascii_ones_group():
    assert parse_query("（一）") == Term("(一)", "（一）")
    assert parse_query("(一)") == T("一")
    assert parse_query("（一） (一)") == And((Term("(一)", "（一）"), T("一")))
    assert parse_query('"(一)"') == Term("(一)", "(一)")


def test_curly_and_full_width_quotes_are_literal_text():
    assert parse_query("“最多跑一次”") == Term("“最多跑一次”", "“最多跑一次”")
    # full-width ＂ is text even though NFKC turns it into an ASCII quote
    assert parse_query("＂法治＂") == Term('"法治"', "＂法治＂")


def test_or_binds_tighter_than_implicit_and():
    assert parse_query("a OR b c") == And((Or((T("a"), T("b"))), T("c")))
    assert parse_query("a b OR c") == And((T("a"), Or((T("b"), T("c")))))
    assert parse_query("a OR b OR c") == Or((T("a"), T("b"), T("c")))


def test_lower_case_or_and_not_are_terms():
    assert parse_query("a or b") == And((T("a"), T("or"), T("b")))
    assert parse_query("a not b") == And((T("a"), T("not"), T("b")))
    assert parse_query('a "OR" b') == And((T("a"), T("OR"), T("b")))


def test_parentheses_group():
    assert parse_query("(a OR b) (c OR d)") == And((Or((T("a"), T("b"))), Or((T("c"), T("d")))))
    assert parse_query("a (b c)") == And((T("a"), T("b"), T("c")))
    assert parse_query("((a))") == T("a")


def test_negation_forms():
    assert parse_query("a -b") == And((T("a"), Not(T("b"))))
    assert parse_query("a NOT b") == And((T("a"), Not(T("b"))))
    assert parse_query('a -"b c"') == And((T("a"), Not(Term("bc", "b c"))))
    assert parse_query("c -(a OR b)") == And((T("c"), Not(Or((T("a"), T("b"))))))
    assert parse_query("a NOT NOT b") == And((T("a"), T("b")))


def test_hyphen_inside_a_word_is_text():
    assert parse_query("2020-2023").text == "2020-2023"
    assert parse_query("一网通办-").text == "一网通办-"
    assert parse_query("－罚款") == Term("-罚款", "－罚款")    # full-width minus is text


def test_colon_words_that_are_not_fields_are_text():
    assert parse_query("12:30").text == "12:30"
    assert parse_query("https://www.gov.cn/x").text == "https://www.gov.cn/x"
    assert parse_query("年份:2023").text == "年份:2023"
    assert parse_query("year：2023").text == "year:2023"          # full-width colon is text
    assert parse_query('"foo:bar"').text == "foo:bar"


# ------------------------------------------------------------------ field filters

def test_year_single_and_range():
    assert parse_query("year:2023") == Filter("year", ("2023",))
    assert parse_query("year:2020-2023") == Filter("year", ("2020", "2021", "2022", "2023"))
    assert normalize_filter("year", "２０２２") == ("2022",)


@pytest.mark.parametrize("value", ["2023-2020", "abc", "20-30", "123", "2023-", "3023"])
def test_bad_years_are_errors(value):
    with pytest.raises(QueryError):
        parse_query(f"法治 year:{value}")


def test_province_normalizes_to_short_form():
    assert parse_query("province:浙江省") == Filter("province", ("浙江",))
    assert parse_query("province:广西壮族自治区") == Filter("province", ("广西",))
    assert parse_query("province:新疆维吾尔自治区") == Filter("province", ("新疆",))
    assert parse_query("province:上海市") == Filter("province", ("上海",))
    assert parse_query("province:内蒙古") == Filter("province", ("内蒙古",))
    assert parse_query("province:廣東省") == Filter("province", ("广东",))


def test_unknown_province_is_an_error():
    with pytest.raises(QueryError, match="province"):
        parse_query("province:火星")


def test_city_normalizes_to_short_form():
    assert parse_query("city:温州市") == Filter("city", ("温州",))
    assert parse_query("city:温州") == Filter("city", ("温州",))
    assert parse_query("city:黔东南苗族侗族自治州") == Filter("city", ("黔东南",))
    assert parse_query("city:锡林郭勒盟") == Filter("city", ("锡林郭勒",))
    assert parse_query("city:溫州") == Filter("city", ("温州",))


def test_city_names_that_are_not_prefectures_explain_themselves():
    with pytest.raises(QueryError, match="province:北京"):
        parse_query("city:北京市")
    with pytest.raises(QueryError, match="金华"):
        parse_query("city:义乌市")


def test_city_unknown_to_the_gazetteer_is_shortened_by_rule():
    assert parse_query("city:青松市") == Filter("city", ("青松",))


def test_short_place_name_rules():
    assert short_place_name("某某省") == "某某"
    assert short_place_name("某某壮族自治区") == "某某"
    assert short_place_name("某某地区") == "某某"
    assert short_place_name("某某") == "某某"


def test_level_short_forms():
    assert parse_query("level:县") == Filter("level", ("县级",))
    assert parse_query("level:乡镇") == Filter("level", ("乡镇级",))
    assert parse_query("level:省级") == Filter("level", ("省级",))
    for level in LEVELS:
        assert normalize_filter("level", level) == (level,)
    with pytest.raises(QueryError, match="县级"):
        parse_query("level:部委")


def test_section_canonical_and_short_forms():
    assert parse_query("section:不足") == Filter("section", ("存在的不足和原因",))
    assert parse_query("section:下一年度") == Filter("section", ("下一年度工作安排",))
    for section in SECTIONS:
        assert normalize_filter("section", section) == (section,)
    with pytest.raises(QueryError):
        parse_query("section:火星计划")


def test_issuer_type_issuer_title():
    assert parse_query("issuer_type:政府") == Filter("issuer_type", ("政府",))
    assert parse_query("issuer_type:部门") == Filter("issuer_type", ("部门",))
    with pytest.raises(QueryError):
        parse_query("issuer_type:法院")
    assert parse_query("issuer:司法局") == Filter("issuer", ("司法局",))
    assert parse_query('title:"法治 政府"') == Filter("title", ("法治政府",))


def test_field_names_are_case_insensitive_and_quoted_values_work():
    assert parse_query("YEAR:2023") == Filter("year", ("2023",))
    assert parse_query('section:"存在的不足和原因"') == Filter("section", ("存在的不足和原因",))


def test_filters_combine_with_terms_and_negation():
    assert parse_query("出庭应诉 year:2023 -province:浙江") == And((
        T("出庭应诉"), Filter("year", ("2023",)), Not(Filter("province", ("浙江",)))))
    assert parse_query("year:2022 OR year:2023") == Or((
        Filter("year", ("2022",)), Filter("year", ("2023",))))


def test_a_filter_alone_is_a_query():
    assert parse_query("year:2023") == Filter("year", ("2023",))


def test_unknown_field_lists_the_fields():
    with pytest.raises(QueryError) as e:
        parse_query("foo:bar")
    message = str(e.value)
    assert "foo" in message
    assert all(field in message for field in FILTER_FIELDS)


def test_normalize_filter_rejects_unknown_fields_and_empty_values():
    with pytest.raises(QueryError):
        normalize_filter("colour", "red")
    with pytest.raises(QueryError):
        normalize_filter("issuer", "   ")


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("query", [
    "", "   ", "OR", "NOT", "a OR", "OR a", "a OR OR b", "NOT OR a", "-",
    '"unclosed', 'a "b', "(a", "a)", "(a OR b", "()", "a ( ) b",
    "foo:bar", "year:", "year:2024-2020",
    "-a", "NOT a", "-a -b", "-(a OR b)", "-year:2023",
    '" "', '"\u3000"', "a - b",
])
def test_errors_are_one_clear_sentence(query):
    with pytest.raises(QueryError) as e:
        parse_query(query)
    message = str(e.value)
    assert message and "\n" not in message and "Traceback" not in message
    assert message.rstrip().endswith(("。", "）", ")"))


def test_specific_error_messages():
    with pytest.raises(QueryError, match="引号"):
        parse_query('法治 "政府')
    with pytest.raises(QueryError, match="括号"):
        parse_query("(法治 政府")
    with pytest.raises(QueryError, match="排除"):
        parse_query("-法治")


def test_max_chars():
    parse_query("法" * 500)
    with pytest.raises(QueryError, match="500"):
        parse_query("法" * 501)
    with pytest.raises(QueryError):
        parse_query("法治 政府", max_chars=3)


def test_query_error_is_a_value_error():
    assert issubclass(QueryError, ValueError)


# ------------------------------------------------------------------ positive_terms

def test_positive_terms_skip_negations_dedupe_and_sort_longest_first():
    node = parse_query('法治 出庭应诉率 -罚款 (法治 OR 应诉) NOT (复议 OR "行政 诉讼") year:2023')
    assert positive_terms(node) == ["出庭应诉率", "法治", "应诉"]


def test_positive_terms_are_match_forms():
    assert positive_terms(parse_query("出庭應訴 １００％")) == ["出庭应诉", "100%"]


def test_positive_terms_of_a_filter_only_query_is_empty():
    assert positive_terms(parse_query("year:2023 province:浙江")) == []


def test_negated_field_with_quoted_value_and_trailing_group():
    assert parse_query('法治 -title:"法治 政府"') == And((T("法治"), Not(Filter("title", ("法治政府",)))))
    assert parse_query("法治 -(year:2022 OR 复议)") == And((
        T("法治"), Not(Or((Filter("year", ("2022",)), T("复议"))))))


# ---------------------------------------------------------------- proximity and synonyms

def test_proximity_binds_looser_than_or_and_tighter_than_and():
    from searcher.query import Near
    node = parse_query("复议 OR 诉讼 /s 败诉率 year:2023")
    assert isinstance(node, And)
    near, year = node.items
    assert near == Near((Or((T("复议"), T("诉讼"))), T("败诉率")), "s")
    assert isinstance(year, Filter)
    assert parse_query("出庭 NEAR/5 应诉") == Near((T("出庭"), T("应诉")), 5)
    assert parse_query("出庭 near/5 应诉") == Near((T("出庭"), T("应诉")), 5)
    assert parse_query("a /s b /s c") == Near((T("a"), T("b"), T("c")), "s")
    # /p is "one paragraph", which is what AND already means for paragraph hits
    assert parse_query("a /p b") == And((T("a"), T("b")))


def test_proximity_words_are_text_when_quoted_or_inside_a_word():
    assert parse_query('"/s"') == T("/s")
    assert parse_query("a/s") == T("a/s")
    assert parse_query('"NEAR/5"') == T("NEAR/5")
    assert parse_query('"~"') == T("~")


@pytest.mark.parametrize("query,says", [
    ("a /s", "后面缺少"), ("/s a", "前面缺少"), ("a NEAR/5 b NEAR/5 c", "两个词"),
    ("a /s -b", "两边只能是词"), ("a /s year:2023", "两边只能是词"), ("a /s (b c)", "两边只能是词"),
    ("a NEAR/x b", "距离"), ("a /s b NEAR/2 c", "同一种运算符"), ("~", "波浪号"),
])
def test_malformed_proximity_and_synonym_queries_say_what_is_wrong(query, says):
    with pytest.raises(QueryError) as e:
        parse_query(query)
    assert says in str(e.value)


def test_synonym_table_is_symmetric_unions_sets_and_compares_match_forms():
    from searcher.query import synonym_table
    table = synonym_table([["出庭应诉率", "應訴出庭率", "出庭率"], ["出庭率", "到庭率"]])
    assert set(table["出庭应诉率"]) == {"應訴出庭率", "出庭率"}
    assert set(table["应诉出庭率"]) == {"出庭应诉率", "出庭率"}       # Traditional key found
    assert set(table["出庭率"]) == {"出庭应诉率", "應訴出庭率", "到庭率"}   # in two sets
    assert "到庭率" not in table["出庭应诉率"]                        # not transitive


def test_tilde_expands_only_with_a_table_and_each_synonym_is_an_exact_term():
    from searcher.query import synonym_table
    table = synonym_table([["行政复议", "复议"]])
    assert parse_query("~行政复议", synonyms=table) == Or((T("行政复议"), T("复议")))
    assert parse_query("~行政复议") == T("行政复议")         # no table: the term itself
    assert parse_query("~败诉率", synonyms=table) == T("败诉率")  # no synonyms: itself
