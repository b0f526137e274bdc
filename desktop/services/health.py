"""The tag health report: gathers what `domain.hygiene` needs from the cache, and exports it.

Read-only and headless: the CLI calls it directly, the GUI on a worker thread. Every finding
is listed with its tags' names, groups and relation counts, so the table, the JSON line and the
xlsx export say the same thing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop.domain.hygiene import (
    GroupStat,
    HealthReport,
    HygieneSettings,
    RelationTags,
    TagStat,
    analyse,
)
from desktop.domain.tags import TagKind
from desktop.services.tag_catalog import TagCatalog
from desktop.services.xlsx_safe import Column, Value, write_table
from desktop.store import chats, members, outbox
from desktop.store.db import Cache
from desktop.store.in_chunks import placeholders


@dataclass(frozen=True)
class TagLine:
    """A tag as findings show it."""

    id: str
    name: str
    group_name: str
    relations: int

    @property
    def label(self) -> str:
        return f"{self.group_name}:{self.name}"


@dataclass(frozen=True)
class Finding:
    """One row of the report: what kind, which tags, how many relations, in both languages."""

    category: str
    tag_ids: tuple[str, ...]
    relations: int
    zh: str
    en: str
    external_userids: tuple[str, ...] = ()
    group_id: str = ""
    """The group a group finding is about (a read-only group to adopt)."""


@dataclass(frozen=True)
class Health:
    report: HealthReport
    tags: dict[str, TagLine]
    group_names: dict[str, str]
    group_of: dict[str, str]          # tag id -> group id
    settings: HygieneSettings
    read_only_groups: tuple[str, ...] = ()
    """Corp groups WeCom refused TagDesk an edit of (the group or a tag): adoption candidates."""
    people: Mapping[str, str] = field(default_factory=dict)
    """external_userid or userid → name, for the customers and members findings mention."""
    only_follower: str = ""
    """The member whose customers alone the cache holds (a team salesperson), else empty."""

    def as_json(self) -> dict[str, object]:
        return {**self.report.as_json(), "read_only_groups": list(self.read_only_groups)}

    def findings(self) -> list[Finding]:
        """Every finding as a row, most actionable first."""
        return [*self._duplicates(), *self._conflicts(), *self._zombies(), *self._names(),
                *self._groups(), *self._read_only()]

    def capacity_line(self) -> tuple[str, str]:
        cap = self.report.capacity
        near = "、".join(f"{g.name} {g.tags:,}/{g.cap:,}" for g in cap.groups_near_cap)
        zh = f"标签用量 {cap.tags_used:,}/{cap.corp_cap:,}（{cap.share:.0%}）"
        en = f"Tags used {cap.tags_used:,}/{cap.corp_cap:,} ({cap.share:.0%})"
        if near:
            zh += f"，接近上限的组：{near}"
            en += f"; groups near the cap: {near}"
        if self.only_follower:
            zh += (f"。只统计 {self.only_follower} 跟进的客户（我的客户）：僵尸标签和空标签组要在"
                   "看得到全企业客户的桌面上判断")
            en += (f". Counts cover only the customers {self.only_follower} follows (My"
                   " customers): zombie tags and empty groups are judged on a desktop that sees"
                   " the whole corp")
        return zh, en

    def _line(self, tag_ids: Sequence[str], separator: str = "、") -> str:
        return separator.join(self.tags[t].label if t in self.tags else t for t in tag_ids)

    def _count(self, tag_ids: Sequence[str]) -> int:
        return sum(self.tags[t].relations for t in tag_ids if t in self.tags)

    def _duplicates(self) -> Iterator[Finding]:
        reasons = {"same_name": ("同名（忽略全半角、大小写、繁简）", "same name (width, case,"
                                 " traditional / simplified folded)"),
                   "same_pinyin": ("拼音相同", "same pinyin"),
                   "similar": ("名称相近", "similar names"),
                   "contains": ("名称包含", "one name contains the other")}
        for dup in self.report.duplicates:
            zh, en = reasons[dup.reason.value]
            names = self._line(dup.tag_ids)
            yield Finding("duplicate", dup.tag_ids, self._count(dup.tag_ids),
                          f"疑似重复（{zh}）：{names}",
                          f"Possible duplicates ({en}): {self._line(dup.tag_ids, ', ')}")

    def _conflicts(self) -> Iterator[Finding]:
        for c in self.report.conflicts:
            names, names_en = self._line(c.tag_ids), self._line(c.tag_ids, ", ")
            followers = [self.people.get(u) or u for u in c.userids]
            who, who_en = "、".join(followers), ", ".join(followers)
            customer = self.people.get(c.external_userid) or c.external_userid
            if c.kind.value == "relation":
                zh = f"互斥冲突「{c.set_name}」：客户 {customer}（{who}）同时有 {names}"
                en = f"Exclusive set {c.set_name!r}: {customer} ({who_en}) carries {names_en}"
            else:
                zh = f"跟进人之间冲突「{c.set_name}」：客户 {customer} 被 {who} 分别打上 {names}"
                en = (f"Followers disagree on {c.set_name!r}: {customer} carries {names_en}"
                      f" from {who_en}")
            yield Finding(f"conflict_{c.kind.value}", c.tag_ids, len(c.userids), zh, en,
                          (c.external_userid,))

    def _zombies(self) -> Iterator[Finding]:
        days = self.settings.zombie_days
        for z in self.report.zombies:
            name = self._line([z.tag_id])
            if z.reason.value == "unused":
                zh, en = f"僵尸标签（没有客户）：{name}", f"Zombie tag (no customer): {name}"
            else:
                zh = f"僵尸标签（{days} 天无变动、无新客户）：{name}"
                en = f"Zombie tag (no change and no new customer for {days} days): {name}"
            yield Finding("zombie", (z.tag_id,), self._count([z.tag_id]), zh, en)

    def _names(self) -> Iterator[Finding]:
        kinds = {"special_characters": ("特殊字符", "special characters"),
                 "spaces": ("首尾或多余空格", "leading, trailing or double spaces"),
                 "long": ("超过 15 个字，后台会截断", "over 15 characters, cut in the console")}
        for risky in self.report.risky_names:
            name = self._line([risky.tag_id])
            zh = "、".join(kinds[k.value][0] for k in risky.kinds)
            en = ", ".join(kinds[k.value][1] for k in risky.kinds)
            yield Finding("risky_name", (risky.tag_id,), self._count([risky.tag_id]),
                          f"名称有风险（{zh}）：{name}", f"Risky name ({en}): {name}")
        for tag_id in self.report.deep_paths:
            name = self._line([tag_id])
            yield Finding("deep_path", (tag_id,), self._count([tag_id]),
                          f"层级超过 5 级：{name}", f"Path deeper than five levels: {name}")
        for dup in self.report.personal_duplicates:
            names = self._line(dup.tag_ids)
            yield Finding("personal_duplicate", dup.tag_ids, dup.relations,
                          f"个人标签「{dup.name}」与企业标签重复，可转为企业标签：{names}",
                          f"Personal tag {dup.name!r} duplicates a corp tag (promotion"
                          f" candidate): {self._line(dup.tag_ids, ', ')}")

    def _groups(self) -> Iterator[Finding]:
        for group_id in self.report.empty_groups:
            name = self.group_names.get(group_id, group_id)
            tag_ids = tuple(t.id for t in self.tags.values() if self.group_of.get(t.id) == group_id)
            yield Finding("empty_group", tag_ids, 0, f"空标签组（没有客户）：{name}",
                          f"Empty group (no customer): {name}")
        for load in self.report.capacity.groups_near_cap:
            yield Finding("group_near_cap", (), 0,
                          f"标签组「{load.name}」有 {load.tags:,} 个标签，接近 {load.cap:,} 的上限",
                          f"Group {load.name!r} holds {load.tags:,} tags, near its cap of"
                          f" {load.cap:,}")


    def _read_only(self) -> Iterator[Finding]:
        for group_id in self.read_only_groups:
            name = self.group_names.get(group_id, group_id)
            tag_ids = tuple(t.id for t in self.tags.values() if self.group_of.get(t.id) == group_id)
            yield Finding("read_only_group", tag_ids, self._count(tag_ids),
                          f"标签组「{name}」由管理后台或其他应用创建，本应用不能修改；可收编到本应用",
                          f"The group {name!r} was made in the admin console or by another app;"
                          " this app cannot change it: adopt it", group_id=group_id)


def gather(cache: Cache, settings: HygieneSettings | None = None, *,
           now: float | None = None) -> Health:
    """Read the library, activity, exclusive tags and personal tags; analyse them."""
    settings = settings or HygieneSettings()
    now = time.time() if now is None else now
    library = TagCatalog(cache).library(counts=True)
    conn = cache.connection()
    journal_ts = dict(conn.execute(
        "SELECT tag_id, max(ts) FROM journal WHERE tag_id != '' GROUP BY tag_id").fetchall())
    newest_relation = dict(conn.execute(
        "SELECT t.id, max(r.createtime) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
        " JOIN relation r ON r.id = rt.relation_id GROUP BY t.id").fetchall())
    created = {row[0]: (row[1], row[2]) for row in conn.execute(
        "SELECT id, create_time, name FROM tag WHERE deleted = 0")}
    stats = []
    for tag in library.tags:
        if tag.kind is TagKind.PERSONAL:
            continue
        created_at, raw = created.get(tag.id, (0, tag.name))
        last = max(float(journal_ts.get(tag.id) or 0), float(newest_relation.get(tag.id) or 0),
                   float(created_at or 0))
        stats.append(TagStat(tag.id, tag.name, tag.group_id, tag.group_name, tag.kind,
                             tag.relation_count, last, raw))
    live = {g.id: 0 for g in library.groups}
    for stat in stats:
        live[stat.group_id] = live.get(stat.group_id, 0) + 1
    groups = [GroupStat(g.id, g.name, g.kind, live.get(g.id, 0)) for g in library.groups]
    sets = outbox.exclusive_sets(cache)
    relations = _exclusive_relations(cache, {t for s in sets for t in s.tag_ids})
    personal = {name: int(count) for name, count in conn.execute(
        "SELECT tag_name, count(DISTINCT relation_id) FROM personal_tag GROUP BY tag_name")}
    report = analyse(stats, groups, exclusive_sets=sets, relations=relations, personal=personal,
                     now=now, settings=settings)
    own = members.only_follower(cache)
    if own:      # one member's customers: no tag is unused or stale, no group empty, by them
        report = replace(report, zombies=(), empty_groups=())
    refused = {t.group_id for t in library.tags if t.kind is TagKind.CORP and not t.app_owned}
    read_only = tuple(g.id for g in library.groups if g.kind is TagKind.CORP
                      and (not g.app_owned or g.id in refused))
    customers = {c.external_userid for c in report.conflicts}
    people = {**members.member_names(cache), **chats.customer_names(cache, customers)}
    return Health(report,
                  {s.id: TagLine(s.id, s.name, s.group_name, s.relation_count) for s in stats},
                  {g.id: g.name for g in library.groups}, {s.id: s.group_id for s in stats},
                  settings, read_only, people, own)


def export(health: Health, path: Path, *, english: bool = False) -> int:
    """Write every finding to .xlsx (or .csv) through the formula-safe writer."""
    columns = [
        Column("category", "类别", "category", 18),
        Column("finding", "发现", "finding", 70),
        Column("tags", "标签", "tags", 40),
        Column("tag_ids", "标签编号", "tag ids", 40),
        Column("relations", "客户关系数", "relations", 12),
        Column("customers", "客户", "customers", 36),
    ]
    rows: list[Sequence[Value]] = [
        (f.category, f.en if english else f.zh,
         "、".join(health.tags[t].label for t in f.tag_ids if t in health.tags),
         json.dumps(list(f.tag_ids)), f.relations, "、".join(f.external_userids))
        for f in health.findings()
    ]
    return write_table(path, columns, rows, sheet_title="health")


def _exclusive_relations(cache: Cache, tag_ids: set[str]) -> list[RelationTags]:
    if not tag_ids:
        return []
    marks = placeholders(tag_ids)
    carried: dict[tuple[str, str], set[str]] = {}
    for external_userid, userid, tag_id in cache.connection().execute(
        "SELECT r.external_userid, r.userid, t.id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk JOIN relation r ON r.id = rt.relation_id"
        f" WHERE t.id IN ({marks})", sorted(tag_ids),
    ):
        carried.setdefault((external_userid, userid), set()).add(tag_id)
    return [RelationTags(e, u, frozenset(ids)) for (e, u), ids in sorted(carried.items())]
