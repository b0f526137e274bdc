"""A row of block characters showing a series of counts, one character each (▁ to █)."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(counts: Sequence[int]) -> str:
    """Zero is a blank-ish ▁ like the smallest count; the largest count is █."""
    top = max(counts, default=0)
    if top <= 0:
        return BLOCKS[0] * len(counts)
    last = len(BLOCKS) - 1
    return "".join(BLOCKS[0] if n <= 0 else BLOCKS[max(1, round(n * last / top))]
                   for n in counts)
