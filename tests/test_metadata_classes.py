"""Failure classes of issue 11 (third round), each on a report composed for the test: the
places are real (the gazetteer's), the reports and their wording are not any evaluation text."""
from index.metadata import extract_metadata
from index.normalize import display_form

BODY = ("坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻习近平法治思想,"
        "全面推进严格规范公正文明执法,法治政府建设取得积极成效。")


def meta_of(text: str, url: str | None = None):
    lines = [display_form(x) for x in text.splitlines()]
    return extract_metadata([x for x in lines if x], None, url=url)


# ---------------------------------------------------------------- portal blocks

def test_portal_rows_in_square_brackets_give_issuer_and_date_without_brackets():
    m = meta_of(f"""[ 索引号 ] 11500000/2025-00001 [ 发文字号 ]
[ 发布机构 ] 永川区人民政府 [ 发布日期 ] 2025-02-11
[ 成文日期 ] 2025-02-01 [ 有效性 ]
2024年,永川区{BODY}""")
    assert m.issuer == "永川区人民政府"
    assert (m.published, m.dated) == ("2025-02-11", "2025-02-01")


def test_title_below_a_long_portal_head_printed_twice():
    head = "\n".join(["[ 索引号 ] 11500000/2026-00003 [ 发文字号 ]", "[ 主题分类 ] 卫生 [ 体裁分类 ] 工作报告",
                      "[ 发布机构 ] 永川区卫生健康委 [ 发布日期 ] 2026-01-09", "[ 成文日期 ] 2026-01-09 [ 有效性 ]"] * 2)
    nav = "\n".join(["首页 政务公开 互动交流", "基层政务公开", "您当前位置: 首页>区政府部门>卫生健康委员会>政务公开",
                     "网站支持IPv6", "无障碍"] * 2)
    m = meta_of(f"{nav}\n{head}\n重庆市永川区卫生健康委员会 关于2025年法治政府建设情况的报告\n"
                f"2025年,永川区卫生健康委员会{BODY}结合我委实际,现将有关情况报告如下:")
    assert m.title == "重庆市永川区卫生健康委员会 关于2025年法治政府建设情况的报告" and not m.title_derived
    # the block printed twice is one piece of evidence, not two against the title's fuller name
    assert m.issuer == "重庆市永川区卫生健康委员会" and m.issuer_type == "部门"


# ---------------------------------------------------------------- titles

def test_joint_title_over_three_lines_is_joined_and_the_issuer_is_the_office():
    m = meta_of(f"""中共重庆市永川区胜利路街道工作委员会
重庆市永川区人民政府胜利路街道办事处
关于2025年度法治政府建设情况的报告
区委、区政府:
2025年,胜利路街道{BODY}""")
    assert m.title == ("中共重庆市永川区胜利路街道工作委员会重庆市永川区人民政府胜利路街道办事处"
                       "关于2025年度法治政府建设情况的报告")
    assert m.issuer == "重庆市永川区人民政府胜利路街道办事处" and m.issuer_type == "政府"


def test_report_as_follows_sentence_is_never_a_title():
    m = meta_of(f"""根据《江西省法治政府建设情况报告规定》有关要求,现将我厅2019年度法治政府建设情况报告如下:
一、主要工作情况
2019年,我厅{BODY}制定《江西省司法厅证明事项清单》。""")
    assert m.title_derived and "如下" not in (m.title or "")
    assert m.issuer == "江西省司法厅" and m.level == "省级"


def test_scope_in_a_title_is_not_its_issuer():
    m = meta_of(f"关于2019年度全省法治政府建设工作情况的报告\n2019年,吉林省{BODY}")
    assert m.issuer in ("吉林省", "吉林省人民政府") and m.level == "省级"


# ---------------------------------------------------------------- issuer type and naming

def test_government_general_office_is_a_department():
    m = meta_of(f"""中共德钦县委、县人民政府:
2023年,德钦县人民政府办公室{BODY}县政府办下设法律顾问室。""")
    assert m.issuer == "德钦县人民政府办公室" and m.issuer_type == "部门"
    assert (m.province, m.level) == ("云南", "县级")


def test_department_named_by_role_beats_the_citys_self_reference():
    m = meta_of(f"2024年,市市场监管局在市委市政府的坚强领导下,{BODY}为我市入围示范城市贡献力量。"
                f"《嘉兴市电梯安全管理规定》施行。嘉兴市场监管服务模式获评最佳实践。")
    assert m.issuer_type == "部门" and m.issuer.endswith("局") and m.issuer.startswith("嘉兴市")
    assert (m.province, m.city, m.level) == ("浙江", "嘉兴", "市级")


