"""Failure classes of issue 11 read from the fifth, sixth and seventh evaluation rounds, each on
a report composed for the test: the places are real (the gazetteer's), the reports and their
wording are not any evaluation text."""
from test_metadata_classes import BODY, meta_of


# ---------------------------------------------------------------- joint party and government

def test_a_joint_title_and_signature_of_committee_and_government_name_the_government():
    m = meta_of("中共贵州省委 贵州省人民政府\n关于2023年法治政府建设情况的报告\n"
                f"2023年,全省{BODY}\n中共贵州省委 贵州省人民政府\n2024年3月20日")
    assert m.issuer == "贵州省人民政府" and m.issuer_type == "政府" and m.level == "省级"


# ---------------------------------------------------------------- names tidied as printed

def test_a_bulleted_title_line_gives_the_title_and_issuer_without_the_bullet():
    m = meta_of("首页 > 政务公开 > 其他\n  • 吉林省司法厅关于2024年法治政府建设情况的报告\n"
                f"吉林省司法厅关于2024年法治政府建设情况的报告\n2024年,吉林省司法厅{BODY}")
    assert m.title == "吉林省司法厅关于2024年法治政府建设情况的报告"
    assert m.issuer == "吉林省司法厅"


def test_a_year_without_nian_or_a_verb_of_publishing_in_a_title_is_not_part_of_the_issuer():
    m = meta_of(f"城关街道2023法治政府建设年度报告\n2023年,城关街道{BODY}")
    assert not any(c.isdigit() for c in m.issuer or "") and m.issuer.startswith("城关街道")
    m = meta_of(f"云南省人民政府公布2019年度法治政府建设情况\n2019年,全省{BODY}")
    assert m.issuer == "云南省人民政府"


def test_a_portal_table_cell_ends_the_issuer_and_an_office_in_brackets_is_dropped():
    m = meta_of("| 索引号:000014349/2026-00001 | |\n| 发文机关:城关镇人民政府 | 主题词: |\n"
                f"2025年,城关镇{BODY}")
    assert m.issuer == "城关镇人民政府"
    m = meta_of("发布机构: 六安市人民政府(办公室) 主题分类: 综合政务\n"
                f"名称: 六安市人民政府关于2022年度法治政府建设情况的报告\n2022年,六安市{BODY}")
    assert m.issuer == "六安市人民政府"


# ---------------------------------------------------------------- superiors are not the issuer

def test_a_prefecture_in_an_autonomous_region_following_the_regions_decisions_is_a_prefecture():
    m = meta_of("2024年,是贯彻落实自治区第十次党代会和自治区党委十届六次全会部署的攻坚之年。一年来,"
                "在自治区党委的坚强领导下,山南市法治政府建设工作坚持以习近平法治思想为指导,按照党中央精神、"
                f"自治区党委、山南市委工作部署,{BODY}\n一、主要工作\n市委、市政府主要负责同志亲自听取汇报,"
                "市政府常务会议专题研究法治政府建设。")
    assert (m.province, m.city, m.level) == ("西藏", "山南", "市级")
    assert m.issuer_type == "政府" and m.issuer.startswith("山南市")


def test_a_prefecture_reporting_to_the_region_names_itself_by_role():
    m = meta_of(f"一、主要举措\n(一)强化组织领导。成立了林芝市法治政府建设工作领导小组,按时向自治区政府报送年度"
                f"法治政府建设情况。二是市政府党组于2021年带头学法,{BODY}市委、市政府高度重视。",
                url="http://www.linzhi.gov.cn/news-detail.thtml?cid=1")
    assert (m.province, m.city, m.level) == ("西藏", "林芝", "市级")
    assert m.issuer_type == "政府"


def test_a_report_to_the_state_council_naming_no_issuer_is_its_provinces_government():
    m = meta_of("国务院:\n2019年,按照党中央、国务院的部署,全面落实《湖北省法治政府建设实施方案(2016—2020年)》"
                f"各项任务,{BODY}为全省经济社会发展提供法治保障。现将有关情况报告如下:\n一、完善工作机制")
    assert (m.province, m.city, m.level) == ("湖北", None, "省级")
    assert m.issuer == "湖北省人民政府" and m.issuer_type == "政府"


def test_a_province_by_role_is_named_after_its_province_and_has_no_city():
    m = meta_of("2022年,省政府坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻习近平总书记来陕考察"
                f"重要讲话重要指示,{BODY}为全省经济社会高质量发展提供法治保障。\n一、加强组织领导\n"
                "省政府常务会议定期听取汇报,西安市莲湖区获评全国法治政府建设示范区。")
    assert (m.province, m.city, m.level) == ("陕西", None, "省级")
    assert m.issuer == "陕西省人民政府"


def test_a_prefectures_short_name_alone_is_a_government():
    m = meta_of(f"今年以来,昌吉州{BODY}自治州法治政府建设持续推进。")
    assert m.issuer == "昌吉州" and m.issuer_type == "政府" and m.level == "市级"


# ---------------------------------------------------------------- department hosts

def test_a_department_label_before_the_place_in_the_host_is_no_place():
    m = meta_of(f"盟委、行署:\n2025年,我局{BODY}扎实推进生态环境保护执法。",
                url="http://sthjj.xam.gov.cn/hygq/2025-12/25/article_1.html")
    assert (m.province, m.city, m.level) == ("内蒙古", "兴安", "市级")
    assert m.issuer_type == "部门"


# ---------------------------------------------------------------- dates of the page head

