"""A chat-archive export (`chat_export.jsonl`) for the generated corp.

One JSON object per line, like WeCom's 会话内容存档 after decryption: msgid, msgtime (ms),
from, tolist, external_userid, userid, msgtype "text", content. The lines are sales chat:
price objections (太贵了 / 超出预算 / 不值这个价), their negations (不贵), buying intent,
after-sales talk and typos (太桂了, 什麽时候), so auto-tagging rules have something to read.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from desktop.sandbox import corpus

CHAT_EXPORT_FILENAME = "chat_export.jsonl"
CONVERSATION_SHARE = 0.12
MIN_CONVERSATIONS = 20
THEMES = (("price", 0.35), ("not_price", 0.15), ("intent", 0.35), ("after_sales", 0.15))


def write_chat_export(conn: sqlite3.Connection, data_dir: Path, seed: int, anchor: int) -> Path:
    rng = random.Random(f"chat-{seed}")
    relations = conn.execute(
        "SELECT r.userid, m.name, r.external_userid, r.createtime"
        " FROM relation r JOIN member m ON m.userid = r.userid ORDER BY r.id"
    ).fetchall()
    wanted = min(len(relations), max(MIN_CONVERSATIONS, int(len(relations) * CONVERSATION_SHARE)))
    messages: list[dict[str, object]] = []
    for userid, member_name, external_userid, createtime in rng.sample(relations, wanted):
        messages.extend(
            _conversation(rng, userid, member_name, external_userid, createtime, anchor)
        )
    messages.sort(key=lambda message: (message["msgtime"], message["msgid"]))
    path = data_dir / CHAT_EXPORT_FILENAME
    with path.open("w", encoding="utf-8") as out:
        for message in messages:
            out.write(json.dumps(message, ensure_ascii=False) + "\n")
    return path


def _conversation(
    rng: random.Random,
    userid: str,
    member_name: str,
    external_userid: str,
    createtime: int,
    anchor: int,
) -> list[dict[str, object]]:
    theme = rng.choices([t for t, _ in THEMES], [w for _, w in THEMES])[0]
    msgtime = (createtime + rng.randrange(max(1, anchor - createtime))) * 1000
    lines: list[tuple[bool, str]] = []
    if rng.random() < 0.4:
        greeting = corpus.CHAT_MEMBER_LINES[0]
        lines.append((False, greeting.format(corp=corpus.CORP_SHORT_NAME, name=member_name)))
    for _ in range(rng.randint(3, 7)):
        if rng.random() < 0.55:
            pool = corpus.CHAT_CUSTOMER_LINES[theme if rng.random() < 0.7 else "chit_chat"]
            lines.append((True, rng.choice(pool)))
        else:
            lines.append((False, rng.choice(corpus.CHAT_MEMBER_LINES[1:])))
    messages = []
    for from_customer, content in lines:
        msgtime += rng.randrange(10_000, 7_200_000)
        sender, receiver = (external_userid, userid) if from_customer else (userid, external_userid)
        messages.append(
            {
                "msgid": f"{rng.randrange(10**19, 10**20)}_{msgtime}_external",
                "msgtime": msgtime,
                "from": sender,
                "tolist": [receiver],
                "external_userid": external_userid,
                "userid": userid,
                "msgtype": "text",
                "content": content,
            }
        )
    return messages
