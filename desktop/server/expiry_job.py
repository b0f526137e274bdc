"""The `tag-expiry` job: removes the tags of due expiries (`expiry_records.py`).

Once across processes, every `--expiry-interval` seconds, it takes up to `BATCH` due
expiries, removes their tags with one `mark_tag` per relation through the relay's outbox
(the shared WeCom budget), journaled under source `expiry` in one batch
(`expiry-YYYYMMDD-HHMMSS-xxxx`, revertible like any team batch), then deletes the rows it
handled. A call WeCom refuses drops its expiries (logged); when WeCom cannot be reached the
rest wait for the next run.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from desktop.domain.bilingual import both
from desktop.server.db_health import ConnectionFactory
from desktop.server.identity import Caller
from desktop.server.outbox_recovery import MARK_TAG
from desktop.server.relay import Relay
from desktop.wecom.errors import WeComNetworkError
from desktop.wecom.write_note import WriteNote

log = logging.getLogger("tagdesk.server.expiry")

SOURCE = "expiry"
OPERATOR = "tagdesk-server"
BATCH = 500


@dataclass
class ExpiryRun:
    batch_id: str
    due: int = 0
    relations: int = 0
    applied: int = 0
    failed: int = 0


class ExpiryJob:
    """The `tag-expiry` job: `jobs.Scheduler` runs `run` once per interval across processes."""

    def __init__(self, connection: ConnectionFactory, relay: Relay) -> None:
        self._connection = connection
        self._relay = relay

    def run(self) -> ExpiryRun | None:
        """One batch of due expiries removed; None when none is due."""
        with self._connection() as conn:
            due = conn.execute(
                "SELECT userid, external_userid, tag_id, rule_name FROM team_tag_expiry"
                " WHERE due_at <= now() ORDER BY due_at LIMIT %s", (BATCH,)).fetchall()
        if not due:
            return None
        run = ExpiryRun(f"expiry-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}",
                        len(due))
        relations: dict[tuple[str, str], dict[str, str]] = {}
        for userid, external_userid, tag_id, rule in due:
            relations.setdefault((str(userid), str(external_userid)), {})[str(tag_id)] = str(rule)
        for (userid, external_userid), tags in relations.items():
            if not self._remove(run, userid, external_userid, tags):
                break
        log.info("tag expiry %s: %d due, %d relations, %d applied, %d failed", run.batch_id,
                 run.due, run.relations, run.applied, run.failed)
        return run

    def _remove(self, run: ExpiryRun, userid: str, external_userid: str,
                tags: dict[str, str]) -> bool:
        """Remove these due tags from one relation, then forget their expiries; False when
        WeCom could not be reached (the rest wait for the next run)."""
        run.relations += 1
        rules = sorted(set(tags.values()) - {""})    # "": set by a desktop, not a rule
        reason = both(f"到期，规则：{'、'.join(rules)}", f"expired, rules: {', '.join(rules)}") \
            if rules \
            else both("到期", "expired")
        note = WriteNote(batch_id=run.batch_id, source=SOURCE, reason=reason)
        body = {"userid": userid, "external_userid": external_userid,
                "remove_tag": sorted(tags)}
        try:
            answer = self._relay.write(Caller(OPERATOR, 0), MARK_TAG, body, note)
        except WeComNetworkError as err:
            run.failed += 1
            log.warning("tag expiry: WeCom unreachable (%s); the rest waits", err.reason.value)
            return False
        if answer.get("errcode"):
            run.failed += 1
            log.warning("tag expiry: mark_tag on %s/%s refused (errcode %s); expiries dropped",
                        userid, external_userid, answer.get("errcode"))
        else:
            run.applied += 1
        with self._connection() as conn:
            conn.execute("DELETE FROM team_tag_expiry WHERE userid = %s AND external_userid = %s"
                         " AND tag_id = ANY(%s) AND due_at <= now()",
                         (userid, external_userid, sorted(tags)))
        return True
