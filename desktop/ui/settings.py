"""Every GUI setting in one registry, stored in an INI file under the TagDesk home.

`QSettings` in IniFormat at an explicit path (never the Windows registry), so
`--home` isolates everything. Preferences (language) and window state (geometry,
splitters, table header, sort order) are global; recent and saved filters belong
to a profile, because tag names differ between corps, and so does the last folder of
the file dialogs. Lists are stored as JSON
strings, which read back the same on every platform.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from desktop.services.settings_file import (
    KEY_LANGUAGE,
    SETTINGS_FILE,
    json_list,
    profile_key,
    respelled_filters,
    saved_pairs,
)
from desktop.services.settings_file import RECENT_FILTERS as KEY_RECENT_FILTERS
from desktop.services.settings_file import SAVED_FILTERS as KEY_SAVED_FILTERS

SETTINGS_VERSION = 1
RECENT_LIMIT = 12

# The keys, declared once.
KEY_VERSION = "settings_version"
KEY_LAST_PROFILE = "prefs/last_profile"
KEY_GEOMETRY = "state/geometry"
KEY_WINDOW_STATE = "state/window_state"
KEY_SPLITTER = "state/splitter"
KEY_TABLE_HEADER = "state/customer_table_header"  # tags-first layout
KEY_SORT_COLUMN = "state/sort_column"
KEY_SORT_DESCENDING = "state/sort_descending"
KEY_LAST_FOLDER = "last_folder"     # a profile's, of the last file chosen in an open or save dialog
KEY_LAST_FILTER = "last_filter"
KEY_REFRESH_AT_START = "prefs/refresh_at_start"
KEY_REFRESH_AFTER_MIN = "prefs/refresh_after_min"
REFRESH_MODES = ("team", "always", "never")   # the first is the default

STATE_KEYS = (KEY_GEOMETRY, KEY_WINDOW_STATE, KEY_SPLITTER, KEY_TABLE_HEADER)


class Settings:
    """Typed access to `<home>/tagdesk.ini`."""

    def __init__(self, home: Path) -> None:
        self.path = home / SETTINGS_FILE
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        if self._qs.value(KEY_VERSION) is None:
            self._qs.setValue(KEY_VERSION, SETTINGS_VERSION)

    # -- preferences -----------------------------------------------------------

    @property
    def language(self) -> str:
        return str(self._qs.value(KEY_LANGUAGE, "") or "")

    @language.setter
    def language(self, value: str) -> None:
        self._qs.setValue(KEY_LANGUAGE, value)

    @property
    def last_profile(self) -> str:
        return str(self._qs.value(KEY_LAST_PROFILE, "") or "")

    @last_profile.setter
    def last_profile(self, value: str) -> None:
        self._qs.setValue(KEY_LAST_PROFILE, value)

    def refresh_at_start(self, team: bool, cache_age_s: float) -> bool:
        """Whether a profile whose cache was synced `cache_age_s` ago reads its tag library
        again in the background once the window has shown its rows: `prefs/refresh_at_start`
        is `team` (team profiles only, the default), `always` or `never`, and the cache must
        be at least `prefs/refresh_after_min` minutes old (0 by default: at every start)."""
        mode = self._text(KEY_REFRESH_AT_START).strip().lower()
        mode = mode if mode in REFRESH_MODES else REFRESH_MODES[0]
        if mode == "never" or (mode == "team" and not team):
            return False
        return cache_age_s >= 60 * max(0, _int(self._qs.value(KEY_REFRESH_AFTER_MIN), 0))

    def set_refresh_at_start(self, mode: str) -> None:
        if mode not in REFRESH_MODES:
            raise ValueError(mode)
        self._qs.setValue(KEY_REFRESH_AT_START, mode)

    # -- window state ----------------------------------------------------------

    def state(self, key: str) -> QByteArray | None:
        """Saved geometry / splitter / header bytes, or None when never saved."""
        if key not in STATE_KEYS:
            raise KeyError(key)
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, key: str, value: QByteArray) -> None:
        if key not in STATE_KEYS:
            raise KeyError(key)
        self._qs.setValue(key, value)

    @property
    def sort(self) -> tuple[int, bool]:
        """(column, descending); newest relations first by default."""
        column = _int(self._qs.value(KEY_SORT_COLUMN), -1)
        descending = str(self._qs.value(KEY_SORT_DESCENDING, "true")).lower() == "true"
        return column, descending

    def set_sort(self, column: int, descending: bool) -> None:
        self._qs.setValue(KEY_SORT_COLUMN, column)
        self._qs.setValue(KEY_SORT_DESCENDING, "true" if descending else "false")

    def last_folder(self, profile: str) -> Path | None:
        """The folder of the last file chosen in a file dialog with this profile, in any run
        (each corp's spreadsheets are in a folder of their own)."""
        text = self._text(profile_key(profile, KEY_LAST_FOLDER))
        return Path(text) if text else None

    def set_last_folder(self, profile: str, folder: Path) -> None:
        self._qs.setValue(profile_key(profile, KEY_LAST_FOLDER), str(folder))

    # -- filters (per profile) -------------------------------------------------

    def recent_filters(self, profile: str) -> list[str]:
        return [str(item) for item in json_list(self._text(profile_key(profile,
                                                                       KEY_RECENT_FILTERS)))]

    def add_recent_filter(self, profile: str, text: str) -> None:
        """Put `text` first in the profile's recent filters (no duplicates, bounded)."""
        text = text.strip()
        if not text:
            return
        recent = [item for item in self.recent_filters(profile) if item != text]
        self._set_json(profile_key(profile, KEY_RECENT_FILTERS),
                       [text, *recent][:RECENT_LIMIT])

    def last_filter(self, profile: str) -> str:
        """The filter the profile's window showed when it last closed ("" for none)."""
        return self._text(profile_key(profile, KEY_LAST_FILTER))

    def set_last_filter(self, profile: str, text: str) -> None:
        self._qs.setValue(profile_key(profile, KEY_LAST_FILTER), text.strip())

    def saved_filters(self, profile: str) -> list[tuple[str, str]]:
        """(name, expression) pairs in the order they were saved."""
        return saved_pairs(self._text(profile_key(profile, KEY_SAVED_FILTERS)))

    def save_filter(self, profile: str, name: str, text: str) -> None:
        """Save (or overwrite) a named filter."""
        pairs = [(n, t) for n, t in self.saved_filters(profile) if n != name]
        pairs.append((name, text))
        self._set_json(profile_key(profile, KEY_SAVED_FILTERS), [list(p) for p in pairs])

    def remove_saved_filter(self, profile: str, name: str) -> None:
        pairs = [(n, t) for n, t in self.saved_filters(profile) if n != name]
        self._set_json(profile_key(profile, KEY_SAVED_FILTERS), [list(p) for p in pairs])

    def respell_filters(self, profile: str, respell: Callable[[str], str]) -> None:
        """Pass the profile's saved and recent filters through `respell` (a tag renamed)."""
        for key, text in respelled_filters(
                self._text(profile_key(profile, KEY_SAVED_FILTERS)),
                self._text(profile_key(profile, KEY_RECENT_FILTERS)), respell, profile).items():
            self._qs.setValue(key, text)

    def sync(self) -> None:
        self._qs.sync()

    def _text(self, key: str) -> str:
        return str(self._qs.value(key, "") or "")

    def _set_json(self, key: str, value: Sequence[object]) -> None:
        self._qs.setValue(key, json.dumps(value, ensure_ascii=False))


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default
