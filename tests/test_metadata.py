"""Metadata extraction on the seeds and on reports composed in the styles of real portals."""
import json
from pathlib import Path

import pytest

from index.metadata import extract_metadata, parse_date
from index.normalize import display_form

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

BODY = ("坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻习近平法治思想,"
        "全面推进严格规范公正文明执法,法治政府建设取得积极成效。")


def meta_of(text: str, body_start=None):
    lines = [display_form(x) for x in text.splitlines()]
    return extract_metadata([x for x in lines if x], body_start)


def seed(prefix: str):
    path = next(SEEDS.glob(prefix + "_*.txt"))
    return meta_of(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ the five seeds

def test_seed_district_report_with_chrome_line():
    m = seed("000")
    assert (m.province, m.city, m.level, m.year) == ("安徽", "淮南", "县级", 2023)
    assert m.published == "2024-03-29"
    assert m.source == "区司法局"
    assert m.issuer == "大通区人民政府" and m.issuer_type == "政府"
    assert m.title.startswith("大通区人民政府关于2023年") and not m.title_derived


def test_seed_street_under_municipality_with_split_title():
    m = seed("001")
    assert (m.province, m.city, m.level, m.year) == ("重庆", None, "乡镇级", 2023)
    assert (m.published, m.dated) == ("2024-03-15", "2024-01-19")
    # The split document title is fuller than the page title and wins.
    assert m.title == "重庆市渝北区人民政府两路街道办事处关于2023年度法治政府建设情况的报告"
    assert m.issuer_type == "政府"


def test_seed_report_about_previous_year_mentioning_next_years_plan():
    m = seed("002")
    assert (m.province, m.city, m.level, m.year) == ("浙江", "温州", "县级", 2019)
    assert m.published == "2020-03-23"
    assert m.source == "瑞安市人民政府"


def test_seed_without_title_gets_a_derived_one():
    m = seed("003")
    assert (m.province, m.city, m.level, m.year) == ("江苏", "常州", "县级", 2024)
    assert m.published is None and m.dated == "2025-02-21"
    assert m.issuer == "常州市天宁区人民政府"
    assert m.title_derived and "常州市天宁区人民政府" in m.title and "2024" in m.title


def test_seed_ambiguous_town_resolved_from_context():
    m = seed("004")
    assert (m.province, m.city, m.level, m.year) == ("浙江", "台州", "乡镇级", 2022)


# ------------------------------------------------------------------ levels and places

def test_provincial_government_report():
    m = meta_of(f"""浙江省人民政府关于2022年法治政府建设情况的报告
发布日期:2023-03-30 信息来源:省司法厅
2022年,全省{BODY}
浙江省人民政府
2023年3月28日""")
    assert (m.province, m.city, m.level, m.issuer_type) == ("浙江", None, "省级", "政府")
    assert (m.year, m.published, m.dated) == (2022, "2023-03-30", "2023-03-28")
    assert m.source == "省司法厅"


def test_city_department_published_in_january():
    m = meta_of(f"""宁波市司法局2021年法治政府建设年度报告
来源:宁波市司法局 发布时间:2022/01/18 09:30:00 浏览次数:
2021年,市司法局{BODY}""")
    assert (m.province, m.city, m.level) == ("浙江", "宁波", "市级")
    assert (m.issuer, m.issuer_type) == ("宁波市司法局", "部门")
    assert (m.year, m.published, m.source) == (2021, "2022-01-18", "宁波市司法局")


def test_county_level_city_department_takes_county_level():
    m = meta_of(f"义乌市市场监督管理局2023年法治政府建设年度报告\n2023年,我局{BODY}")
    assert (m.province, m.city, m.level, m.issuer_type) == ("浙江", "金华", "县级", "部门")


def test_banner_in_inner_mongolia():
    m = meta_of(f"阿拉善左旗人民政府关于2023年度法治政府建设工作情况的报告\n2023年,全旗{BODY}")
    assert (m.province, m.city, m.level) == ("内蒙古", "阿拉善", "县级")


def test_autonomous_prefecture_is_city_level():
    m = meta_of(f"延边朝鲜族自治州人民政府2022年法治政府建设年度报告\n2022年,全州{BODY}")
    assert (m.province, m.city, m.level) == ("吉林", "延边", "市级")


def test_xinjiang_prefecture_area_administration():
    m = meta_of(f"和田地区行政公署关于2021年法治政府建设情况的报告\n2021年,地区行署{BODY}")
    assert (m.province, m.city, m.level, m.issuer_type) == ("新疆", "和田", "市级", "政府")


def test_autonomous_region_department():
    m = meta_of(f"广西壮族自治区司法厅2023年法治政府建设年度报告\n2023年,自治区司法厅{BODY}")
    assert (m.province, m.city, m.level, m.issuer_type) == ("广西", None, "省级", "部门")


def test_province_administered_city():
    m = meta_of(f"仙桃市人民政府2020年法治政府建设年度报告\n2020年,全市{BODY}")
    assert (m.province, m.city, m.level) == ("湖北", None, "县级")


def test_street_under_municipality_district():
    m = meta_of(f"上海市浦东新区陆家嘴街道办事处2023年法治政府建设情况报告\n2023年,街道{BODY}")
    assert (m.province, m.city, m.level, m.issuer_type) == ("上海", None, "乡镇级", "政府")


@pytest.mark.parametrize("context, province, city", [
    ("在北京市委、市政府的坚强领导下,区政府服务首都发展大局,", "北京", None),
    ("在长春市委、市政府的坚强领导下,区政府", "吉林", "长春"),
])
def test_same_district_name_in_two_cities_resolved_by_context(context, province, city):
    m = meta_of(f"朝阳区人民政府关于2022年法治政府建设情况的报告\n2022年,{context}{BODY}")
    assert (m.province, m.city, m.level) == (province, city, "县级")


def test_ambiguous_name_without_context_stays_unknown():
    m = meta_of(f"鼓楼区人民政府关于2022年法治政府建设情况的报告\n2022年,区政府{BODY}")
    assert (m.province, m.city) == (None, None)
    assert m.level == "县级"


def test_ambiguous_town_resolved_by_its_county_named_in_the_text():
    m = meta_of(f"新塘镇2023年法治政府建设年度报告\n2023年,在增城区委、区政府的领导下,{BODY}")
    assert (m.province, m.city, m.level) == ("广东", "广州", "乡镇级")


def test_addressee_line_resolves_district_and_signature_gives_issuer():
    m = meta_of(f"""南京市人民政府:
2023年,在市委、市政府的坚强领导下,区政府{BODY}
一、主要举措和成效
(一)深化改革。{BODY}
鼓楼区人民政府
2024年2月6日""")
    assert (m.province, m.city, m.level) == ("江苏", "南京", "县级")
    assert (m.issuer, m.dated, m.year) == ("鼓楼区人民政府", "2024-02-06", 2023)
    assert m.title_derived and m.title.startswith("鼓楼区人民政府2023年")


def test_slogan_names_province_of_ambiguous_district():
    m = meta_of(f"普陀区人民政府2022年法治政府建设年度报告\n2022年,我区深入推进法治浙江建设,{BODY}")
    assert (m.province, m.city) == ("浙江", "舟山")


# ------------------------------------------------------------------ titles and issuers

def test_title_split_over_issuer_and_subject_lines_is_joined():
    m = meta_of(f"""首页 > 政务公开 > 法治政府建设
建外街道办事处
关于2023年度法治政府建设情况的报告
日期:2024-02-01
2023年,街道{BODY}""")
    assert m.title == "建外街道办事处关于2023年度法治政府建设情况的报告"
    assert (m.province, m.level, m.issuer_type) == ("北京", "乡镇级", "政府")


def test_breadcrumb_column_name_is_not_the_title():
    m = meta_of(f"""您当前的位置:首页 > 法治政府建设年度报告
法治政府建设年度报告
金水区2022年法治政府建设年度报告
2022年,金水区{BODY}""")
    assert m.title == "金水区2022年法治政府建设年度报告"
    assert (m.province, m.city) == ("河南", "郑州")


def test_office_of_a_government_is_a_department():
    m = meta_of(f"东胜区人民政府办公室2023年法治政府建设年度报告\n2023年,{BODY}")
    assert (m.issuer_type, m.level, m.city) == ("部门", "县级", "鄂尔多斯")


def test_issuer_from_first_sentence_when_title_has_none():
    m = meta_of(f"""2023年度法治政府建设情况报告
2023年,在市委、市政府的坚强领导下,锡林浩特市{BODY}""")
    assert m.issuer == "锡林浩特市"
    assert (m.province, m.city, m.level) == ("内蒙古", "锡林郭勒", "县级")


def test_report_with_nothing_recognisable_invents_nothing():
    m = meta_of("一些文字\n另一行文字,没有任何可识别的信息。")
    assert (m.title, m.issuer, m.province, m.year, m.published, m.dated) == (None,) * 6
    assert extract_metadata([]).title is None


# ------------------------------------------------------------------ years

@pytest.mark.parametrize("opening", [
    "以《法治政府建设实施纲要(2021—2025年)》为统领,2023年,东胜区坚持依法行政。",
    "对照2021-2025年法治政府建设规划目标,2023年,东胜区坚持依法行政。",
    "围绕2021年至2025年的目标任务,2023年,东胜区坚持依法行政。",
])
def test_plan_period_before_own_year_in_opening(opening):
    assert meta_of(f"东胜区法治政府建设年度报告\n{opening}").year == 2023


def test_law_year_and_since_phrase_are_not_the_report_year():
    m = meta_of("""金水区法治政府建设年度报告
发布时间:2021-02-20
2019年以来,全区贯彻《优化营商环境条例(2019年)》,2020年各项工作稳步推进。""")
    assert m.year == 2020


def test_year_falls_back_to_publishing_date_in_january():
    m = meta_of(f"金水区法治政府建设年度报告\n发布日期:2024-01-15\n全区{BODY}")
    assert m.year == 2023


def test_chinese_numeral_year_in_title_and_signature_date():
    m = meta_of(f"""东胜区人民政府二〇二三年度法治政府建设情况报告
全区{BODY}
东胜区人民政府
二〇二四年一月十九日""")
    assert (m.year, m.dated) == (2023, "2024-01-19")


# ------------------------------------------------------------------ dates and source

@pytest.mark.parametrize("line, expected", [
    ("发布时间:2024-03-29 15:08", "2024-03-29"),
    ("发布日期:2024/3/9", "2024-03-09"),
    ("日期:2024.03.29", "2024-03-29"),
    ("更新时间:2024年3月29日 08:00:00", "2024-03-29"),
    ("发文日期: 2024年03月29日", "2024-03-29"),
    ("【发布时间:2023-12-30】【字体:大 中 小】", "2023-12-30"),
])
def test_published_date_formats(line, expected):
    assert meta_of(f"金水区2023年法治政府建设年度报告\n{line}\n2023年,{BODY}").published == expected


def test_document_date_label_is_not_the_publishing_date():
    m = meta_of(f"金水区2023年法治政府建设年度报告\n成文日期:2024-01-20\n2023年,{BODY}")
    assert m.published is None


def test_source_is_cut_at_the_next_label():
    m = meta_of(f"金水区2023年法治政府建设年度报告\n信息来源:金水区司法局 | 作者: 浏览次数:12\n{BODY}")
    assert m.source == "金水区司法局"


@pytest.mark.parametrize("text, expected", [
    ("二〇二三年十二月三十一日", "2023-12-31"),
    ("二〇二四年二月十日", "2024-02-10"),
    ("2024年2月29日", "2024-02-29"),
    ("2023年2月29日", None),
    ("2024年13月1日", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_page_title_with_site_name_and_label():
    m = meta_of(f"""标题:金水区2022年法治政府建设年度报告_金水区人民政府网
2022年,全区{BODY}""")
    assert m.title == "金水区2022年法治政府建设年度报告"


def test_signature_above_a_long_page_footer():
    footer = "\n".join(["相关链接", "网站地图 | 联系我们", "主办:金水区人民政府办公室"] * 8)
    m = meta_of(f"""2023年,全区{BODY}
金水区人民政府
2024年1月26日
{footer}""")
    assert (m.issuer, m.dated, m.year) == ("金水区人民政府", "2024-01-26", 2023)


def test_town_missing_from_gazetteer_keeps_its_own_level_and_county_place():
    m = meta_of(f"金水区新设街道办事处2023年法治政府建设年度报告\n2023年,街道{BODY}")
    assert (m.level, m.province, m.city, m.issuer_type) == ("乡镇级", "河南", "郑州", "政府")


def test_municipality_government_is_provincial():
    m = meta_of(f"北京市2022年法治政府建设年度报告\n2022年,全市{BODY}")
    assert (m.province, m.city, m.level, m.issuer_type) == ("北京", None, "省级", "政府")


def test_addressee_alone_gives_province_and_city():
    m = meta_of(f"鄂尔多斯市人民政府:\n2023年,全区{BODY}\n二、存在的不足\n{BODY}")
    assert (m.province, m.city, m.year) == ("内蒙古", "鄂尔多斯", 2023)
    assert m.issuer is None and m.title is None


def test_level_from_self_reference_when_no_place_is_named():
    m = meta_of(f"2023年法治政府建设年度报告\n2023年,我镇{BODY}我镇将继续努力。")
    assert (m.level, m.province, m.issuer) == ("乡镇级", None, None)


def test_title_sharing_its_line_with_the_publishing_chrome():
    m = meta_of(f"金水区2023年法治政府建设年度报告 发布时间:2024-01-05 阅读次数:\n2023年,全区{BODY}")
    assert (m.title, m.published, m.year) == ("金水区2023年法治政府建设年度报告", "2024-01-05", 2023)


def test_signature_written_with_spacing():
    m = meta_of(f"2023年,全区{BODY}\n金 水 区 人 民 政 府\n2024 年 2 月 1 日")
    assert (m.issuer, m.dated, m.province) == ("金水区人民政府", "2024-02-01", "河南")


# ------------------------------------------------------------------ unlabeled publishing dates

@pytest.mark.parametrize("head, expected", [
    ("2024-04-12 16:20 贵州省人民政府网", "2024-04-12"),
    ("· 2022年04月02日 10时05分", "2022-04-02"),
    ("2023-02-28 09:41:07 来源: 遵义市司法局 打印", "2023-02-28"),
    ("来源:贵州日报 2024-03-20 07:30", "2024-03-20"),
    ("信息来源:红花岗区司法局 2024/03/20", "2024-03-20"),
])
def test_unlabeled_date_with_clock_or_on_source_line_is_published(head, expected):
    m = meta_of(f"遵义市2023年度法治政府建设情况报告\n{head}\n2023年,全市{BODY}")
    assert m.published == expected


def test_site_clock_widget_and_body_dates_are_not_published():
    m = meta_of(f"""今天是:2024年05月08日 星期三 09:12
遵义市2023年度法治政府建设情况报告
2023年,全市{BODY}于2023年6月1日 10:00召开专题会议。""")
    assert m.published is None
    assert m.year == 2023


# ------------------------------------------------------------------ issuer named in the opening

@pytest.mark.parametrize("subject, issuer, issuer_type, level, province, city", [
    ("嘉兴市市场监督管理局", "嘉兴市市场监督管理局", "部门", "市级", "浙江", "嘉兴"),
    ("天津市河西区司法局", "天津市河西区司法局", "部门", "县级", "天津", None),
    ("芜湖市繁昌区人民政府", "芜湖市繁昌区人民政府", "政府", "县级", "安徽", "芜湖"),
    ("绵阳市自然资源和规划局", "绵阳市自然资源和规划局", "部门", "市级", "四川", "绵阳"),
])
def test_opening_subject_read_through_nested_places_and_department(
        subject, issuer, issuer_type, level, province, city):
    m = meta_of(f"2023年度法治政府建设情况报告\n2023年,{subject}认真贯彻落实上级部署,{BODY}")
    assert (m.issuer, m.issuer_type, m.level, m.province, m.city) == \
        (issuer, issuer_type, level, province, city)


@pytest.mark.parametrize("rest", [
    "全面推进法治政府建设,",
    "紧紧围绕全区工作大局,",
    "在推进依法行政中形成新格局,",
])
def test_opening_subject_stops_at_the_place_when_no_organisation_follows(rest):
    m = meta_of(f"2023年度法治政府建设情况报告\n2023年,金水区{rest}{BODY}")
    assert (m.issuer, m.issuer_type, m.level) == ("金水区", "政府", "县级")


def test_party_committee_and_government_together_name_the_government():
    m = meta_of(f"2023年,四川省委、省政府{BODY}")
    assert (m.issuer, m.issuer_type, m.level, m.province) == ("四川省人民政府", "政府", "省级", "四川")


# ------------------------------------------------------------------ self-references and cited documents

def test_place_in_a_cited_document_title_is_not_the_issuers_level():
    m = meta_of(f"""市人大常委会、市政协:
2022年,我市以《江西省法治政府建设实施方案(2021—2025年)》为统领,{BODY}
市政府印发了《赣州市人民政府关于进一步规范行政执法的通知》,我市执法更加规范。""")
    assert (m.level, m.province, m.city) == ("市级", "江西", "赣州")
    assert (m.issuer, m.issuer_type) == ("赣州市人民政府", "政府")


def test_bureau_speaking_of_itself_named_only_in_a_cited_plan():
    m = meta_of(f"""2022年,按照省、市法治建设工作部署,市局党委带头,全市公安机关{BODY}
按《湖南省法治政府建设年度报告工作指引》要求,现将有关情况报告如下:
制定《株洲市公安局法治公安建设实施方案》,市局各警种{BODY}""")
    assert (m.issuer, m.issuer_type, m.level) == ("株洲市公安局", "部门", "市级")
    assert (m.province, m.city) == ("湖南", "株洲")


def test_town_speaking_of_itself_beats_its_county_named_first():
    m = meta_of(f"""2023年法治政府建设工作报告
2023年,我镇认真落实泸溪县委、县政府决策部署,{BODY}
我镇将继续深化法治政府建设。""")
    assert m.level == "乡镇级"
    assert m.issuer is None


def test_breadcrumb_line_is_not_the_opening_sentence():
    m = meta_of(f"""首页 > 郑州市人民政府门户网站 > 专题专栏 > 法治政府建设
2023年,金水区坚持{BODY}""")
    assert (m.issuer, m.level, m.city) == ("金水区", "县级", "郑州")


# ------------------------------------------------------------------ wrapped titles, "以来" openings

@pytest.mark.parametrize("first, second", [
    ("关于日喀则市桑珠孜区2024年度法治政府", "建设情况的报告"),
    ("桑珠孜区人民政府关于2024年度法治", "政府建设工作情况的报告"),
    ("日喀则市桑珠孜区2024年法治政府建设", "年度报告"),
])
def test_title_wrapped_anywhere_over_two_lines_is_joined(first, second):
    m = meta_of(f"{first}\n{second}\n2024年,桑珠孜区{BODY}")
    assert m.title == first + second and not m.title_derived
    assert (m.year, m.province, m.city, m.level) == (2024, "西藏", "日喀则", "县级")


def test_since_phrase_opening_gives_the_year_when_nothing_else_does():
    m = meta_of(f"2022年以来,滁州市公安局按照市委、市政府部署,{BODY}")
    assert (m.year, m.issuer, m.level) == (2022, "滁州市公安局", "市级")


def test_since_phrase_yields_to_the_publishing_date():
    m = meta_of(f"滁州市公安局法治政府建设情况报告\n发布时间:2024-02-01\n2021年以来,市局{BODY}")
    assert m.year == 2023


@pytest.mark.parametrize("listed, province, city", [
    ("贯彻习近平总书记对广东、深圳系列重要讲话精神,", "广东", "深圳"),
    ("贯彻习近平总书记对海南、海口工作的重要指示精神,", "海南", "海口"),
])
def test_province_and_city_listed_together_resolve_a_same_name_district(listed, province, city):
    m = meta_of(f"2023年,龙华区民政局{BODY}{listed}推动全面依法治区。")
    assert (m.issuer, m.province, m.city, m.level) == ("龙华区民政局", province, city, "县级")


def test_a_list_of_ordinary_words_names_no_place():
    m = meta_of(f"2023年,龙华区民政局{BODY}坚持创新、协调、绿色、开放、共享。")
    assert (m.province, m.city) == (None, None)


# ------------------------------------------------------------------ the issuer's full name

@pytest.mark.parametrize("opening, issuer", [
    # The report calls its own government by the level word: 县委、县政府.
    (f"2023年,永宁县{BODY}县委、县政府高度重视法治建设。", "永宁县人民政府"),
    # The informal 乡政府 is written out.
    (f"2023年,红星乡政府{BODY}", "红星乡人民政府"),
    (f"2023年,建外街道{BODY}街道办事处主要负责人履行第一责任人职责。", "建外街道办事处"),
    # Nothing names the government: the bare place stays, nothing is invented.
    (f"2023年,永宁县{BODY}", "永宁县"),
    # A district report's 市政府 is its city's government, not its own.
    (f"2023年,金水区{BODY}市政府督查组来区检查指导。", "金水区"),
    # "在市委、市政府领导下" names the superiors.
    (f"2023年,在市委、市政府的坚强领导下,义乌市{BODY}", "义乌市"),
])
def test_government_issuer_takes_its_full_name_only_when_the_text_gives_it(opening, issuer):
    m = meta_of(f"2023年度法治政府建设情况报告\n{opening}")
    assert (m.issuer, m.issuer_type) == (issuer, "政府")


def test_a_report_addressed_to_the_state_council_is_provincial():
    # A province reports to 国务院; its own name may appear only in a cited plan's title.
    m = meta_of("国务院:\n2019年,全省深入贯彻落实《法治政府建设实施纲要(2015—2020年)》和"
                "《甘肃省法治政府建设实施方案(2016—2020年)》," + BODY + "现将有关情况报告如下:\n"
                "一、完善工作机制\n省委、省政府高度重视法治政府建设。" + BODY)
    assert (m.level, m.province, m.city, m.year) == ("省级", "甘肃", None, 2019)


def test_an_addressee_below_the_state_council_sets_no_provincial_level():
    m = meta_of("市人民政府:\n2019年,我县" + BODY + "\n一、主要举措\n" + BODY)
    assert m.level == "县级"


# ------------------------------------------------------------------ issue 11: failure classes
# Reports composed in the shapes real pages take; places are real (the gazetteer's).

def test_portal_list_block_gives_issuer_title_and_document_date_never_a_label():
    m = meta_of(f"""- 索 引 号: 001008/2025-00012
- 发布机构: 龙泉市司法局
- 公文生成日期: 2025-02-07
- 备注/文号: 龙司〔2025〕3号
标 题 2024年度法治政府建设工作报告
2024年,我局{BODY}""")
    assert (m.issuer, m.issuer_type, m.level) == ("龙泉市司法局", "部门", "县级")
    assert (m.province, m.city) == ("浙江", "丽水")
    assert m.title == "2024年度法治政府建设工作报告" and not m.title_derived
    # 公文生成日期 is the document's date; it is never taken for the publishing date.
    assert (m.dated, m.published, m.year) == ("2025-02-07", None, 2024)


def test_portal_field_whose_value_opens_the_next_line():
    m = meta_of(f"""- 索 引 号:4311230009/2025-00578 分 类:
发文机关:
宁远县教育局 发文日期:2025-02-25 15:58 - 名称:
中共宁远县教育局党组2024年度法治政府建设年度报告 - 文号:
2024年,县教育局{BODY}""")
    # A department's party group reports as the department.
    assert (m.issuer, m.issuer_type) == ("宁远县教育局", "部门")
    assert (m.province, m.city, m.level, m.published) == ("湖南", "永州", "县级", "2025-02-25")
    assert m.title == "中共宁远县教育局党组2024年度法治政府建设年度报告"


def test_portal_table_row_title_keeps_no_label():
    m = meta_of(f"""索 引 号 | 11620300/2025-001 | 主题分类 | 综合政务 |
成文日期 | 2025-03-10 | 发布日期 | 2025-03-12 |
标 题 | 永昌县人民政府关于2024年度法治政府建设情况的报告 |
2024年,永昌县{BODY}""")
    assert m.title == "永昌县人民政府关于2024年度法治政府建设情况的报告"
    assert (m.published, m.dated) == ("2025-03-12", "2025-03-10")
    assert (m.province, m.city, m.level) == ("甘肃", "金昌", "县级")


def test_district_bureau_named_by_role_is_placed_by_its_slogan():
    m = meta_of(f"""区司法局关于2024年法治政府建设情况的报告
2024年,在区委、区政府的坚强领导下,区司法局党组{BODY}
研究提出法治柯桥建设新目标、新任务、新举措。""")
    assert (m.issuer, m.issuer_type, m.level) == ("柯桥区司法局", "部门", "县级")
    assert (m.province, m.city) == ("浙江", "绍兴")


def test_county_government_named_by_role_is_placed_by_a_cited_local_document():
    m = meta_of(f"""根据有关规定,现将县人民政府2022年法治政府建设工作情况报告如下。
一、主要成效
2022年,县人民政府{BODY}制定了《汝城县人民政府常务会会前学法制度》。""")
    assert (m.issuer, m.issuer_type, m.level, m.year) == ("汝城县人民政府", "政府", "县级", 2022)
    assert (m.province, m.city) == ("湖南", "郴州")


def test_autonomous_region_speaking_as_such_with_a_place_slogan_is_provincial():
    m = meta_of(f"""2023年,自治区党委和政府{BODY}坚持法治西藏、法治政府、法治社会一体建设。
一、加强组织领导
自治区人民政府常务会议专题研究法治政府建设。""")
    assert (m.level, m.province, m.city, m.issuer_type) == ("省级", "西藏", None, "政府")
    assert m.issuer == "西藏自治区人民政府"


def test_department_addressed_to_its_own_government_is_placed_there():
    m = meta_of(f"""中共将乐县委员会,将乐县人民政府:
2023年,我局{BODY}现将有关情况报告如下:
一、主要举措
局党组高度重视法治建设。""")
    assert (m.issuer_type, m.level, m.province, m.city) == ("部门", "县级", "福建", "三明")


def test_joint_report_of_party_committee_and_government_is_the_governments():
    m = meta_of(f"""中共将乐县委 将乐县人民政府关于2023年度法治政府建设情况的报告
2023年,全县{BODY}""")
    assert (m.issuer, m.issuer_type, m.level) == ("将乐县人民政府", "政府", "县级")


def test_report_speaking_as_a_bureau_is_a_department_report():
    m = meta_of(f"""2024年法治政府建设工作情况报告
2024年,我局{BODY}局党组认真履行推进法治建设第一责任人职责。
一、主要举措
本局全年开展执法检查12次。""")
    assert m.issuer_type == "部门"


def test_street_of_a_county_level_city_is_placed_by_that_city():
    # 虹桥镇 is the name of five towns; "乐清市委、市政府" is the county-level city above it,
    # and its 市委、市政府 in the text are that city's, not a prefecture's.
    m = meta_of(f"""乐清市委、市政府:
2021年,在市委、市政府的正确领导下,虹桥镇{BODY}
贯彻落实《2021年法治乐清建设重点工作清单》。""")
    assert (m.level, m.province, m.city) == ("乡镇级", "浙江", "温州")


def test_town_missing_from_the_gazetteer_under_the_county_text_and_address_name(tmp_path):
    # 增福镇 is in the gazetteer only in 河南 长葛市; this report's text says 涪陵 and its
    # page is fl.gov.cn (涪陵区): the town is 涪陵's.
    from index.pipeline import read_report
    (tmp_path / "r.txt").write_text(
        f"一、主要举措和成效\n全镇{BODY}我镇把法治建设工作纳入重要议事日程。\n"
        f"聘请了重庆天亿(涪陵)律师事务所律师为我镇法律顾问。2022年增福镇组织开展行政执法检查"
        f"220余次。\n{BODY}", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,url\nr.txt,http://fl.gov.cn/jz/zfx/202301/t20230105_1.html\n", encoding="utf-8")
    m = read_report(tmp_path / "r.txt").meta
    assert (m.province, m.city, m.level, m.year) == ("重庆", None, "乡镇级", 2022)


@pytest.mark.parametrize("url, expected", [
    ("http://www.chencang.gov.cn/art/2025/1/1/1.html", ("陈仓区司法局", "陕西", "宝鸡")),
    ("http://www.tjjh.gov.cn/zwgk/202403/t1.html", ("静海区司法局", "天津", None)),
])
def test_page_address_places_a_report_the_text_does_not_place(tmp_path, url, expected):
    from index.pipeline import read_report
    (tmp_path / "r.txt").write_text(
        f"区司法局关于2024年法治政府建设情况的报告\n2024年,区司法局{BODY}\n{BODY}",
        encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(f"file,url\nr.txt,{url}\n", encoding="utf-8")
    m = read_report(tmp_path / "r.txt").meta
    assert (m.issuer, m.province, m.city, m.level) == (*expected, "县级")


def test_page_address_never_overrules_the_texts_own_place(tmp_path):
    from index.pipeline import read_report
    (tmp_path / "r.txt").write_text(
        f"柯桥区司法局关于2024年法治政府建设情况的报告\n2024年,柯桥区司法局{BODY}\n{BODY}",
        encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,url\nr.txt,http://www.chencang.gov.cn/art/1.html\n", encoding="utf-8")
    m = read_report(tmp_path / "r.txt").meta
    assert (m.issuer, m.province, m.city) == ("柯桥区司法局", "浙江", "绍兴")


def test_mirror_sites_are_no_place_signal(tmp_path):
    from index.pipeline import read_report
    (tmp_path / "r.txt").write_text(
        f"区司法局关于2024年法治政府建设情况的报告\n2024年,区司法局{BODY}\n{BODY}",
        encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,url\nr.txt,http://chencang.example.com/art/1.html\n", encoding="utf-8")
    m = read_report(tmp_path / "r.txt").meta
    assert (m.issuer, m.province) == ("区司法局", None)


@pytest.mark.parametrize("name, province, city", [
    ("延边州人民政府", "吉林", "延边"),
    ("黔西南州人民政府", "贵州", "黔西南"),
    ("巴州人民政府", "新疆", "巴音郭楞"),
])
def test_autonomous_prefecture_by_its_short_form_and_zhou(name, province, city):
    m = meta_of(f"{name}关于2023年度法治政府建设情况的报告\n2023年,{name}{BODY}")
    assert (m.province, m.city, m.level, m.issuer_type) == (province, city, "市级", "政府")


def test_traditional_title_keeps_its_characters_number_and_bracketed_prefix(tmp_path):
    from index.pipeline import read_report
    title = "【政府公報】臺中市人民政府關於2024年度法治政府建設情況的報告"
    (tmp_path / "r.txt").write_text(
        f"{title}\n府法字〔2025〕79號\n2024年,本府堅持以習近平新時代中國特色社會主義思想為指導,"
        "深入學習貫徹習近平法治思想,全面推進嚴格規範公正文明執法,法治政府建設取得積極成效。"
        "現將有關情況報告如下:\n一、主要舉措\n本府推進依法行政,法治政府建設取得積極成效。",
        encoding="utf-8")
    m = read_report(tmp_path / "r.txt").meta
    assert m.title == title


def test_inspect_explain_shows_the_evidence_and_the_runners_up(tmp_path, capsys):
    from web.cli import main
    (tmp_path / "r.txt").write_text(f"""- 发布机构: 县教育局
岱山县教育局2024年度法治政府建设工作报告
2024年,县教育局{BODY}
{BODY}""", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,url\nr.txt,http://www.chencang.gov.cn/art/1.html\n", encoding="utf-8")
    assert main(["inspect", "--explain", str(tmp_path / "r.txt")]) == 0
    out = capsys.readouterr().out
    block = out[out.index("依据"):]
    # The issuer: the portal's 县教育局 supports the title's fuller name, which wins.
    issuer = block[block.index("  issuer "):block.index("  issuer_type")]
    assert "岱山县教育局" in issuer and "门户字段 发布机构" in issuer and "标题" in issuer
    assert main(["inspect", "--explain", "--json", str(tmp_path / "r.txt")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["province"] == "浙江"   # the text's place, not the address's 陕西
    explain = result["explain"]
    assert explain["province"]["value"] == "浙江"
    assert all(c["value"] == "浙江" for c in explain["province"]["evidence"])
    assert [c["rule"] for c in explain["title"]["evidence"]] == ["标题行"]
    assert {c["rule"] for c in explain["issuer"]["evidence"]} == {"门户字段 发布机构", "标题"}
