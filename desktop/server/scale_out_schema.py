"""Schema for several server processes on one database (migration 4).

- `wecom_budget` and `wecom_calls_per_second`: the corp's WeCom rate budget shared by every
  process (a token bucket, a sliding 60 s window counted per second, the 45009 pause), taken
  and given back by `tagdesk_take_call` / `tagdesk_pause_calls` in one round trip each, on
  PostgreSQL's clock. The concurrency cap is a set of session advisory locks taken by the same
  function: PostgreSQL frees them when a process (its connection) dies.
- `server_process`: one row per started process; the process holds a session advisory lock on
  its id for its lifetime (its lease), so "is that process still alive" is one try-lock.
- `outbox.owner` (the process sending the row), `outbox.call_key` (one logical call of one
  device, repeated on retries), `outbox.write_note` (the desktop's note headers, the write's
  reason and expiring tags, so a settled row is journaled as the call would have been), `outbox.answer` (WeCom's answer to a done
  write, replayed to a retry) and `outbox.settled_how` (how a row left `sending` by a dead
  process was settled).
- `scheduled_job`: when each periodic job last started, so it runs once per period across
  processes (desktop/server/jobs.py).
"""

from __future__ import annotations

SCALE_OUT_MIGRATION = """
CREATE TABLE wecom_budget (
    corp_id text PRIMARY KEY,
    tokens double precision NOT NULL,
    refilled_at timestamptz NOT NULL,
    paused_until timestamptz NOT NULL DEFAULT '-infinity',
    pause_started timestamptz NOT NULL DEFAULT '-infinity',
    pause_serial integer NOT NULL DEFAULT 0
);

CREATE TABLE wecom_calls_per_second (
    corp_id text NOT NULL,
    second bigint NOT NULL,
    calls integer NOT NULL,
    PRIMARY KEY (corp_id, second)
);

-- One call may start now: (slot >= 0, 0, ...), the caller then holds advisory lock
-- (hashtext('tagdesk wecom slot ' || corp), slot) until it calls pg_advisory_unlock.
-- Otherwise (-1, seconds to wait, seconds of 45009 pause left, pause serial).
CREATE FUNCTION tagdesk_take_call(p_corp text, p_per_minute integer, p_concurrency integer)
RETURNS TABLE (slot integer, wait_s double precision, paused_s double precision,
               serial integer)
LANGUAGE plpgsql AS $$
DECLARE
    now_ts timestamptz := clock_timestamp();
    now_s double precision := extract(epoch FROM now_ts);
    sec bigint := floor(now_s);
    rate double precision := p_per_minute / 60.0;
    capacity double precision := greatest(1.0, p_per_minute / 6.0);
    budget wecom_budget%ROWTYPE;
    avail double precision;
    used bigint;
    oldest bigint;
    got integer := -1;
BEGIN
    INSERT INTO wecom_budget (corp_id, tokens, refilled_at) VALUES (p_corp, capacity, now_ts)
        ON CONFLICT (corp_id) DO NOTHING;
    SELECT * INTO budget FROM wecom_budget WHERE corp_id = p_corp FOR UPDATE;
    IF budget.paused_until > now_ts THEN
        RETURN QUERY SELECT -1, extract(epoch FROM budget.paused_until - now_ts)::float8,
            extract(epoch FROM budget.paused_until - now_ts)::float8, budget.pause_serial;
        RETURN;
    END IF;
    avail := least(capacity, budget.tokens
        + greatest(0.0, extract(epoch FROM now_ts - budget.refilled_at)) * rate);
    IF avail < 1.0 THEN
        RETURN QUERY SELECT -1, (1.0 - avail) / rate, 0.0::float8, budget.pause_serial;
        RETURN;
    END IF;
    -- Every second that overlaps the last 60 s counts whole: no 60 s window, wherever it
    -- starts, sees more than p_per_minute calls.
    SELECT coalesce(sum(calls), 0), min(second) INTO used, oldest
        FROM wecom_calls_per_second WHERE corp_id = p_corp AND second >= sec - 60;
    IF used >= p_per_minute THEN
        RETURN QUERY SELECT -1, greatest(0.01, oldest + 61 - now_s), 0.0::float8,
            budget.pause_serial;
        RETURN;
    END IF;
    FOR candidate IN 0 .. p_concurrency - 1 LOOP
        IF pg_try_advisory_lock(hashtext('tagdesk wecom slot ' || p_corp), candidate) THEN
            got := candidate;
            EXIT;
        END IF;
    END LOOP;
    IF got < 0 THEN
        RETURN QUERY SELECT -1, 0.0::float8, 0.0::float8, budget.pause_serial;
        RETURN;
    END IF;
    UPDATE wecom_budget SET tokens = avail - 1.0, refilled_at = now_ts
        WHERE corp_id = p_corp;
    INSERT INTO wecom_calls_per_second (corp_id, second, calls) VALUES (p_corp, sec, 1)
        ON CONFLICT (corp_id, second)
        DO UPDATE SET calls = wecom_calls_per_second.calls + 1;
    IF sec % 60 = 0 THEN
        DELETE FROM wecom_calls_per_second WHERE corp_id = p_corp AND second < sec - 120;
    END IF;
    RETURN QUERY SELECT got, 0.0::float8, 0.0::float8, budget.pause_serial;
END
$$;

-- A 45009 answer to a call sent p_sent_ago seconds ago: hold every call back p_seconds.
-- Never shortens a pause; a call sent before the running pause began is an echo of it.
CREATE FUNCTION tagdesk_pause_calls(p_corp text, p_seconds double precision,
                                    p_sent_ago double precision)
RETURNS TABLE (changed boolean, serial integer, paused_s double precision)
LANGUAGE plpgsql AS $$
DECLARE
    now_ts timestamptz := clock_timestamp();
    sent timestamptz := now_ts - make_interval(secs => p_sent_ago);
    until timestamptz := now_ts + make_interval(secs => p_seconds);
    budget wecom_budget%ROWTYPE;
BEGIN
    INSERT INTO wecom_budget (corp_id, tokens, refilled_at) VALUES (p_corp, 0, now_ts)
        ON CONFLICT (corp_id) DO NOTHING;
    SELECT * INTO budget FROM wecom_budget WHERE corp_id = p_corp FOR UPDATE;
    IF sent < budget.pause_started OR until <= budget.paused_until THEN
        RETURN QUERY SELECT false, budget.pause_serial,
            greatest(0.0, extract(epoch FROM budget.paused_until - now_ts))::float8;
        RETURN;
    END IF;
    IF now_ts >= budget.paused_until THEN
        budget.pause_serial := budget.pause_serial + 1;
        budget.pause_started := now_ts;
    END IF;
    UPDATE wecom_budget SET paused_until = until, pause_started = budget.pause_started,
        pause_serial = budget.pause_serial WHERE corp_id = p_corp;
    RETURN QUERY SELECT true, budget.pause_serial, p_seconds;
END
$$;

CREATE TABLE server_process (
    id serial PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    host text NOT NULL,
    pid integer NOT NULL
);

ALTER TABLE outbox ADD COLUMN owner integer REFERENCES server_process (id);
ALTER TABLE outbox ADD COLUMN call_key text;
ALTER TABLE outbox ADD COLUMN answer jsonb;
ALTER TABLE outbox ADD COLUMN write_note jsonb;
ALTER TABLE outbox ADD COLUMN settled_how text;
CREATE UNIQUE INDEX outbox_call_key ON outbox (device_id, call_key)
    WHERE call_key IS NOT NULL;
CREATE INDEX outbox_sending ON outbox (id) WHERE status = 'sending';

CREATE TABLE scheduled_job (
    name text PRIMARY KEY,
    last_started_at timestamptz,
    last_finished_at timestamptz,
    last_process integer,
    last_ok boolean,
    runs bigint NOT NULL DEFAULT 0
);
"""
