"""Reading follow relations for display: the table, the CLI and exports."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from desktop.store.db import Cache
from desktop.store.in_chunks import chunks, placeholders

CHUNK = 500


@dataclass(frozen=True)
class RelationTag:
    id: str
    name: str
    group_name: str


@dataclass(frozen=True)
class RelationView:
    id: int
    external_userid: str
    userid: str
    customer_name: str
    corp_name: str
    owner_name: str
    remark: str
    description: str
    state: str
    channel_name: str       # the live code's remark when the state is known
    createtime: int
    add_way: int
    remark_mobiles: tuple[str, ...]
    tags: tuple[RelationTag, ...]

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "external_userid": self.external_userid, "userid": self.userid,
            "customer": self.customer_name, "corp_name": self.corp_name, "owner": self.owner_name,
            "remark": self.remark, "state": self.state, "channel": self.channel_name,
            "createtime": self.createtime, "tags": self.tag_names,
        }


def load_relations(cache: Cache, ids: Sequence[int]) -> list[RelationView]:
    """The relations with these ids, in the order given (missing ids are skipped)."""
    found: dict[int, RelationView] = {}
    for chunk in chunks(ids, CHUNK):
        for view in _load_chunk(cache, chunk):
            found[view.id] = view
    return [found[i] for i in ids if i in found]


def _load_chunk(cache: Cache, ids: list[int]) -> Iterable[RelationView]:
    marks = placeholders(ids)
    tags: dict[int, list[RelationTag]] = defaultdict(list)
    for rid, tag_id, name, group_name in cache.connection().execute(
        f"SELECT rt.relation_id, t.id, t.name, g.name FROM relation_tag rt"
        f" JOIN tag t ON t.pk = rt.tag_pk JOIN tag_group g ON g.id = t.group_id"
        f" WHERE rt.relation_id IN ({marks})"
        f" ORDER BY g.sort_order DESC, g.name, t.sort_order DESC, t.name",
        ids,
    ):
        tags[rid].append(RelationTag(tag_id, name, group_name))
    rows = cache.connection().execute(
        f"SELECT r.id, r.external_userid, r.userid, coalesce(c.name, ''),"
        f" coalesce(nullif(r.remark_corp_name, ''), c.corp_name, ''), coalesce(m.name, r.userid),"
        f" r.remark, r.description, r.state, coalesce(w.remark, ''), r.createtime, r.add_way,"
        f" r.remark_mobiles"
        f" FROM relation r LEFT JOIN customer c ON c.external_userid = r.external_userid"
        f" LEFT JOIN member m ON m.userid = r.userid"
        f" LEFT JOIN (SELECT state, min(remark) AS remark FROM contact_way"
        f"            WHERE state != '' GROUP BY state) w ON w.state = r.state AND r.state != ''"
        f" WHERE r.id IN ({marks})",
        ids,
    )
    for row in rows:
        yield RelationView(
            id=row[0], external_userid=row[1], userid=row[2], customer_name=row[3],
            corp_name=row[4], owner_name=row[5], remark=row[6], description=row[7],
            state=row[8], channel_name=row[9], createtime=row[10], add_way=row[11],
            remark_mobiles=tuple(json.loads(row[12] or "[]")), tags=tuple(tags.get(row[0], ())),
        )


def relation_names(cache: Cache) -> Iterator[tuple[int, tuple[str, str]]]:
    """Every relation's id with the names a person types to find it: the customer's, the
    remark (what the owner calls the customer)."""
    for rid, name, remark in cache.connection().execute(
        "SELECT r.id, coalesce(c.name, ''), r.remark FROM relation r"
        " LEFT JOIN customer c ON c.external_userid = r.external_userid"
    ):
        yield rid, (name, remark)
