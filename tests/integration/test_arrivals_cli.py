"""Live codes and pre-tags end to end on the sandbox: a customer added on "the phone" through
a live code (or named by a pre-tag) is tagged by the next `tagdesk sync`, once, as a batch
journaled under its source; expired and cancelled pre-tags tag nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import ProfileStore
from tests.cli_json import last_json
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("arrivals-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=120, members=5, seed=11)) as server:
        yield server


@pytest.fixture(scope="module")
def cli(corp: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("arrivals-home"))
    cli.add_profile(corp)
    assert cli("sync", "--profile", "acme").returncode == 0
    return cli


def two_tags(corp: SandboxServer) -> tuple[tuple[str, str], tuple[str, str]]:
    """Two (label, id) tags from different groups."""
    by_name = sorted(corp.state.tag_ids_by_name().items())
    first = by_name[0]
    second = next(item for item in by_name if item[0][0] != first[0][0])
    return ((f"{first[0][0]}:{first[0][1]}", first[1]),
            (f"{second[0][0]}:{second[0][1]}", second[1]))


def phone_add(cli: Cli, corp: SandboxServer, userid: str, *extra: str) -> str:
    added = last_json(cli("sandbox", "phone", "--data", str(corp.config.data_dir), "--json",
                          "add-customer", "--userid", userid, *extra))
    return str(added["external_userid"])


def todays_customers(cli: Cli, state: str) -> int:
    report = last_json(cli("livecodes", "report", "--profile", "acme", "--json"))
    today = date.today().isoformat()
    return sum(r["customers"] for r in report["rows"] if (r["state"], r["day"]) == (state, today))


def batch_sources(cli: Cli) -> list[str]:
    with closing(sqlite3.connect(ProfileStore(cli.home).cache_path("acme"))) as conn:
        return [str(s) for (s,) in conn.execute("SELECT source FROM batch ORDER BY created_at")]


def test_a_live_code_tags_the_customers_it_brings(cli: Cli, corp: SandboxServer) -> None:
    (label_a, tag_a), (label_b, tag_b) = two_tags(corp)
    member = corp.state.follow_users()[0]
    made = last_json(cli("livecodes", "create", "--profile", "acme", "--state", "expo2026",
                         "--members", member, "--tags", f"{label_a},{label_b}",
                         "--remark", "展会", "--json"))
    config_id = made["config_id"]
    assert made["state"] == "expo2026" and sorted(made["tag_ids"]) == sorted([tag_a, tag_b])
    assert corp.state.contact_way_ids()["expo2026"] == config_id
    listed = last_json(cli("livecodes", "list", "--profile", "acme", "--json"))["livecodes"]
    assert [c["tags"] for c in listed if c["config_id"] == config_id] == [[label_a, label_b]]
    taken = cli("livecodes", "create", "--profile", "acme", "--state", "expo2026",
                "--members", member)
    assert taken.returncode != 0 and "expo2026" in taken.stderr
    assert "Traceback" not in taken.stderr
    untagged = last_json(cli("livecodes", "create", "--profile", "acme", "--state", "bare_code",
                             "--members", member, "--json"))
    twin = cli("livecodes", "create", "--profile", "acme", "--state", "bare_code",
               "--members", member)
    assert twin.returncode != 0 and untagged["config_id"] in twin.stderr  # WeCom lists it
    codes = last_json(cli("livecodes", "list", "--profile", "acme", "--json"))["livecodes"]
    assert [c["config_id"] for c in codes if c["state"] == "bare_code"] == [
        untagged["config_id"]]

    today = date.today().isoformat()
    before = todays_customers(cli, "expo2026")
    newcomer = phone_add(cli, corp, member, "--state", "expo2026")
    elsewhere = phone_add(cli, corp, member, "--state", "other_channel")
    synced = last_json(cli("sync", "--profile", "acme", "--json"))
    assert synced["arrivals"]["tagged"] == {"livecode": 1}
    assert {tag_a, tag_b} <= corp.state.relation_tag_ids(member, newcomer)
    assert not {tag_a, tag_b} & corp.state.relation_tag_ids(member, elsewhere)
    assert batch_sources(cli)[-1] == "livecode"

    again = last_json(cli("sync", "--profile", "acme", "--json"))
    assert again["arrivals"]["tagged"] == {} and again["arrivals"]["batches"] == []

    assert todays_customers(cli, "expo2026") == before + 1
    report = last_json(cli("livecodes", "report", "--profile", "acme", "--since", today,
                           "--json"))
    assert {r["day"] for r in report["rows"]} == {today}
    assert report["totals"]["expo2026"] == before + 1
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    earlier = last_json(cli("livecodes", "report", "--profile", "acme", "--until", yesterday,
                            "--json"))
    assert earlier["until"] == yesterday and today not in {r["day"] for r in earlier["rows"]}

    edited = last_json(cli("livecodes", "edit", config_id, "--profile", "acme", "--tags",
                           label_a, "--remark", "展会二", "--json"))
    assert edited["tag_ids"] == [tag_a] and edited["remark"] == "展会二"
    second = phone_add(cli, corp, member, "--state", "expo2026")
    last_json(cli("sync", "--profile", "acme", "--json"))
    assert tag_a in corp.state.relation_tag_ids(member, second)
    assert tag_b not in corp.state.relation_tag_ids(member, second)

    removed = last_json(cli("livecodes", "remove", config_id, "--profile", "acme", "--json"))
    assert removed["removed"] and config_id not in corp.state.contact_way_ids().values()
    third = phone_add(cli, corp, member, "--state", "expo2026")
    last_json(cli("sync", "--profile", "acme", "--json"))
    assert tag_a not in corp.state.relation_tag_ids(member, third)


def test_pre_tags_land_when_their_customer_is_added(cli: Cli, corp: SandboxServer,
                                                    tmp_path: Path) -> None:
    (label_a, tag_a), (label_b, tag_b) = two_tags(corp)
    members = corp.state.follow_users()
    followed = {e for u, e in corp.state.relations() if u == members[1]}
    owner, existing = next((u, e) for u, e in sorted(corp.state.relations())
                           if e not in followed and tag_a not in corp.state.relation_tag_ids(u, e))
    by_id = last_json(cli("pretag", "add", "--profile", "acme", "--external-userid", existing,
                          "--tags", label_a, "--json"))
    sheet = tmp_path / "pretags.csv"
    sheet.write_text("手机号,标签,有效天数\n+86 139-0013-9000," + label_b + ",7\n"
                     "12,标签,7\n138 0000 0000,不存在的标签,\n", encoding="utf-8")
    refused = cli("pretag", "import", str(sheet), "--profile", "acme", "--json")
    assert refused.returncode == 1 and "--skip-bad-rows" in refused.stderr
    bad = json.loads(refused.stdout.strip().splitlines()[-1])
    assert bad["queued"] == 0 and [r["line"] for r in bad["bad_rows"]] == [3, 4]
    imported = last_json(cli("pretag", "import", str(sheet), "--profile", "acme",
                             "--skip-bad-rows", "--json"))
    assert imported["queued"] == 1
    cancelled = last_json(cli("pretag", "add", "--profile", "acme", "--unionid", "oNobody",
                              "--tags", label_a, "--json"))
    last_json(cli("pretag", "cancel", str(cancelled["id"]), "--profile", "acme", "--json"))
    twice = cli("pretag", "cancel", str(cancelled["id"]), "--profile", "acme")
    assert twice.returncode != 0 and "Traceback" not in twice.stderr

    assert last_json(cli("sync", "--profile", "acme", "--json"))["arrivals"]["tagged"] == {}
    assert tag_a not in corp.state.relation_tag_ids(owner, existing)   # made before the pre-tag

    phone_add(cli, corp, members[1], "--external-userid", existing)
    phoned = phone_add(cli, corp, members[2])
    with corp.state.transaction() as conn:   # the member types the number into the remark
        conn.execute("UPDATE relation SET remark_mobiles = ? WHERE userid = ? AND"
                     " external_userid = ?", (json.dumps(["13900139000"]), members[2], phoned))
    synced = last_json(cli("sync", "--profile", "acme", "--json"))
    assert synced["arrivals"]["tagged"] == {"pretag": 2}
    assert tag_a in corp.state.relation_tag_ids(members[1], existing)
    assert tag_b in corp.state.relation_tag_ids(members[2], phoned)
    assert batch_sources(cli)[-1] == "pretag"

    listed = {p["id"]: p for p in last_json(
        cli("pretag", "list", "--profile", "acme", "--json"))["pretags"]}
    assert listed[by_id["id"]]["status"] == "applied"
    assert listed[by_id["id"]]["batch_id"] == synced["arrivals"]["batches"][0]
    assert listed[by_id["id"]]["closed_at"] is not None
    assert listed[cancelled["id"]]["status"] == "cancelled"
    assert listed[imported["ids"][0]]["tags"] == [label_b]


def test_an_expired_pre_tag_tags_nobody(cli: Cli, corp: SandboxServer) -> None:
    (label_a, tag_a), _ = two_tags(corp)
    member = corp.state.follow_users()[3]
    queued = last_json(cli("pretag", "add", "--profile", "acme", "--phone", "13700137000",
                           "--tags", label_a, "--expires-days", "1", "--json"))
    with closing(sqlite3.connect(ProfileStore(cli.home).cache_path("acme"))) as conn, conn:
        conn.execute("UPDATE arrival SET expires_at = expires_at - 2 * 86400 WHERE id = ?",
                     (queued["id"],))
    listed = last_json(cli("pretag", "list", "--profile", "acme", "--json"))["pretags"]
    assert [p["status"] for p in listed if p["id"] == queued["id"]] == ["expired"]
    newcomer = phone_add(cli, corp, member)
    with corp.state.transaction() as sandbox:
        sandbox.execute("UPDATE relation SET remark_mobiles = ? WHERE userid = ? AND"
                        " external_userid = ?", (json.dumps(["137 0013 7000"]), member, newcomer))
    synced = last_json(cli("sync", "--profile", "acme", "--json"))
    assert synced["arrivals"]["expired"] == 1 and synced["arrivals"]["tagged"] == {}
    assert tag_a not in corp.state.relation_tag_ids(member, newcomer)
    bad = cli("pretag", "add", "--profile", "acme", "--phone", "abc", "--tags", label_a)
    assert bad.returncode != 0 and "phone" in bad.stderr and "Traceback" not in bad.stderr


def test_a_pre_tag_workbook_is_checked_row_by_row(cli: Cli, corp: SandboxServer,
                                                  tmp_path: Path) -> None:
    from openpyxl import Workbook

    (label_a, _), (label_b, _) = two_tags(corp)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["unionid", "external_userid", "标签"], ["oAbc123", "", f"{label_a}、{label_b}"],
                ["oAbc124", "wmBoth", label_a], ["", "", label_a]):
        sheet.append(row)
    path = tmp_path / "leads.xlsx"
    book.save(path)
    result = cli("pretag", "import", str(path), "--profile", "acme", "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["queued"] == 0 and [r["line"] for r in found["bad_rows"]] == [3, 4]
    assert "exactly one" in found["bad_rows"][0]["problem_en"]
