"""Handlers of the headless commands. Each returns the process exit code."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.common import StderrProgress, emit_json, home, respell_filters
from desktop.cli.errors import EXIT_OK, UsageError
from desktop.services.profiles import Profile, ProfileStore

if TYPE_CHECKING:
    from desktop.store.errors import CacheLockedError

# -- sandbox ---------------------------------------------------------------


def sandbox_serve(args: argparse.Namespace) -> int:
    from desktop.sandbox import SandboxConfig
    from desktop.sandbox.config import ip_addresses
    from desktop.sandbox.serve import serve

    if not 0 <= args.fault_rate <= 1:
        raise UsageError("--fault-rate 须在 0 到 1 之间。 / --fault-rate must be between 0 and 1.")
    try:
        ip_addresses(args.trusted_ip)
    except ValueError as exc:
        raise UsageError(f"--trusted-ip 须是 IP 地址：{exc} / --trusted-ip must be an IP address:"
                         f" {exc}") from None
    config = SandboxConfig(
        data_dir=Path(args.data), customers=args.customers, members=args.members,
        seed=args.seed, quota_per_min=args.quota_per_min, latency_ms=args.latency_ms,
        fault_rate=args.fault_rate, token_ttl=args.token_ttl, port=args.port,
        trusted_ips=tuple(args.trusted_ip),
    )
    return serve(config)


# -- profiles --------------------------------------------------------------


def profile_add(args: argparse.Namespace) -> int:
    from desktop.services import secrets
    from desktop.services.profiles import validate

    store = ProfileStore(home(args))
    given: dict[str, Any] = {key: value for key, value in {
        "corp_id": (args.corp_id or "").strip() or None,
        "api_base": (args.api_base or "").strip() or None, "agent_id": args.agent_id,
        "userid": (args.userid or "").strip() or None,
        "calls_per_minute": args.calls_per_minute, "max_concurrency": args.concurrency,
    }.items() if value is not None}
    known = next((p for p in store.list() if p.name == args.name and not p.is_team), None)
    if known is not None:       # an update keeps what is not given (e.g. a new secret alone)
        profile = replace(known, **given)
    else:
        profile = Profile(name=args.name, corp_id=given.pop("corp_id", ""),
                          api_base=given.pop("api_base", ""), **given)
    if not profile.userid:
        profile = replace(profile, userid=_ask_userid(args.name))
    validate(profile)
    if args.secret_stdin:
        secret = sys.stdin.readline().strip()
        if not secret:
            raise UsageError("标准输入中没有 Secret。 / No secret on standard input.")
        secrets.store_secret(profile.name, profile.corp_id, secret)
    store.add(profile)
    stored = "，Secret 已存入系统钥匙串 / secret stored in the OS keyring" if args.secret_stdin else ""
    print(f"已保存配置 {profile.name}{stored} / Saved profile {profile.name}")
    return EXIT_OK


def _ask_userid(name: str) -> str:
    """The user's own WeCom userid, asked on a terminal; one sentence otherwise."""
    if not sys.stdin.isatty():
        raise UsageError(f"配置 {name} 需要 --userid（你的企业微信账号，日志中每一行的操作人）。"
                         f" / Profile {name} needs --userid (your WeCom userid, the operator of"
                         " every journal row).")
    try:
        return input("你的企业微信账号（userid） / Your WeCom userid: ").strip()
    except EOFError:
        return ""


def profile_list(args: argparse.Namespace) -> int:
    profiles = ProfileStore(home(args)).list()
    if args.json:
        emit_json([{"name": p.name, "corp_id": p.corp_id, "api_base": p.api_base,
                     "agent_id": p.agent_id, "userid": p.userid,
                     "team_url": p.team_url or None} for p in profiles])
        return EXIT_OK
    print("demo\t(内置演示企业 / built-in demo corp)")
    for p in profiles:
        team = f"\t团队 / team {p.team_url}" if p.is_team else ""
        print(f"{p.name}\t{p.corp_id}\t{p.api_base}\t{p.userid or '-'}{team}")
    return EXIT_OK


def profile_remove(args: argparse.Namespace) -> int:
    from desktop.services import secrets

    profile = ProfileStore(home(args)).remove(args.name)
    secrets.delete_secret(profile.name, profile.corp_id)
    if profile.is_team and profile.userid:
        secrets.delete_secret(profile.name, profile.corp_id, user=profile.userid)
    print(f"已删除配置 {profile.name} / Removed profile {profile.name}")
    return EXIT_OK


# -- sync and filtering ------------------------------------------------------


