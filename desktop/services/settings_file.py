"""`<home>/tagdesk.ini` without Qt, so that a command reads and writes the app's settings
without loading PySide6. The format is the one QSettings (IniFormat) writes and reads.

A key is "group/name", as `desktop/ui/settings.py` names it; a key without a group lives in
[General]. In section and key names, a "/" inside the name is written "\\", and characters
other than ASCII letters, digits, "_", "-" and "." are written %XX or %UXXXX (UTF-16 units).
A value escapes "\\", '"' and control characters. It is quoted when it holds ",", ";" or
"=", or starts or ends with a space; a leading "@" is doubled, and a string holding a NUL
character is written @String(…). Writing changes only the
lines of the keys it sets and keeps every other line as it was (the window geometry among
them), then replaces the file in one step, holding the lock QSettings holds to write it.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

SETTINGS_FILE = "tagdesk.ini"
KEY_LANGUAGE = "prefs/language"
SAVED_FILTERS = "saved_filters"          # a profile's, under profile.NAME/
RECENT_FILTERS = "recent_filters"
ROOT_SECTION = "General"

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
_CONTROL = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}
_UNESCAPED = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
              '"': '"', "'": "'", "?": "?", "\\": "\\", ";": ";", ",": ",", "\n": ""}
LOCK_STALE_S = 30.0      # QLockFile's own: a lock kept longer than this is taken over
_HEX = frozenset("0123456789abcdefABCDEF")
_OCTAL = frozenset("01234567")
_NUL_STRING = "@String("      # a string holding a NUL character: @String(…)
_OPAQUE = ("@ByteArray(", "@Variant(", "@Invalid(", "@Rect(", "@Size(", "@Point(")


class SettingsFile:
    """The settings file at `path`; a missing or unreadable file reads as empty."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_home(cls, home: Path) -> SettingsFile:
        return cls(home / SETTINGS_FILE)

    def value(self, key: str, default: str = "") -> str:
        """The string stored under `key`; `default` when absent or not a string (a list,
        a byte array)."""
        section, name = _split(key)
        found = default
        current = None
        for line in self._lines():
            parsed = _section(line)
            if parsed is not None:
                current = parsed
            elif current == section and _key(line) == name:
                text = _value(line)
                found = default if text is None else text
        return found

    def update(self, values: Mapping[str, str]) -> None:
        """Store these keys' values; every other line stays as it was."""
        with _locked(self.path):
            self._write(values)

    def _write(self, values: Mapping[str, str]) -> None:
        lines = self._lines()
        newline = "\r\n" if any(line.endswith("\r\n") for line in lines) else "\n"
        lines = [line.rstrip("\r\n") for line in lines]
        for key, text in values.items():
            section, name = _split(key)
            _put(lines, section, name, f"{_escaped_key(name)}={_escaped_value(text)}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tagdesk-ini-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write("".join(line + newline for line in lines))
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def respell_filters(self, profile: str, respell: Callable[[str], str]) -> None:
        """Pass the profile's saved and recent filters through `respell` (a tag renamed)."""
        self.update(respelled_filters(
            self.value(profile_key(profile, SAVED_FILTERS)),
            self.value(profile_key(profile, RECENT_FILTERS)), respell, profile))

    def _lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8").splitlines(keepends=True)
        except (OSError, UnicodeDecodeError):
            return []


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock QSettings takes to write the file ("tagdesk.ini.lock", a QLockFile:
    pid, program and host), so the open app neither writes in between nor loses this write."""
    lock = path.with_name(path.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + LOCK_STALE_S
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            if time.monotonic() >= deadline:      # left behind: taken over, as QLockFile does
                lock.unlink(missing_ok=True)
                deadline = time.monotonic() + LOCK_STALE_S
            time.sleep(0.05)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n{_program()}\n{socket.gethostname()}\n")
        yield
    finally:
        lock.unlink(missing_ok=True)


def _program() -> str:
    """This process's program name as QLockFile reads it for a pid (Linux: /proc/PID/exe)."""
    try:
        return Path(os.readlink("/proc/self/exe")).name
    except OSError:
        return Path(sys.executable).name


def profile_key(profile: str, name: str) -> str:
    return f"profile.{profile}/{name}"


def json_list(raw: str) -> list[object]:
    """A list stored as a JSON string; [] for anything else."""
    try:
        data = json.loads(raw) if raw else []
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def saved_pairs(raw: str) -> list[tuple[str, str]]:
    """(name, expression) pairs of a profile's saved filters, in the order they were saved."""
    return [(str(item[0]), str(item[1])) for item in json_list(raw)
            if isinstance(item, list) and len(item) == 2]


def respelled_filters(saved: str, recent: str, respell: Callable[[str], str],
                      profile: str) -> dict[str, str]:
    """The profile's saved and recent filters (stored JSON) after `respell`, by key."""
    renamed = [[name, respell(text)] for name, text in saved_pairs(saved)]
    recent_renamed = dict.fromkeys(respell(str(text)) for text in json_list(recent))
    return {profile_key(profile, SAVED_FILTERS): json.dumps(renamed, ensure_ascii=False),
            profile_key(profile, RECENT_FILTERS): json.dumps(list(recent_renamed),
                                                             ensure_ascii=False)}


def _split(key: str) -> tuple[str, str]:
    section, slash, name = key.partition("/")
    return (section, name) if slash else (ROOT_SECTION, key)


def _put(lines: list[str], section: str, name: str, entry: str) -> None:
    """Set `name` in `section`: its line(s) replaced, else added at the end of the section
    (its last occurrence), else in a new section at the end of the file."""
    current, found, last = None, False, None
    for index, line in enumerate(lines):
        parsed = _section(line)
        if parsed is not None:
            current = parsed
            if parsed == section:
                last = index
        elif current == section:
            if _key(line) == name:
                lines[index], found = entry, True
            elif line.strip():
                last = index
    if found:
        return
    if last is not None:
        lines.insert(last + 1, entry)
        return
    if lines and lines[-1].strip():
        lines.append("")
    lines.extend([f"[{_escaped_key(section)}]", entry])


def _section(line: str) -> str | None:
    text = line.strip()
    return _unescaped_key(text[1:-1]) if text.startswith("[") and text.endswith("]") else None


def _key(line: str) -> str | None:
    text = line.strip()
    if not text or text.startswith((";", "#")) or "=" not in text:
        return None
    return _unescaped_key(text.partition("=")[0].strip())


def _escaped_key(name: str) -> str:
    out = []
    for char in name:
        if char == "/":
            out.append("\\")
        elif char in _PLAIN:
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"%{ord(char):02X}")
        else:
            units = char.encode("utf-16-be")
            out.extend(f"%U{units[i]:02X}{units[i + 1]:02X}" for i in range(0, len(units), 2))
    return "".join(out)


