"""Live codes (「联系我」 contact ways with a `state`) and the tags their new customers get.

WeCom's `add_contact_way` takes no tags: TagDesk keeps `state → tags` itself. In solo mode
they are an arrival of source `livecode`, and the relations that come through the code are
tagged at the next sync (`services/arrivals.py`); in team mode they live on the team server,
which tags a new relation as soon as WeCom's add_external_contact callback arrives. The list reads the contact ways from WeCom, so codes made in the
console show too (without tags until some are given). The report counts the customers each
code brought per day from the relations' `createtime` and `state` in the cache.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.domain.arrivals import BY_STATE, LIVECODE
from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.services.governance import session_token
from desktop.services.tagging import TaggingService
from desktop.services.team import _exchange
from desktop.services.workspace import Workspace
from desktop.services.xlsx_safe import Column, write_table
from desktop.store import arrivals
from desktop.wecom.client import WeComClient
from desktop.wecom.models import ContactWay

MAX_STATE_CHARS = 30
MAX_MEMBERS = 100
SCENE_QR = 2
SINGLE, MULTI = 1, 2


class LiveCodeError(UserError):
    """A live-code request that cannot be carried out as asked."""


@dataclass(frozen=True)
class LiveCode:
    config_id: str
    state: str
    remark: str
    users: tuple[str, ...]
    parties: tuple[int, ...]
    skip_verify: bool
    qr_code: str
    tag_ids: tuple[str, ...] = ()
    tag_names: tuple[str, ...] = ()
    tagged: int = 0                  # relations it has tagged so far

    def as_json(self) -> dict[str, object]:
        return {"config_id": self.config_id, "state": self.state, "remark": self.remark,
                "members": list(self.users), "departments": list(self.parties),
                "skip_verify": self.skip_verify, "qr_code": self.qr_code,
                "tags": list(self.tag_names), "tag_ids": list(self.tag_ids),
                "relations_tagged": self.tagged}


@dataclass(frozen=True)
class ReportRow:
    state: str
    day: str                        # YYYY-MM-DD, local time
    customers: int

    def as_json(self) -> dict[str, object]:
        return {"state": self.state, "day": self.day, "customers": self.customers}


@dataclass(frozen=True)
class LiveCodeReport:
    rows: tuple[ReportRow, ...]
    totals: dict[str, int] = field(default_factory=dict)


def check_state(state: str) -> str:
    text = state.strip()
    if not text or len(text) > MAX_STATE_CHARS:
        raise LiveCodeError(
            f"渠道标识 state 须为 1 到 {MAX_STATE_CHARS} 个字符（「{echo(text)}」）。",
            f"The state must be 1 to {MAX_STATE_CHARS} characters ({echo(text)!r}).")
    return text


class LocalCodeTags:
    """Solo mode: the tags are arrivals in the cache, applied after each sync."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def all(self) -> dict[str, CodeTags]:
        return {r.config_id: CodeTags(r.key, r.tag_ids, r.hits) for r in arrivals.records(
            self.ws.cache, source=LIVECODE, status=arrivals.PENDING)}

    def put(self, config_id: str, state: str, tag_ids: tuple[str, ...]) -> None:
        found = arrivals.livecode(self.ws.cache, config_id)
        now = time.time()
        with self.ws.cache.write() as conn:
            if found is None and tag_ids:
                arrivals.add(conn, source=LIVECODE, kind=BY_STATE, key=state, tag_ids=tag_ids,
                             created_at=now, created_by=self.ws.operator, config_id=config_id)
            elif found is not None and not tag_ids:
                arrivals.close(conn, [found.id], arrivals.CANCELLED, now)
            elif found is not None:
                arrivals.set_tags(conn, found.id, tag_ids)
                if found.key != state:
                    arrivals.set_key(conn, found.id, state, now)

    def rename(self, config_id: str, old_state: str, state: str) -> None:
        found = arrivals.livecode(self.ws.cache, config_id)
        if found is not None:
            with self.ws.cache.write() as conn:
                arrivals.set_key(conn, found.id, state, time.time())


