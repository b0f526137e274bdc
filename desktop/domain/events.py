"""Behaviour events: something a customer did outside WeCom (a form submitted, content viewed,
an order paid, a course attended), imported from a file or pushed to the team server, and
read by rule conditions (pure, no I/O).

An event is (time, external_userid, optional member userid, free-text type, optional name,
detail and value). `parse_event` checks one record (a JSON object or a CSV row whose columns
were named in Chinese or English) and raises `BadEvent` saying why it is not an event.
`event_key` identifies an event across re-imports: the record's own id, else its fields.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from desktop.domain.echo import echo
from desktop.domain.record_lines import epoch_seconds

MAX_ID_CHARS = 128
MAX_TYPE_CHARS = 64
MAX_NAME_CHARS = 200
MAX_DETAIL_CHARS = 2_000
FIELDS = ("time", "external_userid", "userid", "type", "name", "detail", "value", "id")
REQUIRED = ("time", "external_userid", "type")
ALIASES: Mapping[str, str] = {
    "时间": "time", "事件时间": "time", "发生时间": "time", "ts": "time",
    "客户": "external_userid", "客户id": "external_userid", "客户编号": "external_userid",
    "外部联系人": "external_userid", "外部联系人id": "external_userid",
    "员工": "userid", "成员": "userid", "员工id": "userid", "成员id": "userid",
    "类型": "type", "事件类型": "type", "事件": "type",
    "名称": "name", "事件名称": "name", "标题": "name",
    "详情": "detail", "说明": "detail", "备注": "detail",
    "数值": "value", "金额": "value", "值": "value",
    "编号": "id", "事件编号": "id", "event_id": "id",
}
_PHONE = re.compile(r"^\+?[\d\s\-()]{7,20}$")


class BadEvent(Exception):
    """A record that is not an event; `zh` and `en` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Event:
    event_key: str
    ts: float
    external_userid: str
    userid: str
    type: str
    name: str = ""
    detail: str = ""
    value: float | None = None

    def as_json(self) -> dict[str, object]:
        return {"event_key": self.event_key, "time": self.ts,
                "external_userid": self.external_userid, "userid": self.userid,
                "type": self.type, "name": self.name, "detail": self.detail,
                "value": self.value}


def column_name(header: str) -> str:
    """A CSV column's field name: English names as written, Chinese ones by `ALIASES`."""
    text = header.strip().lstrip("\ufeff").strip().lower()
    return ALIASES.get(text, text)


def parse_event(record: object) -> Event:
    """One JSON object or CSV row (keys already `column_name`d) as an event."""
    if not isinstance(record, Mapping):
        raise BadEvent("不是 JSON 对象", "not a JSON object")
    ts = event_time(_required(record, "time"))
    given_customer = _required(record, "external_userid")
    if isinstance(given_customer, int | str) and _PHONE.match(str(given_customer).strip()):
        shown = echo(str(given_customer), 40)
        raise BadEvent(f"external_userid 是电话号码「{shown}」，应为企业微信的外部联系人 ID",
                       f"external_userid is a phone number ({shown}), not WeCom's external"
                       " contact id")
    external_userid = _ident(record, "external_userid", required=True)
    userid = _ident(record, "userid", required=False)
    kind = _bounded(record, "type", MAX_TYPE_CHARS, required=True)
    name = _bounded(record, "name", MAX_NAME_CHARS, required=False)
    detail = _bounded(record, "detail", MAX_DETAIL_CHARS, required=False)
    value = _value(record.get("value"))
    given = record.get("event_key") or record.get("id")
    if isinstance(given, int | str) and not isinstance(given, bool) and str(given).strip():
        key = str(given).strip()
        if len(key) > 2 * MAX_ID_CHARS or not key.isprintable():
            raise BadEvent("id 不是有效的编号", "id is not a valid id")
        event_key = key if key.startswith(("id:", "sha1:")) else f"id:{key}"
    else:
        fields = "\x1f".join((repr(ts), external_userid, userid, kind, name, detail, repr(value)))
        event_key = "sha1:" + hashlib.sha1(fields.encode("utf-8", "surrogatepass")).hexdigest()
    return Event(event_key, ts, external_userid, userid, kind, name, detail, value)


def event_time(value: object) -> float:
    """Seconds or milliseconds since the epoch, or a local date-time such as
    `2026-12-01 09:30`, `2026/12/01 09:30:15`, a date, or ISO 8601 with an offset."""
    seconds = epoch_seconds(value)
    if seconds is None:
        raise BadEvent(f"时间无法识别：「{echo(str(value), 60)}」（例：2026-12-01 09:30）",
                       f"unreadable time {echo(str(value), 60)!r} (e.g. 2026-12-01 09:30)")
    return seconds


def _required(record: Mapping[str, object], name: str) -> object:
    value = record.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadEvent(f"缺少字段 {name}", f"missing field {name}")
    return value


def _ident(record: Mapping[str, object], name: str, *, required: bool) -> str:
    value = _required(record, name) if required else record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadEvent(f"{name} 须为文本", f"{name} must be text")
    text = value.strip()
    if len(text) > MAX_ID_CHARS or not text.isprintable() or " " in text:
        raise BadEvent(f"{name} 不是有效的编号：「{echo(text, 60)}」",
                       f"{name} is not a valid id: {echo(text, 60)!r}")
    return text


def _bounded(record: Mapping[str, object], name: str, limit: int, *, required: bool) -> str:
    value = _required(record, name) if required else record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadEvent(f"{name} 须为文本", f"{name} must be text")
    text = value.strip()
    if len(text) > limit:
        raise BadEvent(f"{name} 过长（{len(text):,} 字符，最多 {limit:,}）",
                       f"{name} too long ({len(text):,} chars, at most {limit:,})")
    if not text.replace("\n", " ").replace("\t", " ").isprintable():
        raise BadEvent(f"{name} 含有控制字符（二进制内容？）",
                       f"{name} holds control characters (binary content?)")
    return text


def _value(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise BadEvent(f"value 须为数字：「{echo(str(value), 60)}」",
                       f"value must be a number: {echo(str(value), 60)!r}")
    return number


# Readable names of the common event types (a type not listed is shown as written).
TYPE_NAMES: Mapping[str, tuple[str, str]] = {
    "form_submitted": ("提交表单", "form submitted"),
    "content_viewed": ("浏览内容", "content viewed"),
    "order_paid": ("订单支付", "order paid"),
    "order_refunded": ("订单退款", "order refunded"),
    "course_attended": ("参加课程", "course attended"),
    "trial_started": ("开始试用", "trial started"),
    "appointment_booked": ("预约", "appointment booked"),
    "store_visited": ("到店", "store visited"),
}


def type_name(kind: str, english: bool) -> str:
    """An event type as people read it: 订单支付 / "order paid" (unknown types as written)."""
    names = TYPE_NAMES.get(kind)
    return kind if names is None else names[english]
