"""`tagdesk migrate --adopt GROUP` against the sandbox, whose 客户来源 group was made in the
admin console (WeCom answers 81011 to any edit of it by the app)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.sandbox import SandboxServer
from tests.integration.test_cli_hygiene import MARK_TAG, Cli, _carrying

pytestmark = pytest.mark.integration

ADD = "externalcontact/add_corp_tag"
GROUP = "客户来源"
TWIN_GROUP = "客户来源(TagDesk)"
NAMES = ("自然到店", "电话咨询", "朋友推荐", "地推")


@pytest.fixture
def cli(tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, sandbox, monkeypatch)


def _abbreviate_and_pin(cli: Cli, sandbox: SandboxServer, tag_id: str, code: str) -> None:
    from desktop.services.profiles import ProfileStore
    from desktop.services.tag_admin import TagAdminService
    from desktop.services.workspace import Workspace

    with Workspace(cli.home, ProfileStore(cli.home).get("acme"), sandbox.secret) as ws:
        admin = TagAdminService(ws)
        admin.set_abbreviation(tag_id, code)
        admin.pin("zhangsan", sandbox.state.find_tag("客户等级", "VIP") or "")
        admin.pin("zhangsan", tag_id)


def _pins(cli: Cli, sandbox: SandboxServer) -> list[str]:
    from desktop.services.profiles import ProfileStore
    from desktop.services.tag_admin import TagAdminService
    from desktop.services.workspace import Workspace

    with Workspace(cli.home, ProfileStore(cli.home).get("acme"), sandbox.secret) as ws:
        return TagAdminService(ws).pins("zhangsan")


def test_a_console_made_group_is_adopted_as_one_batch_and_the_old_group_is_left(
    cli: Cli, sandbox: SandboxServer
) -> None:
    old = {name: sandbox.state.find_tag(GROUP, name) for name in NAMES}
    assert all(old.values()) and not sandbox.state.is_app_owned(old["地推"] or "")
    carriers = {name: _carrying(sandbox, tag_id or "") for name, tag_id in old.items()}
    relations = set().union(*carriers.values())
    assert len(relations) > 50
    _abbreviate_and_pin(cli, sandbox, old["朋友推荐"] or "", "REF")

    before = sandbox.stats.calls()
    preview = cli.json("migrate", "--adopt", GROUP, "--dry-run")
    assert sandbox.stats.calls() == before
    assert preview["strategy"] == "adopt" and preview["new_group_name"] == TWIN_GROUP
    assert preview["planned"] == len(relations)
    assert preview["planned_api_calls"] == len(relations) + 1 and preview["tags_to_create"] == 4

    marks, adds = sandbox.stats.calls(MARK_TAG), sandbox.stats.calls(ADD)
    summary = cli.json("migrate", "--adopt", GROUP, "--yes")
    assert summary["planned"] == summary["applied"] == len(relations)
    assert sandbox.stats.calls(MARK_TAG) - marks == len(relations)
    assert sandbox.stats.calls(ADD) - adds == 1
    twins = {name: sandbox.state.find_tag(TWIN_GROUP, name) for name in NAMES}
    assert all(twins.values()) and all(sandbox.state.is_app_owned(t or "") for t in twins.values())
    assert summary["twins"] == {old[name]: twins[name] for name in NAMES}
    for name in NAMES:
        assert _carrying(sandbox, twins[name] or "") == carriers[name]
        assert not _carrying(sandbox, old[name] or "")
        assert sandbox.state.find_tag(GROUP, name) == old[name]   # left for an admin
    tags = {t["id"]: t for g in cli.json("tags", "list")["groups"] for t in g["tags"]}
    assert tags[twins["朋友推荐"]]["abbreviation"] == "REF"
    assert tags[old["朋友推荐"]]["abbreviation"] == ""
    assert _pins(cli, sandbox) == [sandbox.state.find_tag("客户等级", "VIP"), twins["朋友推荐"]]

    again = cli.json("migrate", "--adopt", GROUP, "--yes")
    assert again["planned"] == 0 and again["tags_to_create"] == 0
    assert sandbox.stats.calls(ADD) - adds == 1

    undone = cli("batch", "undo", summary["batch_id"], "--yes")
    assert undone.returncode == 0, undone.stderr
    assert {name: _carrying(sandbox, old[name] or "") for name in NAMES} == carriers


def test_impossible_adoptions_are_refused_in_one_sentence(
    cli: Cli, sandbox: SandboxServer
) -> None:
    before = sandbox.stats.calls()
    for args, needle in [
        (("--adopt", "没有这个组"), "no tag group"),
        (("--adopt", GROUP, "--new-group", GROUP), "cannot share the name"),
        (("--adopt", GROUP, "--from", "地推"), "does not go with"),
        (("--adopt", GROUP, "--new-group", "行业类型", "--group-cap", "20"), "would hold 21"),
    ]:
        result = cli("migrate", *args, "--yes")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and needle in lines[0], result.stderr
    assert sandbox.stats.calls() == before


def test_an_interrupted_adoption_is_resumed_then_finished_by_adopting_again(
    cli: Cli, sandbox: SandboxServer
) -> None:
    from desktop.services.adoption import AdoptionService
    from desktop.services.profiles import ProfileStore
    from desktop.services.tagging import TaggingService
    from desktop.services.workspace import Workspace

    old = sandbox.state.find_tag(GROUP, "电话咨询") or ""
    carriers = _carrying(sandbox, old)
    with Workspace(cli.home, ProfileStore(cli.home).get("acme"), sandbox.secret) as ws:
        service = AdoptionService(ws)
        plan, batch_id, _ = service.start(service.plan(GROUP))
        partial = TaggingService(ws).run(batch_id, limit=3)       # the process "dies" here
        assert partial.pending > 0 and plan.planned > 3

    refused = cli("migrate", "--adopt", GROUP, "--yes")
    assert refused.returncode == 2 and f"tagdesk batch resume {batch_id}" in refused.stderr
    adds = sandbox.stats.calls(ADD)
    resumed = cli("batch", "resume", batch_id)
    assert resumed.returncode == 0, resumed.stderr
    again = cli.json("migrate", "--adopt", GROUP, "--yes")
    assert again["planned"] == 0 and again["tags_to_create"] == 0
    assert sandbox.stats.calls(ADD) == adds
    twin = sandbox.state.find_tag(TWIN_GROUP, "电话咨询") or ""
    assert _carrying(sandbox, twin) == carriers and not _carrying(sandbox, old)


def test_probing_ownership_finds_the_console_made_groups_and_changes_nothing(
    cli: Cli, sandbox: SandboxServer
) -> None:
    console = sorted(g for g in (sandbox.state.find_group(GROUP), sandbox.state.find_group("地区"))
                     if g)
    groups = len({group for group, _ in sandbox.state.tag_ids_by_name()})   # corp groups
    assert cli.json("health")["read_only_groups"] == []
    orders = {g: sandbox.state.tag_order(g) for g in console}
    edits = sandbox.stats.calls("externalcontact/edit_corp_tag")
    report = cli.json("health", "--probe-ownership")
    assert report["read_only_groups"] == console
    assert sandbox.stats.calls("externalcontact/edit_corp_tag") - edits == groups
    assert {g: sandbox.state.tag_order(g) for g in console} == orders
    assert cli.json("health", "--probe-ownership")["read_only_groups"] == console
    assert sandbox.stats.calls("externalcontact/edit_corp_tag") - edits == 2 * groups - 2
