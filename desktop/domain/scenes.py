"""Scene templates: ready-made tag groups, live codes and rules for one kind of business.

A template (resources/scenes/NAME.json):

    {"title": "电商大促追踪", "title_en": "E-commerce promotion tracking",
     "industry": "电商 / e-commerce", "description": "…", "description_en": "…",
     "tag_groups": [{"name": "大促-进度", "tags": ["已领券", "已下单"]}],
     "live_codes": [{"state": "promo2026", "remark": "大促海报", "tags": ["大促-进度:已领券"]}],
     "rules": [ …rules in the rule format… ]}

`plan_scene` compares it with the corp's tags: a template tag mapped to an existing tag uses
that tag; one given a home (an existing group of the user's own, say a head's MKT- group) is
created there, or uses the tag of that name the group has; otherwise one whose name exists in
the group of the same name is reused, one missing is created, and one whose name exists only
in another group is a collision (said, and created in the template's group only when
allowed). `mapped_scene` rewrites the rules and live codes so that they name the tags the
template's tags became.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from desktop.domain.echo import echo
from desktop.domain.filter.suggest import fold
from desktop.domain.rule_format import TAG_LEAVES, RuleFormatError, parse_rule
from desktop.domain.rules import CatalogueTag, Rule, TagRef

_SCENE_KEYS = frozenset({"title", "title_en", "industry", "description", "description_en",
                         "tag_groups", "live_codes", "rules"})


@dataclass(frozen=True)
class LiveCode:
    """A live code (「联系我」 with a `state`): made in WeCom when the scene is applied for
    some members, otherwise kept as data."""

    state: str
    remark: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Scene:
    name: str
    title: str
    title_en: str
    industry: str
    description: str
    tag_groups: tuple[tuple[str, tuple[str, ...]], ...]
    live_codes: tuple[LiveCode, ...]
    rules: tuple[tuple[dict[str, object], Rule], ...]
    description_en: str = ""

    def about(self, english: bool) -> str:
        """The description in the UI language (the Chinese one when there is no English)."""
        return self.description_en if english and self.description_en else self.description

    @property
    def tag_count(self) -> int:
        return sum(len(tags) for _, tags in self.tag_groups)


@dataclass(frozen=True)
class Collision:
    group: str
    tag: str
    found_in: tuple[str, ...]       # the other groups holding a tag of that name


@dataclass(frozen=True)
class MappedTag:
    """A template tag that uses an existing tag of another name or group."""

    group: str
    tag: str
    tag_id: str
    label: str                      # the existing tag as 组:名

    @property
    def template_label(self) -> str:
        return f"{self.group}:{self.tag}"


@dataclass(frozen=True)
class MovedTag:
    """A template tag created in another existing group, its home."""

    group: str
    tag: str
    home: str

    @property
    def template_label(self) -> str:
        return f"{self.group}:{self.tag}"

    @property
    def label(self) -> str:
        return f"{self.home}:{self.tag}"


@dataclass(frozen=True)
class ScenePlan:
    reuse: tuple[tuple[str, str, str], ...]      # (group, tag, existing tag id)
    create: tuple[tuple[str, str], ...]          # (group, tag): the group it is created in
    collisions: tuple[Collision, ...]
    new_groups: tuple[str, ...]
    mapped: tuple[MappedTag, ...] = ()
    moved: tuple[MovedTag, ...] = ()

    def labels(self) -> dict[tuple[str, str], str]:
        """Template (group, tag) → "组:名" of the tag it becomes, where that is not its own."""
        labels = {(m.group, m.tag): m.label for m in self.mapped}
        return {**labels, **{(m.group, m.tag): m.label for m in self.moved}}


def parse_scene(name: str, text: str) -> Scene:
    origin = f"{name}.json"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleFormatError(origin, f"不是有效的 JSON（第 {exc.lineno} 行）",
                              f"not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, Mapping):
        raise RuleFormatError(origin, "应为 JSON 对象", "expected a JSON object")
    for key in data:
        if key not in _SCENE_KEYS:
            raise RuleFormatError(f"{origin}.{echo(str(key))}", "未知的字段", "unknown field")
    groups = []
    for index, group in enumerate(_list(data.get("tag_groups"), f"{origin}.tag_groups")):
        path = f"{origin}.tag_groups[{index}]"
        if not isinstance(group, Mapping):
            raise RuleFormatError(path, "应为 {\"name\", \"tags\"}", "expected {\"name\", \"tags\"}")
        tags = tuple(_text(t, f"{path}.tags[{i}]")
                     for i, t in enumerate(_list(group.get("tags"), f"{path}.tags")))
        groups.append((_text(group.get("name"), f"{path}.name"), tags))
    codes = []
    for index, code in enumerate(_list(data.get("live_codes", []), f"{origin}.live_codes",
                                       empty=True)):
        path = f"{origin}.live_codes[{index}]"
        if not isinstance(code, Mapping):
            raise RuleFormatError(path, "应为 JSON 对象", "expected a JSON object")
        codes.append(LiveCode(_text(code.get("state"), f"{path}.state"),
                              str(code.get("remark", "")),
                              tuple(_text(t, f"{path}.tags[{i}]") for i, t in
                                    enumerate(_list(code.get("tags"), f"{path}.tags")))))
    rules = []
    for index, item in enumerate(_list(data.get("rules", []), f"{origin}.rules", empty=True)):
        rule = parse_rule(item, f"{origin}.rules[{index}]")
        rules.append((dict(item) if isinstance(item, Mapping) else {}, rule))
    scene = Scene(name, _text(data.get("title"), f"{origin}.title"),
                  _text(data.get("title_en"), f"{origin}.title_en"),
                  _text(data.get("industry"), f"{origin}.industry"),
                  str(data.get("description", "")), tuple(groups), tuple(codes), tuple(rules),
                  str(data.get("description_en", "")))
    _check_references(scene, origin)
    return scene


def plan_scene(scene: Scene, catalogue: Sequence[CatalogueTag],
               mapping: Mapping[tuple[str, str], str] | None = None,
               homes: Mapping[tuple[str, str], str] | None = None) -> ScenePlan:
    """`mapping`: template (group, tag) → the id of the existing tag it uses instead;
    `homes`: template (group, tag) → the existing group it is created in instead of its own."""
    reuse, create, collisions, mapped, moved = [], [], [], [], []
    groups = {fold(t.group_name) for t in catalogue}
    by_id = {t.id: t for t in catalogue}
    for group, tags in scene.tag_groups:
        for tag in tags:
            target = by_id.get((mapping or {}).get((group, tag), ""))
            home = (homes or {}).get((group, tag), "")
            same = [t for t in catalogue if fold(t.name) == fold(tag)]
            if target is None and home:
                target = next((t for t in same if fold(t.group_name) == fold(home)), None)
            if target is not None:
                mapped.append(MappedTag(group, tag, target.id,
                                        f"{target.group_name}:{target.name}"))
                continue
            if home:
                moved.append(MovedTag(group, tag, home))
            here = [t for t in same if fold(t.group_name) == fold(group)]
            if here and not home:
                reuse.append((group, tag, here[0].id))
                continue
            create.append((home or group, tag))
            if same:
                collisions.append(Collision(home or group, tag,
                                            tuple(sorted({t.group_name for t in same}))))
    made_in = {fold(g) for g, _ in create}
    new_groups = tuple(g for g, _ in scene.tag_groups
                       if fold(g) not in groups and fold(g) in made_in)
    return ScenePlan(tuple(reuse), tuple(create), tuple(collisions), new_groups, tuple(mapped),
                     tuple(moved))


def template_tag(scene: Scene, text: str) -> tuple[str, str] | None:
    """The template's (group, tag) that "组:名" or a name unique in the template names."""
    ref = TagRef.parse(text)
    found = [(g, t) for g, tags in scene.tag_groups for t in tags if fold(t) == fold(ref.name)
             and (ref.group is None or fold(g) == fold(ref.group))]
    return found[0] if len(found) == 1 else None


