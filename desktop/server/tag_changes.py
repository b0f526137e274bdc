"""What changed, as team journal rows: a relation's tags, or the corp tag library, between
the server's snapshot and a fresh read of WeCom. Pure: no I/O."""

from __future__ import annotations

import json
from collections.abc import Mapping

from desktop.domain.bilingual import both
from desktop.server.snapshot import CorpTag
from desktop.store.journal import JournalEntry

REASONS = {
    "callback": both("企业微信回调报告的变更（手机或管理后台）",
                     "reported by a WeCom callback (phone or admin console)"),
    "observed": both("同步时发现的变更（手机或其他工具）", "seen at sync (phone or another tool)"),
}
CUSTOMER_ADD = "customer_add"
CUSTOMER_DELETE = "customer_delete"
# How a relation ended, by the callback's ChangeType.
ENDINGS = {
    "del_external_contact": both("成员删除了客户", "the member deleted the customer"),
    "del_follow_user": both("客户删除了成员", "the customer deleted the member"),
}


def relation_changes(before: set[str], after: Mapping[str, tuple[str, str]],
                     known: Mapping[str, CorpTag], *, userid: str, external_userid: str,
                     source: str, ts: float, seen_after: float = 0.0) -> list[JournalEntry]:
    """tag_add / tag_remove rows; WeCom names no operator, the follower is the probable one.
    `before` / `after` hold the relation's tag ids (JSON), as the relay's rows do."""
    states = json.dumps(sorted(before)), json.dumps(sorted(after))

    def entry(action: str, tag_id: str, name: str, group: str) -> JournalEntry:
        return JournalEntry(operator="", action=action, source=source,
                            external_userid=external_userid, userid=userid, tag_id=tag_id,
                            tag_name=name, group_name=group, before=states[0], after=states[1],
                            reason=REASONS.get(source, ""), ts=ts, probable_operator=userid,
                            seen_after=seen_after)

    rows = [entry("tag_add", tag_id, *_names(tag_id, after, known))
            for tag_id in sorted(set(after) - before)]
    rows += [entry("tag_remove", tag_id, *_names(tag_id, after, known))
             for tag_id in sorted(before - set(after))]
    return rows


def customer_added(*, userid: str, external_userid: str, state: str,
                   ts: float) -> JournalEntry:
    """A member added a customer (through a contact way when `state` is set)."""
    how = (f"通过渠道 {state} 添加 / added through contact way state {state}" if state
           else "成员添加了客户 / the member added the customer")
    return JournalEntry(operator="", action=CUSTOMER_ADD, source="callback",
                        external_userid=external_userid, userid=userid,
                        after=json.dumps({"state": state}, ensure_ascii=False), reason=how,
                        ts=ts, probable_operator=userid)


def customer_deleted(had: set[str], known: Mapping[str, CorpTag], *, userid: str,
                     external_userid: str, change_type: str, ts: float) -> list[JournalEntry]:
    """A relation ended: one row per tag it carried (so a tag's filter finds who lost its
    customers), or one row without a tag. `before` holds every tag id it had; `after` what
    stays on it (a customer who deleted the member stays tagged on the member's side)."""
    kept = change_type == "del_follow_user"
    before = json.dumps(sorted(had))
    after = before if kept else json.dumps([])

    def entry(tag_id: str) -> JournalEntry:
        name, group = _names(tag_id, {}, known) if tag_id else ("", "")
        return JournalEntry(operator="", action=CUSTOMER_DELETE, source="callback",
                            external_userid=external_userid, userid=userid, tag_id=tag_id,
                            tag_name=name, group_name=group, before=before, after=after,
                            reason=ENDINGS.get(change_type, ""), ts=ts,
                            probable_operator=userid)

    return [entry(tag_id) for tag_id in sorted(had)] or [entry("")]


def _names(tag_id: str, read: Mapping[str, tuple[str, str]],
           known: Mapping[str, CorpTag]) -> tuple[str, str]:
    if read.get(tag_id, ("", ""))[0]:
        return read[tag_id]
    tag = known.get(tag_id)
    return (tag.name, tag.group_name) if tag else ("", "")


def library_changes(before: Mapping[str, CorpTag], after: Mapping[str, CorpTag], *,
                    source: str, ts: float) -> list[JournalEntry]:
    """Groups and tags created, renamed or deleted (in the console: nobody named)."""

    def entry(action: str, item_id: str, name: str, group: str,
              old: dict[str, object] | None = None,
              new: dict[str, object] | None = None) -> JournalEntry:
        return JournalEntry(operator="", action=action, source=source, tag_id=item_id,
                            tag_name=name, group_name=group, ts=ts,
                            before=_json(old), after=_json(new))

    old_groups = {t.group_id: t.group_name for t in before.values()}
    new_groups = {t.group_id: t.group_name for t in after.values()}
    rows: list[JournalEntry] = []
    for group_id, name in new_groups.items():
        if group_id not in old_groups:
            rows.append(entry("group_create", group_id, name, name, new={"name": name}))
        elif old_groups[group_id] != name:
            rows.append(entry("group_rename", group_id, name, name,
                              old={"name": old_groups[group_id]}, new={"name": name}))
    for tag_id, tag in after.items():
        if tag_id not in before:
            rows.append(entry("tag_create", tag_id, tag.name, tag.group_name,
                              new={"name": tag.name}))
        elif before[tag_id].name != tag.name:
            rows.append(entry("tag_rename", tag_id, tag.name, tag.group_name,
                              old={"name": before[tag_id].name}, new={"name": tag.name}))
    for group_id, name in old_groups.items():
        if group_id not in new_groups:
            rows.append(entry("group_delete", group_id, name, name, old={"name": name}))
    for tag_id, tag in before.items():
        if tag_id not in after and tag.group_id in new_groups:
            rows.append(entry("tag_delete", tag_id, tag.name, tag.group_name,
                              old={"name": tag.name}))
    return rows


def _json(value: dict[str, object] | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
