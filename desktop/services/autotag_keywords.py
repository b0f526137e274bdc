"""Keywords per tag for auto-tagging: the KW.json file format and the profile's stored set.

KW.json is `{"tags": {"<tag name>": {"keywords": ["...", "..."]}}}` (the same file the
`autotag classify` command reads); a tag name may be `组:名` where several groups share it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.file_errors import cannot_read
from desktop.store import autotag_settings
from desktop.store.db import Cache

if TYPE_CHECKING:
    from desktop.services.workspace import Workspace

MAX_KEYWORDS = 200
MAX_KEYWORD_CHARS = 50
MAX_FILE_BYTES = 5_000_000


class KeywordsError(UserError):
    """A keywords file or value that cannot be used; `str()` is "中文 / English"."""


def read_keywords_file(path: Path) -> dict[str, list[str]]:
    """Tag name → keywords from a KW.json file; every fault is one sentence."""
    shown = echo(str(path))
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise KeywordsError(f"关键词文件过大：{shown} / The keywords file is too large: {shown}")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise KeywordsError(*cannot_read(path, exc)) from None
    except UnicodeDecodeError:
        raise KeywordsError(f"{shown} 不是 UTF-8 文本。 / {shown} is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise KeywordsError(f"{shown} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）。"
                            f" / {shown} is not valid JSON (line {exc.lineno}, column"
                            f" {exc.colno}).") from None
    tags = data.get("tags") if isinstance(data, dict) else None
    if not isinstance(tags, dict):
        raise KeywordsError(
            f"{shown} 须为 {{\"tags\": {{\"标签名\": {{\"keywords\": [...]}}}}}}。"
            f" / {shown} must be {{\"tags\": {{\"<tag name>\": {{\"keywords\": [...]}}}}}}.")
    wanted: dict[str, list[str]] = {}
    for name, entry in tags.items():
        words = entry.get("keywords") if isinstance(entry, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise KeywordsError(f"标签「{echo(name)}」的 keywords 须为文本列表。"
                                f" / The keywords of tag {echo(name)!r} must be a list of texts.")
        wanted[name] = words
    return clean(wanted)


def clean(wanted: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Trimmed names and keywords, duplicates and empties dropped; limits checked."""
    result: dict[str, list[str]] = {}
    for raw_name, words in wanted.items():
        name = raw_name.strip()
        if not name or not name.isprintable():
            raise KeywordsError(f"标签名无效：「{echo(raw_name)}」 / Invalid tag name:"
                                f" {echo(raw_name)!r}")
        kept = list(dict.fromkeys(w.strip() for w in words if w.strip()))
        if len(kept) > MAX_KEYWORDS:
            raise KeywordsError(f"标签「{echo(name)}」的关键词超过 {MAX_KEYWORDS} 个。"
                                f" / Tag {echo(name)!r} has more than {MAX_KEYWORDS} keywords.")
        for word in kept:
            if len(word) > MAX_KEYWORD_CHARS or not word.isprintable():
                raise KeywordsError(
                    f"标签「{echo(name)}」的关键词无效：「{echo(word)}」（最多"
                    f" {MAX_KEYWORD_CHARS} 个字符）/ Tag {echo(name)!r} has an invalid keyword"
                    f" {echo(word)!r} (at most {MAX_KEYWORD_CHARS} characters)")
        result[name] = kept
    return result


def checked_keywords(value: object) -> list[str]:
    """One tag's keywords as sent to the team server: a list of texts, cleaned and checked."""
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise KeywordsError("关键词须为文本列表。 / Keywords must be a list of texts.")
    return clean({"-": value})["-"]


def parse_assignment(text: str) -> tuple[str, list[str]]:
    """`高意向=想买,下单,怎么付款` → ("高意向", [...]); commas may be 、 ， or ;."""
    name, sep, words = text.partition("=")
    if not sep:
        raise KeywordsError(f"请写成 标签名=关键词1,关键词2：「{echo(text)}」"
                            f" / Write tag=keyword1,keyword2: {echo(text)!r}")
    for separator in ("、", "，", ";", "；"):
        words = words.replace(separator, ",")
    name, kept = next(iter(clean({name: words.split(",")}).items()))
    return name, kept


def as_file_json(keywords: Mapping[str, Sequence[str]]) -> dict[str, object]:
    """The KW.json shape of a keyword set."""
    return {"tags": {name: {"keywords": list(words)} for name, words in keywords.items()}}


def stored(cache: Cache) -> dict[str, list[str]]:
    return autotag_settings.keywords(cache)


def save(cache: Cache, keywords: Mapping[str, Sequence[str]], *,
         replace_all: bool = False) -> None:
    autotag_settings.save_keywords(cache, clean(keywords), replace_all=replace_all)


def save_for(ws: Workspace, keywords: Mapping[str, Sequence[str]], *,
             replace_all: bool = False) -> None:
    """Save keywords for a profile: on a team profile the team server first (a refusal or
    an unreachable server raises and nothing changes), then the cache."""
    cleaned = clean(keywords)
    if ws.profile.is_team:
        from desktop.services import team_autotag  # the HTTP client: team profiles only

        team_autotag.write_keywords(ws, cleaned, replace_all=replace_all)
    autotag_settings.save_keywords(ws.cache, cleaned, replace_all=replace_all)


def remove_for(ws: Workspace, names: Sequence[str]) -> int:
    """Forget these tags' keywords (the team's first on a team profile); returns how many
    were stored."""
    stored_names = [name for name in names if name in autotag_settings.keywords(ws.cache)]
    if ws.profile.is_team and stored_names:
        from desktop.services import team_autotag

        team_autotag.forget_keywords(ws, stored_names)
    return autotag_settings.remove_keywords(ws.cache, stored_names)


def names_not_tags(cache: Cache, names: Sequence[str]) -> list[UserError]:
    """For each of these keyword names that names no tag in the cache's library, the
    sentence saying so with the nearest names (keywords are kept for such a name, but
    nothing is suggested with it until the tag exists); none before the first sync."""
    from desktop.services.tagging import TaggingError, resolve_in
    from desktop.store.outbox import tag_catalogue

    catalogue = tag_catalogue(cache)
    said: list[UserError] = []
    if not catalogue:
        return said
    for name in names:
        try:
            resolve_in(catalogue, name.strip())
        except TaggingError as exc:
            said.append(exc)
    return said
