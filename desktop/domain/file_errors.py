"""The sentences for a file that cannot be read or written, in both languages: the path
shown through `echo`, the reason as the system gives it. Pass them to a `UserError`:
`raise SomeError(*cannot_read(path, exc)) from None`."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.echo import echo


def cannot_read(path: Path | str, exc: OSError) -> tuple[str, str]:
    shown = echo(str(path))
    return f"无法读取 {shown}：{exc.strerror}", f"Cannot read {shown}: {exc.strerror}"


def cannot_write(path: Path | str, exc: OSError) -> tuple[str, str]:
    shown = echo(str(path))
    return f"无法写入 {shown}：{exc.strerror}", f"Cannot write {shown}: {exc.strerror}"
