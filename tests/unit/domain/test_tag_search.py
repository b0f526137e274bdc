"""Type-ahead: every way of typing 高意向, heteronyms, paths, mixed input, ranking, fuzzy."""

from __future__ import annotations

import pytest

from desktop.domain.tag_search import (
    ABBREVIATION_EXACT,
    ABBREVIATION_PREFIX,
    FUZZY_MAX,
    INITIALS_EXACT,
    INITIALS_LATER,
    INITIALS_PREFIX,
    MIXED_LATER,
    MIXED_PREFIX,
    NAME_EXACT,
    NAME_PREFIX,
    PINYIN_EXACT,
    PINYIN_LATER,
    PINYIN_PREFIX,
    SUBSTRING,
    MatchForm,
    SearchHit,
    TagSearchIndex,
    nearest_names,
)
from desktop.domain.tags import TagInfo, TagKind

_next_id = iter(range(10_000))


def _tag(name: str, abbreviation: str = "", count: int = 0) -> TagInfo:
    return TagInfo(f"et{next(_next_id)}", name, "g", "组", 0, TagKind.CORP, abbreviation, count)


LIBRARY = [
    _tag("高意向", count=40),
    _tag("低意向", count=10),
    _tag("三次复购客户", "V3", count=5),
    _tag("教育/K12", count=3),
    _tag("教育/K12/小学"),
    _tag("重庆"),
    _tag("银行"),
    _tag("长期客户"),
    _tag("张三"),
    _tag("VIP"),
]
INDEX = TagSearchIndex(LIBRARY)


def _first(query: str, index: TagSearchIndex = INDEX) -> SearchHit:
    hits = index.search(query)
    assert hits, f"nothing found for {query!r}"
    return hits[0]


def _names(query: str, index: TagSearchIndex = INDEX) -> list[str]:
    return [hit.tag.name for hit in index.search(query)]


@pytest.mark.parametrize(
    ("query", "score", "form"),
    [
        ("高意向", NAME_EXACT, MatchForm.NAME),
        ("高意", NAME_PREFIX, MatchForm.NAME),
        ("gyx", INITIALS_EXACT, MatchForm.INITIALS),
        ("GYX", INITIALS_EXACT, MatchForm.INITIALS),
        ("gy", INITIALS_PREFIX, MatchForm.INITIALS),
        ("gaoyixiang", PINYIN_EXACT, MatchForm.PINYIN),
        ("gao yi xiang", PINYIN_EXACT, MatchForm.PINYIN),
        ("gaoyi", PINYIN_PREFIX, MatchForm.PINYIN),
        ("gaoyix", PINYIN_PREFIX, MatchForm.PINYIN),
        ("高yx", MIXED_PREFIX, MatchForm.MIXED),
        ("高yixiang", MIXED_PREFIX, MatchForm.MIXED),
        ("高意x", MIXED_PREFIX, MatchForm.MIXED),
    ],
)
def test_every_way_of_typing_gao_yi_xiang(query: str, score: float, form: MatchForm) -> None:
    hit = _first(query)
    assert hit.tag.name == "高意向"
    assert (hit.score, hit.matched) == (score, form)


def test_substring_inside_the_name() -> None:
    hits = {hit.tag.name: hit for hit in INDEX.search("意向")}
    assert hits["高意向"].score == SUBSTRING
    assert hits["低意向"].score == SUBSTRING
    assert hits["高意向"].matched is MatchForm.NAME


def test_pinyin_and_initials_from_a_later_character() -> None:
    assert (_first("yixiang").score, _first("yixiang").matched) == (PINYIN_LATER, MatchForm.PINYIN)
    later = {hit.tag.name: hit for hit in INDEX.search("yx")}
    assert (later["高意向"].score, later["高意向"].matched) == (INITIALS_LATER, MatchForm.INITIALS)
    assert later["银行"].score == INITIALS_EXACT  # yin-xing
    assert _first("意x").score == MIXED_LATER


def test_mixed_input_ranks_like_everything_else() -> None:
    index = TagSearchIndex(
        [_tag("大客户", count=100)] + [_tag(f"客户{i}", count=i) for i in range(30)]
    )
    top = index.search("客h", limit=5)
    assert [hit.tag.name for hit in top] == ["客户29", "客户28", "客户27", "客户26", "客户25"]
    assert {hit.score for hit in top} == {MIXED_PREFIX}
    everything = index.search("客h", limit=50)
    assert len(everything) == 31
    assert (everything[-1].tag.name, everything[-1].score) == ("大客户", MIXED_LATER)


def test_abbreviation_is_case_insensitive_and_wins() -> None:
    for query in ("V3", "v3", "ｖ３"):
        hit = _first(query)
        assert (hit.tag.name, hit.score, hit.matched) == (
            "三次复购客户",
            ABBREVIATION_EXACT,
            MatchForm.ABBREVIATION,
        )


def test_exact_abbreviation_beats_a_longer_one() -> None:
    index = TagSearchIndex([_tag("三十次复购", "V30", count=99), _tag("三次复购", "V3")])
    hits = index.search("v3")
    assert [(hit.tag.name, hit.score) for hit in hits] == [
        ("三次复购", ABBREVIATION_EXACT),
        ("三十次复购", ABBREVIATION_PREFIX),
    ]


