"""Quoting what a user typed or sent back to them, at a readable length.

A message that repeats its input grows with the input: a 100,000-character filter made a
200 KB stderr line (the name was in both the Chinese and the English half), and a spreadsheet
cell can hold 32,767 characters. Every echo of user input in a message goes through `echo`,
which keeps the start and says how long the whole was, and shows control characters escaped
(ESC as `\x1b`), so no input can move the cursor, retitle or recolour a terminal.
"""

from __future__ import annotations

ECHO_CHARS = 200


def echo(text: str, limit: int = ECHO_CHARS) -> str:
    """`text` itself when short; else its first `limit` characters and the full length;
    control characters escaped either way.

    >>> echo("高意向")
    '高意向'
    >>> echo("x" * 1000, 5)
    'xxxxx…（共 1,000 字符 / 1,000 chars）'
    """
    if len(text) <= limit:
        return escape_controls(text)
    return f"{escape_controls(text[:limit])}…（共 {len(text):,} 字符 / {len(text):,} chars）"


def escape_controls(text: str, keep: str = "") -> str:
    """`text` with C0/C1 control characters, line separators and lone surrogates (undecodable
    bytes in argv) written as escapes; characters in `keep` stay as they are."""
    return "".join(char if char in keep else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"\\x{code:02x}"
    if code in (0x2028, 0x2029) or 0xD800 <= code < 0xE000:
        return f"\\u{code:04x}"
    return char
