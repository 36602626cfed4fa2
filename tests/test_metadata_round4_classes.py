"""Failure classes of issue 11 (fourth round), each on a report composed for the test: the
places are real (the gazetteer's), the reports and their wording are not any evaluation text."""
from test_metadata_classes import BODY, meta_of


# ---------------------------------------------------------------- pinyin-glossed mirrors

def test_a_mirror_glossing_characters_with_pinyin_is_read_without_the_glosses():
    m = meta_of("2024年,自治区(qū)人民政府坚(jiān)持以习(xí)近平新时(shí)代中国特色社会(huì)主义思想为指导(dǎo),"
                "深入学(xué)习(xí)贯彻习(xí)近平法治思想。现将有关情况报告如下:\n"
                "一、强化组织领(lǐng)导\n自治区(qū)人民政府召开常务会议,审议《宁夏回族自治区(qū)法治政府建设"
                "实施方案》,推动全区(qū)各级行政机关依法行政。")
    assert (m.province, m.city, m.level) == ("宁夏", None, "省级")
    assert m.issuer_type == "政府" and m.issuer == "宁夏回族自治区人民政府"


def test_a_word_in_brackets_after_a_character_is_not_a_gloss_when_the_page_has_no_others():
    m = meta_of(f"2024年,永川区{BODY}推广“法治(fǎ)超市”品牌。")
    assert m.issuer in ("永川区", "永川区人民政府") and m.province == "重庆"



# ---------------------------------------------------------------- roles with no place

def test_an_autonomous_region_naming_itself_only_by_role_is_provincial():
    m = meta_of(f"2021年,自治区人民政府{BODY}全区各级政府认真落实年度报告制度。")
    assert m.level == "省级" and m.issuer_type == "政府"


# ---------------------------------------------------------------- departments named by role

def test_a_role_leading_the_first_sentence_is_its_subject_not_a_place_written_later():
    # 提高县 spells 高县 (a county of 四川); the subject is 县应急管理局, of the county named.
    m = meta_of("2023年,县应急管理局认真贯彻上级决策部署,切实提高县应急管理依法行政水平,"
                f"推动嵩明县安全生产形势持续稳定。现将有关情况报告如下:\n一、主要举措\n我局{BODY}"
                "印发《嵩明县安全生产执法检查计划》。")
    assert m.issuer == "嵩明县应急管理局" and m.issuer_type == "部门"
    assert (m.province, m.city, m.level) == ("云南", "昆明", "县级")


def test_a_role_with_a_long_department_name_after_xianjiang_is_placed_in_the_city_named():
    m = meta_of("现将市人力资源和社会保障局2023年度法治政府建设情况报告如下:\n"
                f"一、主要举措和成效\n2023年以来,淮安市人力资源和社会保障局{BODY}")
    assert m.issuer == "淮安市人力资源和社会保障局" and m.issuer_type == "部门"
    assert (m.province, m.city, m.level) == ("江苏", "淮安", "市级")


def test_a_municipalitys_bureau_by_role_is_provincial_and_keeps_its_bureau_ending():
    m = meta_of("现将市人社局2023年法治政府建设情况报告予以公开。如有疑问,请与市人社局法规处联系"
                "(地址:重庆市渝中区)。\n一、主要举措和成效\n2023年,市人社局坚持依法行政,组织重庆市"
                f"人社系统干部参加学法考试。{BODY}")
    assert (m.province, m.city, m.level) == ("重庆", None, "省级")
    assert m.issuer == "重庆市人社局" and m.issuer_type == "部门"
    from index.metadata import formal_issuer
    assert formal_issuer(m) == "重庆市人力资源和社会保障局"  # a municipality's 局, not a province's 厅


# ---------------------------------------------------------------- titles led by a document number

def test_a_title_led_by_its_document_number_keeps_it_and_the_issuer_is_the_government():
    m = meta_of(f"""- 索引号: dxsrmzf/2025-00031
- 发文机关: 定西市人民政府办公室
- 发布时间: 2025-02-20
- 标题: [定政发〔2025〕5号]定西市人民政府关于2024年法治政府建设情况的报告
[定政发〔2025〕5号]定西市人民政府关于2024年法治政府建设情况的报告
市委:
2024年,市政府{BODY}""")
    assert m.title == "[定政发〔2025〕5号]定西市人民政府关于2024年法治政府建设情况的报告"
    # the general office posts the report its title says is the government's
    assert m.issuer == "定西市人民政府" and m.issuer_type == "政府"
    assert (m.province, m.city, m.level, m.published) == ("甘肃", "定西", "市级", "2025-02-20")


