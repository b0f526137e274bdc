"""Reading orders for reconciliation: a CSV or JSON file, or an HTTP endpoint answering JSON.

Columns are found by name (Chinese or English: external_userid / 客户ID, order_id / 订单号,
status / 订单状态 or a paid true / false, amount / 金额, paid_at / 支付时间); without a status
column every order counts as paid. A row that cannot be used — no customer, a phone number
where the external_userid belongs, a status that is neither paid nor unpaid — is reported with its line
number and kept out; whether to go on without it is the caller's choice.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.reconcile import Order
from desktop.services.spreadsheet_lookup import (
    HOW_TO_FIND_ID_EN,
    HOW_TO_FIND_ID_ZH,
    looks_like_phone,
)

FETCH_TIMEOUT_S = 30
MAX_ORDERS = 2_000_000
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_userid": ("external_userid", "客户id", "customer", "customer_id", "外部联系人id"),
    "order_id": ("order_id", "订单号", "订单编号", "order", "order_no"),
    "status": ("status", "订单状态", "支付状态", "状态", "paid", "是否支付"),
    "amount": ("amount", "金额", "实付金额", "实付"),
    "paid_at": ("paid_at", "支付时间", "付款时间", "pay_time"),
}
PAID = frozenset({"paid", "success", "succeeded", "completed", "complete", "done", "已支付",
                  "已付款", "支付成功", "已完成", "交易成功", "已成交", "true", "是"})
NOT_PAID = frozenset({"unpaid", "pending", "refunded", "cancelled", "canceled", "closed",
                      "failed", "待支付", "未支付", "已退款", "退款", "已取消", "已关闭", "交易关闭",
                      "支付失败", "退款成功", "false", "否"})


class OrdersError(UserError):
    """The orders could not be read at all."""


@dataclass(frozen=True)
class BadOrder:
    line: int
    problem_zh: str
    problem_en: str

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, "problem": f"{self.problem_zh} / {self.problem_en}"}


@dataclass(frozen=True)
class OrderFeed:
    source: str
    orders: tuple[Order, ...]
    bad: tuple[BadOrder, ...]


def read_orders(source: str) -> OrderFeed:
    """Orders from a file path or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        return OrderFeed(source, *_parse(_rows_from_json(_fetch(source))))
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OrdersError(f"读不到订单文件 {echo(source)}：{exc.strerror or exc}。",
                          f"Cannot read the orders file {echo(source)}: {exc.strerror or exc}.",
                          ) from None
    text = _decode(data, source)
    stripped = text.lstrip()
    if path.suffix.lower() in (".json", ".jsonl") or stripped.startswith(("[", "{")):
        return OrderFeed(source, *_parse(_rows_from_json_text(text, source)))
    return OrderFeed(source, *_parse(_rows_from_csv(text, source)))


def read_order_items(source: str, items: Iterable[Mapping[str, object]]) -> OrderFeed:
    """Orders from rows already read as name -> value (a database query's), numbered from 1."""
    return OrderFeed(source, *_parse((number, _fields(item))
                                     for number, item in enumerate(items, start=1)))


def _fetch(url: str) -> object:
    try:
        answer = requests.get(url, timeout=FETCH_TIMEOUT_S)
        answer.raise_for_status()
        return answer.json()
    except requests.RequestException as exc:
        raise OrdersError(f"取不到订单：{echo(url)} 没有正常回答（{type(exc).__name__}）。",
                          f"Could not fetch the orders: {echo(url)} did not answer properly"
                          f" ({type(exc).__name__}).") from None
    except ValueError:
        raise OrdersError(f"{echo(url)} 回答的不是 JSON。",
                          f"{echo(url)} did not answer JSON.") from None


