"""Enter in a dialog's field presses the button that field is for.

A QDialog gives Enter to its default button, and a button clicked becomes the default: after
发送验证码, typing the six digits and Enter sent a new code (spending the one typed). A dialog
whose fields each have their own button routes Enter through `press_field_button` instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QWidget


def press_field_button(event: QKeyEvent, focused: QWidget | None,
                       buttons: Mapping[QWidget, QAbstractButton]) -> bool:
    """For Enter: click the focused field's button in `buttons` when it is enabled, and say
    the key was handled (it never falls through to the dialog's default button); False for
    any other key, which the dialog handles as usual."""
    if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return False
    button = buttons.get(focused) if focused is not None else None
    if button is not None and button.isEnabled():
        button.click()
    return True
