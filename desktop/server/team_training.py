"""The team's own decisions as the auto-tagger's training data on the server, read from
PostgreSQL as a desktop reads them from its cache (`desktop.services.autotag_training`): the
verdicts people gave in the review table (`autotag_review`), the tags relations carry now
(`relation_tag_snapshot`, `corp_tag_snapshot`), who added them (`team_journal`) and the
team's chats (`chat_message`). The tagger is built by the same function a desktop's
simulation uses, so a rules run's intents are the suggestions a desktop simulates on the
same chats, verdicts and tags.

Training takes seconds to minutes (it grows with the confirmed customers): each server
process keeps the tagger it trained last and trains again only when what it would learn
from changed: a verdict, a tag confirmed or dropped, a new message of a customer it learns
from, new keywords (reading that costs a few queries and the rules over the confirmed
customers' messages).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from desktop.domain.autotag import AutoTagger
from desktop.server.snapshot import Conn, corp_tags
from desktop.services.autotag_simulation import DEFAULT_MIN_CONFIDENCE
from desktop.services.autotag_training import (
    LastAdds,
    learnt_tagger,
    rules_tagger,
    training_for,
)
from desktop.services.tagging import TaggingError, resolve_in
from desktop.store.autotag_settings import Review
from desktop.store.chats import CUSTOMER_SENT, StoredMessage
from desktop.store.outbox import TagRecord
from desktop.store.tag_carriers import CarriedTag

log = logging.getLogger("tagdesk.server.rules")

MESSAGE_COLUMNS = "id, ts, userid, external_userid, direction, text"


def _message(row: Sequence[object]) -> StoredMessage:
    return StoredMessage(int(str(row[0])), float(str(row[1])), str(row[2]), str(row[3]),
                         str(row[4]), str(row[5]))


class TeamTrainingSource:
    """`autotag_training.TrainingSource` over the team server's database (message ids are
    `chat_message` ids; a verdict's messages are those of its chat keys the server holds)."""

    def __init__(self, conn: Conn) -> None:
        self._conn = conn

    def reviews(self) -> list[Review]:
        return [Review(str(customer), str(userid), str(tag), str(verdict),
                       tuple(int(str(i)) for i in ids) if isinstance(ids, list) else (),
                       str(operator), float(str(ts)))
                for customer, userid, tag, verdict, ids, operator, ts in self._conn.execute(
                    "SELECT r.external_userid, r.userid, r.tag_name, r.verdict,"
                    " ARRAY(SELECT m.id FROM chat_message m WHERE m.msg_key = ANY(r.msg_keys)"
                    " ORDER BY m.id), r.operator, extract(epoch FROM r.ts)"
                    " FROM autotag_review r ORDER BY r.id")]

    def messages_by_id(self, ids: Collection[int]) -> Mapping[int, StoredMessage]:
        return {message.id: message for message in map(_message, self._conn.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM chat_message WHERE id = ANY(%s)", (list(ids),)))}

    def tag_groups(self) -> dict[str, str]:
        return {tag_id: tag.group_id for tag_id, tag in corp_tags(self._conn).items()}

    def carried_in_groups(self, group_ids: Collection[str]) -> list[CarriedTag]:
        return [CarriedTag(str(customer), str(userid), str(tag_id), str(group_id))
                for customer, userid, tag_id, group_id in self._conn.execute(
                    "SELECT s.external_userid, s.userid, t.tag_id, t.group_id"
                    " FROM relation_tag_snapshot s CROSS JOIN unnest(s.tag_ids) AS carried(id)"
                    " JOIN corp_tag_snapshot t ON t.tag_id = carried.id"
                    " WHERE t.group_id = ANY(%s)", (sorted(group_ids),))]

    def last_adds(self, tag_ids: Collection[str]) -> LastAdds:
        last: LastAdds = {}
        for customer, userid, tag_id, ts, source in self._conn.execute(
                "SELECT external_userid, userid, tag_id, ts, source FROM team_journal"
                " WHERE action = 'tag_add' AND tag_id = ANY(%s) ORDER BY id",
                (sorted(tag_ids),)):
            key = (str(customer), str(userid), str(tag_id))
            if key not in last or float(str(ts)) >= last[key][0]:
                last[key] = (float(str(ts)), str(source))
        return last

    def customers_who_said(self) -> list[str]:
        return [str(row[0]) for row in self._conn.execute(
            "SELECT DISTINCT external_userid FROM chat_message WHERE direction = %s",
            (CUSTOMER_SENT,))]

    def latest_of_customers(self, customers: Collection[str],
                            per_customer: int) -> Mapping[str, list[StoredMessage]]:
        found: dict[str, list[StoredMessage]] = defaultdict(list)
        for row in self._conn.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM (SELECT {MESSAGE_COLUMNS}, row_number() OVER"
                " (PARTITION BY external_userid ORDER BY ts DESC, id DESC) AS newest"
                " FROM chat_message WHERE direction = %s AND external_userid = ANY(%s)) latest"
                " WHERE newest <= %s ORDER BY external_userid, ts, id",
                (CUSTOMER_SENT, sorted(customers), per_customer)):
            message = _message(row)
            found[message.external_userid].append(message)
        return found


def tag_ids(conn: Conn, names: Collection[str]) -> dict[str, str]:
    """Tag-set name (a tag's name, "组:名" or id) → the tag's id in the team's tag library;
    names that are no single tag are left out (a desktop learns nothing about them either)."""
    catalogue = [TagRecord(tag_id, tag.name, tag.group_id, tag.group_name)
                 for tag_id, tag in corp_tags(conn).items()]
    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = resolve_in(catalogue, name.strip())
        except TaggingError:
            continue
    return found


class _Kept:
    """The latest engines of this process: the rules of the keywords, and the tagger
    trained on what they were last trained on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.keywords: tuple[object, ...] = ()
        self.rules: AutoTagger | None = None
        self.learnt_from: tuple[object, ...] = ()
        self.tagger: AutoTagger | None = None


_KEPT = _Kept()


def team_tagger(conn: Conn, keywords: Mapping[str, Sequence[str]]) -> AutoTagger:
    """The tagger of these keywords (name order) trained on the team's decisions, as a
    desktop's simulation builds it (its default confidence). What it learns from is read on
    every call; it is trained again only when that changed (a verdict, a confirmed tag,
    a confirmed customer's new message)."""
    info = conn.info
    database = (info.host, info.port, info.dbname)
    wanted = (database, *((name, tuple(words)) for name, words in keywords.items()))
    with _KEPT.lock:
        if _KEPT.rules is None or _KEPT.keywords != wanted:
            _KEPT.rules = rules_tagger(keywords, threshold=DEFAULT_MIN_CONFIDENCE)
            _KEPT.keywords, _KEPT.learnt_from, _KEPT.tagger = wanted, (), None
        training = training_for(TeamTrainingSource(conn), _KEPT.rules, keywords,
                                tag_ids(conn, keywords))
        learnt_from = tuple((m.customer, m.text, m.labels) for m in training.messages)
        if _KEPT.tagger is None or _KEPT.learnt_from != learnt_from:
            started = time.monotonic()
            _KEPT.tagger = learnt_tagger(_KEPT.rules, training)
            _KEPT.learnt_from = learnt_from
            log.info("team rules: intent engine trained on %d messages of %d customers"
                     " (%d tags learnt) in %.1f s", len(training.messages),
                     len({m.customer for m in training.messages}),
                     len(_KEPT.tagger.learnt_tags), time.monotonic() - started)
        return _KEPT.tagger
