"""The emulated corp's state: one SQLite connection behind one lock, plus console actions.

Console actions stand for what people do on their phones or in the admin console: no API
call, no quota, no ownership by the app. Tests use them to create "observed" changes that a
sync must notice, and to inspect what API calls did.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from desktop.sandbox import app_secret, directory, relations, tag_library, tokens
from desktop.sandbox.api_call import CorpIdentity
from desktop.sandbox.chat_export import CHAT_EXPORT_FILENAME
from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.errors import ApiError
from desktop.sandbox.event_export import EVENTS_FILENAME
from desktop.sandbox.generator import generate_corp
from desktop.sandbox.people import new_customer
from desktop.sandbox.relations import Relation
from desktop.sandbox.schema import is_generated, open_database
from desktop.sandbox.tag_library import CORP, Scope

SCAN_ADD_WAY = 1

T = TypeVar("T")


class SandboxState:
    def __init__(self, conn: sqlite3.Connection, data_dir: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self._rng = random.SystemRandom()
        self.data_dir = data_dir
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        self.identity = CorpIdentity(meta["corp_id"], int(meta["agent_id"]))

    @classmethod
    def open(cls, config: SandboxConfig) -> SandboxState:
        """Open the corp in `config.data_dir`, generating it first if the folder is new."""
        conn = open_database(config.data_dir)
        try:
            if not is_generated(conn):
                generate_corp(conn, config, anchor=int(time.time()))
            return cls(conn, config.data_dir)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one transaction; rolled back if the block raises."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @property
    def chat_export_path(self) -> Path:
        return self.data_dir / CHAT_EXPORT_FILENAME

    @property
    def events_path(self) -> Path:
        return self.data_dir / EVENTS_FILENAME

    # -- tokens --------------------------------------------------------------------------

    def expire_tokens(self) -> None:
        with self.transaction() as conn:
            tokens.expire_all(conn)

    @property
    def secret(self) -> str:
        """The app's secret now (reset from another process too)."""
        with self.transaction() as conn:
            return app_secret.current_secret(conn)

    def reset_secret(self) -> str:
        """Reset the app's secret, as in the admin console: the new one is returned, the old
        one answers 40001 and the tokens issued 40014."""
        with self.transaction() as conn:
            return app_secret.reset_secret(conn)

    def invalidate_tokens(self) -> None:
        with self.transaction() as conn:
            tokens.invalidate_all(conn)

    # -- inspection ----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        queries = {
            "members": "SELECT COUNT(*) FROM member",
            "customers": "SELECT COUNT(*) FROM customer",
            "relations": "SELECT COUNT(*) FROM relation",
            "tag_links": "SELECT COUNT(*) FROM relation_tag",
            "tags": "SELECT COUNT(*) FROM tag WHERE deleted = 0",
            "tag_groups": "SELECT COUNT(*) FROM tag_group WHERE deleted = 0",
        }
        with self.transaction() as conn:
            return {name: conn.execute(sql).fetchone()[0] for name, sql in queries.items()}

    def follow_users(self) -> list[str]:
        with self.transaction() as conn:
            return directory.follow_users(conn)

    def relations(self) -> list[tuple[str, str]]:
        """Every (userid, external_userid) follow relation, oldest first."""
        with self.transaction() as conn:
            return [
                tuple(r)
                for r in conn.execute("SELECT userid, external_userid FROM relation ORDER BY id")
            ]

    def relation_tag_ids(self, userid: str, external_userid: str) -> set[str]:
        """Corp and strategy tag ids on one relation; KeyError if there is no such relation."""
        with self.transaction() as conn:
            relation = self._relation(conn, userid, external_userid)
            return {
                t.id for t in relations.tags_of_relations(conn, [relation.id]).get(relation.id, [])
            }

    def tag_ids_by_name(self) -> dict[tuple[str, str], str]:
        """Live corp tags: (group name, tag name) → tag id."""
        with self.transaction() as conn:
            return {
                (group, name): tag_id
                for group, name, tag_id in conn.execute(
                    "SELECT g.name, t.name, t.id FROM tag t JOIN tag_group g ON g.key = t.group_key"
                    " WHERE t.deleted = 0 AND g.strategy_id IS NULL"
                )
            }

    def find_tag(self, group_name: str, tag_name: str) -> str | None:
        """A live tag id by names, corp tags first, then rule-group tags."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT t.id FROM tag t JOIN tag_group g ON g.key = t.group_key"
                " WHERE t.deleted = 0 AND g.deleted = 0 AND g.name = ? AND t.name = ?"
                " ORDER BY g.strategy_id IS NOT NULL, g.key LIMIT 1",
                (group_name, tag_name),
            ).fetchone()
            return row[0] if row else None

    def find_group(self, group_name: str) -> str | None:
        """A live tag group id by name, corp groups first, then rule-group ones."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id FROM tag_group WHERE deleted = 0 AND name = ?"
                " ORDER BY strategy_id IS NOT NULL, key LIMIT 1",
                (group_name,),
            ).fetchone()
            return row[0] if row else None

    def tag_order(self, tag_or_group_id: str) -> int:
        with self.transaction() as conn:
            item = tag_library.find_tag(conn, tag_or_group_id) or tag_library.find_group(
                conn, tag_or_group_id
            )
            if item is None:
                raise KeyError(tag_or_group_id)
            return item.order

    def is_app_owned(self, tag_or_group_id: str) -> bool:
        with self.transaction() as conn:
            item = tag_library.find_tag(conn, tag_or_group_id) or tag_library.find_group(
                conn, tag_or_group_id
            )
            if item is None:
                raise KeyError(tag_or_group_id)
            return item.app_owned

    def contact_way_ids(self) -> dict[str, str]:
        """state → config_id of every contact way that has a state."""
        with self.transaction() as conn:
            return dict(
                conn.execute(
                    "SELECT state, config_id FROM contact_way WHERE state != '' ORDER BY create_time"
                )
            )

    def relation_state(self, userid: str, external_userid: str) -> str:
        with self.transaction() as conn:
            return self._relation(conn, userid, external_userid).state

    def sent_messages(self) -> list[dict[str, Any]]:
        with self.transaction() as conn:
            return [
                {
                    "msgid": msgid,
                    "sent_at": sent_at,
                    "touser": touser.split("|"),
                    "content": content,
                }
                for msgid, sent_at, touser, content in conn.execute(
                    "SELECT msgid, sent_at, touser, content FROM sent_message ORDER BY sent_at"
                )
            ]

    # -- console actions -----------------------------------------------------------------

    def console_mark_tag(
        self,
        userid: str,
        external_userid: str,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
    ) -> None:
        """A member tags a customer on the phone; ValueError names an unknown tag id."""
        with self.transaction() as conn:
            relation = self._relation(conn, userid, external_userid)
            add_keys = {self._live_tag_key(conn, tag_id) for tag_id in add}
            remove_keys = {self._live_tag_key(conn, tag_id) for tag_id in remove}
            relations.change_tags(conn, relation.id, add_keys, remove_keys - add_keys)

    def console_add_tag(self, group_name: str, tag_name: str) -> str:
        """A tag made in the admin console (not owned by the app); returns its id."""
        with self.transaction() as conn:
            group = tag_library.live_group_by_name(conn, CORP, group_name)
            if group is not None:
                existing = tag_library.live_tag_in_group(conn, group.key, tag_name)
                if existing is not None:
                    return existing.id
            answer = self._console(
                lambda: tag_library.add_tags(
                    conn,
                    CORP,
                    group_id="",
                    group_name=group_name,
                    group_order=0,
                    tags=[(tag_name, 0)],
                    now=int(time.time()),
                    app_owned=False,
                    cap=2**31,
                )
            )
            return str(answer["tag"][0]["id"])

    def console_edit_tag(
        self, tag_or_group_id: str, *, name: str | None = None, order: int | None = None
    ) -> None:
        """An admin renames or reorders any tag or group, app-owned or not."""
        with self.transaction() as conn:
            self._console(
                lambda: tag_library.edit_item(
                    conn,
                    Scope(strategy=self._is_strategy(conn, tag_or_group_id)),
                    tag_or_group_id,
                    name=name,
                    order=order,
                    as_app=False,
                )
            )

    def console_delete_tag(self, tag_or_group_id: str) -> None:
        """An admin deletes a tag or a whole group in the console."""
        with self.transaction() as conn:
            is_group = tag_library.find_group(conn, tag_or_group_id) is not None
            scope = Scope(strategy=self._is_strategy(conn, tag_or_group_id))
            self._console(
                lambda: tag_library.delete_items(
                    conn,
                    scope,
                    tag_ids=[] if is_group else [tag_or_group_id],
                    group_ids=[tag_or_group_id] if is_group else [],
                    as_app=False,
                )
            )

    def delete_relation(self, userid: str, external_userid: str) -> None:
        """The member deleted the customer: the relation and its tags are gone (84061 after)."""
        with self.transaction() as conn:
            relations.delete_relation(conn, self._relation(conn, userid, external_userid).id)

    def simulate_scan(self, config_id: str, external_userid: str | None = None) -> tuple[str, str]:
        """A customer scans a contact way's QR code and adds one of its members.

        Members of a multi-member way take turns. Without `external_userid` a new customer
        is created. The relation carries the way's state, add_way 1 and the customer as
        oper_userid. Returns (userid, external_userid).
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT state, users, parties FROM contact_way WHERE config_id = ?", (config_id,)
            ).fetchone()
            if row is None:
                raise KeyError(config_id)
            state, users, parties = row[0], json.loads(row[1]), json.loads(row[2])
            candidates = list(
                dict.fromkeys([*users, *directory.members_in(conn, parties, recursive=True)])
            )
            candidates = [u for u in candidates if directory.is_follow_user(conn, u)]
            if external_userid is None:
                customer = new_customer(self._rng, set())
                while relations.customer_exists(conn, customer.external_userid):
                    customer = new_customer(self._rng, set())
                conn.execute("INSERT INTO customer VALUES (?,?,?,?,?,?,?,?,?)", customer.row())
                external_userid = customer.external_userid
            elif not relations.customer_exists(conn, external_userid):
                raise KeyError(external_userid)
            turn = conn.execute(
                "SELECT COUNT(*) FROM relation WHERE state = ? AND add_way = ?",
                (state, SCAN_ADD_WAY),
            ).fetchone()[0]
            free = [u for u in candidates if not relations.find_relation(conn, u, external_userid)]
            if not free:
                raise ValueError("every member of this contact way already has this customer")
            userid = free[turn % len(free)]
            conn.execute(
                "INSERT INTO relation (userid, external_userid, remark, description, createtime,"
                " remark_corp_name, remark_mobiles, oper_userid, add_way, state)"
                " VALUES (?, ?, '', '', ?, '', '[]', ?, ?, ?)",
                (userid, external_userid, int(time.time()), external_userid, SCAN_ADD_WAY, state),
            )
            return userid, external_userid

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _relation(conn: sqlite3.Connection, userid: str, external_userid: str) -> Relation:
        relation = relations.find_relation(conn, userid, external_userid)
        if relation is None:
            raise KeyError((userid, external_userid))
        return relation

    @staticmethod
    def _live_tag_key(conn: sqlite3.Connection, tag_id: str) -> int:
        tag = tag_library.find_tag(conn, tag_id)
        if tag is None or tag.deleted:
            raise ValueError(f"no live tag {tag_id}")
        return tag.key

    @staticmethod
    def _is_strategy(conn: sqlite3.Connection, tag_or_group_id: str) -> bool:
        item = tag_library.find_tag(conn, tag_or_group_id) or tag_library.find_group(
            conn, tag_or_group_id
        )
        return item is not None and item.strategy_id is not None

    @staticmethod
    def _console(action: Callable[[], T]) -> T:
        """Run a tag-library action; its API errors become ValueError for console callers."""
        try:
            return action()
        except ApiError as error:
            raise ValueError(str(error)) from error
