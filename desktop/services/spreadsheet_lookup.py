"""What an import row names, looked up in the cache: tags by name, customers, members.

Each lookup answers either the ids it found or a `Finding`: what is wrong with the value and
how to fix it, in Chinese and English. The suggestions do the user's homework where the cache
can: the tag a team abbreviation names (V3 → 三次复购客户), the nearest tag names by text and
pinyin (高意象 → 高意向), the group:name spellings of an ambiguous tag, the external_userid of
the customer whose phone number or name was typed, the members who really follow a customer.
Results are memoised per value, because a 10,000-row sheet repeats the same few tag names
thousands of times.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from desktop.domain.echo import echo
from desktop.domain.filter.suggest import fold
from desktop.domain.tag_search import nearest_names
from desktop.store import members, outbox
from desktop.store.db import Cache

_PHONE_NOISE = re.compile(r"[\s\-()（）+]")
_SHOWN = 3
HOW_TO_FIND_ID_ZH = ("external_userid 以 wm 或 wo 开头：先在 TagDesk 中导出这些客户（导出表含此列，"
                     "填好标签即可直接导入），或在客户详情里复制。")
HOW_TO_FIND_ID_EN = ("An external_userid starts with wm or wo: export these customers from TagDesk"
                     " first (the export has this column and imports back once the tags are"
                     " filled in), or copy it from the customer's detail pane.")


@dataclass(frozen=True)
class Finding:
    """Why a value cannot be used, and what to do instead."""

    code: str
    problem_zh: str
    problem_en: str
    suggestion_zh: str
    suggestion_en: str


class TagLookup:
    """Tag names (or 组:名, or ids) → tag ids, as the WeCom console spells them."""

    def __init__(self, cache: Cache) -> None:
        self._tags = outbox.tag_catalogue(cache)
        self._by_id = {t.id: t for t in self._tags}
        self._by_name: dict[str, list[outbox.TagRecord]] = defaultdict(list)
        self._by_qualified: dict[tuple[str, str], outbox.TagRecord] = {}
        self._groups: dict[str, str] = {}
        for tag in self._tags:
            self._by_name[fold(tag.name)].append(tag)
            self._by_qualified[(fold(tag.group_name), fold(tag.name))] = tag
            self._groups.setdefault(fold(tag.group_name), tag.group_name)
        self._by_abbreviation = {
            fold(code): self._by_id[tag_id] for tag_id, code in cache.connection().execute(
                "SELECT tag_id, abbreviation FROM tag_meta WHERE abbreviation <> ''")
            if tag_id in self._by_id}
        self._memo: dict[str, str | Finding] = {}

    def labels(self) -> dict[str, str]:
        """Tag id → "组:名"."""
        return {t.id: f"{t.group_name}:{t.name}" for t in self._tags}

    def is_ambiguous(self, name: str) -> bool:
        """Whether a bare `name` needs its group to say which tag it is."""
        return len(self._by_name.get(fold(name), ())) > 1

    def resolve(self, token: str) -> str | Finding:
        found = self._memo.get(token)
        if found is None:
            found = self._memo[token] = self._resolve(token)
        return found

    def _resolve(self, token: str) -> str | Finding:
        if token in self._by_id:
            return token
        matches = self._by_name.get(fold(token), [])
        if len(matches) == 1:
            return matches[0].id
        if matches:
            choices = [f"{t.group_name}:{t.name}" for t in matches]
            return Finding(
                "ambiguous_tag",
                f"有 {len(matches)} 个标签都叫「{echo(token)}」，无法确定是哪一个。",
                f"{len(matches)} tags are named {echo(token)!r}; it is not clear which one is meant.",
                f"请写成「组名:标签名」，例如：{'、'.join(choices)}。",
                f"Write group:name, one of: {', '.join(choices)}.",
            )
        for colon in (":", "："):
            group, sep, name = token.partition(colon)
            tag = self._by_qualified.get((fold(group), fold(name))) if sep else None
            if tag is not None:
                return tag.id
        return self._unknown(token)

    def _unknown(self, token: str) -> Finding:
        group = self._groups.get(fold(token))
        if group is not None:
            example = next(t.name for t in self._tags if t.group_name == group)
            return Finding(
                "unknown_tag", f"「{echo(token)}」是标签组，不是标签。",
                f"{echo(token)!r} is a tag group, not a tag.",
                f"请写组里的标签名，例如「{example}」或「{group}:{example}」。",
                f"Write a tag of that group, e.g. {example!r} or '{group}:{example}'.",
            )
        nearest = self._nearest(token)
        if nearest:
            return Finding(
                "unknown_tag", f"没有名为「{echo(token)}」的标签。", f"There is no tag named {echo(token)!r}.",
                f"是否要找：{'、'.join(nearest)}？", f"Did you mean: {', '.join(nearest)}?",
            )
        return Finding(
            "unknown_tag", f"没有名为「{echo(token)}」的标签。", f"There is no tag named {echo(token)!r}.",
            "请检查拼写，或先同步以获取最新的标签库；新标签需先在标签库中创建。",
            "Check the spelling, or sync to get the latest tag library; create new tags in"
            " the tag library first.",
        )

    def _nearest(self, token: str) -> list[str]:
        """The tag a team abbreviation names (V3 → 三次复购客户), then the closest names by
        text and pinyin; ambiguous names come back as 组:名, and a 组:名 (full-width colon
        too) is matched against every 组:名."""
        for colon in (":", "："):
            group, sep, name = token.partition(colon)
            if sep:
                return nearest_names(f"{group}:{name}",
                                     [f"{t.group_name}:{t.name}" for t in self._tags],
                                     limit=_SHOWN, min_score=60.0)
        shown: list[str] = []
        abbreviated = self._by_abbreviation.get(fold(token))
        if abbreviated is not None:
            shown.append(f"{abbreviated.group_name}:{abbreviated.name}"
                         if self.is_ambiguous(abbreviated.name) else abbreviated.name)
        for name in nearest_names(token, [t.name for t in self._tags], limit=_SHOWN,
                                  min_score=60.0):
            if self.is_ambiguous(name):
                shown.extend(f"{t.group_name}:{t.name}" for t in self._by_name[fold(name)])
            else:
                shown.append(name)
        return list(dict.fromkeys(shown))[:_SHOWN]


class CustomerLookup:
    """Customers and members of the cache, for the first two columns of an import row."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self.relations: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for rid, external_userid, userid in cache.connection().execute(
            "SELECT id, external_userid, userid FROM relation ORDER BY id"
        ):
            self.relations[external_userid].append((rid, userid))
        self.member_names = {userid: name for userid, name in cache.connection().execute(
            "SELECT userid, name FROM member")}
        self.members = set(self.member_names)
        self.members.update(u for rels in self.relations.values() for _, u in rels)

    def relation_ids(self, external_userid: str, owner: str) -> list[int] | Finding:
        """The relations an (id, owner) cell pair means, or why there are none."""
        if looks_like_phone(external_userid):
            return self._phone(external_userid)
        followers = self.relations.get(external_userid)
        if followers is None:
            return self._not_a_customer(external_userid)
        if not owner:
            return [rid for rid, _ in followers]
        matched = [rid for rid, userid in followers if userid == owner]
        if matched:
            return matched
        names = [u for _, u in followers]
        if owner not in self.members:
            by_name = [u for u, name in self.member_names.items() if fold(name) == fold(owner)]
            nearest = by_name or nearest_names(owner, sorted(self.members), limit=_SHOWN)
            hint_zh = f"是否要找：{'、'.join(nearest)}？" if nearest else ""
            hint_en = f"Did you mean: {', '.join(nearest)}? " if nearest else ""
            return Finding(
                "unknown_member", f"没有账号为「{echo(owner)}」的成员。",
                f"There is no member with userid {echo(owner)!r}.",
                f"{hint_zh}此列填成员账号（userid），不是姓名；留空表示该客户的所有跟进成员。"
                f"跟进该客户的成员：{'、'.join(names)}。",
                f"{hint_en}This column takes the member's userid, not a name; leave it empty"
                f" for every member who follows the customer. Followers: {', '.join(names)}.",
            )
        return Finding(
            "not_followed", f"成员 {echo(owner)} 没有跟进这位客户。",
            f"Member {echo(owner)} does not follow this customer.",
            f"跟进该客户的成员：{'、'.join(names)}；或留空表示全部跟进成员。",
            f"Members who follow the customer: {', '.join(names)}; or leave the cell empty for"
            " all of them.",
        )

    def _phone(self, value: str) -> Finding:
        matches = self._by_mobile.get(_digits(value)[-11:], [])
        return Finding(
            "phone_number", f"「{echo(value)}」是手机号码，这里需要客户的 external_userid。",
            f"{echo(value)!r} is a phone number; this column needs the customer's external_userid.",
            _with_matches(HOW_TO_FIND_ID_ZH, matches, zh=True),
            _with_matches(HOW_TO_FIND_ID_EN, matches, zh=False),
        )

    def _not_a_customer(self, value: str) -> Finding:
        matches = self._by_name.get(fold(value), [])
        if matches or not _id_shaped(value):
            return Finding(
                "customer_name",
                f"「{echo(value)}」看起来是客户姓名或备注，不是 external_userid。",
                f"{echo(value)!r} looks like a customer's name or remark, not an external_userid.",
                _with_matches(HOW_TO_FIND_ID_ZH, matches, zh=True),
                _with_matches(HOW_TO_FIND_ID_EN, matches, zh=False),
            )
        problem_zh = f"本地缓存中没有客户「{echo(value)}」。"
        problem_en = f"No customer {echo(value)!r} in the local cache."
        follower = self._only_follower
        if follower:       # a team salesperson's cache: the server gave them their own customers
            return Finding(
                "unknown_customer", problem_zh, problem_en,
                f"本地缓存只有 {follower} 跟进的客户（我的客户）：其他成员的客户请交给其跟进人或主管导入。"
                "若是自己的客户，请先同步，再核对 ID（可从导出表复制）。",
                f"The local cache holds only the customers {follower} follows (My customers):"
                " another member's customers are imported by their follower or a supervisor."
                " If it is yours, sync first, then check the id (copy it from an export).",
            )
        return Finding(
            "unknown_customer", problem_zh, problem_en,
            "请先同步；若仍找不到，说明该客户已删除或不在应用可见范围内，请核对 ID（可从导出表复制）。",
            "Sync first; if it is still missing the customer was deleted or is outside the app's"
            " visible range: check the id (copy it from an export).",
        )

    @cached_property
    def _only_follower(self) -> str:
        return members.only_follower(self._cache)

    @cached_property
    def _by_mobile(self) -> dict[str, list[tuple[str, str]]]:
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for external_userid, name, mobiles in self._cache.connection().execute(
            "SELECT r.external_userid, coalesce(c.name, ''), r.remark_mobiles FROM relation r"
            " LEFT JOIN customer c ON c.external_userid = r.external_userid"
            " WHERE r.remark_mobiles NOT IN ('', '[]')"
        ):
            for mobile in json.loads(mobiles):
                key = _digits(str(mobile))[-11:]
                if (external_userid, name) not in found[key]:
                    found[key].append((external_userid, name))
        return found

    @cached_property
    def _by_name(self) -> dict[str, list[tuple[str, str]]]:
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for external_userid, name, remark in self._cache.connection().execute(
            "SELECT r.external_userid, coalesce(c.name, ''), r.remark FROM relation r"
            " LEFT JOIN customer c ON c.external_userid = r.external_userid"
        ):
            for text in {name, remark} - {""}:
                if (external_userid, name) not in found[fold(text)]:
                    found[fold(text)].append((external_userid, name))
        return found


def looks_like_phone(value: str) -> bool:
    """Digits (with the usual spaces, dashes, brackets and +86) of a phone number's length."""
    digits = _digits(value)
    return digits.isdigit() and 7 <= len(digits) <= 15 and len(digits) >= len(value) * 0.6


def _digits(value: str) -> str:
    return _PHONE_NOISE.sub("", value)


def _id_shaped(value: str) -> bool:
    """No spaces or Chinese characters: could be an id the cache does not know (yet)."""
    return not any(ch.isspace() or unicodedata.category(ch) == "Lo" for ch in value)


def _with_matches(base: str, matches: list[tuple[str, str]], *, zh: bool) -> str:
    if not matches:
        return base
    listed = ", ".join(f"{eid} ({name})" if name else eid for eid, name in matches[:_SHOWN])
    return (f"缓存中匹配的客户：{listed}。{base}" if zh
            else f"Matching customers in the cache: {listed}. {base}")