def _unescaped_key(text: str) -> str:
    units: list[int] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            units.append(ord("/"))
        elif char == "%" and text[index + 1:index + 2] == "U" and _is_hex(text[index + 2:index + 6]):
            units.append(int(text[index + 2:index + 6], 16))
            index += 5
        elif char == "%" and _is_hex(text[index + 1:index + 3]):
            units.append(int(text[index + 1:index + 3], 16))
            index += 2
        else:
            units.extend(int.from_bytes(char.encode("utf-16-be")[i:i + 2])
                         for i in range(0, len(char.encode("utf-16-be")), 2))
        index += 1
    return b"".join(unit.to_bytes(2) for unit in units).decode("utf-16-be", "replace")


def _is_hex(text: str) -> bool:
    return bool(text) and all(char in _HEX for char in text)


def _escaped_value(text: str) -> str:
    if "\0" in text:
        text = f"{_NUL_STRING}{text})"
    elif text.startswith("@"):
        text = "@" + text
    out: list[str] = []
    after_code = False        # a hex or NUL escape just written: a following hex digit is escaped
    for char in text:
        if after_code and char in _HEX:
            out.append(f"\\x{ord(char):x}")
            continue
        after_code = False
        if char == "\0":
            out.append("\\0")
            after_code = True
        elif char in _CONTROL:
            out.append("\\" + _CONTROL[char])
        elif char in '"\\':
            out.append("\\" + char)
        elif ord(char) <= 0x1F:
            out.append(f"\\x{ord(char):x}")
            after_code = True
        else:
            out.append(char)
    escaped = "".join(out)
    if any(char in text for char in ",;=") or escaped.startswith(" ") or escaped.endswith(" "):
        return f'"{escaped}"'
    return escaped


def _value(line: str) -> str | None:
    """The stored string of a "key=value" line; None for a list or a typed value."""
    raw = line.partition("=")[2].strip()
    items = _unescaped_items(raw)
    if len(items) != 1:
        return None
    text = items[0]
    if text.startswith(_OPAQUE):
        return None
    if text.startswith(_NUL_STRING) and text.endswith(")"):
        return text[len(_NUL_STRING):-1]
    return text[1:] if text.startswith("@@") else text


def _unescaped_items(raw: str) -> list[str]:
    """A value's strings, as QSettings reads them: quotes, escapes, unquoted "," between items
    (then each item trimmed), and an unquoted ";" starting a comment."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            index, decoded = _escape(raw, index + 1)
            current.append(decoded)
            continue
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            break
        elif char == "," and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current))
    return [item.strip() for item in items] if len(items) > 1 else items


def _escape(raw: str, index: int) -> tuple[int, str]:
    """The character an escape after a backslash stands for, and where reading goes on."""
    char = raw[index]
    if char == "x":
        end = index + 1
        while end < len(raw) and raw[end] in _HEX:
            end += 1
        return end, chr(int(raw[index + 1:end], 16)) if end > index + 1 else ""
    if char in _OCTAL:
        end = index
        while end < len(raw) and raw[end] in _OCTAL:
            end += 1
        return end, chr(int(raw[index:end], 8))
    return index + 1, _UNESCAPED.get(char, char)