def test_a_general_office_posting_its_own_report_stays_the_issuer():
    m = meta_of(f"""- 发文机关: 定西市人民政府办公室
- 标题: 定西市人民政府办公室2024年法治政府建设情况报告
2024年,市政府办公室{BODY}我办严格落实合法性审查制度。""")
    assert m.issuer == "定西市人民政府办公室" and m.issuer_type == "部门"


# ---------------------------------------------------------------- the site's name is no signature

def test_the_sites_name_above_the_title_of_a_short_page_does_not_sign_it():
    m = meta_of(f"""定西市司法局
搜索
定西市交通运输局2024年法治政府建设报告
发布日期: 2025-02-28 发布机构: 市司法局
2024年,市交通运输局{BODY}
一、主要举措
我局{BODY}""")
    assert m.issuer == "定西市交通运输局" and m.issuer_type == "部门"
    assert (m.province, m.city, m.level) == ("甘肃", "定西", "市级")


def test_a_signature_under_a_short_report_still_signs_it():
    m = meta_of(f"""关于2024年法治政府建设情况的报告
2024年,我局{BODY}
定西市交通运输局
2025年2月28日""")
    assert m.issuer == "定西市交通运输局" and m.dated == "2025-02-28"


# ---------------------------------------------------------------- autonomous counties by short name

def test_an_autonomous_county_is_found_by_its_short_name_and_county_word():
    from index.places import find_mentions
    found = find_mentions("印发《贡山县法治政府建设实施方案》")
    assert [m.name for m in found] == ["贡山县"]
    assert [p.name for p in found[0].places] == ["贡山独龙族怒族自治县"]


def test_a_county_speaking_by_role_is_named_as_the_text_writes_its_name():
    m = meta_of(f"""中共怒江州委、怒江州人民政府:
2024年,县委、县政府{BODY}印发《贡山县法治政府建设实施方案》《贡山县行政执法公示办法》。
县政府常务会议专题研究法治政府建设工作。""")
    assert m.issuer == "贡山县人民政府" and m.issuer_type == "政府"
    assert (m.province, m.city, m.level) == ("云南", "怒江", "县级")


# ---------------------------------------------------------------- a league's government

def test_a_league_naming_its_administrative_office_is_that_office():
    m = meta_of(f"2023年,兴安盟{BODY}\n一、加强领导\n盟委、行署高度重视法治政府建设,行署常务会议专题研究。")
    assert m.issuer == "兴安盟行政公署" and m.issuer_type == "政府"
    assert (m.province, m.city, m.level) == ("内蒙古", "兴安", "市级")


def test_a_prefecture_named_only_by_its_place_is_cited_as_its_administrative_office():
    from index.metadata import formal_issuer
    m = meta_of(f"2023年,阿里地区{BODY}")
    assert m.issuer == "阿里地区" and m.level == "市级"
    assert formal_issuer(m) == "阿里地区行政公署"


# ---------------------------------------------------------------- a second name in brackets

def test_a_department_with_a_second_name_in_brackets_is_a_department():
    m = meta_of(f"阿坝州政务服务中心(州大数据局)2024年度法治政府建设工作报告\n2024年,中心(局){BODY}")
    assert m.issuer == "阿坝州政务服务中心(州大数据局)" and m.issuer_type == "部门"
    assert (m.province, m.city, m.level) == ("四川", "阿坝", "市级")


# ---------------------------------------------------------------- towns the gazetteer lacks

def test_a_new_street_whose_name_ends_with_a_known_one_keeps_its_whole_name_and_its_county():
    # 大街街道 is a street of 淄博 and of 玉溪; 梧桐大街街道 is not in the gazetteer.
    m = meta_of(f"2024年,梧桐大街街道在槐荫区委、区政府的坚强领导下,{BODY}"
                "街道党工委书记履行第一责任人职责,推动“法治梧桐”建设。")
    assert m.issuer == "梧桐大街街道" and m.issuer_type == "政府"
    assert (m.province, m.city, m.level) == ("山东", "济南", "乡镇级")


def test_a_known_street_after_its_district_is_still_read_from_the_gazetteer():
    m = meta_of(f"2024年,永川区胜利路街道{BODY}")
    assert m.issuer.startswith("永川区胜利路街道") and (m.province, m.level) == ("重庆", "乡镇级")


# ---------------------------------------------------------------- hosts spelled as the names are read

