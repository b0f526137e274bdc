"""A behaviour-events file (`events.jsonl`) for the generated corp: what its customers did
outside WeCom (forms, content views, paid orders, attended courses) in the 60 days before
the anchor, one TagDesk event a line, for `tagdesk events import` and rules on events."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

EVENTS_FILENAME = "events.jsonl"
CUSTOMER_SHARE = 0.3
WINDOW_S = 60 * 86400
KINDS = (
    ("form_submitted", ("预约试听", "索取报价", "活动报名"), None),
    ("content_viewed", ("产品白皮书", "案例视频", "价格页"), None),
    ("order_paid", ("年度会员", "基础套餐", "企业版"), (299, 199, 19_999)),
    ("course_attended", ("入门直播课", "实操训练营"), None),
)


def write_event_export(conn: sqlite3.Connection, data_dir: Path, seed: int, anchor: int) -> Path:
    rng = random.Random(f"events-{seed}")
    relations = conn.execute(
        "SELECT userid, external_userid FROM relation ORDER BY id").fetchall()
    chosen = rng.sample(relations, int(len(relations) * CUSTOMER_SHARE)) if relations else []
    events: list[dict[str, object]] = []
    for userid, external_userid in chosen:
        for _ in range(rng.randint(1, 4)):
            kind, names, prices = rng.choice(KINDS)
            which = rng.randrange(len(names))
            event: dict[str, object] = {
                "id": f"ev-{seed}-{len(events) + 1}",
                "time": anchor - rng.randrange(WINDOW_S), "external_userid": external_userid,
                "userid": userid, "type": kind, "name": names[which]}
            if prices is not None:
                event["value"] = prices[which]
            events.append(event)
    events.sort(key=lambda e: (e["time"], e["id"]))
    path = data_dir / EVENTS_FILENAME
    with path.open("w", encoding="utf-8") as out:
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
    return path
