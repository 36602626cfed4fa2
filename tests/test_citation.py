import datetime

from searcher.citation import citation, location

ACCESSED = datetime.date(2026, 11, 22)

PARA = {
    "issuer": "青松县人民政府",
    "title": "青松县人民政府关于2023年度法治政府建设情况的报告",
    "published": "2024-03-28",
    "url": "https://www.qingsong.gov.cn/zwgk/fzzfjs/1.html",
    "section_path": ["一、2023年推进法治政府建设的主要举措和成效", "(六)健全行政权力制约监督体系"],
    "year": 2023,
}


def test_online_report_with_everything():
    assert citation(PARA, ACCESSED) == (
        "青松县人民政府. 青松县人民政府关于2023年度法治政府建设情况的报告[EB/OL]. "
        "(2024-03-28)[2026-11-22]. https://www.qingsong.gov.cn/zwgk/fzzfjs/1.html. 第一部分（六）.")


def test_online_report_without_publishing_date_keeps_the_access_date():
    out = citation({**PARA, "published": None}, ACCESSED)
    assert "[EB/OL]. [2026-11-22]. https://" in out
    assert "(" not in out.split("[EB/OL]")[1].split("https")[0]


def test_access_date_defaults_to_today():
    assert f"[{datetime.date.today().isoformat()}]" in citation(PARA)


def test_report_without_url_is_cited_as_a_report():
    out = citation({**PARA, "url": None}, ACCESSED)
    assert out == ("青松县人民政府. 青松县人民政府关于2023年度法治政府建设情况的报告[R]. "
                   "[出版地不详]: 青松县人民政府, 2024. 第一部分（六）.")
    assert "EB/OL" not in out and "2026-11-22" not in out


def test_the_issuers_place_is_the_place_of_publication():
    out = citation({**PARA, "url": None, "city": "淮南", "province": "安徽"}, ACCESSED)
    assert "[R]. 淮南: 青松县人民政府, 2024." in out
    out = citation({**PARA, "url": None, "city": None, "province": "重庆"}, ACCESSED)
    assert "[R]. 重庆: " in out


def test_the_issuers_full_name_is_the_responsible_party():
    out = citation({**PARA, "issuer": "滨海镇", "issuer_full": "温岭市滨海镇人民政府", "url": None},
                   ACCESSED)
    assert out.startswith("温岭市滨海镇人民政府. ")
    assert ": 温岭市滨海镇人民政府, 2024." in out


def test_a_composed_title_is_cited_in_square_brackets():
    out = citation({**PARA, "title": "青松县人民政府2023年法治政府建设年度报告", "title_derived": True},
                   ACCESSED)
    assert "青松县人民政府. [青松县人民政府2023年法治政府建设年度报告][EB/OL]. " in out
    assert "[青松" not in citation(PARA, ACCESSED)


def test_report_without_url_or_dates_estimates_the_year_after_the_reported_year():
    out = citation({**PARA, "url": "", "published": None, "year": 2021}, ACCESSED)
    assert ", [2022]. " in out


def test_report_without_url_uses_the_signature_date():
    out = citation({**PARA, "url": None, "published": None, "dated": "2020-01-31"}, ACCESSED)
    assert ", 2020. " in out


def test_without_issuer_the_title_comes_first():
    out = citation({**PARA, "issuer": None}, ACCESSED)
    assert out.startswith("青松县人民政府关于2023年度法治政府建设情况的报告[EB/OL]. ")
    out = citation({**PARA, "issuer": "", "url": None}, ACCESSED)
    assert out.startswith("青松县人民政府关于")
    assert "[出版者不详]" in out


def test_without_numbered_headings_there_is_no_location():
    out = citation({**PARA, "section_path": ["前言"]}, ACCESSED)
    assert out.endswith("/1.html.")
    out = citation({**PARA, "section_path": [], "url": None}, ACCESSED)
    assert out.endswith(", 2024.")


def test_location_of_nested_paths():
    assert location(["一、总体情况", "(二)完善制度", "1.加强审查", "(3)细化清单"]) == "第一部分（二）第1点（3）"
    assert location(["三、存在的不足和原因"]) == "第三部分"
    # headings keep the report's full-width characters; the markers are read either way
    assert location(["十二、其他", "（十）全角括号", "２．全角数字"]) == "第十二部分（十）第2点"
    assert location(["第二部分 工作安排", "一、深化普法"]) == "第二部分第一项"


def test_location_skips_unnumbered_headings():
    assert location(["前言"]) == ""
    assert location([]) == ""
    assert location(["2023年工作情况", "一是落实责任"]) == ""
    assert location(["工作情况", "二、主要举措", "1.576亿元投入"]) == "第二部分"


def test_location_follows_the_configured_heading_markers():
    config = {"sections": {"markers": [{"kind": "article", "pattern": r"第\d+条"}]}}
    assert location(["第3条 总则", "一、不算"], config) == "第3条"
    out = citation({**PARA, "section_path": ["第12条 附则"]}, ACCESSED, config)
    assert out.endswith("/1.html. 第12条.")
