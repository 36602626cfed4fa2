"""The gazetteer: short forms, special administrative cases, and place names in text."""
import pytest

from index.places import find_mentions, find_places, is_within, places_named


def _one(name):
    found = places_named(name)
    assert len(found) == 1, (name, found)
    return found[0]


def test_province_short_forms():
    assert _one("浙江省").province == "浙江"
    assert _one("广西壮族自治区").province == "广西"
    assert _one("内蒙古自治区").province == "内蒙古"
    assert _one("新疆维吾尔自治区").province == "新疆"
    assert _one("宁夏回族自治区").level == "province"


def test_county_level_city_sits_under_its_prefecture():
    p = _one("瑞安市")
    assert (p.level, p.province, p.city) == ("county", "浙江", "温州")
    assert _one("温州市").level == "city"


def test_municipality_districts_have_no_city():
    p = _one("浦东新区")
    assert (p.level, p.province, p.city) == ("county", "上海", None)
    town = _one("陆家嘴街道")
    assert (town.level, town.province, town.city, town.county) == ("town", "上海", None, "浦东新区")
    assert _one("重庆市").level == "province"


def test_autonomous_prefecture_league_and_area_short_forms():
    assert _one("延边朝鲜族自治州").city == "延边"
    assert _one("兴安盟").city == "兴安"
    assert _one("和田地区").city == "和田"
    assert _one("巴音郭楞蒙古自治州").city == "巴音郭楞"
    assert _one("吉林市").city == "吉林"
    banner = _one("阿拉善左旗")
    assert (banner.level, banner.province, banner.city) == ("county", "内蒙古", "阿拉善")


def test_province_administered_county_level_city_has_no_prefecture():
    p = _one("仙桃市")
    assert (p.level, p.province, p.city) == ("county", "湖北", None)


def test_ambiguous_names_give_every_reading():
    provinces = {p.province for p in places_named("朝阳区")}
    assert provinces == {"北京", "吉林"}
    assert len(places_named("鼓楼区")) >= 3


def test_generic_words_are_not_places():
    text = "在市委、市政府和区委的领导下,城区环境持续改善,全县各乡镇街道"
    assert find_places(text) == []


def test_mentions_are_longest_and_in_order():
    names = [m.name for m in find_mentions("重庆市渝北区人民政府两路街道办事处")]
    assert names == ["重庆市", "渝北区", "两路街道"]
    # 大通区 (a district of 淮南) must not be read as a shorter name inside it.
    assert [m.name for m in find_mentions("中共淮南市大通区委")] == ["淮南市", "大通区"]


def test_is_within_follows_the_tree():
    town = _one("陆家嘴街道")
    assert is_within(town, _one("浦东新区"))
    assert is_within(town, _one("上海市"))
    assert not is_within(town, _one("浙江省"))
    assert is_within(_one("瑞安市"), _one("温州市"))
    assert not is_within(_one("温州市"), _one("瑞安市"))


def test_autonomous_prefectures_are_found_by_short_form_and_zhou_with_one_city_short_form():
    from index.places import find_mentions
    for text, full, short in [("延边州人民政府", "延边朝鲜族自治州", "延边"),
                              ("巴州党委、政府", "巴音郭楞蒙古自治州", "巴音郭楞"),
                              ("黔西南州", "黔西南布依族苗族自治州", "黔西南")]:
        (m,) = find_mentions(text)[:1]
        assert [(p.name, p.level, p.city) for p in m.places] == [(full, "city", short)]
    # A district named like an alias is still the district (leftmost-longest).
    assert [p.level for p in find_mentions("巴州区人民政府")[0].places] == ["county"]


@pytest.mark.parametrize("url, name", [
    ("http://www.wugang.gov.cn/x.html", "武冈市"),      # full pinyin (with 舞钢市: both spell it)
    ("http://www.chencang.gov.cn/x.html", "陈仓区"),
    ("http://qzlc.gov.cn/x.html", "鲤城区"),            # 泉州 initials + 鲤城 initials
    ("http://www.hzxh.gov.cn/x.html", "西湖区"),
    ("http://www.cqwx.gov.cn/x.html", "巫溪县"),        # a character the dictionary lacks (巫)
])
def test_government_host_names_spell_their_place(url, name):
    from index.metadata.hosts import host_places
    assert name in [p.name for p in host_places(url)[1]]


def test_only_government_hosts_are_read():
    from index.metadata.hosts import host_places
    assert host_places("http://chencang.example.com/x.html") == ("", ())
    assert host_places(None) == ("", ())


def test_the_cached_gazetteer_equals_a_fresh_parse_and_a_damaged_cache_is_rewritten(
        tmp_path, monkeypatch):
    from index import places

    path = places.gazetteer_file()
    if path is None:
        pytest.skip("jionlp's data is not installed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = places._cache_file(path)
    assert str(cache).startswith(str(tmp_path))
    fresh = places._build(places._parse(places.read_lines(path)))
    places.load_gazetteer.cache_clear()
    try:
        first = places.load_gazetteer()              # parses and writes the cache
        assert cache.is_file()
        places.load_gazetteer.cache_clear()
        cached = places.load_gazetteer()             # reads it
        assert cached.by_name == fresh.by_name == first.by_name
        assert cached.by_short == fresh.by_short and cached.provinces == fresh.provinces
        cache.write_bytes(b"not a pickle")
        places.load_gazetteer.cache_clear()
        assert places.load_gazetteer().by_name == fresh.by_name
        assert cache.read_bytes() != b"not a pickle"  # rewritten
    finally:
        places.load_gazetteer.cache_clear()
