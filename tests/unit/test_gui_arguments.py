"""A GUI start reads its global options without building every command's parser, into the
same arguments the whole parser gives; anything else goes to the whole parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.parser import build_parser, gui_arguments

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv", [
    [], ["--demo"], ["--profile", "acme"], ["--profile=acme", "--home", "/tmp/tagdesk-x"],
    ["--temp-home", "--no-crash-dialog", "--demo"], ["--self-test"],
    ["--screenshot", "a.png", "--screenshot-scene", "tree", "--demo"],
])
def test_a_gui_start_reads_as_the_whole_parser_reads_it(argv: list[str]) -> None:
    light = gui_arguments(argv)
    assert light is not None
    assert vars(light) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [
    ["sync", "--profile", "acme"], ["--profile", "acme", "customers"], ["-h"],
    ["--demo", "--help"], ["--profile"], ["--screenshot-scene", "nowhere"], ["--colour"],
])
def test_a_command_help_or_usage_error_is_left_to_the_whole_parser(argv: list[str]) -> None:
    assert gui_arguments(argv) is None


def test_a_gui_start_loads_no_commands_parser() -> None:
    script = ("import sys; from desktop.cli.parser import gui_arguments; gui_arguments(['--demo']);"
              " print(sorted(m for m in sys.modules if m.endswith('_commands')))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
