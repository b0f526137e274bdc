"""The team journal as the desktops see it: rows carry the desktop's batch id, source and
before / after; export, revert and the filters read it through the server."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from PySide6.QtCore import Qt

from desktop.cli import main
from desktop.sandbox import SandboxServer
from desktop.server import team_journal
from desktop.services.profiles import ProfileStore
from desktop.services.workspace import open_workspace
from desktop.store import journal_query
from desktop.store.db import Cache
from desktop.store.journal import JournalEntry
from desktop.store.journal_query import PAGE_SIZE, JournalFilter
from desktop.ui.audit_model import LABELS, AuditRowsModel, RowColumn
from desktop.ui.audit_viewer import AuditViewer
from desktop.ui.context import AppContext
from desktop.ui.detail_pane import DetailPane
from desktop.ui.reports import ReportsWindow
from tests.server.team_support import (
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    tagdesk,
    team_client,
)

pytestmark = pytest.mark.integration


def _lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.strip().splitlines()]


def _team_rows(db_url: str, batch_id: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT operator, action, source, external_userid, userid, tag_id, before, after,"
            " reason, reverts_batch FROM team_journal WHERE batch_id = %s ORDER BY id",
            (batch_id,)).fetchall()


def _team_journal_sorted(db_url: str, cache: Cache, column: RowColumn, *,
                         descending: bool) -> list[int]:
    """Every team journal id in the order the viewer should show for `column`: people and
    customers by the pinyin of their names in the desktop's cache, sources by their labels
    in the UI's language (those without one after them, by code), the rest by code point,
    ties newest first."""
    field = {RowColumn.OPERATOR: "CASE WHEN source IN ('observed', 'callback') THEN ''"
                                 " ELSE operator END",
             RowColumn.CUSTOMER: "external_userid", RowColumn.TAG: "tag_name",
             RowColumn.BATCH: "batch_id", RowColumn.SOURCE: "source"}[column]
    with psycopg.connect(db_url) as conn:
        rows = [(int(str(i)), str(v)) for i, v in conn.execute(
            f"SELECT id, {field} FROM team_journal ORDER BY id DESC".encode())]
    table = {RowColumn.OPERATOR: "member", RowColumn.CUSTOMER: "customer"}.get(column)
    names: dict[str, str] = {}
    if table is not None:
        key = "userid" if table == "member" else "external_userid"
        names = dict(cache.connection().execute(
            f"SELECT {key}, name_sort FROM {table} WHERE name_sort != ''").fetchall())
    if column == RowColumn.SOURCE:
        labelled = {code: f"{rank:04d}" for rank, code in enumerate(LABELS.source_order())}
        names = {code: labelled.get(code, f"9999{code}") for _, code in rows}
    ordered = sorted(rows, key=lambda row: names.get(row[1]) or row[1], reverse=descending)
    return [row_id for row_id, _ in ordered]


def _recording_resets(model: AuditRowsModel, seen: list[list[int]]) -> Callable[[], None]:
    """Connected to the model: the ids it shows at each reset go into `seen`."""
    def reset() -> None:
        seen.append(list(model.ids))

    model.modelReset.connect(reset)
    return reset


@pytest.fixture(scope="module")
def seller(team_sandbox: SandboxServer) -> str:
    return sorted(team_sandbox.state.follow_users())[0]


@pytest.fixture(scope="module")
def seller_env(team_server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
               tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The salesperson's desktop: logged in and synced through the team server."""
    env = desktop_env(tmp_path_factory.mktemp("seller"))
    cli_login(env, team_server.url, team_sandbox, seller)
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env


def _retag(env: dict[str, str], owner: str, tag: str, *, add: bool = True) -> str:
    """A batch by the salesperson on their own customers; its batch id."""
    done = tagdesk("retag", "--profile", "team", "--filter", f"owner:{owner}",
                   "--add" if add else "--remove", tag, "--yes", "--json", env=env,
                   timeout=120)
    assert done.returncode == 0, done.stderr
    return str(_lines(done.stdout)[-1]["batch_id"])