class TeamCodeTags:
    """Team mode: the tags live on the team server, which applies them when WeCom's
    add_external_contact callback arrives (every desktop sees the same tags)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def all(self) -> dict[str, CodeTags]:
        listed = self._call("GET", None).get("livecodes")
        return {str(c["config_id"]): CodeTags(str(c["state"]), tuple(c["tag_ids"]),
                                              int(c["relations_tagged"]))
                for c in listed if isinstance(c, dict)} if isinstance(listed, list) else {}

    def put(self, config_id: str, state: str, tag_ids: tuple[str, ...]) -> None:
        self._call("POST", {"state": state, "config_id": config_id, "tag_ids": list(tag_ids)})

    def rename(self, config_id: str, old_state: str, state: str) -> None:
        self._call("POST", {"state": old_state, "renamed_to": state})

    def _call(self, method: str, body: dict[str, object] | None) -> dict[str, Any]:
        return _exchange(method, self.ws.profile.team_url, "tagdesk/v1/livecodes", body,
                         {"access_token": session_token(self.ws.profile)})


@dataclass(frozen=True)
class CodeTags:
    state: str
    tag_ids: tuple[str, ...]
    tagged: int


class LiveCodeService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.tagging = TaggingService(ws)
        self.store: LocalCodeTags | TeamCodeTags = (
            TeamCodeTags(ws) if ws.profile.is_team else LocalCodeTags(ws))

    def list(self) -> list[LiveCode]:
        known = self.store.all()
        client = self.ws.client()
        try:
            config_ids = client.list_contact_ways()
            ways = [client.get_contact_way(c)
                    for c in dict.fromkeys([*config_ids, *sorted(set(known) - set(config_ids))])]
        finally:
            client.close()
        return [self._with_tags(way, known) for way in ways]

    def create(self, state: str, *, users: Sequence[str], parties: Sequence[int] = (),
               tags: Sequence[str] = (), skip_verify: bool = True,
               remark: str = "") -> LiveCode:
        state = check_state(state)
        self._check_members(users, parties)
        tag_ids = self._tag_ids(tags)
        single = len(users) == 1 and not parties
        client = self.ws.client()
        try:
            self._check_state_free(state, "", client)
            config_id, qr_code = client.add_contact_way(
                SINGLE if single else MULTI, SCENE_QR, remark=remark or None,
                skip_verify=skip_verify, state=state, user=list(users) or None,
                party=list(parties) or None)
        finally:
            client.close()
        if tag_ids:
            self.store.put(config_id, state, tag_ids)
        return self._with_tags(ContactWay(
            config_id=config_id, type=SINGLE if single else MULTI, scene=SCENE_QR,
            remark=remark, state=state, user=tuple(users), party=tuple(parties),
            skip_verify=skip_verify, qr_code=qr_code), self.store.all())

    def edit(self, config_id: str, *, state: str | None = None,
             users: Sequence[str] | None = None, parties: Sequence[int] | None = None,
             tags: Sequence[str] | None = None, skip_verify: bool | None = None,
             remark: str | None = None) -> LiveCode:
        client = self.ws.client()
        try:
            way = client.get_contact_way(config_id)
            state = None if state is None else check_state(state)
            if state is not None and state != way.state:
                self._check_state_free(state, config_id, client)
            if users is not None or parties is not None:
                self._check_members(way.user if users is None else users,
                                    way.party if parties is None else parties)
                _check_single(way, users, parties)
            tag_ids = None if tags is None else self._tag_ids(tags)
            if any(v is not None for v in (state, users, parties, skip_verify, remark)):
                client.update_contact_way(
                    config_id, remark=remark, skip_verify=skip_verify, state=state,
                    user=None if users is None else list(users),
                    party=None if parties is None else list(parties))
            edited = client.get_contact_way(config_id)
        finally:
            client.close()
        if state is not None and state != way.state:
            self.store.rename(config_id, way.state, state)
        if tag_ids is not None:
            self.store.put(config_id, edited.state, tag_ids)
        return self._with_tags(edited, self.store.all())

    def remove(self, config_id: str) -> None:
        client = self.ws.client()
        try:
            way = client.get_contact_way(config_id)
            client.del_contact_way(config_id)
        finally:
            client.close()
        if config_id in self.store.all():
            self.store.put(config_id, way.state, ())

    def report(self, since: date | None = None, until: date | None = None) -> LiveCodeReport:
        """Customers added per code (state) per day, from the cache; `until` is the last day
        counted."""
        states = {c.state for c in self.store.all().values()}
        states |= {r.key for r in arrivals.records(self.ws.cache, source=LIVECODE)}
        states |= {str(s) for (s,) in self.ws.cache.connection().execute(
            "SELECT DISTINCT state FROM contact_way WHERE state <> ''")}
        start = 0 if since is None else _midnight(since)
        end = 2 ** 62 if until is None else _midnight(until + timedelta(days=1))
        rows = self.ws.cache.connection().execute(
            "SELECT state, date(createtime, 'unixepoch', 'localtime') AS day,"
            " count(DISTINCT external_userid) FROM relation WHERE state <> ''"
            " AND state IN (SELECT value FROM json_each(?)) AND createtime >= ?"
            " AND createtime < ? GROUP BY state, day ORDER BY state, day",
            (json.dumps(sorted(states), ensure_ascii=False), start, end)).fetchall()
        report = tuple(ReportRow(str(s), str(d), int(n)) for s, d, n in rows)
        totals: dict[str, int] = {}
        for row in report:
            totals[row.state] = totals.get(row.state, 0) + row.customers
        return LiveCodeReport(report, totals)

    def _with_tags(self, way: ContactWay, known: dict[str, CodeTags]) -> LiveCode:
        found = known.get(way.config_id)
        tag_ids = found.tag_ids if found is not None else ()
        labels = self.tagging.tag_labels()
        return LiveCode(config_id=way.config_id, state=way.state, remark=way.remark,
                        users=way.user, parties=way.party, skip_verify=way.skip_verify,
                        qr_code=way.qr_code, tag_ids=tag_ids,
                        tag_names=tuple(labels.get(t, t) for t in tag_ids),
                        tagged=found.tagged if found is not None else 0)

    def _tag_ids(self, tags: Sequence[str]) -> tuple[str, ...]:
        cleaned = [t.strip() for t in tags if t.strip()]
        return tuple(dict.fromkeys(self.tagging.resolve_tag_names(cleaned))) if cleaned else ()

    def _check_members(self, users: Sequence[str], parties: Sequence[int]) -> None:
        if not users and not parties:
            raise LiveCodeError("请至少给出一个成员或部门。", "Give at least one member or department.")
        if len(set(users)) > MAX_MEMBERS:
            raise LiveCodeError(f"一个活码最多 {MAX_MEMBERS} 个成员。",
                                f"A live code takes at most {MAX_MEMBERS} members.")

    def _check_state_free(self, state: str, config_id: str, client: WeComClient) -> None:
        """No other code has this state: neither one TagDesk keeps tags for, nor one WeCom
        lists (made in the admin console or by another tool), whose customers a report or
        the arrival tagging could not tell apart."""
        taken = [c for c, found in self.store.all().items()
                 if found.state == state and c != config_id]
        if not taken:
            for other in client.list_contact_ways():
                if other != config_id and client.get_contact_way(other).state == state:
                    taken = [other]
                    break
        if taken:
            raise LiveCodeError(
                f"渠道标识「{echo(state)}」已被活码 {taken[0]} 使用；要让它带标签，编辑这个活码"
                f"（tagdesk livecodes edit {taken[0]} --tags …）。",
                f"The state {echo(state)!r} is already used by live code {taken[0]}; to give it"
                f" tags, edit that code (tagdesk livecodes edit {taken[0]} --tags …).")


def export_report(report: LiveCodeReport, path: Path) -> int:
    """The report's rows (code, day, customers) to .xlsx or .csv; returns the rows written."""
    columns = [Column("渠道 state", "活码的渠道标识", "The live code's state", 20),
               Column("日期 day", "客户添加的日期", "The day the customers were added", 12),
               Column("新增客户 customers", "当天通过该活码添加的客户数",
                      "Customers added through the code that day", 14)]
    return write_table(path, columns, [(r.state, r.day, r.customers) for r in report.rows],
                       sheet_title="livecodes")


def _check_single(way: ContactWay, users: Sequence[str] | None,
                  parties: Sequence[int] | None) -> None:
    """A single-member code keeps one member: WeCom fixes a code's type when it is made."""
    if way.type == SINGLE and (len(set(users or ())) > 1 or parties):
        raise LiveCodeError(
            f"活码「{echo(way.state)}」是单人活码，只能有一个成员；要多人接待，请删除它后新建多人活码。",
            f"The live code {echo(way.state)!r} is a single-member code and keeps one member;"
            " for several members, remove it and create a new one with several.")


def _midnight(day: date) -> int:
    """The day's start in local time, as a unix time."""
    return int(datetime(day.year, day.month, day.day).timestamp())
