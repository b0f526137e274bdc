"""Tag dialogs: live name checks, nothing sent for a bad name, WeCom refusals shown in place."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QMessageBox

from desktop.domain.tag_names import validate_tag_name
from desktop.services.changes import ChangeSet
from desktop.services.sync import run_sync
from desktop.services.tag_admin import CreatedTag, TagAdminError, TagAdminService
from desktop.services.tag_catalog import DeletionImpact
from desktop.ui import errors as ui_errors
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.tag_dialogs import (
    ERROR_COLOUR,
    AbbreviationDialog,
    CreateGroupDialog,
    CreateTagDialog,
    RenameDialog,
    delete_confirmation,
    message_for,
    pick,
)
from desktop.wecom.error_codes import TEAM_APPROVAL_REQUIRED
from desktop.wecom.errors import WeComError

pytestmark = pytest.mark.gui


@pytest.fixture
def admin(synced_context: Any) -> TagAdminService:
    return TagAdminService(synced_context.workspace)


def _show(qtbot: Any, dialog: Any) -> Any:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _group_id(admin: TagAdminService, name: str) -> str:
    return next(g.id for g in admin.group_infos() if g.name == name)


@pytest.mark.parametrize("bad", ["高意向", "A,B", "名" * 31, "VIP😀", "教育//K12"])
def test_a_forbidden_name_shows_why_and_changes_nothing(
    qtbot: Any, synced_context: Any, admin: TagAdminService, sandbox: Any, bad: str
) -> None:
    group_id = _group_id(admin, "意向程度")
    dialog = _show(qtbot, CreateTagDialog(synced_context, admin, admin.group_infos(), group_id))
    assert dialog.group_box.currentData() == group_id
    tags_before = len(sandbox.state.tag_ids_by_name())
    calls = synced_context.workspace.client().api_calls
    dialog.name_edit.setText(bad)
    problem = validate_tag_name(bad, admin.tag_names_in_group(group_id)).errors[0]
    assert pick(problem.zh, problem.en) in dialog.message_label.text()
    assert not dialog.ok_button.isEnabled()
    dialog.submit()  # Enter in the dialog ends here too
    synced_context.wait_idle()
    assert dialog.isVisible() and not dialog.busy
    assert len(sandbox.state.tag_ids_by_name()) == tags_before
    assert synced_context.workspace.client().api_calls == calls


def test_a_long_message_grows_the_dialog_instead_of_covering_the_form(
    qtbot: Any, synced_context: Any, admin: TagAdminService
) -> None:
    dialog = _show(qtbot, CreateTagDialog(synced_context, admin, admin.group_infos(),
                                          _group_id(admin, "意向程度")))
    qtbot.waitExposed(dialog)
    dialog.name_edit.setText("VIP😀")        # the longest message: three lines when wrapped
    label = dialog.message_label
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.geometry().bottom() < dialog.buttons.geometry().top()
    assert label.geometry().top() > dialog.name_edit.geometry().bottom()


def test_an_untouched_name_is_a_grey_hint_and_a_mistake_is_red(
    qtbot: Any, synced_context: Any, admin: TagAdminService
) -> None:
    def red(dialog: Any) -> bool:
        colour = dialog.message_label.palette().color(QPalette.ColorRole.WindowText)
        return bool(colour == ERROR_COLOUR)

    dialog = _show(qtbot, CreateTagDialog(synced_context, admin, admin.group_infos(),
                                          _group_id(admin, "意向程度")))
    assert dialog.message_label.text() and not dialog.ok_button.isEnabled()
    assert not red(dialog)                         # nothing typed yet is no mistake
    dialog.name_edit.setText("A,B")
    assert red(dialog) and not dialog.ok_button.isEnabled()
    group = _show(qtbot, CreateGroupDialog(synced_context, admin))
    assert not red(group) and not group.ok_button.isEnabled()
    group.group_edit.setText("意向程度")             # taken
    assert red(group)


def test_create_a_tag_with_a_warning_and_save(
    qtbot: Any, synced_context: Any, admin: TagAdminService, sandbox: Any
) -> None:
    dialog = _show(qtbot, CreateTagDialog(synced_context, admin, admin.group_infos(),
                                          _group_id(admin, "意向程度")))
    dialog.name_edit.setText("ＶＩＰ意向")  # full width: allowed, with a note
    assert dialog.ok_button.isEnabled() and "VIP意向" in dialog.message_label.text()
    published: list[Any] = []
    synced_context.changed.connect(published.append)
    with qtbot.waitSignal(dialog.saved, timeout=10000) as saved:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    created = saved.args[0]
    assert isinstance(created, CreatedTag)
    assert sandbox.state.find_tag("意向程度", "VIP意向") == created.tag.id
    assert not dialog.isVisible() and published and published[0].tags_changed


def test_switching_group_rechecks_the_name(qtbot: Any, synced_context: Any,
                                           admin: TagAdminService) -> None:
    dialog = _show(qtbot, CreateTagDialog(synced_context, admin, admin.group_infos(),
                                          _group_id(admin, "意向程度")))
    dialog.name_edit.setText("VIP")
    assert dialog.ok_button.isEnabled()
    dialog.group_box.setCurrentIndex(dialog.group_box.findData(_group_id(admin, "客户等级")))
    assert not dialog.ok_button.isEnabled()
    names = [dialog.group_box.itemText(i) for i in range(dialog.group_box.count())]
    assert "华北-跟进阶段" not in names  # rule-group groups are not offered


def test_new_group_needs_a_unique_name_and_a_first_tag(
    qtbot: Any, synced_context: Any, admin: TagAdminService, sandbox: Any
) -> None:
    dialog = _show(qtbot, CreateGroupDialog(synced_context, admin))
    assert not dialog.ok_button.isEnabled()
    dialog.group_edit.setText("客户等级")
    dialog.name_edit.setText("首个")
    assert not dialog.ok_button.isEnabled()
    dialog.group_edit.setText("OPS-回访")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert sandbox.state.find_tag("OPS-回访", "首个")


def test_rename_refused_by_wecom_stays_open_with_the_reason(
    qtbot: Any, synced_context: Any, admin: TagAdminService, sandbox: Any
) -> None:
    console_id = sandbox.state.console_add_tag("客户等级", "后台标签")
    run_sync(synced_context.workspace.client(), synced_context.cache)
    dialog = _show(qtbot, RenameDialog(synced_context, admin, console_id, "后台标签",
                                       is_group=False, group_id=_group_id(admin, "客户等级")))
    assert not dialog.ok_button.isEnabled()  # unchanged name
    dialog.name_edit.setText("改个名")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.isVisible()
    text = dialog.message_label.text()
    assert "后台标签" in text and ("管理后台" in text or "admin console" in text)
    assert sandbox.state.find_tag("客户等级", "后台标签") == console_id


def test_rename_a_group(qtbot: Any, synced_context: Any, admin: TagAdminService,
                        sandbox: Any) -> None:
    group_id = _group_id(admin, "意向程度")
    dialog = _show(qtbot, RenameDialog(synced_context, admin, group_id, "意向程度",
                                       is_group=True))
    dialog.name_edit.setText("客户等级")
    assert not dialog.ok_button.isEnabled()
    dialog.name_edit.setText("意向")
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.submit()
    assert sandbox.state.find_tag("意向", "高意向")


def test_abbreviation_dialog(qtbot: Any, synced_context: Any, admin: TagAdminService,
                             sandbox: Any) -> None:
    v3 = sandbox.state.find_tag("复购", "三次复购客户")
    tag = next(t for t in admin.tag_infos() if t.id == v3)
    dialog = _show(qtbot, AbbreviationDialog(synced_context, admin, tag, {"V3": "别的标签"}))
    dialog.code_edit.setText("v3")
    assert not dialog.ok_button.isEnabled() and "别的标签" in dialog.message_label.text()
    dialog.code_edit.setText("R3")
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert next(t for t in admin.tag_infos() if t.id == v3).abbreviation == "R3"


def test_delete_confirmation_names_what_is_lost(qapp: Any) -> None:
    impact = DeletionImpact(tags=1, relations=57, customers=41, names=("高意向",))
    title, text = delete_confirmation(impact)
    assert title and "“高意向”" in text and "41" in text and "57" in text
    many = DeletionImpact(tags=7, relations=9, customers=8, names=tuple("ABCDEFG"))
    _, group_text = delete_confirmation(many, group_name="意向程度")
    assert "意向程度" in group_text and "7" in group_text and "2" in group_text
    assert "“F”" not in group_text
    assert "will lose them" in group_text and "restores the tags" in group_text
    assert "will lose it" in text and "restores the tag " in text
    translations = Translations()
    translations.install(CHINESE)
    try:
        _, chinese = delete_confirmation(many, group_name="意向程度")
        assert "失去这些标签" in chinese and "恢复这些标签" in chinese
    finally:
        translations.uninstall()


def test_messages_follow_the_ui_language(monkeypatch: pytest.MonkeyPatch) -> None:
    error = TagAdminError("中文说明", "English text")
    monkeypatch.setattr(ui_errors, "is_english", lambda: True)
    assert message_for(error) == "English text"
    monkeypatch.setattr(ui_errors, "is_english", lambda: False)
    assert message_for(error) == "中文说明"


def test_a_rename_that_becomes_a_request_closes_and_says_so(
    qtbot: Any, synced_context: Any, admin: TagAdminService, sandbox: Any,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """A head's rename of a tag on more customers than the team's threshold is answered
    "request #N sent" by the server: news, told once, and the dialog closes, so a second OK
    cannot send a second request; it stayed open with the answer in red and its errcode."""
    tag_id = sandbox.state.find_tag("MKT-活动", "2025秋季展会")
    answer = WeComError(
        TEAM_APPROVAL_REQUIRED, "改名的标签有 938 位客户在用，超过 100 位需要管理员批准，已提交申请"
        " #2，等待管理员批准 / The tag is on 938 customers, more than 100: renaming it needs an"
        " administrator's approval; request #2 was sent to the administrators",
        "externalcontact/edit_corp_tag")
    sent: list[str] = []

    def server_answers(_item_id: str, _name: str, *, reason: str = "") -> ChangeSet:
        sent.append(_name)
        raise answer

    monkeypatch.setattr(admin, "rename", server_answers)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, title, text, *_args: told.append((title, text)))
    statuses: list[str] = []
    synced_context.status_message.connect(statuses.append)
    dialog = _show(qtbot, RenameDialog(synced_context, admin, tag_id, "2025秋季展会",
                                       is_group=False, group_id=_group_id(admin, "MKT-活动")))
    dialog.name_edit.setText("2026秋季展会")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert sent == ["2026秋季展会"] and dialog.result() == dialog.DialogCode.Accepted
    news = pick(answer.explanation_zh, answer.explanation_en)
    assert [text for _title, text in told] == [news] and statuses == [news]
    assert told[0][0] in ("已提交申请", "Request sent")
    assert "errcode" not in news and "9001011" not in dialog.message_label.text()
    assert sandbox.state.find_tag("MKT-活动", "2025秋季展会") == tag_id


def test_a_deletion_request_says_where_an_approved_deletion_is_restored(qapp: Any) -> None:
    """An approved request is carried out by the server, which keeps the snapshot; the
    requester's own 已删除的标签 window stays empty, and the confirmation sent them there."""
    impact = DeletionImpact(tags=1, relations=128, customers=127, names=("新品发布会",))
    title, text = delete_confirmation(impact, request=True)
    assert "Deleted tags" not in text
    assert "File → Approvals… (Restore and re-tag)" in text
    translations = Translations()
    translations.install(CHINESE)
    try:
        title, chinese = delete_confirmation(impact, request=True)
        assert title == "申请删除" and "已删除的标签" not in chinese
        assert "文件 → 审批…" in chinese and "恢复该标签" in chinese
        many = DeletionImpact(tags=7, relations=2378, customers=2078, names=tuple("ABCDEFG"))
        _, group = delete_confirmation(many, group_name="MKT-渠道", request=True)
        assert "恢复这些标签" in group and "恢复该标签" not in group
    finally:
        translations.uninstall()


