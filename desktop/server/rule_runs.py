"""The team server runs the enabled team rules every `--rules-interval` seconds, once across
server processes (a `jobs.Job`).

A run evaluates the rules with the desktop's pure evaluator (`desktop/domain/rules.py`, to a
fixed point) over the server's snapshot: each relation's tags as the server last saw them and
its remark, description, corp names, `state` and added date as the last re-sync read them,
the customers' behaviour events pushed to the server (`team_events.py`) and, for rules with
`intent` conditions, the chat intents the auto-tagging engine finds in the team's chats
(`rule_intents.py`).
Contested relations (rules that contradict each other or loop) are left alone and logged.
Each relation that changes gets one `mark_tag` through the relay's outbox (the shared WeCom
budget), journaled under source `rule`, the batch of the run (`rule-YYYYMMDD-HHMMSS-xxxx`,
revertible like any team batch), the owner of the first rule that changed it and, as the
reason, the rules' names. A tag added by a rule with `expires` gets its expiry recorded with
the journal rows (`expiry_records.py`; the `tag-expiry` job removes it when due). A rule the
server cannot evaluate honestly is skipped, its reason logged and kept with the run: tags the
server's library does not have, tags of a group governance lets only another department tag
(as for the owner's own `mark_tag`).
A relation the rules would leave with two tags of one of the team's exclusive sets is left
alone and counted contested, as a desktop's batch refuses it. A change a revert undid is held
(no rule makes it again, nor what only follows from it) until the rules that made it are
edited (`rule_reverts.py`), counted `left_alone`.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from desktop.domain.governance import (
    Actor,
    Change,
    Operation,
    OrgChart,
    Policy,
    Verdict,
    decide,
)
from desktop.domain.rule_format import RuleFormatError, parse_rule
from desktop.domain.rule_reverts import definition_key, rule_reason
from desktop.domain.rules import (
    CatalogueTag,
    Evaluation,
    RelationOutcome,
    ResolvedRule,
    RuleError,
    Subject,
    evaluate,
    events_read,
    resolve,
)
from desktop.server import relation_facts, rule_intents, rule_reverts, snapshot, team_events
from desktop.server.expiry_records import Expiring
from desktop.server.governance import load_policy
from desktop.server.identity import Caller
from desktop.server.outbox_recovery import MARK_TAG
from desktop.server.relation_facts import ConnectionFactory
from desktop.server.relay import Relay
from desktop.server.shared_settings import TEAM
from desktop.server.snapshot import Conn
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.write_note import WriteNote

log = logging.getLogger("tagdesk.server.rules")

SOURCE = "rule"
KEEP_RUNS_DAYS = 30


@dataclass
class RuleRun:
    batch_id: str
    rules: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)   # rule name -> why
    relations: int = 0
    unread: int = 0          # relations with tags but not yet read by a re-sync
    changed: int = 0
    applied: int = 0
    failed: int = 0
    contested: int = 0
    left_alone: int = 0      # changes a revert undid, not made again


@dataclass(frozen=True)
class _Owner:
    userid: str
    device_id: int


class RuleRuns:
    """The `team-rules` job: `jobs.Scheduler` runs `run` once per interval across processes."""

    def __init__(self, connection: ConnectionFactory, relay: Relay, process_id: int,
                 actor_of: Callable[[str], tuple[Actor, OrgChart]]) -> None:
        self._connection = connection
        self._relay = relay
        self._process_id = process_id
        self._actor_of = actor_of   # governance's view of a rule's owner

    def run(self) -> RuleRun | None:
        """One run; None when there is nothing to run (no enabled rule) or nothing to run on
        yet (no re-sync finished). Runs older than `KEEP_RUNS_DAYS` are forgotten."""
        with self._connection() as conn:
            if not snapshot.has_baseline(conn):
                log.info("team rules not run: the first re-sync has not finished")
                return None
            rows = conn.execute(
                "SELECT name, definition, owner, set_device FROM team_rule WHERE enabled"
                " ORDER BY id").fetchall()
            catalogue = [CatalogueTag(tag_id, tag.name, tag.group_id, tag.group_name)
                         for tag_id, tag in snapshot.corp_tags(conn).items()]
            policy = load_policy(conn)
            keys = {str(name): definition_key(
                definition if isinstance(definition, dict) else {})
                for name, definition in conn.execute("SELECT name, definition FROM team_rule")}
        if not rows:
            return None
        run = RuleRun(f"rule-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}")
        with self._connection() as conn:
            conn.execute("DELETE FROM team_rule_run WHERE started_at < now()"
                         " - make_interval(days => %s)", (KEEP_RUNS_DAYS,))
            row = conn.execute("INSERT INTO team_rule_run (batch_id, process) VALUES (%s, %s)"
                               " RETURNING id", (run.batch_id, self._process_id)).fetchone()
        assert row is not None
        run_id = int(str(row[0]))
        resolved, owners = self._usable(rows, catalogue, policy, run)
        if resolved:
            subjects = self._subjects(run, resolved)
            with self._connection() as conn:
                held = rule_reverts.memory(conn, keys)
            evaluation = evaluate(resolved, subjects, time.time(), held=held)
            run.left_alone = evaluation.left_alone
            self._log_contested(evaluation, run)
            self._apply(evaluation, owners, self._exclusive_sets(), run)
        with self._connection() as conn:
            self._record(conn, run_id, run)
        log.info("team rules run %s: %d rules (%d skipped), %d relations (%d not read yet),"
                 " %d changed, %d applied, %d failed, %d contested, %d reverted changes left"
                 " alone", run.batch_id, len(run.rules), len(run.skipped), run.relations,
                 run.unread, run.changed, run.applied, run.failed, run.contested,
                 run.left_alone)
        return run

    def _usable(self, rows: Sequence[tuple[object, ...]], catalogue: list[CatalogueTag],
                policy: Policy, run: RuleRun) -> tuple[list[ResolvedRule], dict[str, _Owner]]:
        resolved: list[ResolvedRule] = []
        owners: dict[str, _Owner] = {}
        for name, definition, owner, device in rows:
            try:
                rule = parse_rule(definition, str(name))
                found = resolve([rule], catalogue)[0]
                self._may_tag(policy, str(owner), found, catalogue)
            except (RuleFormatError, RuleError) as exc:
                run.skipped[str(name)] = str(exc)
                log.warning("team rule %s skipped: %s", name, exc)
                continue
            resolved.append(found)
            run.rules.append(rule.name)
            owners[rule.name] = _Owner(str(owner), int(str(device)))
        return resolved, owners

    def _may_tag(self, policy: Policy, owner: str, rule: ResolvedRule,
                 catalogue: list[CatalogueTag]) -> None:
        """Governance's tagging restrictions, as for the owner's own `mark_tag`: a rule whose
        owner may not set or remove one of its tags raises RuleError (the policy's sentence)."""
        if not policy.restricted_tagging_groups:
            return
        try:
            actor, chart = self._actor_of(owner)
        except (WeComError, WeComNetworkError):
            raise RuleError("读不到规则负责人所在的部门，这次不运行这条规则",
                            "the departments of the rule's owner could not be read; the rule"
                            " is not run this time") from None
        tags = {t.id: t for t in catalogue}
        for tag_id in sorted(rule.add | rule.removes):
            tag = tags[tag_id]
            decision = decide(policy, chart, actor,
                              Change(Operation.TAG_CUSTOMER, tag.group_name, tag.name))
            if decision.verdict is not Verdict.ALLOW:
                raise RuleError(f"负责人 {owner}：{decision.zh}", f"owner {owner}: {decision.en}")

    def _subjects(self, run: RuleRun, rules: Sequence[ResolvedRule]) -> list[Subject]:
        reading, types = events_read(r.rule for r in rules)
        with self._connection() as conn:
            facts = relation_facts.read_all(conn)
            tagged = _relation_tags(conn)
            events = team_events.by_customer(conn, types) if reading else {}
            customers = {external_userid for (userid, external_userid) in tagged
                         if (userid, external_userid) in facts}
            intents = rule_intents.intents(conn, customers) \
                if any(r.rule.uses_intent for r in rules) else {}
        subjects = []
        for index, ((userid, external_userid), tags) in enumerate(sorted(tagged.items())):
            found = facts.get((userid, external_userid))
            if found is None:
                run.unread += 1
                continue
            subjects.append(Subject(
                index, external_userid, userid, found.name, found.state, found.remark,
                found.description, tuple(n for n in (found.corp_name, found.corp_full_name,
                                                     found.remark_corp_name) if n),
                found.gender, float(found.createtime),
                datetime.fromtimestamp(found.createtime).date().toordinal(), tags,
                intents=intents.get((external_userid, userid), frozenset()),
                events=events.get(external_userid, ())))
        run.relations = len(subjects)
        return subjects

    @staticmethod
    def _log_contested(evaluation: Evaluation, run: RuleRun) -> None:
        for c in evaluation.contradictions:
            run.contested += c.relations
            log.warning("team rules %s and %s contradict on tag %s: %d relations left alone",
                        c.adding, c.removing, c.tag_id, c.relations)
        for loop in evaluation.loops:
            run.contested += loop.relations
            log.warning("team rules %s loop: %d relations left alone", ", ".join(loop.rules),
                        loop.relations)

    def _exclusive_sets(self) -> list[frozenset[str]]:
        with self._connection() as conn:
            return [frozenset(snapshot.text_list(value)) for (value,) in conn.execute(
                "SELECT value FROM team_setting WHERE owner = %s AND kind = 'exclusive_set'"
                " AND value IS NOT NULL", (TEAM,))]

    def _apply(self, evaluation: Evaluation, owners: dict[str, _Owner],
               exclusive: list[frozenset[str]], run: RuleRun) -> None:
        """One mark_tag per relation; a relation the rules would leave with two tags of one
        of the team's exclusive sets is left alone (counted contested), as in a batch."""
        for outcome in evaluation.outcomes:
            subject = outcome.subject
            after = (subject.tag_ids | set(outcome.add)) - set(outcome.remove)
            clash = next((s for s in exclusive if len(s & after) > 1 and s & set(outcome.add)),
                         None)
            if clash is not None:
                run.contested += 1
                log.warning("team rules %s on %s/%s left alone: exclusive tags %s",
                            ", ".join(outcome.rule_names), subject.userid,
                            subject.external_userid, ", ".join(sorted(clash & after)))
                continue
            run.changed += 1
            names = outcome.rule_names
            owner = owners[names[0]]
            note = WriteNote(batch_id=run.batch_id, source=SOURCE,
                             before=tuple(sorted(subject.tag_ids)),
                             reason=rule_reason(names))
            body: dict[str, Any] = {"userid": subject.userid,
                                    "external_userid": subject.external_userid}
            if outcome.add:
                body["add_tag"] = list(outcome.add)
            if outcome.remove:
                body["remove_tag"] = list(outcome.remove)
            try:
                answer = self._relay.write(Caller(owner.userid, owner.device_id), MARK_TAG,
                                           body, note, _expiring(outcome))
            except WeComNetworkError as err:
                answer = {"errcode": -1, "errmsg": err.reason.value}
            if answer.get("errcode"):
                run.failed += 1
                log.warning("team rules: mark_tag on %s/%s refused (errcode %s)",
                            subject.userid, subject.external_userid, answer.get("errcode"))
            else:
                run.applied += 1

    @staticmethod
    def _record(conn: Conn, run_id: int, run: RuleRun) -> None:
        conn.execute(
            "UPDATE team_rule_run SET finished_at = now(), rules = %s, relations = %s,"
            " changed = %s, applied = %s, failed = %s, contested = %s, unread = %s,"
            " skipped = %s WHERE id = %s",
            (run.rules, run.relations, run.changed, run.applied, run.failed, run.contested,
             run.unread, Jsonb(run.skipped), run_id))


def _expiring(outcome: RelationOutcome) -> list[Expiring]:
    """The tags the outcome adds that run out, each with the rule whose `expires` it keeps
    (the shortest, as the evaluator chose)."""
    found = []
    for tag_id, seconds in sorted(outcome.expires_s.items()):
        rule = next(r.name for r, _ in outcome.fired
                    if tag_id in r.add and r.rule.then.expires_s == seconds)
        found.append(Expiring(tag_id, seconds, rule))
    return found


def _relation_tags(conn: Conn) -> dict[tuple[str, str], frozenset[str]]:
    return {(str(u), str(e)): frozenset(snapshot.text_list(tags)) for u, e, tags in conn.execute(
        "SELECT userid, external_userid, tag_ids FROM relation_tag_snapshot")}
