"""TagAdminService against the real sandbox over HTTP: what WeCom holds must match the cache."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.domain.rule_reverts import Remembered, definition_key
from desktop.domain.tags import TagKind
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import Profile
from desktop.services.rules import RulesService
from desktop.services.sync import run_sync
from desktop.services.tag_admin import (
    InvalidNameError,
    ReadOnlyTagError,
    TagAdminError,
    TagAdminService,
    check_abbreviation,
)
from desktop.services.workspace import Workspace
from desktop.store import journal, rule_store
from desktop.store import rule_reverts as revert_store
from desktop.store.snapshot import DATA_VERSION_KEY
from tests.integration import synced_copies

pytestmark = pytest.mark.integration


def _config(data_dir: Path) -> SandboxConfig:
    """tests/conftest.py's sandbox corp: 300 customers, 8 members."""
    return SandboxConfig(data_dir=data_dir, customers=300, members=8, seed=7)


def _profile(sandbox: SandboxServer) -> Profile:
    owner = sorted(sandbox.state.relations())[0][0]
    return Profile(name="test", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                   agent_id=sandbox.agent_id, userid=owner)


@pytest.fixture(scope="module")
def synced_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corp and a cache synced with it, made once for the module: each test starts from
    copies of both instead of syncing the same corp again."""
    return synced_copies.synced_template(tmp_path_factory.mktemp("synced-template"), _config,
                                         _profile)


@pytest.fixture
def sandbox(tmp_path: Path, synced_template: Path) -> Iterator[SandboxServer]:
    yield from synced_copies.sandbox_copy(synced_template, tmp_path, _config)


@pytest.fixture
def ws(tmp_path: Path, sandbox: SandboxServer, synced_template: Path) -> Iterator[Workspace]:
    yield from synced_copies.workspace_copy(synced_template, tmp_path, _profile(sandbox),
                                            sandbox.secret)


@pytest.fixture
def admin(ws: Workspace) -> TagAdminService:
    return TagAdminService(ws)


def _group(admin: TagAdminService, name: str) -> str:
    return next(g.id for g in admin.group_infos() if g.name == name)


def _tags_of(admin: TagAdminService, group_name: str) -> list[str]:
    """Tag ids of a group as WeCom sorts them (order descending)."""
    tags = [t for t in admin.tag_infos() if t.group_name == group_name]
    return [t.id for t in sorted(tags, key=lambda t: -t.order)]


def _sandbox_sorted(sandbox: Any, ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda i: -sandbox.state.tag_order(i))


def _journal(ws: Workspace, action: str) -> list[Any]:
    return ws.cache.query("SELECT * FROM journal WHERE action = ? ORDER BY id", (action,))


def _live_tag_count(sandbox: Any) -> int:
    return len(sandbox.state.tag_ids_by_name())


# -- reading ---------------------------------------------------------------------------------


def test_library_counts_match_the_sandbox(admin: TagAdminService, sandbox: Any) -> None:
    carried: dict[str, int] = {}
    for userid, external_userid in sandbox.state.relations():
        for tag_id in sandbox.state.relation_tag_ids(userid, external_userid):
            carried[tag_id] = carried.get(tag_id, 0) + 1
    tags = {t.id: t for t in admin.tag_infos()}
    assert {t for t, n in carried.items() if n} <= set(tags)
    for tag_id, tag in tags.items():
        assert tag.relation_count == carried.get(tag_id, 0), tag.name
    kinds = {t.kind for t in tags.values()}
    assert kinds == {TagKind.CORP, TagKind.STRATEGY}


def test_library_without_counts_and_personal_tags_read_only(
    admin: TagAdminService, ws: Workspace
) -> None:
    rid = int(str(ws.cache.scalar("SELECT min(id) FROM relation")))
    with ws.cache.write() as conn:
        conn.execute("INSERT INTO personal_tag VALUES (?, '', '老乡')", (rid,))
    library = admin.library(counts=False)
    personal = [t for t in library.tags if t.kind is TagKind.PERSONAL]
    assert [(t.name, t.relation_count, t.app_owned) for t in personal] == [("老乡", 1, False)]
    assert all(t.relation_count == 0 for t in library.tags if t.kind is not TagKind.PERSONAL)
    assert all(t.kind is not TagKind.PERSONAL for t in library.settable_tags())
    tree = library.tree()
    assert [root.key for root in tree.roots][-1] == "section:personal"
    with pytest.raises(ReadOnlyTagError, match="Personal tags"):
        admin.rename(personal[0].group_id, "同乡")


def test_relation_tag_counts_per_selection(admin: TagAdminService, ws: Workspace) -> None:
    ids = [int(row[0]) for row in ws.cache.query("SELECT id FROM relation ORDER BY id LIMIT 40")]
    counts = admin.relation_tag_counts(ids)
    expected = {row[0]: row[1] for row in ws.cache.query(
        "SELECT t.id, count(*) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
        f" WHERE rt.relation_id IN ({','.join(map(str, ids))}) GROUP BY t.id"
    )}
    assert counts == expected and counts


# -- reorder ---------------------------------------------------------------------------------


def test_reorder_tags_reaches_wecom_and_survives_a_resync(
    admin: TagAdminService, ws: Workspace, sandbox: Any
) -> None:
    group_id = _group(admin, "客户阶段")
    before = _tags_of(admin, "客户阶段")
    wanted = [before[-1], *before[:-1]]
    changes = admin.reorder_tags(group_id, wanted, moved=[before[-1]])
    assert changes.tags_changed and changes.journal_appended
    assert _sandbox_sorted(sandbox, before) == wanted
    assert _tags_of(admin, "客户阶段") == wanted
    rows = _journal(ws, "tag_reorder")
    assert rows and all(row["source"] == "tree" and row["batch_id"] == changes.batch_id
                        for row in rows)
    first = json.loads(rows[0]["after"])["order"]
    assert sandbox.state.tag_order(rows[0]["tag_id"]) == first
    run_sync(ws.client(), ws.cache)
    assert _tags_of(admin, "客户阶段") == wanted
    assert journal.verify(ws.cache).ok


def test_reorder_groups(admin: TagAdminService, ws: Workspace, sandbox: Any) -> None:
    corp = [g for g in admin.group_infos() if g.kind is TagKind.CORP]
    ordered = [g.id for g in sorted(corp, key=lambda g: -g.order)]
    wanted = [*ordered[1:-1], ordered[0], ordered[-1]]  # the top group just above the last
    changes = admin.reorder_groups(wanted, moved=[ordered[0]])
    assert _sandbox_sorted(sandbox, ordered) == wanted
    rows = _journal(ws, "group_reorder")
    assert [row["tag_id"] for row in rows] == [ordered[0]]
    assert rows[0]["batch_id"] == changes.batch_id


def test_reorder_plans_again_around_a_console_tag(admin: TagAdminService, sandbox: Any) -> None:
    console_id = sandbox.state.console_add_tag("意向程度", "待判断")
    names = ("中意向", "高意向", "低意向")
    middle, high, low = (sandbox.state.find_tag("意向程度", n) for n in names)
    for tag_id, order in ((middle, 30), (console_id, 20), (high, 10), (low, 5)):
        sandbox.state.console_edit_tag(tag_id, order=order)
    run_sync(admin.ws.client(), admin.cache)
    wanted = [console_id, middle, high, low]
    # Not yet known as console-made, so the cheapest plan moves it; WeCom answers 81011 and
    # the service plans again without it.
    admin.reorder_tags(_group(admin, "意向程度"), wanted, moved=[console_id])
    assert _sandbox_sorted(sandbox, wanted) == wanted
    assert sandbox.state.tag_order(console_id) == 20
    assert admin.read_only_ids() == {console_id}
    assert _tags_of(admin, "意向程度") == wanted


def test_reorder_that_needs_a_console_tag_moved_is_refused_and_remembered(
    admin: TagAdminService, sandbox: Any
) -> None:
    console_id = sandbox.state.console_add_tag("意向程度", "待判断")
    run_sync(admin.ws.client(), admin.cache)
    group_id = _group(admin, "意向程度")
    current = _tags_of(admin, "意向程度")
    assert current[-1] == console_id  # order 0 sorts last
    orders_before = {t: sandbox.state.tag_order(t) for t in current}
    with pytest.raises(ReadOnlyTagError) as caught:
        admin.reorder_tags(group_id, [console_id, *current[:-1]], moved=[console_id])
    assert "admin console" in caught.value.en
    assert console_id in admin.read_only_ids()
    assert sandbox.state.tag_order(console_id) == orders_before[console_id]
    library_tag = next(t for t in admin.tag_infos() if t.id == console_id)
    assert library_tag.app_owned is False
    # Moving the app's own tags around the console tag still works.
    admin.reorder_tags(group_id, [current[1], current[0], *current[2:]], moved=[current[1]])
    assert _sandbox_sorted(sandbox, current)[:2] == [current[1], current[0]]


def test_reorder_refuses_a_stale_list(admin: TagAdminService) -> None:
    group_id = _group(admin, "客户阶段")
    with pytest.raises(TagAdminError, match="changed meanwhile"):
        admin.reorder_tags(group_id, _tags_of(admin, "客户阶段")[1:])


# -- create, rename, delete --------------------------------------------------------------------


def test_forbidden_name_is_refused_before_anything_is_sent(
    admin: TagAdminService, ws: Workspace, sandbox: Any
) -> None:
    group_id = _group(admin, "意向程度")
    calls = ws.client().api_calls
    tags_before = _live_tag_count(sandbox)
    for bad in ("高意向", "A,B", "x" * 31, "  ", "教育//K12"):
        with pytest.raises(InvalidNameError) as caught:
            admin.create_tag(group_id, bad)
        assert caught.value.zh and caught.value.en
    with pytest.raises(InvalidNameError, match="already has a group"):
        admin.create_group("客户等级", "新标签")
    assert ws.client().api_calls == calls
    assert _live_tag_count(sandbox) == tags_before


def test_create_tag_in_a_group_by_id_or_name(
    admin: TagAdminService, ws: Workspace, sandbox: Any
) -> None:
    created = admin.create_tag(_group(admin, "意向程度"), "ＶＩＰ 意向 ")
    assert created.tag.name == "VIP 意向"
    assert sandbox.state.find_tag("意向程度", "VIP 意向") == created.tag.id
    by_name = admin.create_tag("意向程度", "再观察")
    assert sandbox.state.find_tag("意向程度", "再观察") == by_name.tag.id
    ids = {t.id for t in admin.tag_infos()}
    assert {created.tag.id, by_name.tag.id} <= ids
    assert [row["tag_name"] for row in _journal(ws, "tag_create")] == ["VIP 意向", "再观察"]
    assert created.changes.tags_changed


def test_create_group_with_its_first_tag(admin: TagAdminService, ws: Workspace, sandbox: Any) -> None:
    created = admin.create_group("OPS-回访", "已回电")
    assert sandbox.state.find_tag("OPS-回访", "已回电") == created.tag.id
    assert any(g.name == "OPS-回访" for g in admin.group_infos())
    assert _journal(ws, "group_create")[0]["tag_name"] == "OPS-回访"
    via_create_tag = admin.create_tag("OPS-新组", "第一个")
    assert sandbox.state.find_tag("OPS-新组", "第一个") == via_create_tag.tag.id


def test_rename_tag_and_group(admin: TagAdminService, ws: Workspace, sandbox: Any) -> None:
    tag_id = sandbox.state.find_tag("意向程度", "低意向")
    admin.rename(tag_id, "意向较低")
    assert sandbox.state.find_tag("意向程度", "意向较低") == tag_id
    with pytest.raises(InvalidNameError, match="already has a tag"):
        admin.rename(tag_id, "高意向")
    group_id = _group(admin, "意向程度")
    admin.rename(group_id, "意向")
    assert sandbox.state.find_tag("意向", "高意向") is not None
    rows = _journal(ws, "tag_rename")
    assert json.loads(rows[0]["before"]) == {"name": "低意向"}
    assert _journal(ws, "group_rename")[0]["tag_name"] == "意向"
    assert admin.rename(tag_id, "意向较低") == admin.rename(tag_id, "意向较低")  # no-op


def test_a_rename_respells_the_rules_naming_the_tag_or_group(
        admin: TagAdminService, ws: Workspace, sandbox: Any) -> None:
    """A rule (one a scene template made, say) names the renamed tag and its group by
    their new names, so it keeps tagging the same customers."""
    rule_store.save(ws.cache, "意向跟进", {
        "name": "意向跟进", "when": {"any": [{"has": "意向程度:中意向"}, {"has_not": "高意向"}]},
        "then": {"add": ["意向程度:高意向"]}}, "zhangsan")
    written = json.loads(rule_store.rules(ws.cache)[0].definition)
    revert_store.remember(ws.cache, [Remembered("意向跟进", "u1", "wm1", "t1", "tag_add",
                                                definition_key(written))], "revert-1")
    renamed = admin.rename(sandbox.state.find_tag("意向程度", "高意向"), "意向很高").merge(
        admin.rename(_group(admin, "意向程度"), "意向 等级"))
    assert [(r.old, r.new, r.is_group) for r in renamed.renames] == [
        ("高意向", "意向很高", False), ("意向程度", "意向 等级", True)]  # the filters' respelling
    stored = json.loads(rule_store.rules(ws.cache)[0].definition)
    assert [r.definition_key for r in revert_store.remembered(ws.cache)] == [
        definition_key(stored)]    # the same rule: what a revert undid stays left alone
    assert stored["when"] == {"any": [{"has": "意向 等级:中意向"}, {"has_not": "意向很高"}]}
    assert stored["then"] == {"add": ["意向 等级:意向很高"]}
    assert RulesService(ws).kept()[0].rule.name == "意向跟进"      # still a valid rule


def test_console_tag_cannot_be_renamed_or_deleted(admin: TagAdminService, sandbox: Any) -> None:
    console_id = sandbox.state.console_add_tag("客户等级", "后台标签")
    run_sync(admin.ws.client(), admin.cache)
    with pytest.raises(ReadOnlyTagError) as caught:
        admin.rename(console_id, "改名")
    assert "lets only the creating app change it" in caught.value.en
    assert "后台标签" in caught.value.zh
    assert sandbox.state.find_tag("客户等级", "后台标签") == console_id
    calls = admin.ws.client().api_calls
    with pytest.raises(ReadOnlyTagError):
        admin.delete_tags([console_id])  # known now: refused without another call
    assert admin.ws.client().api_calls == calls


def test_delete_tags_unlinks_and_journals_each_relation(
    admin: TagAdminService, ws: Workspace, sandbox: Any
) -> None:
    tag_id = sandbox.state.find_tag("复购", "高频复购")
    operator = ws.operator
    admin.pin(operator, tag_id)
    admin.set_abbreviation(tag_id, "GP")
    impact = admin.deletion_impact([tag_id])
    assert impact.tags == 1 and impact.names == ("高频复购",)
    assert impact.relations > 0 and 0 < impact.customers <= impact.relations
    version = ws.cache.get_meta(DATA_VERSION_KEY)
    changes = admin.delete_tags([tag_id])
    assert sandbox.state.find_tag("复购", "高频复购") is None
    assert len(changes.relation_ids) == impact.relations
    assert tag_id not in {t.id for t in admin.tag_infos()}
    assert ws.cache.scalar(
        "SELECT count(*) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?",
        (tag_id,)) == 0
    removed = [r for r in _journal(ws, "tag_remove") if r["batch_id"] == changes.batch_id]
    assert len(removed) == impact.relations and all(r["external_userid"] for r in removed)
    for row in removed:  # the relation's tags before and after, as the outbox writes them
        before, after = json.loads(row["before"]), json.loads(row["after"])
        assert tag_id in before and set(before) - set(after) == {tag_id}
        assert set(after) == sandbox.state.relation_tag_ids(row["userid"],
                                                             row["external_userid"])
    assert json.loads(_journal(ws, "tag_delete")[0]["before"])["relations"] == impact.relations
    assert ws.cache.get_meta(DATA_VERSION_KEY) != version
    assert admin.pins(operator) == []
    assert journal.verify(ws.cache).ok


def test_delete_group(admin: TagAdminService, ws: Workspace, sandbox: Any) -> None:
    group_id = _group(admin, "OPS-服务")
    impact = admin.deletion_impact(group_ids=[group_id])
    assert impact.tags == 3
    admin.delete_group(group_id)
    assert all(group != "OPS-服务" for group, _ in sandbox.state.tag_ids_by_name())
    assert all(g.id != group_id for g in admin.group_infos())
    assert len(_journal(ws, "tag_delete")) == 3
    assert _journal(ws, "group_delete")[0]["tag_id"] == group_id
    doomed = {row["tag_id"] for row in _journal(ws, "tag_delete")}
    for row in _journal(ws, "tag_remove"):
        assert not set(json.loads(row["after"])) & doomed
    assert journal.verify(ws.cache).ok


def test_deleting_the_last_tag_drops_the_group(admin: TagAdminService, sandbox: Any) -> None:
    created = admin.create_group("临时组", "唯一")
    admin.delete_tags([created.tag.id])
    assert all(g.name != "临时组" for g in admin.group_infos())
    with pytest.raises(TagAdminError, match="no longer exist"):
        admin.delete_tags([created.tag.id])


# -- pins and abbreviations ----------------------------------------------------------------------


def test_pin_unpin_reorder(admin: TagAdminService, sandbox: Any) -> None:
    a, b, c = (sandbox.state.find_tag("意向程度", n) for n in ("高意向", "中意向", "低意向"))
    for tag_id in (a, b, c, a):
        changes = admin.pin("zhang", tag_id)
    assert changes.prefs_changed
    assert admin.pins("zhang") == [a, b, c]
    assert admin.pins("li") == []
    admin.reorder_pins("zhang", [c, a])
    assert admin.pins("zhang") == [c, a, b]
    admin.unpin("zhang", a)
    assert admin.pins("zhang") == [c, b]
    with pytest.raises(TagAdminError):
        admin.pin("zhang", "personal:x")


def test_abbreviations_are_short_unique_and_searchable(
    admin: TagAdminService, sandbox: Any
) -> None:
    v3 = sandbox.state.find_tag("复购", "三次复购客户")
    other = sandbox.state.find_tag("复购", "二次复购")
    admin.set_abbreviation(v3, "Ｖ3 ")
    assert next(t for t in admin.tag_infos() if t.id == v3).abbreviation == "V3"
    with pytest.raises(TagAdminError, match="already used"):
        admin.set_abbreviation(other, "v3")
    admin.set_abbreviation(v3, "V3")  # its own code again is fine
    admin.set_abbreviation(v3, "")
    admin.set_abbreviation(other, "v3")
    assert next(t for t in admin.tag_infos() if t.id == other).abbreviation == "v3"


@pytest.mark.parametrize("code", ["TOOLONGCODE", "A B", "V,3"])
def test_bad_abbreviations(code: str) -> None:
    with pytest.raises(TagAdminError):
        check_abbreviation(code, {})


def test_exclusive_sets_are_listed_reading_the_tags_and_the_authors_once(ws: Workspace) -> None:
    from desktop.services.exclusive_sets import ExclusiveSets

    sets = ExclusiveSets(ws)
    sets.add("成交与否", ["已成交", "无效客户"])
    sets.add("意向", ["意向程度:高意向", "低意向", "VIP"])
    statements: list[str] = []
    conn = ws.cache.connection()
    conn.set_trace_callback(statements.append)
    try:
        listed = sets.list()
    finally:
        conn.set_trace_callback(None)
    assert [(s.name, s.tag_labels, s.groups, s.author) for s in listed] == [
        ("成交与否", ("客户阶段:已成交", "客户阶段:无效客户"), ("客户阶段",), ""),
        ("意向", ("意向程度:高意向", "意向程度:低意向", "客户等级:VIP"), ("意向程度", "客户等级"), "")]
    assert sum("JOIN tag_group" in s for s in statements) == 1      # the tags, once
    assert sum("FROM meta" in s for s in statements) == 1           # the authors, once


def test_the_autotag_keywords_follow_a_rename_from_the_tree_and_one_a_sync_finds(
        admin: TagAdminService, ws: Workspace, sandbox: Any) -> None:
    from desktop.store import autotag_settings

    autotag_settings.save_keywords(ws.cache, {
        "高意向": ["想买"], "意向程度:低意向": ["再看看"], "中意向": ["考虑"], "意向很高": ["马上要"]})
    admin.rename(sandbox.state.find_tag("意向程度", "高意向"), "意向很高")
    sandbox.state.console_edit_tag(sandbox.state.find_group("意向程度"), name="意向等级")
    renames = run_sync(ws.client(), ws.cache).renames
    assert [(r.old, r.new) for r in renames] == [("意向程度", "意向等级")]
    assert autotag_settings.keywords(ws.cache) == {
        "意向很高": ["马上要", "想买"],            # joined with the keywords the new name had
        "意向等级:低意向": ["再看看"], "中意向": ["考虑"]}