def test_each_dialog_opens_with_the_keys_in_the_field_typed_first(
        qtbot: Any, synced_context: Any, admin: TagAdminService, sandbox: Any) -> None:
    """The buttons come first in the focus chain and OK starts disabled: the keys went to
    Cancel, so F2 then typing renamed nothing and Enter cancelled."""
    group_id = _group_id(admin, "意向程度")
    high = sandbox.state.find_tag("意向程度", "高意向")
    tag = next(t for t in admin.tag_infos() if t.id == high)
    dialogs = {
        "rename": RenameDialog(synced_context, admin, high, "高意向", is_group=False,
                               group_id=group_id),
        "new tag": CreateTagDialog(synced_context, admin, admin.group_infos(), group_id),
        "new group": CreateGroupDialog(synced_context, admin),
        "abbreviation": AbbreviationDialog(synced_context, admin, tag, {}),
    }
    fields = {"rename": "name_edit", "new tag": "name_edit", "new group": "group_edit",
              "abbreviation": "code_edit"}
    for kind, dialog in dialogs.items():
        _show(qtbot, dialog)
        field = getattr(dialog, fields[kind])
        qtbot.waitUntil(lambda d=dialog, f=field: d.focusWidget() is f, timeout=5000)
        qtbot.keyClicks(dialog.focusWidget(), "Z9")
        assert field.text().endswith("Z9"), kind
        dialog.close()