def test_a_place_name_is_spelled_for_hosts_as_the_phrase_list_reads_it():
    from index.metadata.hosts import host_places, place_codes
    assert place_codes("厦门", "厦门市", read_only=True) == {"xiamen", "xm"}    # not sha-men (sm)
    assert {"chaoyang", "cy"} <= place_codes("朝阳", "朝阳区", read_only=True)  # the district's reading
    assert {"changning", "zhangning"} <= place_codes("长宁", "长宁区", read_only=True)  # unlisted: all
    # sm: 三明 spells it as its name is read, 厦门 only as sha-men: 三明's
    assert "厦门市" not in [p.name for p in host_places("http://www.sm.gov.cn/")[1]]
    # a reading the phrase list gets wrong (漯河 ta-he) still spells a code no other place takes
    assert [p.name for p in host_places("http://www.luohe.gov.cn/")[1]] == ["漯河市"]


def test_a_city_bureau_by_role_on_a_host_of_its_citys_initials_is_that_citys():
    m = meta_of(f"市委、市政府:\n2024年,市人社局{BODY}组织全市人社系统参加福建省学法考试。",
                url="http://rsj.sm.gov.cn/xxgk/202502/t20250210_1.htm")
    assert (m.province, m.city, m.level) == ("福建", "三明", "市级")
    assert m.issuer == "三明市人社局" and m.issuer_type == "部门"


# ---------------------------------------------------------------- a town named in its own slogan

def test_a_town_the_gazetteer_lacks_is_named_by_its_quoted_slogan_not_by_a_common_phrase():
    from index.places import places_named
    assert not places_named("桂湾镇")
    m = meta_of(f"2024年以来,在化州市委、市政府的坚强领导下,我镇{BODY}推进“法治桂湾”建设。\n"
                "一、健全体制机制\n桂湾镇深入贯彻落实全面依法治国战略,推进乡村法治体系建设,我镇组织干部学法。")
    assert m.issuer.startswith("桂湾镇") and m.issuer_type == "政府"
    assert (m.province, m.city, m.level) == ("广东", "茂名", "乡镇级")


# ---------------------------------------------------------------- a mirror's region tag

def test_a_mirrors_region_tag_picks_the_one_town_of_that_name_in_the_tagged_city():
    # 城东街道 is the name of 29 streets, one of them in 汕尾.
    m = meta_of(f"""城东街道2024年法治政府建设年度报告
2025-01-20
广东/汕尾 采购公告
城东街道2024年法治政府建设年度报告
广东/汕尾-2025-01-20 00:00:00
2024年,城东街道{BODY}街道党工委、办事处高度重视法治建设。""")
    assert (m.province, m.city, m.level) == ("广东", "汕尾", "乡镇级")
    assert m.issuer.startswith("城东街道") and m.issuer_type == "政府"


def test_a_region_tag_places_a_report_whose_text_names_no_place():
    m = meta_of(f"浙江/台州 公告\n关于2024年法治政府建设情况的报告\n2024年,我局{BODY}局党组专题研究法治工作。")
    assert (m.province, m.city) == ("浙江", "台州")


def test_a_path_of_two_words_is_no_region_tag():
    m = meta_of(f"政务公开/工作报告\n2024年,城东街道{BODY}")
    assert m.province is None


def test_a_city_bureau_by_role_that_names_its_city_is_not_a_municipalitys():
    m = meta_of(f"2024年,市人社局{BODY}组织干部赴北京市学习,借鉴北京市经验,推动淮安市人社系统依法行政。")
    assert (m.province, m.city, m.level) == ("江苏", "淮安", "市级")
    assert m.issuer == "淮安市人社局"


def test_a_level_word_or_a_party_prefix_before_a_known_town_is_no_new_towns_name():
    m = meta_of(f"2024年,县城东街道在汕尾市城区区委的领导下,{BODY}")
    assert m.issuer.startswith("城东街道") and (m.province, m.city) == ("广东", "汕尾")
    m = meta_of(f"中共城东街道2024年法治政府建设工作报告\n2024年,城东街道在汕尾市城区区委的领导下,{BODY}")
    assert (m.province, m.city, m.level) == ("广东", "汕尾", "乡镇级")


def test_a_cover_letters_signature_above_the_title_still_dates_the_report():
    m = meta_of(f"""生态环境部:
现将《天津市生态环境局关于2023年度法治政府建设情况的报告》报上,请审阅。
天津市生态环境局
2024年1月25日
附件
天津市生态环境局关于2023年度法治政府建设情况的报告
2023年,天津市生态环境局{BODY}""")
    assert m.dated == "2024-01-25" and m.issuer == "天津市生态环境局"