def sync(args: argparse.Namespace) -> int:
    from desktop.cli.batch_commands import offer_unfinished
    from desktop.cli.rules_commands import expire_after_sync
    from desktop.cli.team_settings_refresh import refresh_team_settings
    from desktop.services.arrivals import ArrivalService
    from desktop.services.customer_scope import cache_scope
    from desktop.services.demo_persona import choose_demo_persona
    from desktop.services.progress import WaitReporter
    from desktop.services.sync import collector_paused, run_sync
    from desktop.services.sync_renames import renamed_json
    from desktop.services.tagging import TaggingService
    from desktop.services.team_catch_up import journal_mark, remember_mark
    from desktop.services.team_events import fetch_if_team
    from desktop.services.team_expiries import fetch_if_team as fetch_expiries_if_team
    from desktop.services.team_records import Withheld
    from desktop.services.workspace import open_workspace
    from desktop.store.errors import CacheLockedError

    try:
        ws = open_workspace(home(args), args.profile)
    except CacheLockedError as locked:
        summary = _sync_in_app(args, locked)
    else:
        with ws:
            progress = WaitReporter(StderrProgress())
            withheld = Withheld()
            mark = journal_mark(ws)
            with collector_paused():
                result = run_sync(
                    ws.client(on_wait=progress.on_wait), ws.cache, progress=progress,
                    chains=ws.profile.max_concurrency)
            remember_mark(ws, mark)
            respell_filters(args, ws.profile.name, result.renames)
            arrived = ArrivalService(ws).apply(progress=StderrProgress())
            fetch_if_team(ws, withheld.noted)
            fetch_expiries_if_team(ws)
            choose_demo_persona(ws)
            refresh_team_settings(ws)
            offer_unfinished(TaggingService(ws).unfinished_batches(), args.profile)
            expired = expire_after_sync(ws)
            scope = cache_scope(ws.cache, ws.profile.is_team, ws.profile.userid)
        summary = {**result.as_json(), "expiry": expired,
                   "arrivals": arrived.as_json(), "renamed": renamed_json(result.renames),
                   "scope": scope, "withheld": withheld.sentences}
    if not args.json:
        mine = " · 我的客户 / My customers" if summary.get("scope") == "mine" else ""
        print(
            f"同步完成 / Sync complete{mine}: {summary['customers']} 客户 customers,"
            f" {summary['relations']} 关系 relations, {summary['tags']} 标签 tags,"
            f" {summary['observed_changes']} 外部变更 observed changes,"
            f" {summary['api_calls']} API calls, {summary['elapsed_s']:.1f} s"
        )
        _print_arrivals(summary.get("arrivals"))
        for sentence in summary.get("withheld") or []:
            print(sentence)
    emit_json(summary)
    return EXIT_OK


def _print_arrivals(arrived: object) -> None:
    """One line when live codes or pre-tags tagged new relations or pre-tags ran out."""
    if not isinstance(arrived, dict) or not (arrived.get("tagged") or arrived.get("expired")):
        return
    tagged = arrived.get("tagged") or {}
    print(f"新客户标签 / Arrival tags: 活码 live codes {tagged.get('livecode', 0)},"
          f" 预打标签 pre-tags {tagged.get('pretag', 0)} 个客户关系 relations;"
          f" {arrived.get('expired', 0)} 个预打标签过期 pre-tags expired;"
          f" 批量任务 batches {' '.join(arrived.get('batches') or []) or '-'}")


def _sync_in_app(args: argparse.Namespace, locked: CacheLockedError) -> dict[str, Any]:
    """The profile is open in the TagDesk app: it runs the sync (within the corp's one rate
    budget) and sends progress and the summary back (with the cache's scope added here);
    re-raises "in use" when no app listens (another command holds the cache)."""
    from desktop.cli.batch_commands import offer_unfinished
    from desktop.services.customer_scope import cache_scope
    from desktop.services.handover import request_sync
    from desktop.services.profiles import DEMO_PROFILE, ProfileStore
    from desktop.services.tagging import BatchInfo
    from desktop.services.workspace import open_local_cache
    from desktop.store import outbox

    def accepted(pid: int) -> None:
        print(f"TagDesk 应用（pid {pid}）已打开此配置，由它进行同步… / The TagDesk app (pid {pid})"
              " has this profile open; it runs the sync…", file=sys.stderr, flush=True)

    summary = request_sync(ProfileStore(home(args)).cache_path(args.profile), StderrProgress(),
                           accepted)
    if summary is None:
        raise locked  # no app listens: another command holds the cache
    profile = None if args.profile == DEMO_PROFILE else ProfileStore(home(args)).get(args.profile)
    with open_local_cache(home(args), args.profile) as cache:
        batches = [BatchInfo.of(record) for record in outbox.list_batches(cache)]
        scope = cache_scope(cache, profile is not None and profile.is_team,
                            profile.userid if profile else "")
    offer_unfinished([b for b in batches if b.status in outbox.ACTIVE and b.pending],
                     args.profile)
    return {**summary, "scope": scope, "withheld": []}   # the app's window says it


def customers(args: argparse.Namespace) -> int:
    from desktop.services.workspace import open_local_cache
    from desktop.store.filter_engine import FilterEngine
    from desktop.store.relations import load_relations

    with open_local_cache(home(args), args.profile) as cache:
        engine = FilterEngine(cache)
        counts = engine.count(args.filter)
        summary = {"relations": counts.relations, "customers": counts.customers}
        if args.count:
            if args.json:
                emit_json(summary)
            else:
                print(f"{counts.relations} 个客户关系，{counts.customers} 位客户"
                      f" / {counts.relations} relations, {counts.customers} customers")
            return EXIT_OK
        ids = engine.relation_ids(args.filter, limit=max(0, args.limit))
        rows = load_relations(cache, ids)
    for row in rows:
        if args.json:
            emit_json(row.as_json())
        else:
            added = datetime.fromtimestamp(row.createtime).strftime("%Y-%m-%d")
            print("\t".join([row.customer_name, row.corp_name or "-", row.owner_name,
                             row.state or "-", added, "、".join(row.tag_names)]))
    if args.json:
        emit_json({**summary, "shown": len(rows)})
    else:
        print(f"— 显示 {len(rows)} / 共 {counts.relations} 个关系（{counts.customers} 位客户）"
              f" / shown {len(rows)} of {counts.relations} relations"
              f" ({counts.customers} customers)")
    return EXIT_OK
