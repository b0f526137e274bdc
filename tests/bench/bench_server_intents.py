"""Team rules' chat intents on the server: the time to find the intents of every relation of a
corp whose team pushed 200,000 customer messages from 20,000 customers, with the rules alone
(no verdicts, no confirmed tags) and with the learner trained on the team's verdicts and
confirmed tags, as `desktop.server.rule_intents.intents` does in a rules run.

Starts a throw-away PostgreSQL cluster and fills it directly: 30% of the customers say the
labelled set's texts (tests/bench/autotag_data; a few of them longer than the 30
characters whose suggestions a run keeps; with `--sandbox-lines` the sandbox corp's short
chat lines), the others small talk; the keywords are the labelled set's keywords.json, each
tag in a group of its own; `--confirmed` relations of customers who say something carry the
tags their messages' labels say, set by a person (a team journal row of source `app`);
`--reviews` other relations have one verdict on one of their messages, accepted when its
label says so. Prints, for each case, the first run (engine build and training included),
a second run (the kept engine) and, with verdicts, the run after a message of a customer it
does not learn from (kept) and after one more verdict (training again), and how long
reading what it learns from takes; wall time and this process's CPU time (the machine may be
shared: the CPU time is what the engine costs). Asserts nothing.

Needs PostgreSQL's initdb / pg_ctl (Debian: apt-get install postgresql).
Usage: .venv/bin/python tests/bench/bench_server_intents.py [--customers N] [--per-customer N]
       [--confirmed N] [--reviews N] [--sandbox-lines]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.sandbox import corpus
from desktop.server import rule_intents, team_training
from desktop.server.database import migrate
from desktop.services.autotag_simulation import DEFAULT_MIN_CONFIDENCE
from desktop.services.autotag_training import rules_tagger, training_for
from tests.server.team_support import PostgresCluster, postgres_bin

DATA = Path(__file__).resolve().parent / "autotag_data"
MEMBERS = 50
# Most customers only chat (好的, 收到); these say what the labelled set says.
SAYING_SHARE = 0.3
SMALL_TALK = ("好的", "收到", "嗯嗯", "谢谢", "在吗", "晚点回复你", "在开会，稍后聊", "👍", "明白了",
              "行")


SANDBOX_LABELS = {"price": ("价格异议",), "intent": ("高意向",), "after_sales": ("售后问题",)}


def _sandbox_lines() -> list[tuple[str, tuple[str, ...]]]:
    """The sandbox corp's short chat lines (said again and again), labelled by theme."""
    return [(text, SANDBOX_LABELS.get(theme, ()))
            for theme, lines in corpus.CHAT_CUSTOMER_LINES.items() for text in lines]


def _labelled() -> list[tuple[str, tuple[str, ...]]]:
    rows = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            rows.append((str(record["text"]), tuple(record["labels"])))
    return rows


