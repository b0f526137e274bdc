"""The scene lab: list the bundled templates and apply one to a profile — use the existing
tags the template's tags are mapped to (the rules and live codes are rewritten to name them),
reuse the same-named tags that exist, create the missing ones (one WeCom call each), keep the
rules; live codes are made in WeCom for the members given, or shown as data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.rules import CatalogueTag
from desktop.domain.scenes import (
    Scene,
    ScenePlan,
    mapped_scene,
    parse_scene,
    plan_scene,
    template_tag,
)
from desktop.domain.tag_search import TagSearchIndex
from desktop.resources import resources_dir
from desktop.services.rules import RulesService
from desktop.services.tag_admin import TagAdminService
from desktop.services.tag_catalog import TagCatalog
from desktop.services.tagging import TaggingError, TaggingService
from desktop.services.workspace import Workspace
from desktop.store import outbox
from desktop.store.members import contact_members


class SceneError(UserError):
    """A scene that cannot be applied as asked; `str()` is "中文 / English"."""


def scenes() -> list[Scene]:
    """Every bundled template, by name."""
    folder = resources_dir() / "scenes"
    return [parse_scene(path.stem, path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.json"))]


def scene(name: str) -> Scene:
    found = {s.name: s for s in scenes()}
    if name not in found:
        raise SceneError(f"没有名为「{echo(name)}」的场景模板（tagdesk scenes list 列出全部）。"
                         f" / No scene template named {echo(name)!r} (`tagdesk scenes list`"
                         " lists them).")
    return found[name]


@dataclass
class SceneApply:
    scene: Scene
    plan: ScenePlan
    new_rules: list[str]
    replaced_rules: list[str]
    created: list[tuple[str, str, str]] = field(default_factory=list)   # (group, tag, id)
    live_codes: list[tuple[str, str]] = field(default_factory=list)     # (state, config id)
    live_codes_kept: list[tuple[str, str]] = field(default_factory=list)  # (state, why)
    applied: bool = False


class SceneService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def preview(self, name: str, mapping: Mapping[str, str] | None = None,
                homes: Mapping[str, str] | None = None) -> SceneApply:
        """Everything applying the scene would create, reuse or map (writes nothing).

        `mapping`: template tag ("组:模板标签") → the existing tag it uses instead ("组:现有标签",
        a name unique in the corp, or a tag id); `homes`: template tag → an existing group to
        create it in instead of the template's (a head's own MKT- group, where the template's
        group is public); the rules and live codes then name the tag it becomes.
        """
        chosen = scene(name)
        catalogue = [CatalogueTag(t.id, t.name, t.group_id, t.group_name)
                     for t in outbox.tag_catalogue(self.ws.cache)]
        plan = plan_scene(chosen, catalogue, self._mapping(chosen, mapping or {}),
                          self._homes(chosen, homes or {}, catalogue))
        kept = {k.rule.name for k in RulesService(self.ws).kept()}  # a team's: the server's
        names = [rule.name for _, rule in chosen.rules]
        return SceneApply(mapped_scene(chosen, plan.labels()), plan,
                          [n for n in names if n not in kept], [n for n in names if n in kept])

    def tag_labels(self) -> dict[str, str]:
        """Every existing tag a template tag can be mapped to: id → "组:名"."""
        return TaggingService(self.ws).tag_labels()

    def groups(self) -> list[str]:
        """The names of the existing tag groups, as WeCom orders them."""
        return list(dict.fromkeys(t.group_name for t in outbox.tag_catalogue(self.ws.cache)))

    def search_index(self) -> TagSearchIndex:
        """Type-ahead over the existing tags (中文, pinyin, initials, abbreviations)."""
        return TagSearchIndex(TagCatalog(self.ws.cache).library(counts=False).settable_tags())

    def members(self) -> list[tuple[str, str]]:
        """(userid, name) of the members a scene's live codes can be made for."""
        return contact_members(self.ws.cache)

    def _mapping(self, chosen: Scene, mapping: Mapping[str, str]) -> dict[tuple[str, str], str]:
        resolved: dict[tuple[str, str], str] = {}
        tagging = TaggingService(self.ws)
        for source, target in mapping.items():
            found = _template_tag(chosen, source)
            try:
                resolved[found] = tagging.resolve_tag_names([target])[0]
            except TaggingError as exc:
                raise SceneError(f"「{echo(source)}」要映射到的标签：{exc.message_zh}什么都没有改。",
                                 f"The tag {echo(source)!r} maps to: {exc.message_en}"
                                 " Nothing was changed.") from None
            except IndexError:
                raise SceneError(f"「{echo(source)}」要映射到哪个已有标签？",
                                 f"Which existing tag does {echo(source)!r} map to?") from None
        return resolved

    def _homes(self, chosen: Scene, homes: Mapping[str, str],
               catalogue: Sequence[CatalogueTag]) -> dict[tuple[str, str], str]:
        groups = {t.group_name for t in catalogue}
        resolved: dict[tuple[str, str], str] = {}
        for source, group in homes.items():
            if group not in groups:
                raise SceneError(f"没有名为「{echo(group)}」的标签组，无法在其中新建「{echo(source)}」。"
                                 "什么都没有改。", f"There is no tag group {echo(group)!r} to"
                                 f" create {echo(source)!r} in. Nothing was changed.")
            resolved[_template_tag(chosen, source)] = group
        return resolved

    def apply(self, preview: SceneApply, *, allow_collisions: bool = False,
              live_code_members: Sequence[str] = ()) -> SceneApply:
        """Create the missing tags, then keep the rules; with `live_code_members`, also make
        the template's live codes in WeCom for those members (a `state` already used by a
        TagDesk live code is left as it is, and said). With collisions (a template tag's name
        already used in another group) nothing is done unless they are allowed."""
        if preview.plan.collisions and not allow_collisions:
            listed = "、".join(f"{c.group}:{c.tag}（已在 {'、'.join(c.found_in)}）"
                              for c in preview.plan.collisions)
            listed_en = ", ".join(f"{c.group}:{c.tag} (already in {', '.join(c.found_in)})"
                                  for c in preview.plan.collisions)
            raise SceneError(
                f"模板中的标签名已在其他组中使用：{listed}；改名后重试，或加 --allow-collisions 在模板"
                f"的组中另建同名标签。什么都没有改。 / Template tag names are already used in other"
                f" groups: {listed_en}; rename them and try again, or add --allow-collisions to"
                " create same-named tags in the template's groups. Nothing was changed.")
        admin = TagAdminService(self.ws)
        for group, tag in preview.plan.create:
            made = admin.create_tag(group, tag)
            preview.created.append((group, tag, made.tag.id))
        found = list(preview.scene.rules)
        if self.ws.profile.is_team:   # the server runs enabled team rules on its schedule with
            found = [({**definition, "enabled": False}, replace(rule, enabled=False))  # no
                     for definition, rule in found]                    # pilot: simulate first
        RulesService(self.ws).add(found)
        if live_code_members:
            self._make_live_codes(preview, live_code_members)
        preview.applied = True
        return preview

    def _make_live_codes(self, preview: SceneApply, members: Sequence[str]) -> None:
        from desktop.services.livecodes import LiveCodeError, LiveCodeService

        codes = LiveCodeService(self.ws)
        for code in preview.scene.live_codes:
            try:
                made = codes.create(code.state, users=members, tags=code.tags,
                                    remark=code.remark)
            except LiveCodeError as exc:
                preview.live_codes_kept.append((code.state, str(exc)))
            else:
                preview.live_codes.append((code.state, made.config_id))


def _template_tag(chosen: Scene, text: str) -> tuple[str, str]:
    """The template's (group, tag) that `text` names, or refused with the template's tags."""
    found = template_tag(chosen, text)
    if found is None:
        own = "、".join(f"{g}:{t}" for g, tags in chosen.tag_groups for t in tags)
        raise SceneError(f"「{echo(text)}」不是模板「{chosen.name}」中的标签（模板的标签：{own}）。"
                         "什么都没有改。", f"{echo(text)!r} is not a tag of the template"
                         f" {chosen.name!r} (its tags: {own}). Nothing was changed.")
    return found
