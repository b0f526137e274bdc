"""The sandbox's SQLite file: everything the emulated corp knows, kept across restarts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.domain.errors import UserError

DB_FILENAME = "sandbox.sqlite3"
SCHEMA_VERSION = 1

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS access_token (token TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS department (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL,
    parentid INTEGER NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS member (
    userid TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, name TEXT NOT NULL,
    position TEXT NOT NULL, mobile TEXT NOT NULL, gender TEXT NOT NULL, email TEXT NOT NULL,
    alias TEXT NOT NULL, status INTEGER NOT NULL, main_department INTEGER NOT NULL,
    direct_leader TEXT NOT NULL, follow_enabled INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS member_department (
    userid TEXT NOT NULL, department_id INTEGER NOT NULL, idx INTEGER NOT NULL,
    ord INTEGER NOT NULL, is_leader INTEGER NOT NULL, PRIMARY KEY (userid, department_id));
CREATE INDEX IF NOT EXISTS member_department_by_department
    ON member_department (department_id);
CREATE TABLE IF NOT EXISTS strategy (
    id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, name TEXT NOT NULL,
    create_time INTEGER NOT NULL, admin_list TEXT NOT NULL, privilege TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS strategy_console (strategy_id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS strategy_range (
    strategy_id INTEGER NOT NULL, seq INTEGER NOT NULL, type INTEGER NOT NULL,
    userid TEXT, partyid INTEGER, PRIMARY KEY (strategy_id, seq));
CREATE TABLE IF NOT EXISTS tag_group (
    key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    ord INTEGER NOT NULL, create_time INTEGER NOT NULL, strategy_id INTEGER,
    app_owned INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS tag_group_live_name
    ON tag_group (IFNULL(strategy_id, 0), name) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS tag (
    key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, group_key INTEGER NOT NULL,
    name TEXT NOT NULL, ord INTEGER NOT NULL, create_time INTEGER NOT NULL,
    app_owned INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS tag_live_name ON tag (group_key, name) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS tag_by_group ON tag (group_key);
CREATE TABLE IF NOT EXISTS customer (
    external_userid TEXT PRIMARY KEY, name TEXT NOT NULL, type INTEGER NOT NULL,
    gender INTEGER NOT NULL, avatar TEXT NOT NULL, unionid TEXT NOT NULL,
    position TEXT NOT NULL, corp_name TEXT NOT NULL, corp_full_name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS relation (
    id INTEGER PRIMARY KEY, userid TEXT NOT NULL, external_userid TEXT NOT NULL,
    remark TEXT NOT NULL, description TEXT NOT NULL, createtime INTEGER NOT NULL,
    remark_corp_name TEXT NOT NULL, remark_mobiles TEXT NOT NULL, oper_userid TEXT NOT NULL,
    add_way INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS relation_tag (
    relation_id INTEGER NOT NULL, tag_key INTEGER NOT NULL,
    PRIMARY KEY (relation_id, tag_key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS personal_tag (
    relation_id INTEGER NOT NULL, group_name TEXT NOT NULL, tag_name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contact_way (
    config_id TEXT PRIMARY KEY, type INTEGER NOT NULL, scene INTEGER NOT NULL,
    style INTEGER NOT NULL, remark TEXT NOT NULL, skip_verify INTEGER NOT NULL,
    state TEXT NOT NULL, qr_code TEXT NOT NULL, users TEXT NOT NULL, parties TEXT NOT NULL,
    create_time INTEGER NOT NULL, extra TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sent_message (
    msgid TEXT PRIMARY KEY, sent_at REAL NOT NULL, touser TEXT NOT NULL,
    toparty TEXT NOT NULL, content TEXT NOT NULL);
"""

# Created after the bulk load of a new corp: building them once is faster than updating
# them row by row during a million inserts.
BULK_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS relation_pair ON relation (userid, external_userid);
CREATE INDEX IF NOT EXISTS relation_by_user ON relation (userid);
CREATE INDEX IF NOT EXISTS relation_by_customer ON relation (external_userid);
CREATE INDEX IF NOT EXISTS relation_tag_by_tag ON relation_tag (tag_key);
CREATE INDEX IF NOT EXISTS personal_tag_by_relation ON personal_tag (relation_id);
"""


def open_database(data_dir: Path) -> sqlite3.Connection:
    """The corp database in autocommit mode; callers open transactions explicitly."""
    data_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        data_dir / DB_FILENAME, isolation_level=None, check_same_thread=False, timeout=10
    )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.executescript(TABLES)
    return conn


def create_bulk_indexes(conn: sqlite3.Connection) -> None:
    conn.executescript(BULK_INDEXES)


class SandboxDataError(UserError):
    """The data folder cannot be used; `str()` is one readable sentence."""


def is_generated(conn: sqlite3.Connection) -> bool:
    """Whether the folder already holds a corp; refuses one written in another layout."""
    rows = dict(
        conn.execute("SELECT key, value FROM meta WHERE key IN ('corp_id', 'schema_version')")
    )
    if "corp_id" not in rows:
        return False
    if rows.get("schema_version") != str(SCHEMA_VERSION):
        raise SandboxDataError(
            "这个沙箱数据文件夹由另一个版本的 TagDesk 写入，请换一个新文件夹（--data）。"
            " / This sandbox data folder was written by another TagDesk version;"
            " use a new folder (--data)."
        )
    return True
