"""PostgreSQL for the team server: connecting with readable failures, versioned migrations.

Migrations are numbered; `tagdesk_schema` holds the version a database is at. Migrating
takes a transaction-scoped advisory lock, so two servers starting on one database never
migrate it twice, and a server refuses a database whose schema is newer than it knows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.conninfo import conninfo_to_dict

from desktop.server.autotag_reverts import MIGRATION as AUTOTAG_REVERTS_MIGRATION
from desktop.server.autotag_reviews import MIGRATION as AUTOTAG_REVIEWS_MIGRATION
from desktop.server.errors import ServerError
from desktop.server.reconcile_schema import RECONCILE_MIGRATION, RECONCILE_NOW_MIGRATION
from desktop.server.scale_out_schema import SCALE_OUT_MIGRATION
from desktop.server.team_chats import MIGRATION as TEAM_CHATS_MIGRATION
from desktop.server.team_events import MIGRATION as TEAM_EVENTS_MIGRATION
from desktop.server.team_rules import MIGRATION as TEAM_RULES_MIGRATION
from desktop.store.journal import GENESIS

log = logging.getLogger("tagdesk.server")

# Any constant unique to TagDesk: the key of the advisory lock that serialises migrations.
MIGRATION_LOCK_KEY = 0x7A6D_0001
CONNECT_TIMEOUT_S = 10

MIGRATIONS: tuple[str, ...] = (
    # 1: identities (login codes, devices, sessions), the relay's outbox, the team journal.
    f"""
    CREATE TABLE login_code (
        id text PRIMARY KEY,
        userid text NOT NULL,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        used_at timestamptz
    );
    CREATE INDEX login_code_userid ON login_code (userid, created_at);

    CREATE TABLE device (
        id bigserial PRIMARY KEY,
        userid text NOT NULL,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz,
        revoked_at timestamptz
    );

    CREATE TABLE device_session (
        token_hash text PRIMARY KEY,
        device_id bigint NOT NULL REFERENCES device (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL
    );
    CREATE INDEX device_session_device ON device_session (device_id);

    CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        operator text NOT NULL,
        device_id bigint REFERENCES device (id),
        path text NOT NULL,
        body jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('sending', 'done', 'failed')),
        errcode integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
    );

    CREATE TABLE team_journal (
        id bigint PRIMARY KEY,
        ts double precision NOT NULL,
        operator text NOT NULL,
        action text NOT NULL,
        source text NOT NULL,
        batch_id text NOT NULL,
        external_userid text NOT NULL,
        userid text NOT NULL,
        tag_id text NOT NULL,
        tag_name text NOT NULL,
        group_name text NOT NULL,
        before text NOT NULL,
        after text NOT NULL,
        reason text NOT NULL,
        outbox_id bigint REFERENCES outbox (id),
        prev_hash text NOT NULL,
        hash text NOT NULL
    );
    CREATE INDEX team_journal_ts ON team_journal (ts);
    CREATE INDEX team_journal_operator ON team_journal (operator, id);
    CREATE INDEX team_journal_customer ON team_journal (external_userid, id);

    CREATE TABLE team_journal_head (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        last_id bigint NOT NULL,
        hash text NOT NULL
    );
    INSERT INTO team_journal_head (last_id, hash) VALUES (0, '{GENESIS}');

    CREATE FUNCTION team_journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'team_journal is append-only: % refused', TG_OP;
    END
    $$;
    CREATE TRIGGER team_journal_append_only BEFORE UPDATE OR DELETE ON team_journal
        FOR EACH ROW EXECUTE FUNCTION team_journal_refuse_change();
    CREATE TRIGGER team_journal_no_truncate BEFORE TRUNCATE ON team_journal
        FOR EACH STATEMENT EXECUTE FUNCTION team_journal_refuse_change();
    """,
    # 2: shared team settings (and each user's own favourites), versioned for polling.
    """
    CREATE TABLE team_setting_head (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        version bigint NOT NULL
    );
    INSERT INTO team_setting_head (version) VALUES (0);

    CREATE TABLE team_setting (
        owner text NOT NULL,
        kind text NOT NULL,
        key text NOT NULL,
        value jsonb,
        version bigint NOT NULL,
        updated_by text NOT NULL,
        device_id bigint REFERENCES device (id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner, kind, key)
    );
    CREATE INDEX team_setting_version ON team_setting (version);
    """,
    # 3: team journal rows name the batch a revert reverts; indexes for the audit filters.
    """
    ALTER TABLE team_journal ADD COLUMN reverts_batch text NOT NULL DEFAULT '';
    CREATE INDEX team_journal_tag ON team_journal (tag_id, id);
    CREATE INDEX team_journal_tag_name ON team_journal (tag_name, id);
    CREATE INDEX team_journal_group ON team_journal (group_name, id);
    CREATE INDEX team_journal_batch ON team_journal (batch_id, id);
    CREATE INDEX team_journal_owner ON team_journal (userid, id);
    CREATE INDEX team_journal_reverts ON team_journal (reverts_batch) WHERE reverts_batch != '';
    """,
    # 4: several server processes on one database (desktop/server/shared_limit.py,
    # jobs.py, leases.py, outbox_recovery.py).
    SCALE_OUT_MIGRATION,
    # 5: WeCom callbacks (received events, de-duplicated), the server's snapshot of every
    # relation's tags and of the corp tag library (filled by re-syncs and callbacks), and
    # the probable operator of journal rows whose operator WeCom does not name.
    """
    CREATE TABLE callback_event (
        id bigserial PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        event text NOT NULL,
        change_type text NOT NULL,
        userid text NOT NULL,
        external_userid text NOT NULL,
        item_id text NOT NULL,
        state text NOT NULL,
        create_time bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'working', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        claimed_at timestamptz,
        finished_at timestamptz
    );
    CREATE INDEX callback_event_open ON callback_event (id)
        WHERE status IN ('pending', 'working');

    CREATE TABLE relation_tag_snapshot (
        userid text NOT NULL,
        external_userid text NOT NULL,
        tag_ids text[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (userid, external_userid)
    );

    CREATE TABLE corp_tag_snapshot (
        tag_id text PRIMARY KEY,
        tag_name text NOT NULL,
        group_id text NOT NULL,
        group_name text NOT NULL
    );

    CREATE TABLE resync_run (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        relations integer NOT NULL DEFAULT 0,
        changes integer NOT NULL DEFAULT 0
    );

    ALTER TABLE team_journal
        ADD COLUMN probable_operator text NOT NULL DEFAULT '',
        ADD COLUMN seen_after double precision NOT NULL DEFAULT 0;
    """,
    # 6: chat messages pushed for auto-tagging (desktop/server/team_chats.py).
    TEAM_CHATS_MIGRATION,
    # 7: governance: the team policy (every version kept), approval requests and their codes.
    """
    CREATE TABLE governance_policy (
        id bigserial PRIMARY KEY,
        policy jsonb NOT NULL,
        set_by text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE approval (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('delete_tag', 'delete_group', 'rename_tag')),
        path text NOT NULL,
        body jsonb NOT NULL,
        target_ids text[] NOT NULL,
        target text NOT NULL,
        requester text NOT NULL,
        reason text NOT NULL,
        customers integer NOT NULL,
        snapshot jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'gone', 'failed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        decided_by text,
        decided_at timestamptz,
        decision_reason text NOT NULL DEFAULT ''
    );
    CREATE INDEX approval_pending ON approval (status, expires_at);

    CREATE TABLE approval_code (
        id text PRIMARY KEY,
        approval_id bigint NOT NULL REFERENCES approval (id),
        userid text NOT NULL,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        used_at timestamptz
    );
    """,
    # 8: what a deletion approval deleted, by name (to restore it), and when it was restored.
    """
    ALTER TABLE approval
        ADD COLUMN tag_names jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN restored_by text,
        ADD COLUMN restored_at timestamptz;
    """,
    # 9: live codes' tags (state -> tags), applied when an add_external_contact callback with
    # that State arrives; one row per relation tagged, so a re-delivered event tags it once.
    """
    CREATE TABLE livecode_tag (
        state text PRIMARY KEY,
        config_id text NOT NULL DEFAULT '',
        tag_ids text[] NOT NULL,
        set_by text NOT NULL,
        set_device bigint REFERENCES device (id),
        set_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE livecode_hit (
        state text NOT NULL,
        userid text NOT NULL,
        external_userid text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (state, userid, external_userid)
    );
    """,
    # 10: pre-tags queued from desktops in team mode, applied when the add_external_contact
    # callback of their person arrives.
    """
    CREATE TABLE pretag (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('external_userid', 'phone', 'unionid')),
        match_key text NOT NULL,
        tag_ids text[] NOT NULL,
        created_by text NOT NULL,
        created_device bigint REFERENCES device (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'applied', 'expired', 'cancelled')),
        closed_at timestamptz,
        batch_id text NOT NULL DEFAULT ''
    );
    CREATE INDEX pretag_pending ON pretag (kind, match_key) WHERE status = 'pending';
    """,
    # 11: the scheduled order reconciliation's runs (desktop/server/reconcile_job.py).
    RECONCILE_MIGRATION,
    # 12: team rules (owner, department, visibility), the relation facts rules read, and the
    # scheduled rule runs (desktop/server/team_rules.py, rule_runs.py).
    TEAM_RULES_MIGRATION,
    # 13: behaviour events, their sources' keys and request counts (team_events.py).
    TEAM_EVENTS_MIGRATION,
    # 14: auto-tagging review verdicts shared by the team (desktop/server/autotag_reviews.py).
    AUTOTAG_REVIEWS_MIGRATION,
    # 15: who started a reconciliation run now, and the paying customers it did not know.
    RECONCILE_NOW_MIGRATION,
    # 16: adopting a console-made tag group is an approval kind (adoption_requests.py).
    """
    ALTER TABLE approval DROP CONSTRAINT approval_kind_check;
    ALTER TABLE approval ADD CONSTRAINT approval_kind_check
        CHECK (kind IN ('delete_tag', 'delete_group', 'rename_tag', 'adopt_group'));
    """,
    # 17: expiries of the tags the server's rule runs add (desktop/server/expiry_records.py).
    """
    CREATE TABLE team_tag_expiry (
        userid text NOT NULL,
        external_userid text NOT NULL,
        tag_id text NOT NULL,
        due_at timestamptz NOT NULL,
        rule_name text NOT NULL,
        batch_id text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (userid, external_userid, tag_id)
    );
    CREATE INDEX team_tag_expiry_due ON team_tag_expiry (due_at);
    """,
    # 18: rule changes a revert undid, left alone until the rule is edited (rule_reverts.py).
    """
    CREATE TABLE team_rule_revert (
        rule_name text NOT NULL,
        userid text NOT NULL,
        external_userid text NOT NULL,
        tag_id text NOT NULL,
        action text NOT NULL CHECK (action IN ('tag_add', 'tag_remove')),
        definition_key text NOT NULL,
        reverted_batch text NOT NULL,
        reverted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (rule_name, userid, external_userid, tag_id, action)
    );
    """,
    # 19: the viewer's first page sorted by tag or group, read along an index in the sort's
    # code point order (team_audit.sorted_page): 7-10 ms instead of 0.8 s at 1,000,000 rows.
    """
    CREATE INDEX team_journal_tag_sort ON team_journal ((tag_name COLLATE "C"), id);
    CREATE INDEX team_journal_group_sort ON team_journal ((group_name COLLATE "C"), id);
    """,
    # 20: who wrote a team setting first: only they, a head of its groups' department or an
    # administrator may delete or overwrite an exclusive set or a team saved filter
    # (shared_settings.py). Items saved before count their last writer as their author.
    """
    ALTER TABLE team_setting ADD COLUMN author text NOT NULL DEFAULT '';
    UPDATE team_setting SET author = updated_by WHERE value IS NOT NULL;
    """,
    # 21: a revert of an auto-tagging batch marks its accepted suggestions reverted.
    AUTOTAG_REVERTS_MIGRATION,
    # 22: the other sort columns' code point indexes (team_audit.SORT_TERMS): the first page
    # walks one of them and the count of a person's or customer's rows reads it alone.
    """
    CREATE INDEX team_journal_operator_sort ON team_journal (((CASE WHEN source IN
        ('observed', 'callback') THEN '' ELSE operator END) COLLATE "C"), id);
    CREATE INDEX team_journal_action_sort ON team_journal ((action COLLATE "C"), id);
    CREATE INDEX team_journal_source_sort ON team_journal ((source COLLATE "C"), id);
    CREATE INDEX team_journal_customer_sort ON team_journal ((external_userid COLLATE "C"), id);
    CREATE INDEX team_journal_owner_sort ON team_journal ((userid COLLATE "C"), id);
    CREATE INDEX team_journal_batch_sort ON team_journal ((batch_id COLLATE "C"), id);
    CREATE INDEX team_journal_reason_sort ON team_journal ((reason COLLATE "C"), id);
    """,
    # 23: the sort columns' code point indexes within each source: under a source filter the
    # first page reads each source's rows in the page's order (team_audit.sorted_page), where
    # walking a column's own index would skip every other source's rows first (a source's
    # rows often come last: an app edit has no batch).
    """
    CREATE INDEX team_journal_source_operator_sort ON team_journal ((source COLLATE "C"),
        ((CASE WHEN source IN ('observed', 'callback') THEN '' ELSE operator END) COLLATE "C"),
        id);
    CREATE INDEX team_journal_source_action_sort ON team_journal ((source COLLATE "C"),
        (action COLLATE "C"), id);
    CREATE INDEX team_journal_source_customer_sort ON team_journal ((source COLLATE "C"),
        (external_userid COLLATE "C"), id);
    CREATE INDEX team_journal_source_owner_sort ON team_journal ((source COLLATE "C"),
        (userid COLLATE "C"), id);
    CREATE INDEX team_journal_source_tag_sort ON team_journal ((source COLLATE "C"),
        (tag_name COLLATE "C"), id);
    CREATE INDEX team_journal_source_group_sort ON team_journal ((source COLLATE "C"),
        (group_name COLLATE "C"), id);
    CREATE INDEX team_journal_source_batch_sort ON team_journal ((source COLLATE "C"),
        (batch_id COLLATE "C"), id);
    CREATE INDEX team_journal_source_reason_sort ON team_journal ((source COLLATE "C"),
        (reason COLLATE "C"), id);
    """,
    # 24: each operator's rows within each source, newest last: the first page of one
    # operator's rows by 来源 reads each source's newest along it (team_audit._by_source_rank)
    # instead of ranking all of that operator's rows.
    """
    CREATE INDEX team_journal_operator_source ON team_journal (operator,
        (source COLLATE "C"), id);
    """,
    # 25: a requester may withdraw their own pending request (approval_desk.py).
    """
    ALTER TABLE approval DROP CONSTRAINT approval_status_check;
    ALTER TABLE approval ADD CONSTRAINT approval_status_check CHECK (status IN
        ('pending', 'approved', 'rejected', 'expired', 'gone', 'failed', 'withdrawn'));
    """,
)

LATEST_VERSION = len(MIGRATIONS)


def describe_target(url: str) -> str:
    """`host:port/dbname` of a connection URL, never its password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "?"
    host = parts.get("host") or "localhost"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or '-'}"


def connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """One connection, or a ServerError naming the target (without its password)."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise ServerError(
            "--db 须是 postgresql:// 开头的连接地址。",
            "--db must be a postgresql:// connection URL.",
        )
    try:
        return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        raise unavailable(url, exc) from None


def unavailable(url: str, exc: BaseException) -> ServerError:
    reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    target = describe_target(url)
    return ServerError(
        f"无法连接 PostgreSQL（{target}）：{reason}",
        f"Cannot connect to PostgreSQL at {target}: {reason}",
    )


def schema_version(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS tagdesk_schema (version integer NOT NULL)")
    row = conn.execute("SELECT max(version) FROM tagdesk_schema").fetchone()
    return int(str(row[0])) if row is not None and row[0] is not None else 0


def migrate(url: str) -> int:
    """Bring the database to LATEST_VERSION; returns the version it is at."""
    with connect(url) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        current = schema_version(conn)
        if current > LATEST_VERSION:
            raise ServerError(
                f"数据库 {describe_target(url)} 的结构版本是 {current}，比本服务器认识的"
                f"版本 {LATEST_VERSION} 更新：请使用更新版本的 TagDesk 服务器。",
                f"The database {describe_target(url)} is at schema version {current}, newer "
                f"than the {LATEST_VERSION} this server knows: run a newer TagDesk server.",
            )
        for version in range(current + 1, LATEST_VERSION + 1):
            conn.execute(MIGRATIONS[version - 1].encode())
            conn.execute("INSERT INTO tagdesk_schema (version) VALUES (%s)", (version,))
            log.info("database migrated to schema version %d", version)
        return LATEST_VERSION


@contextmanager
def admin_connection(url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection for an admin command, refused unless the schema is exactly current."""
    with connect(url) as conn:
        version = schema_version(conn)
        conn.commit()
        if version != LATEST_VERSION:
            raise ServerError(
                f"数据库 {describe_target(url)} 的结构版本是 {version}（本程序为 {LATEST_VERSION}）："
                "请先用同一版本的 tagdesk server serve 启动一次。",
                f"The database {describe_target(url)} is at schema version {version} (this "
                f"program knows {LATEST_VERSION}): start it once with `tagdesk server serve` "
                "of the same version first.",
            )
        yield conn
