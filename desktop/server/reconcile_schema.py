"""Schema of the scheduled order reconciliation (desktop/server/reconcile_job.py): one row
per run with its result, counts and errors (the status a desktop reads)."""

from __future__ import annotations

JOB_NAME = "reconcile"

RECONCILE_MIGRATION = """
CREATE TABLE reconcile_run (
    id bigserial PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    process integer,
    source text NOT NULL,
    tag text NOT NULL,
    result text NOT NULL DEFAULT 'running',
    batch_id text NOT NULL DEFAULT '',
    counts jsonb NOT NULL DEFAULT '{}'::jsonb,
    errors jsonb NOT NULL DEFAULT '[]'::jsonb
);
"""

# Who asked for a run now (empty: the schedule), and the first paying customers the server
# does not know, with their orders' ids and lines.
RECONCILE_NOW_MIGRATION = """
ALTER TABLE reconcile_run ADD COLUMN started_by text NOT NULL DEFAULT '';
ALTER TABLE reconcile_run ADD COLUMN unknown jsonb NOT NULL DEFAULT '[]'::jsonb;
"""
