"""`tagdesk server serve --reconcile-tag TAG --reconcile-orders SOURCE ...`: the server's
scheduled order reconciliation (desktop/server/reconcile_job.py), each option also an
environment variable (the orders database's DSN, with its password, best stays there)."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop.cli.errors import UsageError
from desktop.domain.echo import echo

if TYPE_CHECKING:
    from desktop.server.reconcile_job import ReconcileConfig

TAG_ENV = "TAGDESK_RECONCILE_TAG"
ORDERS_ENV = "TAGDESK_RECONCILE_ORDERS"
ORDERS_DB_ENV = "TAGDESK_RECONCILE_ORDERS_DB"
INTERVAL_ENV = "TAGDESK_RECONCILE_INTERVAL"
MAX_CHANGES_ENV = "TAGDESK_RECONCILE_MAX_CHANGES"


def add_reconcile_options(serve: argparse.ArgumentParser) -> None:
    group = serve.add_argument_group("order reconciliation (scheduled)")
    group.add_argument("--reconcile-tag", default=os.environ.get(TAG_ENV, ""), metavar="TAG",
                       help=f"the tag paid customers carry, e.g. 已成交 or 组:名 (or ${TAG_ENV})")
    group.add_argument("--reconcile-orders", default=os.environ.get(ORDERS_ENV, ""),
                       metavar="SOURCE",
                       help="a CSV / JSON file, an http(s) URL answering JSON, or postgresql:"
                            f" followed by a SQL query (or ${ORDERS_ENV})")
    group.add_argument("--reconcile-orders-db", default=os.environ.get(ORDERS_DB_ENV, ""),
                       metavar="postgresql://...",
                       help="where a postgresql: query runs (default: the team database;"
                            f" or ${ORDERS_DB_ENV})")
    group.add_argument("--reconcile-interval", default=os.environ.get(INTERVAL_ENV, "600"),
                       metavar="SECONDS", help=f"how often (default 600; or ${INTERVAL_ENV})")
    group.add_argument("--reconcile-max-changes", default=os.environ.get(MAX_CHANGES_ENV, "500"),
                       metavar="N|P%", help="a run that would change more relations (or more"
                                            " than this share of all) applies nothing (default"
                                            f" 500; or ${MAX_CHANGES_ENV})")


def reconcile_config(args: argparse.Namespace) -> ReconcileConfig | None:
    """The configuration, its source checked now; None when reconciliation is not asked for."""
    if not args.reconcile_tag and not args.reconcile_orders:
        return None
    if not args.reconcile_tag or not args.reconcile_orders:
        raise UsageError("--reconcile-tag 和 --reconcile-orders 须同时给出。 / Give"
                         " --reconcile-tag and --reconcile-orders together.")
    if not args.resync_interval > 0:
        raise UsageError("订单对账要和团队服务器的快照比较，须开着重新同步（--resync-interval 大于 0）。"
                         " / Reconciliation compares with the server's snapshot, which needs the"
                         " re-sync on (--resync-interval above 0).")
    interval = _number(args.reconcile_interval, "--reconcile-interval", float)
    limit = str(args.reconcile_max_changes).strip()
    share = _number(limit[:-1], "--reconcile-max-changes", float) / 100 if limit.endswith(
        "%") else 0.0
    max_changes = 0 if share else int(_number(limit, "--reconcile-max-changes", int))
    if share > 1:
        raise UsageError("--reconcile-max-changes 的百分比不能超过 100%。"
                         " / --reconcile-max-changes cannot be over 100%.")
    from desktop.server import order_sources
    from desktop.server.reconcile_job import ReconcileConfig
    from desktop.services.logs import register_secret

    orders_db = args.reconcile_orders_db or args.db
    if args.reconcile_orders_db and not orders_db.startswith(("postgresql://", "postgres://")):
        raise UsageError("--reconcile-orders-db 须是 postgresql:// 开头的连接地址。"
                         " / --reconcile-orders-db must be a postgresql:// connection URL.")
    password = urlsplit(orders_db).password
    if password:
        register_secret(password)
    order_sources.check(args.reconcile_orders, orders_db)
    return ReconcileConfig(tag=args.reconcile_tag.strip(), orders=args.reconcile_orders,
                           orders_db=orders_db, interval_s=interval, max_changes=max_changes,
                           max_share=share, workers=max(1, args.concurrency // 2))


def _number(text: str, option: str, kind: type[float] | type[int]) -> float:
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if not value > 0:
        raise UsageError(f"{option} 须是大于 0 的数（收到「{echo(text)}」）。 / {option} must be a"
                         f" number above 0 (got \"{echo(text)}\").")
    return float(value)