def test_a_generation_date_with_its_clock_time_in_a_table_is_the_documents_date_only():
    m = meta_of("| 索引号 | 6207250034/2026-00001 | 发文字号 | |\n| 生成日期 | 2026-01-28 10:11:12 | 是否有效 |\n"
                f"城关镇人民政府关于2025年法治政府建设情况的报告\n2025年,城关镇{BODY}")
    assert m.published is None and m.dated == "2026-01-28"


def test_issuing_and_writing_times_are_read_as_their_dates_are():
    m = meta_of("- 发布机构:城关镇\n- 成文时间:2026年01月19日\n- 发文时间:2026年01月20日\n"
                f"城关镇2025年度法治政府建设情况报告\n2025年,城关镇{BODY}")
    assert (m.published, m.dated) == ("2026-01-20", "2026-01-19")


def test_a_date_widget_over_three_lines_is_the_publishing_date():
    m = meta_of(f"2024\n04/09\n10:20\n来源:\n某政府网\n2023年,新疆维吾尔自治区人民政府{BODY}")
    assert m.published == "2024-04-09"


# ---------------------------------------------------------------- towns and their counties

def test_a_town_of_several_counties_is_the_one_whose_initials_end_the_address():
    m = meta_of(f"新华镇2023年法治政府建设年度报告\n2023年度,在县委、县政府领导下,新华镇{BODY}",
                url="https://abxh.gov.cn/news/show/1.html")
    assert (m.province, m.city, m.level) == ("四川", "达州", "乡镇级")


def test_a_street_the_gazetteer_lacks_is_placed_by_the_county_it_works_under():
    m = meta_of(f"科创街道2023年度法治政府建设年度报告\n2023年,在昆山市委、市政府的正确领导下,科创街道{BODY}")
    assert (m.province, m.city, m.level) == ("江苏", "苏州", "乡镇级")


def test_a_county_is_spelled_in_hosts_by_its_name_without_the_level_word_too():
    # 伊金霍洛旗's short form is 伊旗; its site spells 伊金霍洛
    m = meta_of(f"2023年,我镇{BODY}根据伊金霍洛旗法治政府建设的有关要求推进工作。",
                url="https://www.yjhl.gov.cn/ztzl/1.html")
    assert (m.province, m.city, m.level) == ("内蒙古", "鄂尔多斯", "乡镇级")


# ---------------------------------------------------------------- departments speaking as 我局

def test_a_bureau_is_named_as_the_titles_of_its_own_documents_name_it():
    m = meta_of(f"2025年,在区委、区政府的坚强领导下,我局{BODY}\n一、主要举措\n审议通过了《南平市延平区"
                "卫生健康局法治政府建设示范创建实施方案》等文件。")
    assert m.issuer == "南平市延平区卫生健康局" and m.issuer_type == "部门"
    assert (m.province, m.city, m.level) == ("福建", "南平", "县级")


def test_a_bureau_that_also_says_wo_xian_is_a_department():
    m = meta_of(f"2022年,我局{BODY}目前我县企业开办时间压缩至1个工作日,我县市场主体持续增加。"
                "根据《镇雄县法治政府建设指标任务分解表》推进企业登记全程电子化。")
    assert m.issuer_type == "部门" and m.issuer == "镇雄县市场监督管理局"


def test_a_prefectures_justice_division_by_role_is_named_after_its_prefecture():
    m = meta_of(f"2023年以来,地区司法处{BODY}法治和田建设稳步推进,印发《和田地区行政执法监督办法》。")
    assert m.issuer == "和田地区司法处" and m.issuer_type == "部门"
    assert (m.province, m.city, m.level) == ("新疆", "和田", "市级")


# ---------------------------------------------------------------- sixth round

def test_a_town_of_several_counties_saying_wo_zhen_is_the_one_within_the_addresss_place():
    m = meta_of(f"县委、县政府:\n2024年,在县委、县政府的坚强领导下,我镇{BODY}依托镇综治中心化解矛盾,"
                "把法治政府建设纳入了东庄镇发展总体规划。", url="http://www.nyx.gov.cn/zwgk/1.htm")
    assert m.issuer == "东庄镇" and (m.province, m.city, m.level) == ("山东", "泰安", "乡镇级")


def test_a_website_as_the_posting_body_is_no_issuer():
    m = meta_of("海丰县人民政府门户网站 > 专题专栏\n陆丰市卫生健康局2025年法治政府建设年度报告\n"
                "  • 来源: 市卫生健康局\n  • 发布机构: 陆丰市人民政府门户网站\n"
                f"2025年,陆丰市卫生健康局{BODY}")
    assert m.issuer == "陆丰市卫生健康局" and m.issuer_type == "部门"


def test_a_departments_party_committee_with_the_department_is_the_department():
    m = meta_of("中共大竹县教育局委员会 大竹县教育局 关于2023年法治政府建设情况的报告\n"
                "来源:中共大竹县教育局委员会 大竹县教育局   发布日期:2024-01-20\n"
                f"2023年,在县委、县政府的正确领导下,县教育系统{BODY}")
    assert m.issuer == "大竹县教育局" and m.issuer_type == "部门"


def test_a_bulleted_link_to_another_article_is_not_the_opening():
    m = meta_of("  • 开题报告\n  • 情况报告\n• [河北省政府发布2019年度法治政府建设情况报告] 对法治政府建设的思考\n"
                f"2017年,河北省政府{BODY}2017年开展了省级规章清理。")
    assert m.year == 2017
