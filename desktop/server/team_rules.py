"""Team rules on the server: the rules every desktop of a team shares, each with its owner,
its department and who sees it (`desktop/domain/rule_access.py`).

`GET /tagdesk/v1/rules` lists the rules the caller may see (with `editable` for each, and the
last scheduled run); `GET /tagdesk/v1/rules/get?name=N` one of them; `POST .../put`
`{"rule": {...}, "department": "name or id", "visibility": "department" | "team"}` adds or
replaces a rule by name (`"replacing": "old name"` renames one as it replaces it;
`{"rules": [...], ...}` keeps several, all or none); `POST .../enable`, `.../disable` and `.../remove` take `{"name"}`.
A refusal is HTTP 403 with errcode 9001010 and one sentence; every change is journaled
(source `settings`, under the editor, the rule's JSON before and after).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Jsonb

from desktop.domain.bilingual import both
from desktop.domain.echo import echo
from desktop.domain.governance import Actor, OrgChart
from desktop.domain.rule_access import (
    VISIBILITIES,
    RuleHome,
    default_department,
    may_create,
    may_edit,
    may_see,
)
from desktop.domain.rule_format import RuleFormatError, parse_rule
from desktop.domain.rule_reverts import definition_key
from desktop.domain.rules import Rule
from desktop.server import jobs, rule_reverts, team_journal
from desktop.server.identity import Caller
from desktop.server.relation_facts import ConnectionFactory
from desktop.server.request_refused import RequestRefused
from desktop.server.snapshot import Conn
from desktop.store.journal import JournalEntry
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED, TEAM_REQUEST_REFUSED
from desktop.wecom.errors import WeComError

log = logging.getLogger("tagdesk.server.rules")

SOURCE = "settings"
FORBIDDEN = 403
MAX_RULES = 200
JOB_NAME = "team-rules"   # the scheduled job that runs them (desktop/server/serve.py)

MIGRATION = """
CREATE TABLE team_rule (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    definition jsonb NOT NULL,
    enabled boolean NOT NULL,
    owner text NOT NULL,
    department bigint,
    department_name text NOT NULL DEFAULT '',
    visibility text NOT NULL DEFAULT 'department'
        CHECK (visibility IN ('department', 'team')),
    set_by text NOT NULL,
    set_device bigint REFERENCES device (id),
    set_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE relation_fact (
    userid text NOT NULL,
    external_userid text NOT NULL,
    name text NOT NULL,
    gender integer NOT NULL,
    corp_name text NOT NULL,
    corp_full_name text NOT NULL,
    remark text NOT NULL,
    description text NOT NULL,
    remark_corp_name text NOT NULL,
    state text NOT NULL,
    createtime bigint NOT NULL,
    PRIMARY KEY (userid, external_userid)
);

CREATE TABLE team_rule_run (
    id bigserial PRIMARY KEY,
    batch_id text NOT NULL,
    process bigint NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    rules text[] NOT NULL DEFAULT '{}',
    relations integer NOT NULL DEFAULT 0,
    changed integer NOT NULL DEFAULT 0,
    applied integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    contested integer NOT NULL DEFAULT 0,
    unread integer NOT NULL DEFAULT 0,
    skipped jsonb NOT NULL DEFAULT '{}'::jsonb
);
"""

_COLUMNS = ("name, definition, enabled, owner, department, department_name, visibility,"
            " set_by, extract(epoch FROM set_at)")


class RuleRefused(RequestRefused):
    def __init__(self, errcode: int, zh: str, en: str, status: int = 200) -> None:
        super().__init__(errcode, both(zh, en), status)


@dataclass(frozen=True)
class TeamRule:
    name: str
    definition: dict[str, Any]
    enabled: bool
    owner: str
    department: int | None
    department_name: str
    visibility: str
    set_by: str
    set_at: float

    @property
    def home(self) -> RuleHome:
        return RuleHome(self.department, self.visibility)

    def as_json(self, actor: Actor) -> dict[str, Any]:
        return {"name": self.name, "definition": self.definition, "enabled": self.enabled,
                "owner": self.owner, "department": self.department_name,
                "department_id": self.department, "visibility": self.visibility,
                "editable": may_edit(actor, self.home), "set_by": self.set_by,
                "set_at": round(self.set_at, 3)}


def rules(conn: Conn) -> list[TeamRule]:
    return [_rule(row) for row in conn.execute(
        f"SELECT {_COLUMNS} FROM team_rule ORDER BY id".encode())]


def last_run(conn: Conn) -> dict[str, Any] | None:
    """The newest finished run of the team rules, None before the first; `running_now` is
    the batch of a run under way since (a process holds the job's lock), else None. A run under way
    never hides the last finished one."""
    row = conn.execute(
        "SELECT id, batch_id, extract(epoch FROM started_at), extract(epoch FROM finished_at),"
        " rules, relations, changed, applied, failed, contested, unread, skipped"
        " FROM team_rule_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    keys = ("batch_id", "started_at", "finished_at", "rules", "relations", "changed",
            "applied", "failed", "contested", "unread", "skipped")
    found = dict(zip(keys, row[1:], strict=True))
    for key in ("started_at", "finished_at"):
        found[key] = round(float(str(found[key])), 3)
    found["running_now"] = _running_since(conn, int(str(row[0])))
    return found


def _running_since(conn: Conn, finished_id: int) -> str | None:
    if not jobs.held(conn, JOB_NAME):
        return None
    row = conn.execute(
        "SELECT batch_id FROM team_rule_run WHERE finished_at IS NULL AND id > %s"
        " ORDER BY id DESC LIMIT 1", (finished_id,)).fetchone()
    return None if row is None else str(row[0])


class TeamRules:
    """The rules endpoints; `actor_of(userid)` is governance's view of the caller."""

    def __init__(self, connection: ConnectionFactory,
                 actor_of: Callable[[str], tuple[Actor, OrgChart]]) -> None:
        self._connection = connection
        self._actor_of = actor_of

    def answer(self, caller: Caller, verb: str, method: str, query: Mapping[str, str],
               body: Mapping[str, Any]) -> dict[str, Any]:
        try:
            actor, chart = self._actor_of(caller.userid)
        except WeComError as err:  # fail closed: who cannot be placed sees nothing
            raise RuleRefused(err.errcode, err.explanation_zh.rstrip("。"),
                              err.explanation_en.rstrip(".")) from None
        verb = verb.strip("/")
        if method == "GET" and verb == "":
            return self._list(actor)
        if method == "GET" and verb == "get":
            return {"errcode": 0, "errmsg": "ok",
                    "rule": self._visible(actor, query.get("name", "")).as_json(actor)}
        if method == "POST" and verb == "put":
            return self._put(caller, actor, chart, body)
        if method == "POST" and verb in ("enable", "disable"):
            return self._set_enabled(caller, actor, _name(body), verb == "enable")
        if method == "POST" and verb == "remove":
            return self._remove(caller, actor, _name(body))
        raise RuleRefused(TEAM_REQUEST_REFUSED, "没有这个团队服务器接口", "no such team server endpoint")

    def _list(self, actor: Actor) -> dict[str, Any]:
        with self._connection() as conn:
            found = rules(conn)
            run = last_run(conn)
            left_alone = rule_reverts.relations_left_alone(
                conn, {r.name: definition_key(r.definition) for r in found})
        return {"errcode": 0, "errmsg": "ok", "last_run": run,
                "rules": [{**r.as_json(actor), "reverted_left_alone": left_alone.get(r.name, 0)}
                          for r in found if may_see(actor, r.home)]}

    def _visible(self, actor: Actor, name: str) -> TeamRule:
        with self._connection() as conn:
            found = _get(conn, name)
        if found is None or not may_see(actor, found.home):
            raise RuleRefused(TEAM_REQUEST_REFUSED, f"没有你能看到的名为「{echo(name)}」的团队规则",
                              f"there is no team rule named {echo(name)!r} that you can see")
        return found

    def _editable(self, actor: Actor, name: str) -> TeamRule:
        with self._connection() as conn:
            found = _get(conn, name)
        if found is None:
            raise RuleRefused(TEAM_REQUEST_REFUSED, f"没有名为「{echo(name)}」的团队规则",
                              f"there is no team rule named {echo(name)!r}")
        if not may_edit(actor, found.home):
            raise _not_yours(actor, found)
        return found

    def _put(self, caller: Caller, actor: Actor, chart: OrgChart,
             body: Mapping[str, Any]) -> dict[str, Any]:
        """`{"rule": …}` or `{"rules": [...]}`: every rule kept, or none (one transaction)."""
        many = "rules" in body
        definitions = body.get("rules") if many else [body.get("rule")]
        if not isinstance(definitions, list) or not 0 < len(definitions) <= MAX_RULES:
            raise RuleRefused(TEAM_REQUEST_REFUSED, f"rules 应为 1 到 {MAX_RULES} 条规则的列表",
                              f"rules is a list of 1 to {MAX_RULES} rules")
        read = []
        for index, definition in enumerate(definitions):
            try:
                read.append((definition, parse_rule(definition, f"rules[{index}]" if many
                                                    else "rule")))
            except RuleFormatError as exc:
                raise RuleRefused(TEAM_REQUEST_REFUSED, exc.message_zh, exc.message_en) from None
        asked = body.get("visibility")
        if asked is not None and asked not in VISIBILITIES:
            raise RuleRefused(TEAM_REQUEST_REFUSED, "可见范围应为 department 或 team",
                              "visibility is department or team")
        replacing = None if many else body.get("replacing")
        with self._connection() as conn, conn.transaction():
            conn.execute("LOCK TABLE team_rule IN SHARE ROW EXCLUSIVE MODE")
            saved = [self._put_one(conn, caller, actor, chart, definition, rule, body,
                                   str(replacing or rule.name)) for definition, rule in read]
        for rule, added in saved:
            log.info("rule %s %s by %s", rule.name, "added" if added else "replaced",
                     caller.userid)
        if many:
            return {"errcode": 0, "errmsg": "ok", "added": [added for _, added in saved],
                    "rules": [rule.as_json(actor) for rule, _ in saved]}
        return {"errcode": 0, "errmsg": "ok", "added": saved[0][1],
                "rule": saved[0][0].as_json(actor)}

    @staticmethod
    def _put_one(conn: Conn, caller: Caller, actor: Actor, chart: OrgChart,
                 definition: dict[str, Any], rule: Rule, body: Mapping[str, Any],
                 replacing: str) -> tuple[TeamRule, bool]:
        """Keep one rule inside the caller's transaction; (the rule as kept, whether new)."""
        renamed = replacing != rule.name
        before = _get(conn, replacing)
        if renamed and before is None:
            raise RuleRefused(TEAM_REQUEST_REFUSED, f"没有名为「{echo(replacing)}」的团队规则",
                              f"there is no team rule named {echo(replacing)!r}")
        if renamed and _get(conn, rule.name) is not None:
            raise RuleRefused(TEAM_REQUEST_REFUSED, f"已有名为「{echo(rule.name)}」的团队规则",
                              f"a team rule named {echo(rule.name)!r} exists already")
        if before is not None and not may_edit(actor, before.home):
            raise _not_yours(actor, before)
        visibility = str(body.get("visibility") or (before.visibility if before
                                                    else "department"))
        department = _department(body.get("department"), chart, actor, before)
        if not may_create(actor) or not may_edit(actor, RuleHome(department, visibility)):
            raise _may_not_set(chart, department)
        owner = before.owner if before is not None else caller.userid
        name_of = chart.name(department) if department is not None else ""
        if renamed:
            conn.execute("UPDATE team_rule SET name = %s WHERE name = %s", (rule.name, replacing))
        conn.execute(
            "INSERT INTO team_rule (name, definition, enabled, owner, department,"
            " department_name, visibility, set_by, set_device)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET"
            " definition = excluded.definition, enabled = excluded.enabled,"
            " department = excluded.department, department_name = excluded.department_name,"
            " visibility = excluded.visibility, set_by = excluded.set_by,"
            " set_device = excluded.set_device, set_at = now()",
            (rule.name, Jsonb(definition), rule.enabled, owner, department, name_of,
             visibility, caller.userid, caller.device_id))
        _journal(conn, caller, "rule_replaced" if before else "rule_added", rule.name,
                 name_of, before.definition if before else None, definition)
        saved = _get(conn, rule.name)
        assert saved is not None
        return saved, before is None

    def _set_enabled(self, caller: Caller, actor: Actor, name: str,
                     enabled: bool) -> dict[str, Any]:
        found = self._editable(actor, name)
        definition = {**found.definition, "enabled": enabled}
        with self._connection() as conn, conn.transaction():
            conn.execute("UPDATE team_rule SET enabled = %s, definition = %s, set_by = %s,"
                         " set_device = %s, set_at = now() WHERE name = %s",
                         (enabled, Jsonb(definition), caller.userid, caller.device_id, name))
            _journal(conn, caller, "rule_enabled" if enabled else "rule_disabled", name,
                     found.department_name, found.definition, definition)
            saved = _get(conn, name)
        assert saved is not None
        return {"errcode": 0, "errmsg": "ok", "rule": saved.as_json(actor)}

    def _remove(self, caller: Caller, actor: Actor, name: str) -> dict[str, Any]:
        found = self._editable(actor, name)
        with self._connection() as conn, conn.transaction():
            conn.execute("DELETE FROM team_rule WHERE name = %s", (name,))
            _journal(conn, caller, "rule_removed", name, found.department_name,
                     found.definition, None)
        log.info("rule %s removed by %s", name, caller.userid)
        return {"errcode": 0, "errmsg": "ok", "removed": name}


def _get(conn: Conn, name: str) -> TeamRule | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM team_rule WHERE name = %s".encode(),
                       (name,)).fetchone()
    return None if row is None else _rule(row)


def _rule(row: tuple[object, ...]) -> TeamRule:
    definition = row[1] if isinstance(row[1], dict) else {}
    return TeamRule(str(row[0]), definition, bool(row[2]), str(row[3]),
                    None if row[4] is None else int(str(row[4])), str(row[5]), str(row[6]),
                    str(row[7]), float(str(row[8])))


def _department(value: object, chart: OrgChart, actor: Actor,
                before: TeamRule | None) -> int | None:
    """The department named in the request; else the rule's own; else the author's."""
    if value is None or value == "":
        if before is not None:
            return before.department
        return default_department(actor)
    found = chart.find(str(value))
    if found is None:
        raise RuleRefused(TEAM_REQUEST_REFUSED, f"没有名为「{echo(str(value))}」的部门",
                          f"there is no department {echo(str(value))!r}")
    return found


def _not_yours(actor: Actor, rule: TeamRule) -> RuleRefused:
    """The refusal to change a rule; names its department only to those who may see it."""
    if not may_see(actor, rule.home):
        return RuleRefused(TEAM_NOT_ALLOWED, f"规则「{echo(rule.name)}」属于其他部门，你不能修改",
                           f"the rule {echo(rule.name)!r} belongs to another department; you"
                           " may not change it", FORBIDDEN)
    where_zh = f"或「{rule.department_name}」的负责人" if rule.department is not None else ""
    where_en = f" or the head of {rule.department_name}" if rule.department is not None else ""
    return RuleRefused(TEAM_NOT_ALLOWED, f"规则「{echo(rule.name)}」只能由管理员{where_zh}修改",
                       f"only an administrator{where_en} may change the rule"
                       f" {echo(rule.name)!r}", FORBIDDEN)


def _may_not_set(chart: OrgChart, department: int | None) -> RuleRefused:
    if department is None:
        return RuleRefused(TEAM_NOT_ALLOWED, "只有管理员可以设置全公司的规则",
                           "only an administrator may set a corp-wide rule", FORBIDDEN)
    name = chart.name(department)
    return RuleRefused(TEAM_NOT_ALLOWED, f"只有管理员或「{name}」的负责人可以设置这个部门的规则",
                       f"only an administrator or the head of {name} may set its rules",
                       FORBIDDEN)


def _name(body: Mapping[str, Any]) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RuleRefused(TEAM_REQUEST_REFUSED, "缺少规则名", "the rule name is missing")
    return name.strip()


def _journal(conn: Conn, caller: Caller, action: str, name: str, department: str,
             before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    def text(value: dict[str, Any] | None) -> str:
        return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    team_journal.append(conn, [JournalEntry(
        operator=caller.userid, action=action, source=SOURCE, tag_name=name,
        group_name=department, before=text(before), after=text(after))], None)
