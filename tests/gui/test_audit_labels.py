"""Every action and source a journal can hold has a readable name in both languages, and the
audit viewer's filters offer each of them."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.services.audit import ACTIONS, SOURCES
from desktop.ui.audit_filter_bar import ACTIONS as FILTER_ACTIONS
from desktop.ui.audit_filter_bar import SOURCES as FILTER_SOURCES
from desktop.ui.audit_model import LABELS
from desktop.ui.i18n import CHINESE, ENGLISH, Translations


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_every_journal_action_and_source_is_named(qapp: Any, language: str) -> None:
    translations = Translations()
    translations.install(language)
    try:
        for key in ACTIONS:
            label = LABELS.action(key)
            assert label != key, key
            if language == CHINESE:
                assert any("\u4e00" <= ch <= "\u9fff" for ch in label), (key, label)
        for key in SOURCES:
            label = LABELS.source(key)
            assert label != key, key
    finally:
        translations.uninstall()
    assert set(FILTER_ACTIONS) == set(ACTIONS) and set(FILTER_SOURCES) == set(SOURCES)


def test_every_write_the_team_server_journals_by_its_path_is_named() -> None:
    """The relay journals the writes it has no action of its own for (live codes, tag edits,
    rule groups, messages) under their API path: the viewer names those too."""
    from desktop.server.relay import API, MARK_TAG, Effect

    own_actions = {MARK_TAG, "externalcontact/add_corp_tag", "externalcontact/add_strategy_tag",
                   "externalcontact/del_corp_tag", "externalcontact/del_strategy_tag",
                   "externalcontact/customer_strategy/create"}
    by_path = {path for path, api in API.items() if api.effect is not Effect.READ} - own_actions
    assert by_path and by_path <= set(ACTIONS), sorted(by_path - set(ACTIONS))


def test_a_tag_library_edit_is_not_named_after_the_tree_window(qapp: Any) -> None:
    """Source `tree` is every edit of the tag library, from the tree or `tagdesk tags` alike
    (the CLI journals each kind of write under the app's source): the viewer says so, as the
    command line's audit does, rather than "标签树", which reads as the window."""
    translations = Translations()
    translations.install(CHINESE)
    try:
        assert LABELS.source("tree") == SOURCES["tree"][0] == "标签库编辑"
    finally:
        translations.uninstall()
    assert LABELS.source("tree") == "Tag library edit"