def _fill(conn: psycopg.Connection[tuple[object, ...]], customers: int, per_customer: int,
          confirmed: int, reviews: int, sandbox_lines: bool = False) -> None:
    rng = random.Random(7)
    pool = _sandbox_lines() if sandbox_lines else _labelled()
    keywords = json.loads((DATA / "keywords.json").read_text(encoding="utf-8"))["tags"]
    tag_of = {name: f"et{n}" for n, name in enumerate(keywords)}
    said: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    with conn.cursor() as cursor:
        for name, spec in keywords.items():
            cursor.execute("INSERT INTO team_setting (owner, kind, key, value, version,"
                           " updated_by) VALUES ('', 'autotag_keywords', %s, %s, 1, 'boss')",
                           (name, json.dumps(spec["keywords"], ensure_ascii=False)))
            cursor.execute("INSERT INTO corp_tag_snapshot (tag_id, tag_name, group_id,"
                           " group_name) VALUES (%s, %s, %s, %s)",
                           (tag_of[name], name, f"eg{tag_of[name]}", f"{name}组"))
        with cursor.copy("COPY chat_message (msg_key, ts, userid, external_userid, direction,"
                         " text, pushed_by) FROM STDIN") as copy:
            for c in range(customers):
                customer, member = f"wm{c:06d}", f"user{c % MEMBERS}"
                saying = rng.random() < SAYING_SHARE
                lines = said[customer] = [rng.choice(pool) if saying else
                                          (rng.choice(SMALL_TALK), ()) for _ in range(per_customer)]
                for m, (text, _) in enumerate(lines):
                    copy.write_row((f"k{c}-{m}", 1_780_000_000 + c * per_customer + m, member,
                                    customer, "in", text, "bench"))
        sayers = sorted(c for c, lines in said.items() if any(labels for _, labels in lines))
        tagged = rng.sample(sayers, confirmed)
        chosen = tagged + rng.sample(sorted(set(said) - set(tagged)), reviews)
        journal_id = 0
        for customer in tagged:
            member = f"user{int(customer[2:]) % MEMBERS}"
            carried = sorted({tag_of[label] for _, labels in said[customer] for label in labels})
            cursor.execute("INSERT INTO relation_tag_snapshot (userid, external_userid, tag_ids)"
                           " VALUES (%s, %s, %s)", (member, customer, carried))
            for tag_id in carried:
                journal_id += 1
                cursor.execute(
                    "INSERT INTO team_journal (id, ts, operator, action, source, batch_id,"
                    " external_userid, userid, tag_id, tag_name, group_name, before, after,"
                    " reason, prev_hash, hash) VALUES (%s, %s, 'boss', 'tag_add', 'app', '',"
                    " %s, %s, %s, '', '', '[]', '[]', '', '', '')",
                    (journal_id, 1_779_000_000 + journal_id, customer, member, tag_id))
        cursor.execute("UPDATE team_journal_head SET last_id = %s", (journal_id,))
        for customer in chosen[confirmed:]:
            member = f"user{int(customer[2:]) % MEMBERS}"
            m = rng.randrange(per_customer)
            tag = rng.choice(sorted(keywords))
            verdict = "accepted" if tag in said[customer][m][1] else "rejected"
            cursor.execute("INSERT INTO autotag_review (operator, external_userid, userid,"
                           " tag_name, verdict, msg_keys) VALUES ('boss', %s, %s, %s, %s, %s)",
                           (customer, member, tag, verdict, [f"k{int(customer[2:])}-{m}"]))


def _timed(conn: psycopg.Connection[tuple[object, ...]], customers: set[str],
           what: str) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    found = rule_intents.intents(conn, customers)
    print(f"  {what}: {time.perf_counter() - started:.2f} s"
          f" ({time.process_time() - cpu:.2f} s of this process's CPU),"
          f" {len(found):,} relations with an intent", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--per-customer", type=int, default=10)
    parser.add_argument("--confirmed", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=1_000)
    parser.add_argument("--sandbox-lines", action="store_true",
                        help="the sandbox corp's 33 short chat lines instead of the labelled set")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="tagdesk-bench-intents-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = PostgresCluster(postgres_bin(), root)
    cluster.start()
    try:
        for confirmed, reviews in ((0, 0), (args.confirmed, args.reviews)):
            url = cluster.new_database()
            migrate(url)
            with psycopg.connect(url, autocommit=True) as conn:
                with conn.transaction():
                    _fill(conn, args.customers, args.per_customer, confirmed, reviews,
                          args.sandbox_lines)
                customers = {f"wm{c:06d}" for c in range(args.customers)}
                print(f"{args.customers * args.per_customer:,} messages, {args.customers:,}"
                      f" customers, {confirmed:,} confirmed relations, {reviews:,} verdicts:",
                      flush=True)
                _timed(conn, customers, "first run (engine built, trained)")
                _timed(conn, customers, "second run (engine kept)")
                if reviews:
                    conn.execute("INSERT INTO chat_message (msg_key, ts, userid,"
                                 " external_userid, direction, text, pushed_by) VALUES"
                                 " ('new-1', 1790000000, 'user1', 'wmNew', 'in', '在吗', 'b')")
                    _timed(conn, customers, "after a new customer's message (engine kept)")
                    conn.execute("INSERT INTO autotag_review (operator, external_userid,"
                                 " userid, tag_name, verdict, msg_keys) VALUES ('boss',"
                                 " 'wm000000', 'user0', '投诉', 'rejected', ARRAY['k0-0'])")
                    _timed(conn, customers, "after one more verdict (trained again)")
                    keywords = rule_intents.team_keywords(conn)
                    started = time.perf_counter()
                    training = training_for(
                        team_training.TeamTrainingSource(conn),
                        rules_tagger(keywords, threshold=DEFAULT_MIN_CONFIDENCE), keywords,
                        team_training.tag_ids(conn, keywords))
                    print(f"  reading what it learns from: {time.perf_counter() - started:.2f} s"
                          f" ({len(training.messages):,} messages of"
                          f" {len({m.customer for m in training.messages}):,} customers)",
                          flush=True)
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
