"""The one base type for failures a user can act on, carrying the sentence in both languages.

Every layer raises subclasses of `UserError` for expected trouble (a bad filter, a locked
cache, an unknown tag, a WeCom refusal). `str()` is "中文 / English" for logs and the CLI;
the GUI shows the half that matches the interface language. Anything that is not a
`UserError` (or one of the few library types mapped to one) is a bug and goes to the log.
"""

from __future__ import annotations


class UserError(Exception):
    """An expected failure with a readable sentence; `zh` and `en` are whole sentences."""

    def __init__(self, zh: str, en: str | None = None) -> None:
        self.message_zh = zh
        self.message_en = en if en is not None else zh
        text = zh if en is None or en == zh else f"{zh} / {en}"
        super().__init__(text)

    def text(self, english: bool) -> str:
        """The sentence in one language."""
        return self.message_en if english else self.message_zh
