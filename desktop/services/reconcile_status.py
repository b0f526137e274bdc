"""The team server's scheduled order reconciliation as a desktop sees it: its last run (when,
result, counts, errors) and the next, read from `GET /tagdesk/v1/reconcile/status`, and said
in one language or the other."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.domain.errors import UserError
from desktop.services.governance import session_token
from desktop.services.profiles import Profile
from desktop.services.team import _exchange

PATH = "tagdesk/v1/reconcile/status"
RUN_PATH = "tagdesk/v1/reconcile/run"
POLL_S = 1.0
# Results of a run that changed nothing because something is wrong (the rest: applied, in step).
TROUBLE = frozenset({"partly_applied", "bad_rows", "source_error", "too_many_changes",
                     "tag_unknown"})


@dataclass(frozen=True)
class ServerStatus:
    answer: dict[str, Any]   # the server's answer as it came (the CLI's --json)

    @property
    def configured(self) -> bool:
        return bool(self.answer.get("configured"))

    @property
    def last_run(self) -> dict[str, Any] | None:
        run = self.answer.get("last_run")
        return run if isinstance(run, dict) else None

    @property
    def in_trouble(self) -> bool:
        run = self.last_run
        return run is not None and run.get("result") in TROUBLE

    def lines(self, english: bool) -> list[str]:
        """What to show: the configuration, the last run and its errors, the next run."""
        if not self.configured:
            return ["The team server does not reconcile orders on a schedule (start it with"
                    " --reconcile-tag and --reconcile-orders)." if english else
                    "团队服务器没有定时对账（启动时加 --reconcile-tag 和 --reconcile-orders）。"]
        a = self.answer
        minutes = float(a.get("interval_s") or 0) / 60
        lines = [f"Every {minutes:g} min the team server checks {a.get('tag')} against"
                 f" {a.get('source')}." if english else
                 f"团队服务器每 {minutes:g} 分钟按 {a.get('source')} 核对 {a.get('tag')}。"]
        run = self.last_run
        if run is None:
            lines.append("No run yet (the first comes after the server's first re-sync)."
                         if english else "还没有运行过（第一次在服务器首次重新同步之后）。")
        else:
            when = _clock(run.get("finished_at"))
            lines.append(f"Last run {when}: {_result(run, english)}" if english
                         else f"上次运行 {when}：{_result(run, english)}")
            if run.get("started_by"):
                who = run["started_by"]
                lines.append(f"  Run now by {who}." if english else f"  由 {who} 立即运行。")
            lines.extend(f"  {_error(error, english)}" for error in run.get("errors") or [])
            lines.extend(_unknown_lines(run, english))
        if a.get("running"):
            lines.append("A run is under way." if english else "正在运行。")
        elif a.get("next_run"):
            when = _clock(a.get("next_run"))
            lines.append(f"Next run: {when}." if english else f"下次运行：{when}。")
        return lines


def server_status(profile: Profile) -> ServerStatus:
    if not profile.is_team:
        raise UserError("定时对账由团队服务器运行：--status 只用于团队配置。",
                        "The team server runs the scheduled reconciliation: --status is for a"
                        " team profile only.")
    return ServerStatus(_exchange("GET", profile.team_url, PATH, None,
                                  {"access_token": session_token(profile)}))


def caller_is_admin(profile: Profile) -> bool:
    """Whether this profile's login is a team administrator (who may run it now)."""
    answer = _exchange("GET", profile.team_url, "tagdesk/v1/whoami", None,
                       {"access_token": session_token(profile)})
    return bool(answer.get("admin"))


def start_run(profile: Profile) -> None:
    """Ask the team server to reconcile now (administrators only; refused while one runs)."""
    if not profile.is_team:
        raise UserError("立即运行对账只用于团队配置：个人配置请用 --orders 和 --tag。",
                        "Running the reconciliation now is for a team profile only: on a"
                        " personal profile use --orders and --tag.")
    _exchange("POST", profile.team_url, RUN_PATH, None,
              {"access_token": session_token(profile)})


def run_now(profile: Profile, sleep: Callable[[float], None] = time.sleep) -> ServerStatus:
    """Start a run and wait for it to finish: the status it leaves."""
    start_run(profile)
    return wait_for_run(profile, sleep)


def wait_for_run(profile: Profile, sleep: Callable[[float], None] = time.sleep
                 ) -> ServerStatus:
    """The status once no run is under way."""
    while True:
        found = server_status(profile)
        if not found.answer.get("running"):
            return found
        sleep(POLL_S)


def _unknown_lines(run: dict[str, Any], english: bool) -> list[str]:
    unknown = run.get("unknown") or []
    total = int((run.get("counts") or {}).get("unknown_customers") or len(unknown))
    if not unknown:
        return []
    lines = [f"  {total:,} paying customers the team server does not know (never tagged):"
             if english else f"  {total:,} 位已支付客户团队服务器不认识（不会打标签）："]
    for customer in unknown:
        orders = (", " if english else "、").join(str(o.get("order_id") or "") or
                          (f"line {o.get('line')}" if english else f"第 {o.get('line')} 行")
                          for o in customer.get("orders") or [])
        lines.append(f"    {customer.get('external_userid')}: {orders}")
    if total > len(unknown):
        lines.append(f"    … and {total - len(unknown):,} more" if english
                     else f"    …… 还有 {total - len(unknown):,} 位")
    return lines


def _result(run: dict[str, Any], english: bool) -> str:
    counts = run.get("counts") or {}
    applied, failed = f"{counts.get('applied', 0):,}", f"{counts.get('failed', 0):,}"
    added, removed = f"{counts.get('missing_relations', 0):,}", \
        f"{counts.get('extra_relations', 0):,}"
    paid, bad, batch = f"{counts.get('paid_customers', 0):,}", \
        f"{counts.get('bad_rows', 0):,}", run.get("batch_id")
    result = run.get("result")
    if result == "applied":
        return (f"fixed {applied} relations (+{added} / -{removed}), batch {batch}." if english
                else f"修正了 {applied} 个客户关系（+{added} / -{removed}），批次 {batch}。")
    if result == "partly_applied":
        unsent = f"{counts.get('not_sent', 0):,}"
        return (f"fixed {applied} relations, {failed} failed, {unsent} not sent (WeCom out of"
                f" reach), batch {batch}." if english else
                f"修正了 {applied} 个客户关系，{failed} 个失败，{unsent} 个没有发出（连不上企业微信），"
                f"批次 {batch}。")
    if result == "in_step":
        return (f"the tag matches the orders ({paid} paying customers); nothing to change."
                if english else f"标签与订单一致（{paid} 位已支付客户），没有要改的。")
    if result == "bad_rows":
        return (f"{bad} order rows cannot be read; nothing was changed." if english
                else f"有 {bad} 行订单读不了，什么都没有改。")
    return "nothing was changed." if english else "什么都没有改。"


def _error(error: dict[str, Any], english: bool) -> str:
    problem = str(error.get("problem") or error.get("errmsg") or "")
    zh, _, en = problem.partition(" / ")
    text = (en or zh) if english else zh
    if "line" in error:
        return f"line {error['line']}: {text}" if english else f"第 {error['line']} 行：{text}"
    if "external_userid" in error:
        code = f"errcode {error['errcode']} " if "errcode" in error else ""
        return f"{error.get('userid')}/{error['external_userid']}: {code}{text}"
    return text


def _clock(seconds: object) -> str:
    if not isinstance(seconds, int | float):
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))
