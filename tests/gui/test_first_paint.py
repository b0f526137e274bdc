"""The filters warm once the window's first rows are painted, not while its first query runs."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from desktop.ui.customer_table_model import CustomerTableModel
from desktop.ui.first_paint import AfterFirstPaint

pytestmark = pytest.mark.gui


def test_a_held_cold_warming_starts_when_released(qtbot: Any, synced_context: Any) -> None:
    engine = synced_context.filter_engine
    model = CustomerTableModel(synced_context)
    synced_context.hold_cold_warming()
    with qtbot.waitSignal(synced_context.filters_cold, timeout=15000), \
            qtbot.waitSignal(model.queryFinished, timeout=15000):
        model.refresh()  # the engine is cold: answered from SQL, warming asked for
    qtbot.wait(50)
    assert not synced_context.warming
    synced_context.release_cold_warming()
    assert synced_context.warming
    qtbot.waitUntil(lambda: not synced_context.warming, timeout=30000)
    assert engine._index is not None and engine._index.primed
    synced_context.release_cold_warming()  # released already: nothing more
    assert not synced_context.warming


def test_after_first_paint_runs_once_when_the_widget_paints_ready(qtbot: Any) -> None:
    label = QLabel("高意向")
    qtbot.addWidget(label)
    ready, calls = [False], []
    AfterFirstPaint(label, lambda: ready[0], lambda: calls.append(1))
    label.show()
    qtbot.waitExposed(label)
    qtbot.wait(30)
    assert calls == []  # painted, but what it waits for was not there yet
    ready[0] = True
    label.setText("高意向 -已流失")
    qtbot.waitUntil(lambda: calls == [1], timeout=5000)
    label.setText("VIP")
    label.repaint()
    qtbot.wait(30)
    assert calls == [1]
