"""Messages quote user input at a readable length: a 100,000-character filter made a 200 KB
stderr line (the name twice, once per language)."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from desktop.domain.echo import echo
from desktop.domain.filter import FilterCatalogue, FilterError, GroupEntry, TagEntry, parse, resolve
from tests.hostile.cli_run import SyncedCli

LONG = "高" + "x" * 99_999
SHOWN = "（共 100,000 字符 / 100,000 chars）"


def test_echo_keeps_short_text_and_cuts_long_text_saying_how_long() -> None:
    assert echo("高意向") == "高意向"
    assert echo("x" * 200) == "x" * 200
    assert echo(LONG) == LONG[:200] + "…" + SHOWN
    assert echo("abcdef", 3) == "abc…（共 6 字符 / 6 chars）"


@pytest.mark.parametrize("text", [
    LONG, f"owner:{LONG}", f"dept:{LONG}", f"{LONG}:VIP", f"added:{LONG}",
    f"tags > {LONG}", f"{LONG} > 3",
])
def test_filter_errors_quote_at_most_a_few_hundred_characters(text: str) -> None:
    catalogue = FilterCatalogue(tags=[TagEntry(1, "高意向", "g1", "意向")],
                                groups=[GroupEntry("g1", "意向")], members=[], departments=[])
    with pytest.raises(FilterError) as caught:
        resolve(parse(text), catalogue, UTC)
    assert len(str(caught.value)) < 1_000, str(caught.value)[:300]
    assert SHOWN in str(caught.value)


@pytest.mark.integration
def test_cli_errors_about_long_input_stay_short(tmp_path: Path, sandbox: Any,
                                                synced_template: Path) -> None:
    cli = SyncedCli(tmp_path, sandbox, synced_template)
    for args in (("customers", "--profile", "acme", "--filter", LONG, "--count"),
                 ("retag", "--profile", "acme", "--filter", "", "--add", LONG, "--dry-run"),
                 ("retag", "--profile", "acme", "--filter", "", "--add", "高意向",
                  "--replace-group", LONG, "--dry-run"),
                 ("batch", "resume", LONG, "--profile", "acme")):
        result = cli(*args)
        assert result.returncode == 2, result.stderr[:300]
        assert len(result.stderr) < 2_000 and SHOWN in result.stderr, result.stderr[:300]
