"""The one base type for failures a user can act on, carrying the sentence in both languages.

Every layer raises subclasses of `UserError` for expected trouble (a bad filter, a locked
cache, an unknown tag, a WeCom refusal). `str()` is "中文 / English" for logs and the CLI;
the GUI shows the half that matches the interface language. Anything that is not a
`UserError` (or one of the few library types mapped to one) is a bug and goes to the log.

User input goes into such a sentence through `desktop.domain.echo.echo` (cut to a readable
length, control characters escaped); the base type escapes control characters in its
sentences too, so a quoted input that missed `echo()` still cannot drive the terminal.
"""

from __future__ import annotations

from desktop.domain.echo import escape_controls

_SEPARATOR = " / "


class UserError(Exception):
    """An expected failure with a readable sentence; `zh` and `en` are whole sentences.

    Given one "中文 / English" string (the older style of the CLI), the halves are split at
    the first " / " so the GUI can still show one language.
    """

    def __init__(self, zh: str, en: str | None = None) -> None:
        if en is None and _SEPARATOR in zh:
            zh, en = zh.split(_SEPARATOR, 1)
        zh, en = printable(zh), (None if en is None else printable(en))
        self.message_zh = zh
        self.message_en = en if en is not None else zh
        text = zh if en is None or en == zh else f"{zh}{_SEPARATOR}{en}"
        super().__init__(text)

    def text(self, english: bool) -> str:
        """The sentence in one language."""
        return self.message_en if english else self.message_zh


def printable(message: str) -> str:
    """A message with every control character but the line break escaped: whatever user
    input a sentence quotes, it cannot move the cursor, retitle or recolour a terminal."""
    return escape_controls(message, keep="\n")
