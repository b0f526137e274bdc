"""What `message/send` delivered to one member, read back as that member's inbox.

The sandbox keeps every sent text message (`sent_message`, written by `message/send`);
a member's inbox is the messages whose recipients include them, oldest first. Demos and
tests read login codes here, as a member would on their phone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop.sandbox.schema import DB_FILENAME, SandboxDataError


@dataclass(frozen=True)
class InboxMessage:
    sent_at: float
    text: str

    def as_json(self) -> dict[str, str]:
        """`ts` is local time in ISO 8601 with its UTC offset."""
        ts = datetime.fromtimestamp(self.sent_at, tz=UTC).astimezone()
        return {"ts": ts.isoformat(timespec="seconds"), "text": self.text}


def read_inbox(conn: sqlite3.Connection, userid: str) -> list[InboxMessage]:
    """Messages delivered to `userid`, newest last."""
    return [
        InboxMessage(sent_at, content)
        for sent_at, content in conn.execute(
            "SELECT sent_at, content FROM sent_message"
            " WHERE instr('|' || touser || '|', '|' || ? || '|') > 0"
            " ORDER BY sent_at, rowid",
            (userid,),
        )
    ]


def read_inbox_from(data_dir: Path, userid: str) -> list[InboxMessage]:
    """The inbox of `userid` in the sandbox kept in `data_dir` (running or not), read only."""
    path = data_dir / DB_FILENAME
    if not path.is_file():
        raise SandboxDataError(
            f"{data_dir} 中没有沙盒数据，请先运行 tagdesk sandbox serve --data {data_dir}。"
            f" / {data_dir} holds no sandbox; run `tagdesk sandbox serve --data {data_dir}` first."
        )
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        return read_inbox(conn, userid)
    finally:
        conn.close()