def test_path_segments_match() -> None:
    assert [(hit.tag.name, hit.score) for hit in INDEX.search("k12")] == [
        ("教育/K12", NAME_EXACT),
        ("教育/K12/小学", NAME_PREFIX),
    ]
    assert _first("小学").tag.name == "教育/K12/小学"
    assert _first("xiaoxue").tag.name == "教育/K12/小学"
    assert _names("教育/k") == ["教育/K12", "教育/K12/小学"]
    assert _first("jiaoyu").score == PINYIN_PREFIX


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("zq", "重庆"),
        ("cq", "重庆"),
        ("chongqing", "重庆"),
        ("zhongqing", "重庆"),
        ("yh", "银行"),
        ("yinhang", "银行"),
        ("yinxing", "银行"),
        ("cqkh", "长期客户"),
        ("zqkh", "长期客户"),
        ("changqi", "长期客户"),
        ("zhq", "重庆"),
        ("chq", "重庆"),
        ("chqkh", "长期客户"),
        ("重q", "重庆"),
        ("长qkh", "长期客户"),
    ],
)
def test_heteronyms_match_every_reading(query: str, name: str) -> None:
    assert _first(query).tag.name == name


def test_zh_ch_sh_initials_may_be_written_out() -> None:
    for query in ("zs", "zhs"):
        hit = _first(query)
        assert (hit.tag.name, hit.score, hit.matched) == (
            "张三",
            INITIALS_EXACT,
            MatchForm.INITIALS,
        )
    assert _first("张s").tag.name == "张三"
    assert _first("ch期").tag.name == "长期客户"


def test_ranking_follows_the_documented_tiers() -> None:
    index = TagSearchIndex(
        [
            _tag("大高意"),
            _tag("大GY"),
            _tag("高意向客户"),
            _tag("高意"),
            _tag("甲", "GYZ"),
            _tag("GY助手"),
            _tag("GY"),
            _tag("乙", "GY"),
        ]
    )
    assert [(hit.tag.name, hit.score, hit.matched.value) for hit in index.search("gy")] == [
        ("乙", ABBREVIATION_EXACT, "abbreviation"),
        ("GY", NAME_EXACT, "name"),
        ("GY助手", NAME_PREFIX, "name"),
        ("甲", ABBREVIATION_PREFIX, "abbreviation"),
        ("高意", INITIALS_EXACT, "initials"),
        ("高意向客户", INITIALS_PREFIX, "initials"),
        ("大GY", SUBSTRING, "name"),
        ("大高意", INITIALS_LATER, "initials"),
    ]


def test_ranking_of_pinyin_tiers() -> None:
    index = TagSearchIndex([_tag("大高"), _tag("高意向"), _tag("高"), _tag("Gao先生")])
    assert [(hit.tag.name, hit.score) for hit in index.search("gao")] == [
        ("Gao先生", NAME_PREFIX),
        ("高", PINYIN_EXACT),
        ("高意向", PINYIN_PREFIX),
        ("大高", PINYIN_LATER),
    ]


def test_ties_go_to_more_relations_then_the_shorter_name() -> None:
    index = TagSearchIndex(
        [_tag("高意向客户", count=5), _tag("高意向", count=5), _tag("高意愿", count=9)]
    )
    assert _names("gy", index) == ["高意愿", "高意向", "高意向客户"]


def test_limit_and_empty_queries() -> None:
    index = TagSearchIndex([_tag(f"客户{i}") for i in range(50)])
    assert len(index.search("kh")) == 20
    assert len(index.search("kh", limit=5)) == 5
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("kh", limit=0) == []
    assert len(index) == 50


def test_lower_tiers_are_skipped_only_when_the_top_is_full() -> None:
    index = TagSearchIndex([_tag("大意"), _tag("意向")])
    assert _names("意", index) == ["意向", "大意"]
    assert _names("意", index)[:1] == [hit.tag.name for hit in index.search("意", limit=1)]


def test_fuzzy_finds_typos_only_when_nothing_else_matches() -> None:
    hit = _first("gaoyixaing")
    assert (hit.tag.name, hit.matched) == ("高意向", MatchForm.FUZZY)
    assert 0 < hit.score <= FUZZY_MAX
    homophone = _first("高义向")
    assert (homophone.tag.name, homophone.matched) == ("高意向", MatchForm.FUZZY)
    assert all(hit.matched is not MatchForm.FUZZY for hit in INDEX.search("意向"))
    assert INDEX.search("qqqqqq") == []


def test_latin_names_and_width() -> None:
    assert _first("vip").tag.name == "VIP"
    assert _first("ＶＩＰ").score == NAME_EXACT


def test_nearest_names_by_text_and_sound() -> None:
    names = [tag.name for tag in LIBRARY]
    assert nearest_names("高意象", names)[0] == "高意向"
    assert nearest_names("教育K12", names) == ["教育/K12", "教育/K12/小学"]
    assert nearest_names("vipp", names) == ["VIP"]
    assert nearest_names("完全无关的名字", names) == []


def test_nearest_names_by_pinyin_initials_and_spelling() -> None:
    names = ["高意向客户", "观望", "高意向", "意向", "教育/K12/小学"]
    assert nearest_names("gyx", names) == ["高意向", "高意向客户"]
    assert nearest_names("gaoyi", names) == ["高意向", "高意向客户"]
    assert nearest_names("高yx", names) == ["高意向", "高意向客户"]
    assert nearest_names("xx", names) == ["教育/K12/小学"]
    assert nearest_names("g", names) == []
    assert nearest_names("gyx", ["公众号", "高意向"]) == ["高意向", "公众号"]  # 众 yin, 号 xiao


def test_nearest_names_limit_and_duplicates() -> None:
    assert nearest_names("客户1", ["客户1", "客户1", "客户2", "客户3", "客户4"], limit=2) == [
        "客户1",
        "客户2",
    ]
    assert nearest_names("x", []) == []
    assert nearest_names("客户", ["客户"], limit=0) == []
