"""Counted nouns for sentences that hold several numbers: "1 relation" / "2 relations",
"1 条客户关系". Each is one Qt plural form (numerus, picked by the number), the number written
with thousands separators; a sentence puts the phrases in its %-places, so every count in it
agrees with its own noun in English.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


def grouped(n: int) -> str:
    return f"{n:,}"


class _Counts(QObject):
    def relations(self, n: int) -> str:
        return self.tr("%1 relations", "", n).replace("%1", grouped(n))

    def customers(self, n: int) -> str:
        return self.tr("%1 customers", "", n).replace("%1", grouped(n))

    def calls(self, n: int) -> str:
        return self.tr("%1 API calls", "", n).replace("%1", grouped(n))

    def tags(self, n: int) -> str:
        return self.tr("%1 tags", "", n).replace("%1", grouped(n))

    def rules(self, n: int) -> str:
        return self.tr("%1 rules", "", n).replace("%1", grouped(n))

    def live_codes(self, n: int) -> str:
        return self.tr("%1 live codes", "", n).replace("%1", grouped(n))

    def messages(self, n: int) -> str:
        return self.tr("%1 messages", "", n).replace("%1", grouped(n))

    def lines(self, n: int) -> str:
        return self.tr("%1 lines with problems", "", n).replace("%1", grouped(n))

    def rows(self, n: int) -> str:
        return self.tr("%1 rows", "", n).replace("%1", grouped(n))

    def events(self, n: int) -> str:
        return self.tr("%1 events", "", n).replace("%1", grouped(n))

    def expiries(self, n: int) -> str:
        return self.tr("%1 tag expiries", "", n).replace("%1", grouped(n))

    def suggestions(self, n: int) -> str:
        return self.tr("%1 suggestions", "", n).replace("%1", grouped(n))

    def problems(self, n: int) -> str:
        return self.tr("%1 problems", "", n).replace("%1", grouped(n))

    def selected(self, n: int) -> str:
        return self.tr("%1 selected").replace("%1", grouped(n))


COUNTS = _Counts()