def mapped_scene(scene: Scene, labels: Mapping[tuple[str, str], str]) -> Scene:
    """The scene whose rules and live codes name, for each template (group, tag) in `labels`,
    the tag ("组:名") it became (`ScenePlan.labels`)."""
    if not labels:
        return scene

    def renamed(text: str) -> str:
        found = template_tag(scene, text)
        return labels.get(found, text) if found is not None else text

    rules = []
    for definition, _rule in scene.rules:
        rewritten = _renamed_tags(definition, renamed)
        rules.append((rewritten, parse_rule(rewritten, f"{scene.name}.json.rules")))
    codes = tuple(LiveCode(c.state, c.remark, tuple(renamed(t) for t in c.tags))
                  for c in scene.live_codes)
    return replace(scene, live_codes=codes, rules=tuple(rules))


def _renamed_tags(definition: dict[str, object],
                  renamed: Callable[[str], str]) -> dict[str, object]:
    """A rule's definition with every tag its conditions and actions name renamed."""

    def names(value: object) -> object:
        if isinstance(value, str):
            return renamed(value)
        return [renamed(v) if isinstance(v, str) else v for v in value] \
            if isinstance(value, list) else value

    def condition(value: object) -> object:
        if isinstance(value, list):
            return [condition(v) for v in value]
        if not isinstance(value, Mapping):
            return value
        return {key: names(item) if key in TAG_LEAVES else
                condition(item) if key in ("all", "any", "not") else item
                for key, item in value.items()}

    then = definition.get("then")
    rewritten = {**definition, "when": condition(definition.get("when"))}
    if isinstance(then, Mapping):
        rewritten["then"] = {key: names(item) if key in ("add", "remove") else item
                             for key, item in then.items()}
    return rewritten


def _check_references(scene: Scene, origin: str) -> None:
    """Every tag a live code or a rule's action names is one of the template's tags."""
    own = {(fold(g), fold(t)) for g, tags in scene.tag_groups for t in tags}
    names = {fold(t) for _, tags in scene.tag_groups for t in tags}

    def known(ref: TagRef) -> bool:
        return (fold(ref.group), fold(ref.name)) in own if ref.group else fold(ref.name) in names

    for index, code in enumerate(scene.live_codes):
        for tag in code.tags:
            if not known(TagRef.parse(tag)):
                raise RuleFormatError(f"{origin}.live_codes[{index}].tags",
                                      f"「{echo(tag)}」不是模板中的标签",
                                      f"{echo(tag)!r} is not one of the template's tags")
    for index, (_, rule) in enumerate(scene.rules):
        for ref in (*rule.then.add, *rule.then.remove):
            if not known(ref):
                raise RuleFormatError(f"{origin}.rules[{index}].then",
                                      f"「{echo(ref.text)}」不是模板中的标签",
                                      f"{echo(ref.text)!r} is not one of the template's tags")


def _list(value: object, path: str, *, empty: bool = False) -> list[object]:
    if not isinstance(value, list) or (not value and not empty):
        raise RuleFormatError(path, "应为非空列表", "expected a non-empty list")
    return value


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleFormatError(path, "应为非空文本", "expected a non-empty text")
    return value.strip()
