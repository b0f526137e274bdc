"""Calendar dates in filters: a day, a month or a year, as a half-open range of dates.

Accepted spellings: `2025-01-31`, `2025/1/31`, `2025.1.31`, `20250131`, `2025年1月31日`,
and the same without the day (`2025-01`, `2025年1月`) or with only the year (`2025`);
years from 1970 to 2999.
"""

from __future__ import annotations

import re
from datetime import date

from desktop.domain.filter.ast import DateRange

_SEPARATED = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CHINESE = re.compile(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})[日号]?)?)?")


FIRST_YEAR = 1970  # relations cannot be older; earlier years also break local time on Windows
LAST_YEAR = 2999   # Windows' local time ends with the year 3000


def parse_date_range(text: str) -> DateRange | None:
    """The range `text` denotes, or None when it is not a valid date from 1970 to 2999."""
    for pattern in (_COMPACT, _SEPARATED, _CHINESE):
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        year_text, month_text, day_text = match.groups()
        if not FIRST_YEAR <= int(year_text) <= LAST_YEAR:
            return None
        try:
            return _range(int(year_text), month_text, day_text, text)
        except ValueError:
            return None
    return None


def _range(year: int, month_text: str | None, day_text: str | None, text: str) -> DateRange:
    if month_text is None:
        return DateRange(date(year, 1, 1), date(year + 1, 1, 1), text)
    month = int(month_text)
    first_of_month = date(year, month, 1)
    next_month = date(year + month // 12, month % 12 + 1, 1)
    if day_text is None:
        return DateRange(first_of_month, next_month, text)
    day = date(year, month, int(day_text))
    return DateRange(day, date.fromordinal(day.toordinal() + 1), text)
