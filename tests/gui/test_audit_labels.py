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
