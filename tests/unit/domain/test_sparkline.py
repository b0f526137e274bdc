"""The report's per-day sparkline: the largest count is a full block, zero the lowest one."""

from __future__ import annotations

from desktop.domain.sparkline import sparkline


def test_counts_scale_to_the_largest() -> None:
    assert sparkline([0, 1, 7, 0, 14]) == "▁▂▅▁█"
    assert sparkline([0, 0]) == "▁▁" and sparkline([]) == ""
    assert sparkline([3]) == "█"
