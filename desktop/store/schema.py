"""The cache schema as an ordered list of migrations.

Each entry upgrades the cache by one version; `PRAGMA user_version` records how far a
cache has come. Never edit a released migration: append a new one.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: mirror of WeCom, the journal, the outbox and batch headers.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    CREATE TABLE tag_group (
        id          TEXT PRIMARY KEY,          -- WeCom group id
        name        TEXT NOT NULL,
        sort_order  INTEGER NOT NULL DEFAULT 0, -- WeCom `order`: larger sorts first
        create_time INTEGER NOT NULL DEFAULT 0,
        strategy_id INTEGER,                    -- NULL for corp tag groups
        deleted     INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE tag (
        pk          INTEGER PRIMARY KEY,        -- local key used by relation_tag and bitmaps
        id          TEXT NOT NULL UNIQUE,       -- WeCom tag id
        group_id    TEXT NOT NULL REFERENCES tag_group(id),
        name        TEXT NOT NULL,
        sort_order  INTEGER NOT NULL DEFAULT 0,
        create_time INTEGER NOT NULL DEFAULT 0,
        deleted     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX tag_by_group ON tag(group_id);
    CREATE INDEX tag_by_name ON tag(name);

    CREATE TABLE strategy (
        id          INTEGER PRIMARY KEY,
        parent_id   INTEGER NOT NULL DEFAULT 0,
        name        TEXT NOT NULL,
        create_time INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE department (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        name_en    TEXT NOT NULL DEFAULT '',
        parent_id  INTEGER NOT NULL DEFAULT 0,
        sort_order INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE member (
        userid          TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        main_department INTEGER,
        status          INTEGER NOT NULL DEFAULT 1,
        position        TEXT NOT NULL DEFAULT '',
        follows         INTEGER NOT NULL DEFAULT 0  -- has customer contact enabled
    );

    CREATE TABLE member_department (
        userid        TEXT NOT NULL REFERENCES member(userid),
        department_id INTEGER NOT NULL,
        is_leader     INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (userid, department_id)
    ) WITHOUT ROWID;
    CREATE INDEX member_department_by_department ON member_department(department_id, userid);

    CREATE TABLE customer (
        external_userid TEXT PRIMARY KEY,
        name            TEXT NOT NULL DEFAULT '',
        type            INTEGER NOT NULL DEFAULT 1,
        gender          INTEGER NOT NULL DEFAULT 0,
        corp_name       TEXT NOT NULL DEFAULT '',
        corp_full_name  TEXT NOT NULL DEFAULT '',
        position        TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE relation (
        id               INTEGER PRIMARY KEY,   -- stable local key: (userid, external_userid)
        external_userid  TEXT NOT NULL REFERENCES customer(external_userid),
        userid           TEXT NOT NULL,
        remark           TEXT NOT NULL DEFAULT '',
        description      TEXT NOT NULL DEFAULT '',
        createtime       INTEGER NOT NULL DEFAULT 0,
        add_way          INTEGER NOT NULL DEFAULT 0,
        state            TEXT NOT NULL DEFAULT '',
        oper_userid      TEXT NOT NULL DEFAULT '',
        remark_corp_name TEXT NOT NULL DEFAULT '',
        remark_mobiles   TEXT NOT NULL DEFAULT '[]',  -- JSON array
        UNIQUE (external_userid, userid)
    );
    CREATE INDEX relation_by_owner ON relation(userid);
    CREATE INDEX relation_by_createtime ON relation(createtime);
    CREATE INDEX relation_by_state ON relation(state);

    CREATE TABLE relation_tag (
        relation_id INTEGER NOT NULL,
        tag_pk      INTEGER NOT NULL,
        PRIMARY KEY (relation_id, tag_pk)
    ) WITHOUT ROWID;
    CREATE INDEX relation_tag_by_tag ON relation_tag(tag_pk, relation_id);

    CREATE TABLE personal_tag (
        relation_id INTEGER NOT NULL,
        group_name  TEXT NOT NULL DEFAULT '',
        tag_name    TEXT NOT NULL,
        PRIMARY KEY (relation_id, group_name, tag_name)
    ) WITHOUT ROWID;

    CREATE TABLE contact_way (
        config_id TEXT PRIMARY KEY,
        state     TEXT NOT NULL DEFAULT '',
        remark    TEXT NOT NULL DEFAULT '',
        users     TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX contact_way_by_state ON contact_way(state);

    CREATE TABLE tag_meta (
        tag_id       TEXT PRIMARY KEY,          -- WeCom tag id; team-wide settings
        abbreviation TEXT NOT NULL DEFAULT '',
        color        TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE tag_pin (
        userid   TEXT NOT NULL,                 -- whose favourites
        tag_id   TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (userid, tag_id)
    ) WITHOUT ROWID;

    CREATE TABLE exclusive_set (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL,
        tag_ids TEXT NOT NULL                   -- JSON array of WeCom tag ids
    );

    CREATE TABLE batch (
        id          TEXT PRIMARY KEY,
        created_at  REAL NOT NULL,
        operator    TEXT NOT NULL,
        source      TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status      TEXT NOT NULL,              -- planned, pilot, paused, running, done, cancelled
        pilot_size  INTEGER NOT NULL DEFAULT 0,
        plan        TEXT NOT NULL DEFAULT '{}'  -- JSON summary of the plan
    );

    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        batch_id        TEXT NOT NULL REFERENCES batch(id),
        seq             INTEGER NOT NULL,
        kind            TEXT NOT NULL,          -- mark_tag, edit_corp_tag, ...
        external_userid TEXT NOT NULL DEFAULT '',
        userid          TEXT NOT NULL DEFAULT '',
        payload         TEXT NOT NULL,          -- JSON: the call's arguments
        status          TEXT NOT NULL DEFAULT 'pending', -- pending done failed skipped
        attempts        INTEGER NOT NULL DEFAULT 0,
        errcode         INTEGER,
        error           TEXT NOT NULL DEFAULT '',
        updated_at      REAL NOT NULL DEFAULT 0,
        UNIQUE (batch_id, seq)
    );
    CREATE INDEX outbox_by_status ON outbox(status, batch_id);

    CREATE TABLE journal (
        id              INTEGER PRIMARY KEY,
        ts              REAL NOT NULL,
        operator        TEXT NOT NULL,
        action          TEXT NOT NULL,          -- tag_add, tag_remove, tag_create, tag_rename, ...
        source          TEXT NOT NULL,          -- app, batch, import, undo, revert, observed, tree
        batch_id        TEXT NOT NULL DEFAULT '',
        external_userid TEXT NOT NULL DEFAULT '',
        userid          TEXT NOT NULL DEFAULT '',   -- owner of the relation
        tag_id          TEXT NOT NULL DEFAULT '',
        tag_name        TEXT NOT NULL DEFAULT '',
        group_name      TEXT NOT NULL DEFAULT '',
        before          TEXT NOT NULL DEFAULT '',   -- JSON: state before the change
        after           TEXT NOT NULL DEFAULT '',
        reason          TEXT NOT NULL DEFAULT '',
        prev_hash       TEXT NOT NULL,
        hash            TEXT NOT NULL
    );
    CREATE INDEX journal_by_ts ON journal(ts);
    CREATE INDEX journal_by_batch ON journal(batch_id);
    CREATE INDEX journal_by_customer ON journal(external_userid);
    CREATE INDEX journal_by_operator ON journal(operator, ts);
    CREATE INDEX journal_by_tag ON journal(tag_id);

    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    """,
    # 2: auto-tagging rules and approvals of tag deletions.
    """
    CREATE TABLE rule (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        enabled    INTEGER NOT NULL DEFAULT 1,
        definition TEXT NOT NULL,               -- JSON: conditions and tags
        created_at REAL NOT NULL,
        created_by TEXT NOT NULL
    );

    CREATE TABLE approval (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL,             -- delete_tag, delete_group
        target_id    TEXT NOT NULL,
        target_name  TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at REAL NOT NULL,
        status       TEXT NOT NULL DEFAULT 'pending', -- pending approved rejected done
        decided_by   TEXT NOT NULL DEFAULT '',
        decided_at   REAL,
        note         TEXT NOT NULL DEFAULT ''
    );
    """,
    # 3: changes seen at sync name no operator: the relation's follower is kept apart as the
    # probable one, with the window (previous sync .. this one) in which the change happened;
    # outbox rows record when they were last handed to WeCom (maybe sent until confirmed).
    """
    ALTER TABLE journal ADD COLUMN probable_operator TEXT NOT NULL DEFAULT '';
    ALTER TABLE journal ADD COLUMN seen_after REAL NOT NULL DEFAULT 0;
    CREATE INDEX journal_by_probable_operator ON journal(probable_operator, ts);
    ALTER TABLE outbox ADD COLUMN sent_at REAL NOT NULL DEFAULT 0;
    """,
    # 4: auto-tagging from chats: imported chat messages (indexed by time and customer for
    # re-runs over a window), keywords per tag, and reviewed suggestions (training data).
    """
    CREATE TABLE chat_message (
        id              INTEGER PRIMARY KEY,
        msg_key         TEXT NOT NULL UNIQUE,   -- the export's msgid, else a hash of the fields
        ts              REAL NOT NULL,          -- seconds since the epoch
        userid          TEXT NOT NULL,          -- the member in the conversation
        external_userid TEXT NOT NULL,
        direction       TEXT NOT NULL,          -- in: customer to member; out: member to customer
        text            TEXT NOT NULL
    );
    CREATE INDEX chat_message_by_ts ON chat_message(ts);
    CREATE INDEX chat_message_by_customer ON chat_message(external_userid, ts);

    CREATE TABLE autotag_keywords (
        tag_name TEXT PRIMARY KEY,              -- a tag name, or group:name
        keywords TEXT NOT NULL                  -- JSON array of keywords
    );

    CREATE TABLE autotag_review (
        id              INTEGER PRIMARY KEY,
        ts              REAL NOT NULL,
        operator        TEXT NOT NULL,
        external_userid TEXT NOT NULL,
        userid          TEXT NOT NULL,
        tag_name        TEXT NOT NULL,
        verdict         TEXT NOT NULL,          -- accepted, rejected
        message_ids     TEXT NOT NULL           -- JSON array of chat_message ids (the evidence)
    );
    CREATE INDEX autotag_review_by_customer ON autotag_review(external_userid, tag_name);
    """,
    # 5: delete safety: before a tag leaves WeCom, the relations carrying it are kept, so
    # "restore" can re-create it and re-tag them (the new tag id is linked to the old one).
    """
    CREATE TABLE tag_snapshot (
        id            INTEGER PRIMARY KEY,
        taken_at      REAL NOT NULL,
        operator      TEXT NOT NULL,
        reason        TEXT NOT NULL DEFAULT '',
        tag_id        TEXT NOT NULL,            -- the WeCom id of the deleted tag
        tag_name      TEXT NOT NULL,
        group_id      TEXT NOT NULL,
        group_name    TEXT NOT NULL,
        strategy_id   INTEGER,                  -- a rule group's tag, else NULL
        sort_order    INTEGER NOT NULL DEFAULT 0,
        delete_batch  TEXT NOT NULL DEFAULT '', -- set once WeCom confirmed the delete
        restored_as   TEXT NOT NULL DEFAULT '', -- the re-created tag's id
        restore_batch TEXT NOT NULL DEFAULT ''  -- the batch that re-tagged the relations
    );
    CREATE INDEX tag_snapshot_by_tag ON tag_snapshot(tag_id);

    CREATE TABLE tag_snapshot_relation (
        snapshot_id     INTEGER NOT NULL REFERENCES tag_snapshot(id),
        external_userid TEXT NOT NULL,
        userid          TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, external_userid, userid)
    ) WITHOUT ROWID;
    """,
    # 6: rules by unique name; tags that expire: a tag added with an expiry on a relation is
    # removed (a batch with source `expiry`) once `expires_at` has passed.
    """
    CREATE UNIQUE INDEX rule_by_name ON rule(name);

    CREATE TABLE tag_expiry (
        external_userid TEXT NOT NULL,
        userid          TEXT NOT NULL,
        tag_id          TEXT NOT NULL,
        expires_at      REAL NOT NULL,
        set_at          REAL NOT NULL,
        set_by          TEXT NOT NULL,          -- operator
        origin          TEXT NOT NULL DEFAULT '', -- the rule or batch that set it
        PRIMARY KEY (external_userid, userid, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX tag_expiry_by_time ON tag_expiry(expires_at);
    CREATE INDEX tag_expiry_by_tag ON tag_expiry(tag_id);
    """,
    # 7: arrival tags: tags a relation receives when it appears (a live code's `state`, or a
    # pre-tag by external_userid, phone number or unionid), and the customer's unionid.
    """
    ALTER TABLE customer ADD COLUMN unionid TEXT NOT NULL DEFAULT '';
    CREATE INDEX customer_by_unionid ON customer(unionid) WHERE unionid <> '';

    CREATE TABLE arrival (
        id          INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,               -- livecode, pretag
        kind        TEXT NOT NULL,               -- state, external_userid, phone, unionid
        match_key   TEXT NOT NULL,               -- the state, id or normalised phone number
        tag_ids     TEXT NOT NULL,               -- JSON array of corp tag ids
        config_id   TEXT NOT NULL DEFAULT '',    -- a live code's contact way
        created_at  REAL NOT NULL,               -- a live code tags relations made since
        created_by  TEXT NOT NULL DEFAULT '',
        expires_at  REAL,                        -- a pre-tag's end; NULL: never
        status      TEXT NOT NULL DEFAULT 'pending',  -- pending, applied, cancelled, expired
        closed_at   REAL,                        -- when it was applied, cancelled or expired
        batch_id    TEXT NOT NULL DEFAULT ''     -- a pre-tag's batch once applied
    );
    CREATE INDEX arrival_by_status ON arrival(status, kind);

    CREATE TABLE arrival_hit (
        arrival_id      INTEGER NOT NULL REFERENCES arrival(id),
        external_userid TEXT NOT NULL,
        userid          TEXT NOT NULL,
        batch_id        TEXT NOT NULL,
        applied_at      REAL NOT NULL,
        PRIMARY KEY (arrival_id, external_userid, userid)
    ) WITHOUT ROWID;
    """,
    # 8: behaviour events (form submitted, content viewed, order paid, ...) for rule
    # conditions; `event_key` keeps a re-import from storing one twice.
    """
    CREATE TABLE event (
        id              INTEGER PRIMARY KEY,
        event_key       TEXT NOT NULL UNIQUE,
        ts              REAL NOT NULL,
        external_userid TEXT NOT NULL,
        userid          TEXT NOT NULL DEFAULT '',
        type            TEXT NOT NULL,
        name            TEXT NOT NULL DEFAULT '',
        detail          TEXT NOT NULL DEFAULT '',
        value           REAL,
        source          TEXT NOT NULL DEFAULT ''    -- file, or the team server's source name
    );
    CREATE INDEX event_by_customer ON event(external_userid, type, ts);
    CREATE INDEX event_by_type_time ON event(type, ts);
    """,
    # 9: events newest first without sorting them all (the events window pages through
    # 240,000 in index order: ts, then id).
    """
    CREATE INDEX event_by_time ON event(ts);
    """,
    # 10: a team profile's copy of the tag expiries its team server keeps and removes when
    # due (`origin`: `rule:BATCH` for a rule's, `batch:BATCH` for a desktop's).
    """
    CREATE TABLE team_tag_expiry (
        external_userid TEXT NOT NULL,
        userid          TEXT NOT NULL,
        tag_id          TEXT NOT NULL,
        expires_at      REAL NOT NULL,
        origin          TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (external_userid, userid, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX team_tag_expiry_by_tag ON team_tag_expiry(tag_id);
    """,
    # 11: customers and members sort by pinyin (李 before 张): a key per row, filled by
    # `sort_keys.refresh` when a sync writes the row, indexed for the customer table's ORDER BY.
    """
    ALTER TABLE customer ADD COLUMN name_sort TEXT NOT NULL DEFAULT '';
    UPDATE customer SET name_sort = tagdesk_sort_key(name);
    CREATE INDEX customer_by_name_sort ON customer(name_sort);
    ALTER TABLE member ADD COLUMN name_sort TEXT NOT NULL DEFAULT '';
    UPDATE member SET name_sort = tagdesk_sort_key(name);
    """,
    # 12: the text a `text:` filter searches, folded once (`search_text.refresh`) instead of
    # at every filter: a row is stale (NULL) from any write to its relation's or customer's
    # text fields until the next refresh (each sync's merge), and searched unfolded meanwhile.
    """
    CREATE TABLE relation_search (
        relation_id INTEGER PRIMARY KEY,
        folded      TEXT                        -- NULL: stale, fold the fields again
    );
    CREATE INDEX relation_search_stale ON relation_search(relation_id) WHERE folded IS NULL;
    INSERT INTO relation_search (relation_id) SELECT id FROM relation;

    CREATE TRIGGER relation_search_insert AFTER INSERT ON relation
    BEGIN INSERT OR REPLACE INTO relation_search (relation_id) VALUES (NEW.id); END;
    CREATE TRIGGER relation_search_update AFTER UPDATE OF id, external_userid, remark,
        description, remark_corp_name, remark_mobiles ON relation
    BEGIN
        DELETE FROM relation_search WHERE relation_id = OLD.id;
        INSERT OR REPLACE INTO relation_search (relation_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER relation_search_delete AFTER DELETE ON relation
    BEGIN DELETE FROM relation_search WHERE relation_id = OLD.id; END;
    CREATE TRIGGER relation_search_customer_insert AFTER INSERT ON customer
    BEGIN
        UPDATE relation_search SET folded = NULL WHERE relation_id IN
            (SELECT id FROM relation WHERE external_userid = NEW.external_userid);
    END;
    CREATE TRIGGER relation_search_customer_update AFTER UPDATE OF external_userid, name,
        corp_name, corp_full_name ON customer
    BEGIN
        UPDATE relation_search SET folded = NULL WHERE relation_id IN (SELECT id FROM relation
            WHERE external_userid IN (OLD.external_userid, NEW.external_userid));
    END;
    CREATE TRIGGER relation_search_customer_delete AFTER DELETE ON customer
    BEGIN
        UPDATE relation_search SET folded = NULL WHERE relation_id IN
            (SELECT id FROM relation WHERE external_userid = OLD.external_userid);
    END;
    """,
    # 13: rule changes a revert undid, held until the rules that made them are edited
    # (`domain/rule_reverts.py`; a solo profile's, as the team server's `team_rule_revert`).
    """
    CREATE TABLE rule_revert (
        rule_name       TEXT NOT NULL,
        userid          TEXT NOT NULL,
        external_userid TEXT NOT NULL,
        tag_id          TEXT NOT NULL,
        action          TEXT NOT NULL,          -- what the rule did: tag_add, tag_remove
        definition_key  TEXT NOT NULL,          -- the rule as it was at the revert
        reverted_batch  TEXT NOT NULL,
        reverted_at     REAL NOT NULL,
        PRIMARY KEY (rule_name, userid, external_userid, tag_id, action)
    ) WITHOUT ROWID;
    """,
    # 14: names that start with a surname read otherwise than the word (曾 zeng, 单 shan, …)
    # are keyed again: the keys of migration 11 read them as words (曾 ceng).
    """
    UPDATE customer SET name_sort = tagdesk_sort_key(name) WHERE substr(name, 1, 1) IN
        ('曾', '单', '解', '仇', '朴', '查', '区', '盖', '乐', '缪', '翟', '覃', '阚', '那', '种', '召', '秘');
    UPDATE member SET name_sort = tagdesk_sort_key(name) WHERE substr(name, 1, 1) IN
        ('曾', '单', '解', '仇', '朴', '查', '区', '盖', '乐', '缪', '翟', '覃', '阚', '那', '种', '召', '秘');
    """,
    # 15: each relation's number of corp-tag links, so `tags>=N` is one range of an index
    # (covering the customer, for counts); triggers keep it for every write of a link, except
    # a sync's insert of new relations' links, which counts them at once (`tag_counts`).
    """
    ALTER TABLE relation ADD COLUMN tag_count INTEGER NOT NULL DEFAULT 0;
    UPDATE relation SET tag_count = (SELECT count(*) FROM relation_tag WHERE relation_id = relation.id);
    CREATE INDEX relation_by_tag_count ON relation(tag_count, external_userid);

    CREATE TRIGGER relation_tag_count_insert AFTER INSERT ON relation_tag
    BEGIN UPDATE relation SET tag_count = tag_count + 1 WHERE id = NEW.relation_id; END;
    CREATE TRIGGER relation_tag_count_delete AFTER DELETE ON relation_tag
    BEGIN UPDATE relation SET tag_count = tag_count - 1 WHERE id = OLD.relation_id; END;
    CREATE TRIGGER relation_tag_count_update AFTER UPDATE OF relation_id ON relation_tag
    BEGIN
        UPDATE relation SET tag_count = tag_count - 1 WHERE id = OLD.relation_id;
        UPDATE relation SET tag_count = tag_count + 1 WHERE id = NEW.relation_id;
    END;
    """,
    # 16: which relations exist and whose customer each is, versioned by triggers (meta
    # `relation_set_version`), so the filters keep their relation -> customer map across
    # writes of tags and fields (`FilterEngine`).
    """
    INSERT OR REPLACE INTO meta (key, value) VALUES ('relation_set_version', '1');
    CREATE TRIGGER relation_set_insert AFTER INSERT ON relation
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    CREATE TRIGGER relation_set_delete AFTER DELETE ON relation
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    CREATE TRIGGER relation_set_update AFTER UPDATE OF id, external_userid ON relation
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    """,
    # 17: the relation set's version also moves when a relation's createtime changes, so the
    # filters keep relations in order of their createtime with the relation -> customer map.
    """
    DROP TRIGGER relation_set_update;
    CREATE TRIGGER relation_set_update AFTER UPDATE OF id, external_userid, createtime
        ON relation
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    """,
    # 18: the tag-count index holds the count alone: covering the customer too, it was the
    # smallest index for SQLite to scan every relation by, in an order that makes counting
    # distinct customers three times slower than along (external_userid, userid).
    """
    DROP INDEX relation_by_tag_count;
    CREATE INDEX relation_by_tag_count ON relation(tag_count);
    """,
    # 19: what the last sync wrote for each relation and customer, as a signature of its
    # fields (and the relation's tag ids), so a re-sync recognises an unchanged row from its
    # page alone (`snapshot.relation_signature`). NULL: compare the row. Any write of a link
    # clears the relation's; only syncs write relation and customer fields.
    """
    ALTER TABLE relation ADD COLUMN sync_sig INTEGER;
    ALTER TABLE customer ADD COLUMN sync_sig INTEGER;
    DROP TRIGGER relation_tag_count_insert;
    DROP TRIGGER relation_tag_count_delete;
    DROP TRIGGER relation_tag_count_update;
    CREATE TRIGGER relation_tag_count_insert AFTER INSERT ON relation_tag
    BEGIN
        UPDATE relation SET tag_count = tag_count + 1, sync_sig = NULL WHERE id = NEW.relation_id;
    END;
    CREATE TRIGGER relation_tag_count_delete AFTER DELETE ON relation_tag
    BEGIN
        UPDATE relation SET tag_count = tag_count - 1, sync_sig = NULL WHERE id = OLD.relation_id;
    END;
    CREATE TRIGGER relation_tag_count_update AFTER UPDATE OF relation_id ON relation_tag
    BEGIN
        UPDATE relation SET tag_count = tag_count - 1, sync_sig = NULL WHERE id = OLD.relation_id;
        UPDATE relation SET tag_count = tag_count + 1, sync_sig = NULL WHERE id = NEW.relation_id;
    END;
    """,
    # 20: the filters' relation -> customer map and relations by createtime, stored for the
    # `relation_set_version` they were built at, so a just-opened cache has them at once
    # (`filter_stored.py`); one row, replaced when a later relation set is prepared.
    """
    CREATE TABLE filter_relation_set (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        relation_set TEXT NOT NULL,             -- meta relation_set_version of the parts
        parts        BLOB NOT NULL
    );
    """,
    # 21: the bitmaps of the tags with many links, stored with the `data_version` they were
    # built at (`filter_tag_store.py`), so a just-opened cache reads them instead of the links.
    """
    CREATE TABLE filter_tag_bitmap (
        tag_pk       INTEGER PRIMARY KEY,
        data_version TEXT NOT NULL,             -- meta data_version of the bitmap
        crc          INTEGER NOT NULL,          -- CRC-32 of the bitmap
        bitmap       BLOB NOT NULL              -- a serialized roaring bitmap of relation ids
    );
    """,
    # 22: a relation's signature also covers its customer's fields as its page row gave them
    # (one signature a row, `snapshot.relation_signature`), so the customers' own go; every
    # relation is compared once more at the next sync.
    """
    ALTER TABLE customer DROP COLUMN sync_sig;
    UPDATE relation SET sync_sig = NULL;
    """,
    # 23: the customer table's name and owner orders, stored with the versions of what they
    # are sorted by (`filter_sort_store.py`): customers' sort keys are versioned by triggers
    # (meta `customer_names_version`), and the relation set's version also moves when a
    # relation's owner changes, so a stored order can never be read stale.
    """
    INSERT OR REPLACE INTO meta (key, value) VALUES ('customer_names_version', '1');
    CREATE TRIGGER customer_names_insert AFTER INSERT ON customer
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'customer_names_version'; END;
    CREATE TRIGGER customer_names_delete AFTER DELETE ON customer
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'customer_names_version'; END;
    CREATE TRIGGER customer_names_update AFTER UPDATE OF external_userid, name_sort ON customer
        WHEN OLD.external_userid IS NOT NEW.external_userid OR OLD.name_sort IS NOT NEW.name_sort
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'customer_names_version'; END;
    DROP TRIGGER relation_set_update;
    CREATE TRIGGER relation_set_update AFTER UPDATE OF id, external_userid, userid, createtime
        ON relation
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    CREATE TABLE filter_sort_order (
        order_by     TEXT PRIMARY KEY,          -- 'name' or 'owner'
        version      TEXT NOT NULL,             -- filter_sort_store.version() of the order
        crc          INTEGER NOT NULL,          -- CRC-32 of the ids
        ids          BLOB NOT NULL              -- relation ids in that order, 32-bit each
    );
    """,
    # 24: a relation's signature covers its tags as a sum of one hash a tag (no sorting), so
    # the stored ones mean nothing now: every relation is compared once more at the next sync.
    """
    UPDATE relation SET sync_sig = NULL;
    """,
    # 25: the relation set's version also moves when a relation's live-code state changes, so
    # the filters keep and store the relations by state with the relation set (a sync writes
    # every field of a relation it saw change: only a state that differs moves it).
    """
    CREATE TRIGGER relation_set_state AFTER UPDATE OF state ON relation
        WHEN OLD.state IS NOT NEW.state
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    """,
    # 26: each folded text's signature (`search_text.signature`: which of 63 bits its bytes
    # set), written by the filters' warming worker, so a `text:` search reads only the texts
    # whose signature has every bit of the needle's; NULL (unsigned) is searched as before.
    # A row folded again is written whole (unsigned); one folded in place loses its signature.
    """
    ALTER TABLE relation_search ADD COLUMN sig INTEGER;
    CREATE TRIGGER relation_search_unsigned AFTER UPDATE OF folded ON relation_search
        WHEN NEW.sig IS NOT NULL AND NEW.folded IS NOT NULL
    BEGIN UPDATE relation_search SET sig = NULL WHERE relation_id = NEW.relation_id; END;
    """,
    # 27: the customers' and relations' keys are unique indexes of their own (customer_key,
    # relation_key), not constraints of their tables, so a first sync (`DirectWrite`) drops
    # them with the tables' other indexes while it inserts and builds each once, sorted, before
    # its commit. The tables are made again with the same columns, rows, ids and rowids; their
    # triggers and indexes go with them and are made again as they were.
    """
    CREATE TEMP TABLE customer_copy AS SELECT rowid AS row_id, * FROM customer;
    CREATE TEMP TABLE relation_copy AS SELECT * FROM relation;
    DROP TABLE relation;
    DROP TABLE customer;
    CREATE TABLE customer (
        external_userid TEXT,
        name            TEXT NOT NULL DEFAULT '',
        type            INTEGER NOT NULL DEFAULT 1,
        gender          INTEGER NOT NULL DEFAULT 0,
        corp_name       TEXT NOT NULL DEFAULT '',
        corp_full_name  TEXT NOT NULL DEFAULT '',
        position        TEXT NOT NULL DEFAULT '',
        unionid         TEXT NOT NULL DEFAULT '',
        name_sort       TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO customer (rowid, external_userid, name, type, gender, corp_name,
                          corp_full_name, position, unionid, name_sort)
        SELECT row_id, external_userid, name, type, gender, corp_name, corp_full_name,
               position, unionid, name_sort FROM temp.customer_copy;
    CREATE UNIQUE INDEX customer_key ON customer(external_userid);
    CREATE INDEX customer_by_unionid ON customer(unionid) WHERE unionid <> '';
    CREATE INDEX customer_by_name_sort ON customer(name_sort);
    CREATE TABLE relation (
        id               INTEGER PRIMARY KEY,   -- stable local key: (userid, external_userid)
        external_userid  TEXT NOT NULL REFERENCES customer(external_userid),
        userid           TEXT NOT NULL,
        remark           TEXT NOT NULL DEFAULT '',
        description      TEXT NOT NULL DEFAULT '',
        createtime       INTEGER NOT NULL DEFAULT 0,
        add_way          INTEGER NOT NULL DEFAULT 0,
        state            TEXT NOT NULL DEFAULT '',
        oper_userid      TEXT NOT NULL DEFAULT '',
        remark_corp_name TEXT NOT NULL DEFAULT '',
        remark_mobiles   TEXT NOT NULL DEFAULT '[]',  -- JSON array
        tag_count        INTEGER NOT NULL DEFAULT 0,
        sync_sig         INTEGER
    );
    INSERT INTO relation (id, external_userid, userid, remark, description, createtime,
                          add_way, state, oper_userid, remark_corp_name, remark_mobiles,
                          tag_count, sync_sig)
        SELECT id, external_userid, userid, remark, description, createtime, add_way, state,
               oper_userid, remark_corp_name, remark_mobiles, tag_count, sync_sig
        FROM temp.relation_copy;
    CREATE UNIQUE INDEX relation_key ON relation(external_userid, userid);
    CREATE INDEX relation_by_owner ON relation(userid);
    CREATE INDEX relation_by_createtime ON relation(createtime);
    CREATE INDEX relation_by_state ON relation(state);
    CREATE INDEX relation_by_tag_count ON relation(tag_count);
    DROP TABLE temp.customer_copy;
    DROP TABLE temp.relation_copy;
    CREATE TRIGGER customer_names_insert AFTER INSERT ON customer
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'customer_names_version'; END;
    CREATE TRIGGER customer_names_delete AFTER DELETE ON customer
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'customer_names_version'; END;
    CREATE TRIGGER customer_names_update AFTER UPDATE OF external_userid, name_sort ON customer
        WHEN OLD.external_userid IS NOT NEW.external_userid OR OLD.name_sort IS NOT NEW.name_sort
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'customer_names_version'; END;
    CREATE TRIGGER relation_search_customer_insert AFTER INSERT ON customer
    BEGIN
        UPDATE relation_search SET folded = NULL WHERE relation_id IN
            (SELECT id FROM relation WHERE external_userid = NEW.external_userid);
    END;
    CREATE TRIGGER relation_search_customer_update AFTER UPDATE OF external_userid, name,
        corp_name, corp_full_name ON customer
    BEGIN
        UPDATE relation_search SET folded = NULL WHERE relation_id IN (SELECT id FROM relation
            WHERE external_userid IN (OLD.external_userid, NEW.external_userid));
    END;
    CREATE TRIGGER relation_search_customer_delete AFTER DELETE ON customer
    BEGIN
        UPDATE relation_search SET folded = NULL WHERE relation_id IN
            (SELECT id FROM relation WHERE external_userid = OLD.external_userid);
    END;
    CREATE TRIGGER relation_search_insert AFTER INSERT ON relation
    BEGIN INSERT OR REPLACE INTO relation_search (relation_id) VALUES (NEW.id); END;
    CREATE TRIGGER relation_search_update AFTER UPDATE OF id, external_userid, remark,
        description, remark_corp_name, remark_mobiles ON relation
    BEGIN
        DELETE FROM relation_search WHERE relation_id = OLD.id;
        INSERT OR REPLACE INTO relation_search (relation_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER relation_search_delete AFTER DELETE ON relation
    BEGIN DELETE FROM relation_search WHERE relation_id = OLD.id; END;
    CREATE TRIGGER relation_set_insert AFTER INSERT ON relation
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    CREATE TRIGGER relation_set_delete AFTER DELETE ON relation
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    CREATE TRIGGER relation_set_update AFTER UPDATE OF id, external_userid, userid, createtime
        ON relation
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    CREATE TRIGGER relation_set_state AFTER UPDATE OF state ON relation
        WHEN OLD.state IS NOT NEW.state
    BEGIN UPDATE meta SET value = value + 1 WHERE key = 'relation_set_version'; END;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