def test_bureau_saying_we_is_named_from_its_own_cited_plan():
    m = meta_of(f"""按照有关要求,现将我局法治政府建设工作开展情况总结如下:
一、2024年法治政府建设的主要举措和成效
研究制定了《2024年度寿县应急管理局学法计划》《2024年寿县应急管理局普法责任清单》,{BODY}""")
    assert m.issuer == "寿县应急管理局" and m.issuer_type == "部门"
    assert (m.province, m.city, m.level) == ("安徽", "淮南", "县级")


def test_party_committee_and_government_of_a_region_is_the_government():
    m = meta_of(f"2023年,西藏自治区党委和政府{BODY}")
    assert m.issuer_type == "政府" and "党委" not in m.issuer and m.issuer.startswith("西藏自治区")
    m = meta_of(f"2023年,甘孜州党委、政府{BODY}州党委、政府始终将法治政府建设摆在突出位置。")
    assert m.issuer_type == "政府" and "党委" not in (m.issuer or "")


# ---------------------------------------------------------------- towns the gazetteer lacks

def test_town_saying_we_is_named_by_its_slogan():
    m = meta_of(f"2024年,在县委、县政府的坚强领导下,我乡{BODY}明确法治黄泥建设的重点任务,我乡将继续努力。")
    assert m.issuer == "黄泥乡" and m.level == "乡镇级" and m.issuer_type == "政府"


def test_rule_of_law_government_is_no_towns_name():
    m = meta_of(f"2023年法治政府建设年度报告\n2023年,我镇{BODY}我镇将继续努力。")
    assert m.issuer is None and m.level == "乡镇级"


def test_town_saying_we_is_named_where_the_text_writes_it():
    m = meta_of(f"""2025年以来,在吴川市委、市政府的坚强领导下,我镇政府{BODY}推进“法治塘尾”建设。
塘尾镇深入贯彻落实全面依法治国重大战略,我镇调整法治政府建设领导小组。""")
    assert m.issuer == "塘尾镇" and m.level == "乡镇级"
    assert (m.province, m.city) == ("广东", "湛江")


def test_conjunction_before_county_committee_is_no_county():
    # "领导和县委": 和 + 县委, never 和县 (安徽)
    m = meta_of(f"2024年,得益于县委、县政府的坚强领导和县委全面依法治县委员会的引领,我乡{BODY}",
                url="http://www.jingning.gov.cn/art/2025/2/8/art_1.html")
    assert m.province != "安徽"


# ---------------------------------------------------------------- county-level cities, addresses

def test_city_government_of_a_county_level_city_is_that_city():
    m = meta_of(f"2020年,市政府{BODY}全面落实《江西省法治政府建设实施纲要》和《德兴市法治政府建设实施纲要》,"
                f"摆在德兴市经济社会发展全局的突出位置。", url="https://www.dx.gov.cn/zfxxgk/t1.shtml")
    assert m.issuer == "德兴市人民政府"
    assert (m.province, m.city, m.level) == ("江西", "上饶", "县级")


def test_address_initials_pick_the_province_the_text_names():
    m = meta_of(f"市委、市政府:\n2025年,市卫健委{BODY}及时转发《福建省卫生健康委员会关于普法责任清单的通知》。",
                url="http://wjw.sm.gov.cn/xxgk/t1.htm")
    assert m.province == "福建" and m.level == "市级" and m.issuer_type == "部门"


def test_address_pinyin_and_the_level_word_the_text_uses_place_a_bureau():
    m = meta_of(f"2024年,在县委、县政府的坚强领导下,{BODY}现将2024年度法治政府建设情况报告如下:我局全体人员参加考试。",
                url="https://www.wuhua.gov.cn/xxgk/zfjg/t1.html")
    assert (m.province, m.city, m.level) == ("广东", "梅州", "县级")


def test_address_named_in_the_text_places_a_we_committee():
    m = meta_of(f"一、2025年推进法治政府建设的主要举措和成效\n坚持把习近平法治思想纳入我委党委理论学习中心组学习,"
                f"根据中共重庆市涪陵区委机构编制委员会的规定,{BODY}",
                url="http://www.fl.gov.cn/bm/wsjkw/t1.html")
    assert (m.province, m.city, m.level) == ("重庆", None, "县级")


# ---------------------------------------------------------------- role only, from the whole text

def _read(tmp_path, text: str, url: str | None = None):
    from index.pipeline import read_report
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    if url:
        (tmp_path / "manifest.csv").write_text(f"file,url\nr.txt,{url}\n", encoding="utf-8")
    return read_report(tmp_path / "r.txt").meta


