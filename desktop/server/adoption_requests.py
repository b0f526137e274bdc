"""Adopting a console-made tag group on the team server, as an approval kind.

A member may not create the twin group TagDesk's app needs (governance refuses a new group to
anyone but an admin or the owning department's head), so `POST governance/adoptions` turns
their adoption into a request: what group, its twin's name, how many relations carry its tags
and how many WeCom calls it takes, with a snapshot of those relations. When an admin approves,
the server carries it out through its relay under the admin's name: it creates the missing
twins (one `add_corp_tag`), then moves every relation that still carries an old tag with one
`mark_tag` each, all in one batch (source `migration`) in the team journal, which
`tagdesk audit revert --batch` undoes. As on the desktop, the old group is left for an admin
to delete in the console.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.domain.adoption_plan import adopted_group_name
from desktop.domain.bilingual import both
from desktop.domain.tag_names import name_key
from desktop.server import tag_usage
from desktop.server.governance import CORP_WRITES, MARK_TAG, TreeGroup, read_tree
from desktop.server.identity import Caller
from desktop.wecom.transport import WeComTransport
from desktop.wecom.write_note import WriteNote

KIND = "adopt_group"
PATH = "tagdesk/adopt_group"      # not a WeCom path: the server carries the request out itself
SOURCE = "migration"

Write = Callable[[Caller, str, dict[str, Any], WriteNote], dict[str, Any]]


class AdoptionRefused(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(both(zh, en))
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class AdoptionRequest:
    group: TreeGroup
    twin_name: str
    carriers: list[tag_usage.Carrier]

    @property
    def body(self) -> dict[str, Any]:
        return {"group_id": self.group.id, "new_group_name": self.twin_name,
                "relations": len(self.carriers), "api_calls": len(self.carriers) + 1}

    @property
    def target(self) -> str:
        return f"{self.group.name} → {self.twin_name}"

    @property
    def tag_names(self) -> dict[str, tuple[str, str]]:
        return {tag_id: (self.group.name, name) for tag_id, name in self.group.tags.items()}


def plan(transport: WeComTransport, group: str, new_name: str) -> AdoptionRequest:
    """The request for adopting the corp group `group` (id or name) as `new_name` (default:
    the old name with "(TagDesk)"), read from WeCom now."""
    tree = read_tree(transport, strategy=False)
    wanted = group.strip()
    found = tree.group(wanted) or next(
        (g for g in tree.groups if g.strategy_id is None and name_key(g.name) == name_key(wanted)),
        None)
    if found is None or not wanted:
        raise AdoptionRefused(f"企业微信中没有标签组「{wanted}」", f"WeCom has no tag group {wanted!r}")
    twin = (new_name or adopted_group_name(found.name)).strip()
    if name_key(twin) == name_key(found.name):
        raise AdoptionRefused(f"新标签组不能与「{found.name}」同名",
                              f"the new group cannot share the name {found.name!r}")
    return AdoptionRequest(found, twin, tag_usage.carriers(transport, found.tags))


def carry_out(write: Write, transport: WeComTransport, caller: Caller,
              body: dict[str, Any], approval_id: int) -> dict[str, Any]:
    """Create the missing twins and move every relation still carrying an old tag, as one
    batch under `caller`; WeCom's answer when the twins could not be created."""
    note = WriteNote(batch_id=f"adopt-{approval_id}-{secrets.token_hex(4)}", source=SOURCE)
    tree = read_tree(transport, strategy=False)
    old = tree.group(str(body.get("group_id", "")))
    twin_name = str(body.get("new_group_name", ""))
    if old is None:
        return {"errcode": 40068, "errmsg": "invalid tag group id"}
    twin = tree.group_named(twin_name, None)
    have = {name_key(n) for n in twin.tags.values()} if twin else set()
    missing = [n for n in old.tags.values() if name_key(n) not in have]
    if missing:
        created = write(caller, CORP_WRITES["add"], {
            **({"group_id": twin.id} if twin else {"group_name": twin_name}),
            "tag": [{"name": n} for n in missing]}, note)
        if created.get("errcode"):
            return created
        twin = read_tree(transport, strategy=False).group_named(twin_name, None)
    by_name = {name_key(n): t for t, n in (twin.tags.items() if twin else ())}
    twins = {old_id: by_name[name_key(n)] for old_id, n in old.tags.items()
             if name_key(n) in by_name}
    moved = failed = 0
    for carrier in tag_usage.carriers(transport, old.tags):
        answer = write(caller, MARK_TAG, {
            "userid": carrier.userid, "external_userid": carrier.external_userid,
            "add_tag": [twins[t] for t in carrier.tag_ids if t in twins],
            "remove_tag": list(carrier.tag_ids)}, note)
        moved, failed = (moved + 1, failed) if not answer.get("errcode") else (moved, failed + 1)
    return {"errcode": 0, "errmsg": "ok", "batch_id": note.batch_id, "relations": moved,
            "failed": failed, "twins": twins, "new_group_id": twin.id if twin else ""}
