"""Cache problems a user can act on, each with one readable sentence."""

from __future__ import annotations

from pathlib import Path


class CacheError(Exception):
    """A problem with the local cache file; `str()` is a sentence for the user."""


class NotACacheError(CacheError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} 不是 TagDesk 缓存文件（不是 SQLite 数据库）。"
            f" / {path} is not a TagDesk cache (not an SQLite database)."
        )


class CacheTooNewError(CacheError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"{path} 由更新版本的 TagDesk 创建（结构版本 {found}，本程序支持到 {supported}），"
            f"请升级 TagDesk。 / {path} was written by a newer TagDesk (schema {found}, this one "
            f"supports up to {supported}); please upgrade TagDesk."
        )


class CacheLockedError(CacheError):
    def __init__(self, path: Path, holder: str = "") -> None:
        who = f"（{holder}）" if holder else ""
        super().__init__(
            f"{path} 正被另一个 TagDesk 使用{who}，请先关闭它再试。"
            f" / {path} is in use by another TagDesk{' (' + holder + ')' if holder else ''};"
            " close it and try again."
        )
