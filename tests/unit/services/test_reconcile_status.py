"""How a desktop says the team server's scheduled reconciliation: the last run's result, its
errors by line or relation, the next run, in either language."""

from __future__ import annotations

from typing import Any

from desktop.services.reconcile_status import ServerStatus

CONFIG: dict[str, Any] = {"errcode": 0, "configured": True, "source": "/srv/orders.csv",
                          "tag": "客户阶段:已成交", "interval_s": 600.0, "max_changes": 500,
                          "max_share": 0.0, "running": False, "next_run": None}


def _status(result: str, counts: dict[str, int], errors: list[dict[str, Any]]) -> ServerStatus:
    return ServerStatus({**CONFIG, "last_run": {
        "id": 3, "started_at": 1.0, "finished_at": 2.0, "result": result,
        "batch_id": "reconcile-20261206-101000-3", "counts": counts, "errors": errors}})


def test_bad_rows_are_said_by_line_and_count_as_trouble() -> None:
    found = _status("bad_rows", {"orders": 3, "bad_rows": 2}, [
        {"line": 3, "problem": "没有客户（external_userid） / no customer (external_userid)"},
        {"line": 7, "problem": "不认识的订单状态 / unknown order status"}])
    english = found.lines(True)
    assert english[0] == "Every 10 min the team server checks 客户阶段:已成交 against /srv/orders.csv."
    assert "2 order rows cannot be read; nothing was changed." in english[1]
    assert english[2:] == ["  line 3: no customer (external_userid)",
                           "  line 7: unknown order status"]
    assert found.lines(False)[2] == "  第 3 行：没有客户（external_userid）"
    assert found.in_trouble


def test_a_partly_applied_run_names_the_failed_relations_and_what_was_not_sent() -> None:
    found = _status("partly_applied", {"applied": 4, "failed": 1, "not_sent": 6}, [
        {"userid": "u1", "external_userid": "wm1", "errcode": -1, "errmsg": "WeCom unreachable"}])
    english = found.lines(True)
    assert "fixed 4 relations, 1 failed, 6 not sent" in english[1]
    assert english[2] == "  u1/wm1: errcode -1 WeCom unreachable"
    assert found.in_trouble


def test_an_applied_run_is_no_trouble_and_a_server_without_schedule_says_so() -> None:
    found = _status("applied", {"applied": 9, "missing_relations": 7, "extra_relations": 2}, [])
    assert "修正了 9 个客户关系（+7 / -2），批次 reconcile-20261206-101000-3。" in \
        found.lines(False)[1]
    assert not found.in_trouble
    off = ServerStatus({"errcode": 0, "configured": False})
    assert off.lines(True) == ["The team server does not reconcile orders on a schedule (start"
                               " it with --reconcile-tag and --reconcile-orders)."]
    assert not off.in_trouble
