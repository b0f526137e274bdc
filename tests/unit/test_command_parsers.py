"""A command builds only its own group's parsers, and prints its help and usage errors exactly
as the whole parser does; `tagdesk --help` and a command line naming no command get them all."""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.cli.parser import COMMANDS, build_parser, command_name

ROOT = Path(__file__).resolve().parents[2]


def _children(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next((dict(action.choices) for action in parser._actions
                 if isinstance(action, argparse._SubParsersAction)), {})


def _command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
                   ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield prefix, parser
    for name, child in _children(parser).items():
        yield from _command_paths(child, (*prefix, name))


def _printed(argv: list[str]) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: object = main(argv)
        except SystemExit as exit:
            code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_the_table_names_every_command_in_the_order_help_lists_them() -> None:
    assert [name for names, _ in COMMANDS for name in names] == list(_children(build_parser()))
    for names, _ in COMMANDS:
        assert tuple(_children(build_parser(names[0]))) == names


def test_every_commands_help_is_the_whole_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    paths = list(_command_paths(build_parser()))
    assert len(paths) > 100
    for path, parser in paths:
        assert _printed([*path, "--help"]) == (0, parser.format_help(), ""), path


@pytest.mark.parametrize("argv", [
    ["bogus"], ["tags"], ["tags", "lst"], ["--home", "/x", "tags", "list"], ["-h", "tags"],
    ["--hel", "tags"], ["autotag", "apply", "--bogus"], ["customers", "--filter"],
    ["sync", "--profile"],
], ids=" ".join)
def test_a_usage_error_is_the_whole_parsers(argv: list[str], monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as whole:
        build_parser().parse_args(argv)
    expected = capsys.readouterr()
    assert _printed(argv) == (whole.value.code, expected.out, expected.err)


@pytest.mark.parametrize(("argv", "command"), [
    (["tags", "list", "--profile", "sync"], "tags"),
    (["--home", "/x", "--debug", "sync"], "sync"),
    (["--home=/x", "--profile", "tags", "customers"], "customers"),
    (["--screenshot-scene", "tree", "autotag", "apply"], "autotag"),
    (["-h", "tags"], None), (["--hel", "tags"], None), (["--hom", "/x", "tags"], None),
    (["bogus", "tags"], None), (["--demo"], None), ([], None),
])
def test_the_command_is_read_past_the_global_options_spelt_in_full(
        argv: list[str], command: str | None) -> None:
    assert command_name(argv) == command


def test_a_commands_help_imports_no_other_commands_module() -> None:
    script = ("import contextlib, io, sys; from desktop.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    try: main(['tags', 'list', '--help'])\n"
              "    except SystemExit: pass\n"
              "print(sorted(m for m in sys.modules if m.endswith('_commands')))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['desktop.cli.tags_commands']"