def test_province_speaking_only_of_all_its_organs_in_traditional_script(tmp_path):
    m = _read(tmp_path, "2023年,在黨中央、國務院的堅強領導下,全省各級行政機關堅持以習近平新時代中國特色社會主義思想為指導,"
                        "深入學習貫徹習近平法治思想,紮實推進法治甘肅建設。現將有關情況報告如下。\n"
                        "一、堅持黨的領導\n省委、省政府帶頭將習近平法治思想納入省政府常務會議學習計劃,"
                        "全面推進嚴格規範公正文明執法,法治政府建設取得積極成效。\n")
    assert (m.province, m.city, m.level, m.issuer_type) == ("甘肃", None, "省级", "政府")
    assert m.issuer in ("甘肃省人民政府", "甘肅省人民政府")


def test_municipality_saying_this_city_is_provincial():
    m = meta_of(f"2022年,全市各区、各部门在市委、市政府的坚强领导下,{BODY}为天津加快建设提供法治保障。\n"
                f"本市贯彻全面依法治市工作会议精神。市政府办公厅、市发展改革委等部门组织学习。")
    assert m.issuer == "天津市人民政府"
    assert (m.province, m.city, m.level, m.issuer_type) == ("天津", None, "省级", "政府")


def test_league_speaking_as_league_committee_and_administrative_office():
    m = meta_of(f"一、工作开展情况\n(一)坚持党的领导。盟委、行署主要领导同志认真履行第一责任人职责,主持召开依法治盟委员会会议,"
                f"{BODY}\n(二)全面履行政府职能。制发盟本级权责清单,制发《锡林郭勒盟营商环境优化实施方案》。")
    assert m.issuer == "锡林郭勒盟行政公署"
    assert (m.province, m.city, m.level, m.issuer_type) == ("内蒙古", "锡林郭勒", "市级", "政府")


def test_street_speaking_as_the_street_is_named_by_its_short_form_in_its_county():
    m = meta_of(f"2022年以来,街道按照《安吉县法治政府建设实施方案》的要求,{BODY}奋力谱写递铺法治建设新篇章。\n"
                f"一、主要举措\n街道建立重大执法决定法制审核机制,{BODY}")
    assert m.issuer in ("递铺街道", "递铺街道办事处") and m.issuer_type == "政府"
    assert (m.province, m.city, m.level) == ("浙江", "湖州", "乡镇级")


def test_county_committee_and_government_by_role_is_a_government_of_no_invented_name():
    m = meta_of(f"2023年,县委、县政府{BODY}全县各级行政机关认真履职,县政府常务会议定期学法。")
    # the level is told, the party committee (县委) is not a department, no place is invented
    assert (m.level, m.issuer_type, m.province) == ("县级", "政府", None)
    assert m.issuer in (None, "县政府", "县人民政府")


# ---------------------------------------------------------------- who issued it

def test_general_office_posting_the_governments_report_is_not_its_issuer():
    m = meta_of(f"""政府信息公开
• 索引号:010598667/2023-00011
• 发布机构:哈密市政府办公室
• 公开日期:2023-03-20
2022年哈密市法治政府建设工作报告
2022年,我市{BODY}""")
    assert m.issuer == "哈密市人民政府" and m.issuer_type == "政府"
    assert (m.province, m.city, m.level, m.published) == ("新疆", "哈密", "市级", "2023-03-20")


def test_general_office_reporting_as_itself_stays_the_office():
    m = meta_of(f"• 发布机构:哈密市政府办公室\n2022年,我办{BODY}本办全体干部参加学法考试。")
    assert m.issuer == "哈密市政府办公室" and m.issuer_type == "部门"


def test_long_department_name_is_not_cut():
    m = meta_of(f"2024年,贵阳市政务服务和数字化建设管理局{BODY}")
    assert m.issuer == "贵阳市政务服务和数字化建设管理局" and m.issuer_type == "部门"


def test_site_name_writing_the_level_word_twice():
    m = meta_of(f"重庆市永川区区司法局\n您当前的位置:首页>区司法局>政务公开\n区司法局2023年法治政府建设工作报告\n"
                f"2023年,在区委、区政府的坚强领导下,区司法局{BODY}")
    assert m.issuer == "重庆市永川区司法局" and m.level == "县级"


def test_open_publishing_date_label():
    m = meta_of(f"• 发文机关:威海市生态环境局\n• 成文日期:2024-01-08\n• 公开发布日期:2024-01-10\n"
                f"威海市生态环境局2023年法治政府建设情况工作报告\n2023年,市生态环境局{BODY}")
    assert (m.published, m.dated) == ("2024-01-10", "2024-01-08")


def test_street_writing_its_name_without_dao():
    m = meta_of(f"2023年,京溪街{BODY}推动法治白云建设。印发《京溪街领导干部应知应会法律法规清单》。")
    assert m.issuer == "京溪街" and m.issuer_type == "政府"
    assert (m.province, m.city, m.level) == ("广东", "广州", "乡镇级")


