"""The bundled scene templates: at least 20, each valid, and their rules neither contradict
nor loop on relations from their live codes or carrying any one or two of their tags."""

from __future__ import annotations

import itertools
import json
import re
from datetime import date
from pathlib import Path

import pytest

from desktop.domain.rule_format import RuleFormatError
from desktop.domain.rules import CatalogueTag, Subject, evaluate, resolve
from desktop.domain.scenes import mapped_scene, parse_scene, plan_scene

SCENES = Path(__file__).resolve().parents[3] / "resources" / "scenes"
FILES = sorted(SCENES.glob("*.json"))
NOW = 1_800_000_000.0


def test_there_are_at_least_twenty_across_industries() -> None:
    scenes = [parse_scene(p.stem, p.read_text(encoding="utf-8")) for p in FILES]
    assert len(scenes) >= 20
    assert len({s.industry for s in scenes}) >= 20
    assert all(s.rules and s.tag_groups and s.live_codes for s in scenes)
    names = [name for s in scenes for _, r in s.rules for name in [r.name]]
    assert len(names) == len(set(names))                   # rule names never clash


def test_each_says_what_it_is_in_both_languages() -> None:
    for path in FILES:
        scene = parse_scene(path.stem, path.read_text(encoding="utf-8"))
        assert scene.about(english=False) == scene.description
        assert scene.about(english=True) == scene.description_en != ""
        assert not re.search(r"[\u4e00-\u9fff]", scene.description_en), path.stem


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_rules_neither_contradict_nor_loop(path: Path) -> None:
    scene = parse_scene(path.stem, path.read_text(encoding="utf-8"))
    catalogue = [CatalogueTag(f"{g}:{t}", t, g, g) for g, tags in scene.tag_groups for t in tags]
    rules = resolve([r for _, r in scene.rules], catalogue)
    ids = [t.id for t in catalogue]
    tag_sets: list[frozenset[str]] = [frozenset()] + [frozenset(c) for n in (1, 2) for c in itertools.combinations(ids, n)]
    states = ["", *(c.state for c in scene.live_codes)]
    subjects = [
        Subject(n, f"wm{n}", "u", "客户", state, "北京 展会", "", ("上海星辰科技有限公司",), 2,
                NOW - days * 86400, date.fromtimestamp(NOW - days * 86400).toordinal(), tags)
        for n, (state, tags, days) in enumerate(itertools.product(states, tag_sets, (1, 400)))]
    result = evaluate(rules, subjects, NOW)
    assert result.contradictions == [] and result.loops == []


def test_plan_reuses_creates_and_reports_collisions() -> None:
    scene = parse_scene("x", json.dumps({
        "title": "t", "title_en": "t", "industry": "i",
        "tag_groups": [{"name": "进度", "tags": ["已领券", "已下单", "新客"]}],
        "live_codes": [{"state": "s", "tags": ["进度:新客"]}],
        "rules": [{"name": "r", "when": {"state": "s"}, "then": {"add": ["进度:新客"]}}]}))
    plan = plan_scene(scene, [CatalogueTag("a", "已领券", "g1", "进度"),
                              CatalogueTag("b", "已下单", "g2", "订单")])
    assert plan.reuse == (("进度", "已领券", "a"),)
    assert plan.create == (("进度", "已下单"), ("进度", "新客"))
    assert [(c.tag, c.found_in) for c in plan.collisions] == [("已下单", ("订单",))]
    assert plan.new_groups == ()


def test_a_mapped_tag_is_used_and_every_rule_and_code_names_it() -> None:
    scene = parse_scene("x", json.dumps({
        "title": "t", "title_en": "t", "industry": "i",
        "tag_groups": [{"name": "进度", "tags": ["已下单", "新客"]}],
        "live_codes": [{"state": "s", "tags": ["进度:新客"]}],
        "rules": [{"name": "r", "when": {"all": [{"state": "s"}, {"not": {"has": ["已下单"]}},
                                                {"has_not": "进度:新客"}]},
                   "then": {"add": ["进度:新客"], "remove": ["进度:已下单"]}}]}))
    catalogue = [CatalogueTag("b", "已下单", "g2", "订单"), CatalogueTag("c", "首单", "g3", "客群")]
    plan = plan_scene(scene, catalogue, {("进度", "已下单"): "b", ("进度", "新客"): "c"})
    assert [(m.template_label, m.label, m.tag_id) for m in plan.mapped] == [
        ("进度:已下单", "订单:已下单", "b"), ("进度:新客", "客群:首单", "c")]
    assert plan.create == () and plan.collisions == () and plan.new_groups == ()
    mapped = mapped_scene(scene, plan.labels())
    definition, rule = mapped.rules[0]
    assert definition["when"] == {"all": [{"state": "s"}, {"not": {"has": ["订单:已下单"]}},
                                          {"has_not": "客群:首单"}]}
    assert [r.text for r in rule.then.add] == ["客群:首单"]
    assert [r.text for r in rule.then.remove] == ["订单:已下单"]
    assert mapped.live_codes[0].tags == ("客群:首单",)
    assert resolve([rule], catalogue)                       # names only existing tags


def test_a_tag_given_a_home_is_created_there_or_uses_the_tag_it_has() -> None:
    scene = parse_scene("x", json.dumps({
        "title": "t", "title_en": "t", "industry": "i",
        "tag_groups": [{"name": "售后", "tags": ["投诉中", "好评", "已下单"]}],
        "live_codes": [{"state": "s", "tags": ["售后:好评"]}],
        "rules": [{"name": "r", "when": {"has": "售后:已下单"},
                   "then": {"add": ["售后:投诉中"]}}]}))
    catalogue = [CatalogueTag("a", "好评", "g1", "MKT-活动"), CatalogueTag("b", "已下单", "g2", "订单")]
    homes = {("售后", "投诉中"): "MKT-活动", ("售后", "好评"): "MKT-活动",
             ("售后", "已下单"): "MKT-活动"}
    plan = plan_scene(scene, catalogue, homes=homes)
    assert plan.create == (("MKT-活动", "投诉中"), ("MKT-活动", "已下单"))
    assert [(m.template_label, m.label) for m in plan.mapped] == [("售后:好评", "MKT-活动:好评")]
    assert [m.label for m in plan.moved] == ["MKT-活动:投诉中", "MKT-活动:已下单"]
    assert [(c.group, c.tag, c.found_in) for c in plan.collisions] == [
        ("MKT-活动", "已下单", ("订单",))]
    assert plan.new_groups == ()                         # 售后 is not made at all
    mapped = mapped_scene(scene, plan.labels())
    definition, rule = mapped.rules[0]
    assert definition["when"] == {"has": "MKT-活动:已下单"}
    assert [r.text for r in rule.then.add] == ["MKT-活动:投诉中"]
    assert mapped.live_codes[0].tags == ("MKT-活动:好评",)


def test_a_template_naming_a_tag_it_lacks_is_refused() -> None:
    with pytest.raises(RuleFormatError) as caught:
        parse_scene("bad", json.dumps({
            "title": "t", "title_en": "t", "industry": "i",
            "tag_groups": [{"name": "进度", "tags": ["新客"]}],
            "rules": [{"name": "r", "when": {"state": "s"}, "then": {"add": ["进度:老客"]}}]}))
    assert caught.value.path == "bad.json.rules[0].then"
