"""Which relations carry which tags now (the synced cache), for tags of given groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.store.db import Cache
from desktop.store.in_chunks import placeholders


@dataclass(frozen=True)
class CarriedTag:
    external_userid: str
    userid: str
    tag_id: str
    group_id: str


def carried_in_groups(cache: Cache, group_ids: Iterable[str]) -> list[CarriedTag]:
    """Every (relation, tag) link whose live tag belongs to one of these groups."""
    wanted = sorted(set(group_ids))
    if not wanted:
        return []
    return [CarriedTag(*row) for row in cache.query(
        "SELECT r.external_userid, r.userid, t.id, t.group_id FROM tag t"
        " JOIN relation_tag rt ON rt.tag_pk = t.pk JOIN relation r ON r.id = rt.relation_id"
        f" WHERE t.deleted = 0 AND t.group_id IN ({placeholders(wanted)})",
        list(wanted))]