# ---------------------------------------------------------------- titles where the page hides them

def test_title_glued_to_site_chrome_and_body_on_one_line():
    m = meta_of(f"范文网—每日更新www.fanwen.example安徽省人民政府关于2022年度法治政府建设情况的报告"
                f"2022年,省政府{BODY}一、坚持党的领导。{BODY}")
    assert m.title == "安徽省人民政府关于2022年度法治政府建设情况的报告" and not m.title_derived
    assert (m.issuer, m.year, m.level) == ("安徽省人民政府", 2022, "省级")


def test_title_below_a_cover_letter_wrapped_over_two_lines():
    m = meta_of(f"""浙环法〔2024〕5号
省委、省政府:
2023年,在省委、省政府坚强领导下,我厅{BODY}
现将《浙江省生态环境厅关于2023年度法治政府建设情况的报告》报上,请审阅。报告内容将向社会公开。
浙江省生态环境厅
2024年1月20日
浙江省生态环境厅关于2023年度
法治政府建设情况的报告
2023年,浙江省生态环境厅{BODY}""")
    assert m.title == "浙江省生态环境厅关于2023年度法治政府建设情况的报告"
    assert (m.issuer, m.year, m.level) == ("浙江省生态环境厅", 2023, "省级")


def test_attachment_mark_above_a_full_title_is_not_part_of_it():
    m = meta_of(f"市委、市政府:\n现将报告报上,请审阅。我局{BODY}\n附件\n"
                f"杭州市生态环境局关于2023年度法治政府建设情况的报告\n2023年,杭州市生态环境局{BODY}")
    assert m.title == "杭州市生态环境局关于2023年度法治政府建设情况的报告"


def test_title_cited_at_the_start_of_an_encyclopedia_lead():
    m = meta_of(f"《柳州市人民政府2017年度法治政府建设工作报告》是2018年柳州市人民政府发布的通知。\n"
                f"2017年,在自治区党委、自治区人民政府的坚强领导下,我市{BODY}")
    assert m.title == "柳州市人民政府2017年度法治政府建设工作报告" and m.year == 2017


# ---------------------------------------------------------------- departments by their work

def test_committee_saying_we_is_named_by_its_work_and_its_address():
    m = meta_of(f"市委、市政府:\n2024年以来,我委紧扣法治政府建设总体目标,{BODY}将法治建设与卫生健康核心业务深度融合。\n"
                f"我委印发《全市卫生健康法治建设工作要点》,督导各级医疗机构依法执业。",
                url="https://www.jincheng.gov.cn/xxgk/t1.shtml")
    assert m.issuer == "晋城市卫生健康委员会" and m.issuer_type == "部门"
    assert (m.province, m.city, m.level) == ("山西", "晋城", "市级")


def test_provincial_office_saying_we_is_named_with_the_provinces_ending():
    m = meta_of(f"2024年,在省委、省政府的坚强领导下,我厅{BODY}扎实推进交通运输法治政府部门建设。"
                f"举办全省交通运输行业法治培训,规范道路运输执法。我厅作交流发言。",
                url="https://jtt.hunan.gov.cn/jtt/t1.shtml")
    assert m.issuer == "湖南省交通运输厅" and m.level == "省级"


def test_we_bureau_whose_work_the_text_does_not_tell_stays_unnamed():
    m = meta_of(f"2024年,在县委、县政府的坚强领导下,我局{BODY}", url="https://www.wuhua.gov.cn/xxgk/t1.html")
    assert m.issuer is None and m.issuer_type == "部门" and m.level == "县级"


def test_short_department_name_is_written_out_for_citation(tmp_path):
    m = _read(tmp_path, f"2025年,白银市卫生健康委在市委、市政府的坚强领导下,{BODY}\n"
                        f"一、主要举措\n委党组理论学习中心组专题学法,{BODY}")
    assert m.issuer == "白银市卫生健康委" and m.issuer_full == "白银市卫生健康委员会"
    m = _read(tmp_path, f"2023年,丽水市市场监管局在市委市政府的坚强领导下,{BODY}")
    assert m.issuer_full == "丽水市市场监督管理局" and m.city == "丽水"


def test_autonomous_region_as_the_subject_with_a_place_bearing_slogan():
    m = meta_of(f"2022年,在党中央、国务院的坚强领导下,自治区{BODY}全区各族干部群众奋力推进法治新疆建设。")
    assert m.issuer == "新疆维吾尔自治区人民政府" and (m.province, m.level) == ("新疆", "省级")


def test_sentences_opening_with_village_words_name_no_town():
    m = meta_of(f"2023年,乡村振兴{BODY}乡村治理持续加强。镇村两级法治阵地建设加快。")
    assert m.level is None and m.issuer is None
