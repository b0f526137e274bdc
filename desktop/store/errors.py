"""Cache problems a user can act on, each with one readable sentence."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.errors import UserError


class CacheError(UserError):
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


def _where(path: Path | None) -> tuple[str, str]:
    if path is None:
        return ("本地缓存（TagDesk 数据文件夹下的 profiles/配置名/cache.sqlite）",
                "the local cache (profiles/NAME/cache.sqlite under the TagDesk home)")
    return (f"缓存 {path} ", f"the cache {path}")


class DamagedCacheError(CacheError):
    """The cache file is truncated or has damaged pages: SQLite cannot read it."""

    def __init__(self, path: Path | None, detail: str) -> None:
        zh_where, en_where = _where(path)
        name = path.name if path is not None else "cache.sqlite"
        super().__init__(
            f"{zh_where}已损坏（{detail}），无法读写；为保护审计日志，TagDesk 不再向其中写入。"
            f"请关闭 TagDesk，把 {name} 及同名的 -wal、-shm 文件移到别处（不要删除，里面有本地日志），"
            f"然后运行 tagdesk sync --profile 配置名 重新同步；企业微信上的数据不受影响。",
            f"{en_where[0].upper()}{en_where[1:]} is damaged ({detail}) and cannot be read or"
            " written; TagDesk writes nothing more to it, to protect the audit log. Close"
            f" TagDesk, move {name} and its -wal and -shm files aside (keep them: they hold the"
            " local journal), then run `tagdesk sync --profile NAME` to build a fresh cache;"
            " the data in WeCom is not affected.",
        )


class CacheFullError(CacheError):
    """The disk (or the cache's size limit) is full: the write was rolled back."""

    def __init__(self, path: Path | None) -> None:
        zh_where, en_where = _where(path)
        super().__init__(
            f"磁盘已满，无法写入{zh_where.strip()}；这次写入已撤回。请腾出磁盘空间后重试；"
            "若有批量任务因此中断，腾出空间后用 tagdesk batch resume 批次号 继续，"
            "企业微信上已生效的修改会被核对并记入日志。",
            f"The disk is full, so {en_where} cannot be written; this write was rolled back."
            " Free some disk space and try again; if a batch stopped because of it, continue"
            " with `tagdesk batch resume BATCH_ID` after freeing space (changes already made"
            " in WeCom are checked and journaled).",
        )


class CacheReadOnlyError(CacheError):
    """The cache file, its folder or the disk cannot be written."""

    def __init__(self, path: Path | None) -> None:
        zh_where, en_where = _where(path)
        super().__init__(
            f"{zh_where}是只读的（文件、文件夹或磁盘不可写）；请检查权限，"
            "或用 --home / TAGDESK_HOME 指向可写的文件夹。",
            f"{en_where[0].upper()}{en_where[1:]} is read-only (the file, its folder or the"
            " disk cannot be written); check the permissions, or point --home / TAGDESK_HOME"
            " at a writable folder.",
        )


class CacheUnavailableError(CacheError):
    """SQLite cannot open or read the file for another reason (I/O error, missing folder)."""

    def __init__(self, path: Path | None, detail: str) -> None:
        zh_where, en_where = _where(path)
        super().__init__(
            f"无法读写{zh_where.strip()}（{detail}）；请检查磁盘和文件夹是否可用后重试。",
            f"Cannot read or write {en_where} ({detail}); check that the disk and the folder"
            " are available and try again.",
        )