def _decode(data: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OrdersError(f"{echo(source)} 既不是 UTF-8 也不是 GBK 文本。",
                      f"{echo(source)} is neither UTF-8 nor GBK text.")


def _rows_from_csv(text: str, source: str) -> Iterator[tuple[int, Mapping[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise OrdersError(f"{echo(source)} 是空的。", f"{echo(source)} is empty.")
    found = _columns(header)
    if "external_userid" not in found:
        raise OrdersError(
            f"{echo(source)} 的表头里没有客户列（external_userid 或 客户ID）。",
            f"{echo(source)} has no customer column (external_userid or 客户ID) in its header.")
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        yield number, {name: cells[index].strip() if index < len(cells) else ""
                       for name, index in found.items()}


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        key = text.strip().lower()
        for name, aliases in COLUMNS.items():
            if key in aliases and name not in found:
                found[name] = index
    return found


def _rows_from_json_text(text: str, source: str) -> Iterator[tuple[int, Mapping[str, str]]]:
    stripped = text.strip()
    if stripped.startswith(("[", "{")) and not _is_jsonl(stripped):
        try:
            return _rows_from_json(json.loads(stripped))
        except ValueError as exc:
            raise OrdersError(f"{echo(source)} 不是有效的 JSON：{exc}。",
                              f"{echo(source)} is not valid JSON: {exc}.") from None
    return _rows_from_jsonl(text)


def _is_jsonl(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[:2]) and \
        lines[0].rstrip().endswith("}")


def _rows_from_jsonl(text: str) -> Iterator[tuple[int, Mapping[str, str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            yield number, {"_bad": "json"}
            continue
        yield number, _fields(item)


def _rows_from_json(data: object) -> Iterator[tuple[int, Mapping[str, str]]]:
    items = data.get("orders") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise OrdersError("订单 JSON 应是订单列表，或 {\"orders\": [...]}。",
                          "Order JSON should be a list of orders, or {\"orders\": [...]}.")
    for number, item in enumerate(items, start=1):
        yield number, _fields(item)


def _fields(item: object) -> Mapping[str, str]:
    if not isinstance(item, dict):
        return {"_bad": "object"}
    lowered = {str(key).strip().lower(): value for key, value in item.items()}
    found: dict[str, str] = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in lowered and lowered[alias] is not None:
                found[name] = str(lowered[alias]).strip()
                break
    return found


def _parse(rows: Iterable[tuple[int, Mapping[str, str]]]
           ) -> tuple[tuple[Order, ...], tuple[BadOrder, ...]]:
    orders: list[Order] = []
    bad: list[BadOrder] = []
    for number, row in rows:
        if len(orders) + len(bad) >= MAX_ORDERS:
            raise OrdersError(f"订单超过 {MAX_ORDERS:,} 行；请分批对账。",
                              f"More than {MAX_ORDERS:,} orders; reconcile in parts.")
        problem = _problem(row)
        if problem is not None:
            bad.append(BadOrder(number, *problem))
            continue
        status = row.get("status", "")
        orders.append(Order(number, row["external_userid"], row.get("order_id", ""),
                            not status or status.lower() in PAID, status,
                            row.get("amount", ""), row.get("paid_at", "")))
    return tuple(orders), tuple(bad)


def _problem(row: Mapping[str, str]) -> tuple[str, str] | None:
    if "_bad" in row:
        return ("这一行不是一个 JSON 订单对象", "this line is not a JSON order object")
    customer = row.get("external_userid", "")
    if not customer:
        return ("没有客户（external_userid）", "no customer (external_userid)")
    if looks_like_phone(customer):
        return (f"「{echo(customer)}」像是手机号，这里要填客户的 external_userid。{HOW_TO_FIND_ID_ZH}",
                f"\"{echo(customer)}\" looks like a phone number; this column takes the"
                f" customer's external_userid. {HOW_TO_FIND_ID_EN}")
    status = row.get("status", "")
    if status and status.lower() not in PAID | NOT_PAID:
        return (f"不认识的订单状态「{echo(status)}」（已支付：{'、'.join(sorted(PAID))}）",
                f"unknown order status \"{echo(status)}\" (paid: {', '.join(sorted(PAID))})")
    return None