def test_a_desktops_batch_is_journaled_with_its_batch_id_and_before_after(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
    seller_env: dict[str, str],
) -> None:
    (group, name), tag_id = sorted(team_sandbox.state.tag_ids_by_name().items())[2]
    relations = [(u, e) for u, e in team_sandbox.state.relations() if u == seller]
    had = {e for u, e in relations if tag_id in team_sandbox.state.relation_tag_ids(u, e)}
    befores = {e: sorted(team_sandbox.state.relation_tag_ids(u, e)) for u, e in relations}
    batch_id = _retag(seller_env, seller, f"{group}:{name}")

    rows = _team_rows(team_server.db_url, batch_id)
    changed = sorted(e for _, e in relations if e not in had)
    assert changed and sorted(str(r[3]) for r in rows) == changed  # no row for a no-op
    for operator, action, source, euid, userid, row_tag, before, after, reason, reverts in rows:
        assert (operator, action, source, userid, row_tag, reason, reverts) == (
            seller, "tag_add", "batch", seller, tag_id, "", "")
        assert json.loads(str(before)) == befores[str(euid)]
        assert json.loads(str(after)) == sorted({*befores[str(euid)], tag_id})


def test_a_batch_resumed_after_a_restart_is_not_sent_or_journaled_again(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
    seller_env: dict[str, str],
) -> None:
    """The desktop died after the server made its calls but before it recorded the answers:
    the resumed batch sends the same call keys, so the server answers them from its outbox."""
    (group, name), _ = sorted(team_sandbox.state.tag_ids_by_name().items())[3]
    batch_id = _retag(seller_env, seller, f"{group}:{name}")
    journaled = _team_rows(team_server.db_url, batch_id)
    assert journaled
    cache = Cache(ProfileStore(Path(seller_env["TAGDESK_HOME"])).cache_path("team"))
    with cache.write() as conn:
        sent = conn.execute("UPDATE outbox SET status = 'pending' WHERE batch_id = ?",
                            (batch_id,)).rowcount
        conn.execute("UPDATE batch SET status = 'running' WHERE id = ?", (batch_id,))
    cache.close()
    calls = team_sandbox.stats.calls("externalcontact/mark_tag")

    resumed = tagdesk("batch", "resume", batch_id, "--profile", "team", "--json",
                      env=seller_env, timeout=120)

    assert resumed.returncode == 0, resumed.stderr
    assert _lines(resumed.stdout)[-1]["applied"] == sent
    assert team_sandbox.stats.calls("externalcontact/mark_tag") == calls
    assert _team_rows(team_server.db_url, batch_id) == journaled


