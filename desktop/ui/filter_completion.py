"""Tag-name completion inside a filter, and spelling tags and groups as filter terms.

Completion works on the word under the cursor, so it helps in the middle of
`高意向 AND gy|`. The word is looked up in `TagSearchIndex` (Chinese, full pinyin,
initials, abbreviations); the chosen tag is written the way the filter language
needs it: quoted when it has spaces or operators, qualified by its group
(`客户等级:VIP`) when the bare name exists in more than one group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.domain.filter import quote, tag_text
from desktop.domain.filter.lexer import KEYWORDS, NOT_PREFIXES, QUOTES, WORD_BREAKS
from desktop.domain.filter.parser import FIELD_NAMES
from desktop.domain.tag_names import name_key
from desktop.domain.tag_search import SearchHit, TagSearchIndex
from desktop.domain.tags import TagInfo
from desktop.ui.i18n import colon

COMPLETION_LIMIT = 12
COLONS = frozenset(":：")


@dataclass(frozen=True)
class WordAtCursor:
    start: int          # where the replacement starts (after a NOT prefix)
    end: int            # the cursor
    group: str | None   # `group:` typed before the tag part
    query: str          # what to search for


def word_at_cursor(text: str, cursor: int) -> WordAtCursor | None:
    """The tag word being typed at `cursor`, or None where no tag completion fits."""
    if _inside_quotes(text[:cursor]):
        return None
    start = cursor
    while start > 0 and not text[start - 1].isspace() and (
            text[start - 1] not in WORD_BREAKS or text[start - 1] in COLONS):
        start -= 1
    while start < cursor and text[start] in NOT_PREFIXES:
        start += 1
    word = text[start:cursor]
    if not word or word[0] in QUOTES or word.lower() in KEYWORDS:
        return None
    colon = next((i for i, char in enumerate(word) if char in COLONS), -1)
    if colon < 0:
        return WordAtCursor(start, cursor, None, word)
    head, query = word[:colon], word[colon + 1:]
    if not head or not query or head.lower() in FIELD_NAMES:
        return None
    return WordAtCursor(start, cursor, head, query)


def _inside_quotes(text: str) -> bool:
    closing: str | None = None
    escaped = False
    for char in text:
        if closing is None:
            closing = QUOTES.get(char)
        elif escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == closing:
            closing = None
    return closing is not None


class TagSpeller:
    """Tag ids → filter terms; knows which bare names are ambiguous."""

    def __init__(self, tags: Sequence[TagInfo]) -> None:
        self.tags = {tag.id: tag for tag in tags}
        self._names = Counter(name_key(tag.name) for tag in tags)
        self.groups = {tag.group_id: tag.group_name for tag in tags}

    def tag_term(self, tag_id: str) -> str | None:
        tag = self.tags.get(tag_id)
        if tag is None:
            return None
        ambiguous = self._names[name_key(tag.name)] > 1
        return tag_text(tag.name, tag.group_name if ambiguous else None)

    def group_term(self, group_id: str) -> str | None:
        name = self.groups.get(group_id)
        return None if name is None else f"group:{quote(name)}"


class TagCompletionModel(QAbstractListModel):
    """The hits for the current word: display = name and group, edit = the text to insert."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._index = TagSearchIndex(())
        self._speller = TagSpeller(())
        self._hits: list[SearchHit] = []

    def set_tags(self, tags: Sequence[TagInfo], index: TagSearchIndex | None = None) -> None:
        """`index`: the same tags' search index if it was built on a worker (about 0.1 s at
        1,500 tags), else it is built here."""
        self._index = TagSearchIndex(tags) if index is None else index
        self._speller = TagSpeller(tags)

    @property
    def speller(self) -> TagSpeller:
        return self._speller

    def update(self, word: WordAtCursor | None) -> int:
        """Search for `word`; returns the number of hits."""
        hits: list[SearchHit] = []
        if word is not None:
            hits = self._index.search(word.query, limit=COMPLETION_LIMIT * 2)
            if word.group is not None:
                wanted = name_key(word.group)
                hits = [hit for hit in hits if name_key(hit.tag.group_name) == wanted]
        self.beginResetModel()
        self._hits = hits[:COMPLETION_LIMIT]
        self.endResetModel()
        return len(self._hits)

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def insertion(self, row: int) -> str:
        tag = self._hits[row].tag
        return self._speller.tag_term(tag.id) or tag_text(tag.name, tag.group_name)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        tag = self._hits[index.row()].tag
        if role == Qt.ItemDataRole.DisplayRole:
            code = f"  [{tag.abbreviation}]" if tag.abbreviation else ""
            return f"{tag.name}{code}    {tag.group_name} · {tag.relation_count:,}"
        if role == Qt.ItemDataRole.EditRole:
            return self.insertion(index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{tag.group_name}{colon()}{tag.name}"
        return None
