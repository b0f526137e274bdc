"""Quoting what a user typed or sent back to them, at a readable length.

A message that repeats its input grows with the input: a 100,000-character filter made a
200 KB stderr line (the name was in both the Chinese and the English half), and a spreadsheet
cell can hold 32,767 characters. Every echo of user input in a message goes through `echo`,
which keeps the start and says how long the whole was.
"""

from __future__ import annotations

ECHO_CHARS = 200


def echo(text: str, limit: int = ECHO_CHARS) -> str:
    """`text` itself when short; else its first `limit` characters and the full length.

    >>> echo("高意向")
    '高意向'
    >>> echo("x" * 1000, 5)
    'xxxxx…（共 1,000 字符 / 1,000 chars）'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text):,} 字符 / {len(text):,} chars）"