def test_a_malformed_note_is_refused_and_journals_nothing(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    writer = sorted(team_sandbox.state.follow_users())[5]
    device = log_in(team_server.url, team_sandbox, writer)
    token = requests.get(team_server.url + "cgi-bin/gettoken", timeout=10, params={
        "corpid": team_sandbox.corp_id, "corpsecret": device.token}).json()["access_token"]
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[0]
    userid, euid = next(iter(team_sandbox.state.relations()))
    body = {"userid": userid, "external_userid": euid, "add_tag": [tag_id]}
    for header, value, named in (("X-TagDesk-Source", "observed", "X-TagDesk-Source"),
                                 ("X-TagDesk-Before", "[1, 2]", "X-TagDesk-Before"),
                                 ("X-TagDesk-Batch", "x" * 65, "X-TagDesk-Batch")):
        answer = requests.post(team_server.url + "cgi-bin/externalcontact/mark_tag",
                               timeout=10, params={"access_token": token},
                               headers={header: value}, json=body).json()
        assert answer["errcode"] == 47001 and named in answer["errmsg"]
    with psycopg.connect(team_server.db_url) as conn:
        found = conn.execute("SELECT count(*) FROM outbox WHERE operator = %s",
                             (writer,)).fetchone()
    assert found == (0,)


@pytest.fixture(scope="module")
def supervisor(team_sandbox: SandboxServer) -> str:
    return sorted(team_sandbox.state.follow_users())[1]


@pytest.fixture(scope="module")
def supervisor_env(team_server: TeamServerProcess, team_sandbox: SandboxServer,
                   supervisor: str, tmp_path_factory: pytest.TempPathFactory
                   ) -> dict[str, str]:
    """A supervisor on another desktop: logged in and synced through the same server."""
    env = desktop_env(tmp_path_factory.mktemp("supervisor"))
    cli_login(env, team_server.url, team_sandbox, supervisor)
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env


@pytest.fixture(scope="module")
def seller_batch(team_sandbox: SandboxServer, seller: str, seller_env: dict[str, str]
                 ) -> tuple[str, str, list[str]]:
    """(batch id, tag id, customers it tagged): a batch of the salesperson's."""
    (group, name), tag_id = sorted(team_sandbox.state.tag_ids_by_name().items())[4]
    untagged = sorted(e for u, e in team_sandbox.state.relations()
                      if u == seller and tag_id not in team_sandbox.state.relation_tag_ids(u, e))
    assert untagged
    return _retag(seller_env, seller, f"{group}:{name}"), tag_id, untagged


def test_audit_export_on_a_team_profile_reads_the_team_journal(
    team_sandbox: SandboxServer, seller: str, supervisor_env: dict[str, str],
    seller_batch: tuple[str, str, list[str]], tmp_path: Path,
) -> None:
    batch_id, tag_id, customers = seller_batch
    target = tmp_path / "team-audit.csv"
    done = tagdesk("audit", "export", "--profile", "team", "--batch", batch_id, str(target),
                   env=supervisor_env)
    assert done.returncode == 0, done.stderr
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with team_sandbox.state.transaction() as conn:
        seller_name = conn.execute("SELECT name FROM member WHERE userid = ?",
                                   (seller,)).fetchone()[0]
    assert sorted(r["external_userid"] for r in rows) == customers
    assert {(r["operator"], r["operator_name"], r["batch_id"], r["tag_id"], r["source"])
            for r in rows} == {(seller, seller_name, batch_id, tag_id, "batch")}
    assert all(r["customer"] for r in rows)  # names from the supervisor's own cache


def test_audit_revert_on_a_team_profile_goes_through_the_server_under_the_reverter(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
    supervisor: str, supervisor_env: dict[str, str],
    seller_batch: tuple[str, str, list[str]],
) -> None:
    batch_id, tag_id, customers = seller_batch
    done = tagdesk("audit", "revert", batch_id, "--profile", "team", "--yes", "--json",
                   env=supervisor_env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    outcome = _lines(done.stdout)[-1]
    revert_batch = str(outcome["batch_id"])
    assert outcome["result"]["applied"] == len(customers)  # type: ignore[index]
    assert all(tag_id not in team_sandbox.state.relation_tag_ids(seller, e) for e in customers)
    with psycopg.connect(team_server.db_url) as conn:
        rows = conn.execute(
            "SELECT operator, action, source, batch_id, external_userid, tag_id, reason"
            " FROM team_journal WHERE reverts_batch = %s ORDER BY id", (batch_id,)).fetchall()
    assert sorted(r[4] for r in rows) == customers
    assert {(r[0], r[1], r[2], r[3], r[5]) for r in rows} == {
        (supervisor, "tag_remove", "revert", revert_batch, tag_id)}
    assert {str(r[6]) for r in rows} == {f"回滚批次 {batch_id} / Reverts batch {batch_id}"}
    listed = tagdesk("audit", "list", "--profile", "team", "--batch", revert_batch, "--json",
                     env=supervisor_env)
    assert _lines(listed.stdout)[-1]["rows"] == len(customers)


FILTERS = {
    "operator": "operator = ANY(%s)", "tag": "(tag_id = ANY(%s) OR tag_name = ANY(%s))",
    "customer": "external_userid = ANY(%s)", "date": "ts >= %s AND ts < %s",
    "owner": "userid = ANY(%s)", "batch": "batch_id = ANY(%s)",
}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_team_journal_filter_is_served_by_an_index(
    team_server: TeamServerProcess, name: str
) -> None:
    condition = FILTERS[name]
    params: list[object] = [1.0, 2.0] if name == "date" else [["a"]] * condition.count("%s")
    with psycopg.connect(team_server.db_url) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(str(row[0]) for row in conn.execute(
            f"EXPLAIN SELECT id FROM team_journal WHERE {condition}".encode(), params))
    assert "Seq Scan" not in plan and "Index" in plan, plan


def test_team_audit_filters_run_on_the_server(
    team_sandbox: SandboxServer, seller: str, supervisor_env: dict[str, str],
    seller_batch: tuple[str, str, list[str]], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    batch_id, tag_id, customers = seller_batch
    name = next(n for (_, n), t in team_sandbox.state.tag_ids_by_name().items() if t == tag_id)
    for key, value in supervisor_env.items():
        monkeypatch.setenv(key, value)

    def listed(*criteria: str) -> list[dict[str, object]]:
        capsys.readouterr()
        assert main(["audit", "list", "--profile", "team", "--json", *criteria]) == 0
        return _lines(capsys.readouterr().out)[:-1]

    mine = listed("--operator", seller, "--tag", name, "--since", "1h")
    assert {str(r["batch_id"]) for r in mine} >= {batch_id}
    assert all(r["operator"] == seller and r["tag_id"] == tag_id for r in mine)
    one = listed("--customer", customers[0], "--batch", batch_id)
    assert [(r["external_userid"], r["action"]) for r in one] == [(customers[0], "tag_add")]
    assert listed("--until", "2000-01-01") == []
    assert listed("--operator", "x' OR '1'='1") == []

    cache = Cache(ProfileStore(Path(supervisor_env["TAGDESK_HOME"])).cache_path("team"))
    department, = cache.connection().execute(
        "SELECT department_id FROM member_department WHERE userid = ? LIMIT 1",
        (seller,)).fetchone()
    owners = set(journal_query.department_members(cache, department))
    cache.close()
    theirs = listed("--department", str(department), "--batch", batch_id)
    assert {r["userid"] for r in theirs} == {seller} <= owners and len(theirs) == len(customers)


@pytest.mark.gui
def test_the_viewer_on_a_supervisors_team_profile_pages_the_team_journal(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, team_server: TeamServerProcess,
    team_sandbox: SandboxServer, seller: str, supervisor_env: dict[str, str],
    seller_batch: tuple[str, str, list[str]],
) -> None:
    batch_id, _, customers = seller_batch
    with psycopg.connect(team_server.db_url) as conn:  # more rows than the first page holds
        team_journal.append(conn, [
            JournalEntry(operator="bulk-writer", action="tag_create", source="tree",
                         tag_id=f"et-bulk-{i}", tag_name=f"bulk {i}") for i in range(PAGE_SIZE)
        ], None)
    synced = tagdesk("sync", "--profile", "team", env=supervisor_env, timeout=120)
    assert synced.returncode == 0, synced.stderr   # the local mirror sees the batch as observed
    for key, value in supervisor_env.items():
        monkeypatch.setenv(key, value)
    workspace = open_workspace(Path(supervisor_env["TAGDESK_HOME"]), "team")
    mirrored = workspace.cache.connection().execute(
        "SELECT count(*) FROM journal WHERE source = 'observed'").fetchone()[0]
    assert mirrored >= len(customers)
    context = AppContext(workspace)
    try:
        viewer = AuditViewer(context)
        qtbot.addWidget(viewer)
        model = viewer.rows_model
        qtbot.waitUntil(lambda: model.complete, timeout=20000)
        assert team_server.url in viewer.windowTitle()
        assert len(model.ids) > PAGE_SIZE
        oldest = len(model.ids) - 1
        assert model.data(model.index(oldest, RowColumn.TIME)) == "Loading…"
        qtbot.waitUntil(lambda: model.row_at(oldest) is not None, timeout=20000)

        qtbot.waitUntil(lambda: viewer.filters.operator.findData(seller) >= 0, timeout=20000)
        with qtbot.waitSignal(model.loaded, timeout=20000):
            viewer.filters.choose(viewer.filters.operator, seller)
        with team_sandbox.state.transaction() as conn:
            seller_name = conn.execute("SELECT name FROM member WHERE userid = ?",
                                       (seller,)).fetchone()[0]
        qtbot.waitUntil(lambda: all(model.row_at(i) for i in range(len(model.ids))),
                        timeout=20000)   # pages not read with the first one load as they show
        rows = [model.row_at(i) for i in range(len(model.ids))]
        with psycopg.connect(team_server.db_url) as conn:
            theirs = [r[0] for r in conn.execute(
                "SELECT id FROM team_journal WHERE operator = %s ORDER BY id DESC", (seller,))]
        assert list(model.ids) == theirs   # the team journal only, never the local mirror
        ours = [row for row in rows if row is not None and row.batch_id == batch_id
                and row.action == "tag_add"]
        assert sorted(row.external_userid for row in ours) == customers
        line = ours[0]
        number = rows.index(line)
        assert model.data(model.index(number, RowColumn.OPERATOR)) == f"{seller_name} ({seller})"
        assert model.data(model.index(number, RowColumn.BATCH)) == batch_id
        viewer.select_row(number)
        detail = viewer.detail.toPlainText()
        assert batch_id in detail and line.tag_name in detail
        viewer.batches_button.setChecked(True)
        qtbot.waitUntil(lambda: any(
            b.batch_id == batch_id for b in viewer.batches_model.lines), timeout=20000)
        batch = next(b for b in viewer.batches_model.lines if b.batch_id == batch_id)
        assert batch.operators == (seller,) and batch.by_action.get("tag_add") == len(customers)

        shown = len(model.ids)     # the seller tags once more while the supervisor watches
        tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[-2]
        euid = next(e for u, e in team_sandbox.state.relations()
                    if u == seller and tag_id not in team_sandbox.state.relation_tag_ids(u, e))
        device = log_in(team_server.url, team_sandbox, seller)
        with team_client(team_server.url, team_sandbox, device.token) as client:
            client.mark_tag(seller, euid, add=[tag_id])
        viewer.show()
        assert viewer.watch is not None
        with qtbot.waitSignal(model.loaded, timeout=20000):
            viewer.watch.check()
        assert len(model.ids) == shown + 1

        newest_first = list(model.ids)
        with qtbot.waitSignal(model.loaded, timeout=20000):
            model.sort(RowColumn.TIME, Qt.SortOrder.AscendingOrder)   # oldest first
        assert list(model.ids) == newest_first[::-1]
        with qtbot.waitSignal(model.loaded, timeout=20000):
            model.set_filter(JournalFilter())
        for column, order in ((RowColumn.OPERATOR, Qt.SortOrder.AscendingOrder),
                              (RowColumn.CUSTOMER, Qt.SortOrder.DescendingOrder),
                              (RowColumn.TAG, Qt.SortOrder.AscendingOrder),
                              (RowColumn.BATCH, Qt.SortOrder.DescendingOrder),
                              (RowColumn.SOURCE, Qt.SortOrder.AscendingOrder)):
            resets: list[list[int]] = []
            reset = _recording_resets(model, resets)
            with qtbot.waitSignal(model.loaded, timeout=20000):
                model.sort(column, order)      # every matching row, sorted by the server
            model.modelReset.disconnect(reset)
            # the first page, shown before every id arrived, is the new order's first page
            assert all(ids == list(model.ids)[:len(ids)] for ids in resets), column
            assert model.order == (column, order)
            assert viewer.rows_view.horizontalHeader().sortIndicatorSection() == column
            expected = _team_journal_sorted(team_server.db_url, workspace.cache, column,
                                            descending=order == Qt.SortOrder.DescendingOrder)
            assert list(model.ids) == expected, column
            assert len(set(expected)) > 1

        loaded: set[str] = set()
        reports = ReportsWindow(context)
        qtbot.addWidget(reports)
        reports.loaded.connect(loaded.add)
        qtbot.waitUntil(lambda: {"days", "operators"} <= loaded, timeout=20000)
        assert team_server.url in reports.windowTitle()
        people = {c.operator: (c.name, c.changes) for c in reports.operators}
        assert people[seller][0] == seller_name and people[seller][1] >= len(customers)
        assert reports.days is not None and sum(reports.days.counts["batch"]) >= len(customers)

        reports.show()
        qtbot.waitExposed(reports)
        loaded.clear()
        with team_client(team_server.url, team_sandbox, device.token) as client:
            client.mark_tag(seller, euid, remove=[tag_id])     # another desktop, meanwhile
        reports.hide()
        reports.show()                       # opened again: counted afresh from the team journal
        qtbot.waitUntil(lambda: {"days", "operators"} <= loaded, timeout=20000)
        assert {c.operator: c.changes for c in reports.operators}[seller] == people[seller][1] + 1

        pane = DetailPane(context)      # a customer's recent changes: the team journal's, by name
        qtbot.addWidget(pane)
        pane.show_relation(int(str(workspace.cache.scalar(
            "SELECT id FROM relation WHERE external_userid = ? AND userid = ?",
            (customers[0], seller)))))
        qtbot.waitUntil(lambda: f"· {seller_name} →" in pane.browser.visible_text(),
                        timeout=20000)
        with psycopg.connect(team_server.db_url) as conn:   # a phone added the customer again
            team_journal.append(conn, [JournalEntry(
                operator="", action="customer_add", source="callback",
                external_userid=customers[0], userid=seller)], None)
        pane.show_relation(None)
        pane.show_relation(int(str(workspace.cache.scalar(
            "SELECT id FROM relation WHERE external_userid = ? AND userid = ?",
            (customers[0], seller)))))
        qtbot.waitUntil(lambda: "Customer added · WeCom client / unknown, seen at sync →"
                        in pane.browser.visible_text(), timeout=20000)
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()


def test_a_tag_tree_edit_reaches_the_team_journal_as_the_tag_trees(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, supervisor: str,
    supervisor_env: dict[str, str],
) -> None:
    (group, name), tag_id = sorted(team_sandbox.state.tag_ids_by_name().items())[-1]
    for new, old in (("改名测试", name), (name, "改名测试")):
        done = tagdesk("tags", "rename", f"{group}:{old}" if old == name else old, new,
                       "--profile", "team", env=supervisor_env)
        assert done.returncode == 0, done.stdout + done.stderr
    with psycopg.connect(team_server.db_url) as conn:
        rows = conn.execute(
            "SELECT operator, source, before, after FROM team_journal WHERE action ="
            " 'tag_rename' AND tag_id = %s ORDER BY id", (tag_id,)).fetchall()
    assert rows == [(supervisor, "tree", f'{{"name": "{name}"}}', '{"name": "改名测试"}'),
                    (supervisor, "tree", '{"name": "改名测试"}', f'{{"name": "{name}"}}')]


@pytest.mark.gui
def test_the_viewer_reverts_a_salespersons_batch_through_the_server(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, team_server: TeamServerProcess,
    team_sandbox: SandboxServer, seller: str, supervisor: str, seller_env: dict[str, str],
    supervisor_env: dict[str, str],
) -> None:
    (group, name), tag_id = sorted(team_sandbox.state.tag_ids_by_name().items())[5]
    batch_id = _retag(seller_env, seller, f"{group}:{name}")
    changed = [str(e) for e, in _column(team_server.db_url, "external_userid", batch_id)]
    assert changed
    for key, value in supervisor_env.items():
        monkeypatch.setenv(key, value)
    workspace = open_workspace(Path(supervisor_env["TAGDESK_HOME"]), "team")
    context = AppContext(workspace)
    try:
        viewer = AuditViewer(context)
        qtbot.addWidget(viewer)
        qtbot.waitUntil(lambda: viewer.rows_model.complete, timeout=20000)
        with qtbot.waitSignal(viewer.rows_model.loaded, timeout=20000):
            viewer.filters.batch.setText(batch_id)
        qtbot.waitUntil(lambda: viewer.rows_model.row_at(0) is not None, timeout=20000)
        viewer.select_row(0)
        viewer.revert_button.click()
        qtbot.waitUntil(lambda: viewer.revert_dialog is not None, timeout=30000)
        dialog = viewer.revert_dialog
        assert dialog is not None and dialog.ok_button.isEnabled()
        with qtbot.waitSignal(viewer.reverted, timeout=60000) as done:
            dialog.accept()
        assert done.args[0].applied == len(changed)
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
    assert all(tag_id not in team_sandbox.state.relation_tag_ids(seller, e) for e in changed)
    with psycopg.connect(team_server.db_url) as conn:
        rows = conn.execute("SELECT DISTINCT operator, source, action FROM team_journal"
                            " WHERE reverts_batch = %s", (batch_id,)).fetchall()
    assert rows == [(supervisor, "revert", "tag_remove")]


def _column(db_url: str, column: str, batch_id: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(f"SELECT {column} FROM team_journal WHERE batch_id = %s".encode(),
                            (batch_id,)).fetchall()


def test_malformed_journal_requests_get_one_sentence(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    reader = log_in(team_server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[2])
    token = requests.get(team_server.url + "cgi-bin/gettoken", timeout=10, params={
        "corpid": team_sandbox.corp_id, "corpsecret": reader.token}).json()["access_token"]
    for action, body, named in (("rows", {"id": ["1; DROP TABLE team_journal"]}, "id"),
                                ("stats", {"since": 0}, "since and until"),
                                ("batches", {"utc_offset": 10**9}, "utc_offset"),
                                ("", {"limit": "many"}, "limit"),
                                ("", {"since": "nan"}, "since"),
                                ("ids", {"sort": "hash; DROP TABLE team_journal"}, "sort"),
                                ("tamper", {}, "tamper")):
        answer = requests.post(f"{team_server.url}tagdesk/v1/journal/{action}".rstrip("/"),
                               params={"access_token": token}, json=body, timeout=10).json()
        assert answer["errcode"] == 40058 and named in answer["errmsg"], (action, answer)
    with psycopg.connect(team_server.db_url) as conn:
        assert conn.execute("SELECT count(*) FROM team_journal").fetchone() is not None
