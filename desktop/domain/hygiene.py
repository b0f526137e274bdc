"""Tag hygiene: what rots in a tag library, found from plain records (no I/O).

Departments create the same tag twice (高意向 in one group, 高意向客户 in another), campaign tags
outlive their campaign, a customer ends up both 已成交 and 无效客户, two followers disagree, and
the corp creeps towards WeCom's tag caps. `analyse` takes what the cache knows (tags with their
relation counts and last activity, exclusive sets, the exclusive tags on each relation, personal
tag names) and returns every finding with the tags it names, so the CLI, the GUI and an export
show the same report.

Duplicates are looked for across groups only (siblings such as 高意向 / 中意向 are meant to
differ): the same name once width, case and traditional / simplified characters are folded;
the same toneless pinyin (咨询 / 资询); a high rapidfuzz ratio; or one name holding the other
when the shorter is at least half the longer (高意向 / 高意向客户, not 展会 / 2025秋季展会).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz, process

from desktop.domain.filter.suggest import full_pinyin
from desktop.domain.hygiene_defaults import (
    DEFAULT_CORP_TAG_CAP,
    DEFAULT_GROUP_TAG_CAP,
    DEFAULT_ZOMBIE_DAYS,
)
from desktop.domain.retag_plan import ExclusiveSet
from desktop.domain.tag_names import (
    CONSOLE_NAME_LEN,
    MAX_LEVELS,
    SEPARATORS,
    name_key,
    split_path,
)
from desktop.domain.tags import GroupInfo, TagInfo, TagKind

DAY_S = 86_400
GROUP_NEAR_SHARE = 0.9
FUZZY_MIN_RATIO = 90.0
CONTAINMENT_MIN_SHARE = 0.5
MIN_DUPLICATE_LEN = 2

_DIGITS = re.compile(r"\d+")
_RISKY_PUNCTUATION = frozenset("#@=<>\"'`\\~^$%*!?{}[]")

# Traditional → simplified for the characters tag names use most; pinyin catches the rest.
_TRADITIONAL = (
    "電电話话詢询諮咨戶户義义學学習习業业務务會会員员單单價价買买賣卖貨货費费購购復复複复"
    "發发級级點点導导際际華华東东廣广門门開开關关問问題题線线號号體体書书紅红網网絡络車车"
    "銀银險险證证療疗醫医區区陽阳長长張张專专應应顧顾產产歷历歲岁時时場场報报禮礼議议論论"
    "說说語语讀读認认識识誠诚請请談谈訊讯記记訂订計计設设試试詳详調调貸贷財财貴贵資资賬账"
    "贈赠質质輕轻運运進进達达過过還还這这選选遠远適适鄉乡錢钱鐵铁錄录鎖锁鐘钟間间隊队陸陆"
    "隨随雙双難难靜静項项順顺預预頻频願愿類类風风飛飞館馆馬马驗验鬥斗魚鱼鳥鸟麥麦黃黄齊齐"
    "龍龙嚮向傳传優优儲储兒儿內内兩两動动勞劳勢势勵励協协廠厂參参變变圖图團团壓压夠够夢梦"
    "婦妇孫孙寶宝實实對对層层屬属幣币幫帮庫库廢废後后從从態态戰战擇择據据擁拥數数斷断條条"
    "來来標标樣样機机權权歡欢氣气決决沒没滿满漢汉潛潜無无營营爭争狀状獎奖現现環环當当盡尽"
    "監监盤盘眾众確确積积穩稳競竞筆笔節节範范簡简約约紀纪純纯紙纸組组經经結结給给絕绝統统"
    "維维綜综緊紧練练總总績绩續续聯联聲声聽听職职腦脑臺台與与興兴舉举舊旧莊庄葉叶萬万藝艺"
    "蘇苏處处衛卫補补製制視视親亲覺觉觀观訪访評评課课謝谢護护豐丰負负責责賀贺賽赛贊赞軟软"
    "輔辅輸输轉转辦办農农連连週周邊边針针鋼钢錯错鍵键鎮镇閱阅陳陈雜杂雲云須须領领頭头額额"
    "顯显飯饭養养餘余鬆松黨党齡龄們们為为樂乐創创則则億亿僅仅勝胜國国圍围執执塊块備备夥伙"
    "媽妈將将帶带師师廳厅彙汇戲戏擴扩攜携敗败顏颜熱热燈灯爾尔獨独獲获畫画異异稅税種种稱称"
    "簽签細细終终綠绿緣缘縣县羅罗藥药術术裝装見见規规覽览訓训診诊詞词誤误講讲貿贸賴赖贏赢"
    "軍军載载輛辆遷迁郵邮釋释鋪铺鏈链閃闪闆板雞鸡離离韓韩頁页頓顿駕驾鮮鲜麗丽嚴严歸归賓宾"
    "縮缩織织觸触輪轮鑽钻擔担擊击聖圣亞亚偉伟傷伤儀仪償偿剛刚劇剧務务匯汇啟启圓圆壞坏廣广"
    "憂忧懷怀掛挂採采換换損损樓楼橋桥檢检櫃柜測测漲涨潔洁濃浓畢毕紋纹納纳絲丝編编緩缓繩绳"
    "繪绘聞闻臉脸蓋盖薦荐藍蓝蘭兰虧亏訴诉該该詩诗誕诞誘诱譽誉讚赞貝贝賠赔賺赚趨趋躍跃輝辉"
    "遞递銅铜銳锐錦锦鏡镜閒闲闊阔霧雾靈灵頂顶顆颗飽饱餅饼驅驱驚惊鳴鸣鹽盐麵面"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL[0::2], _TRADITIONAL[1::2])


class DuplicateReason(StrEnum):
    SAME_NAME = "same_name"
    SAME_PINYIN = "same_pinyin"
    SIMILAR = "similar"
    CONTAINS = "contains"


class ConflictKind(StrEnum):
    RELATION = "relation"
    CROSS_FOLLOWER = "cross_follower"


class ZombieReason(StrEnum):
    UNUSED = "unused"        # carried by no relation
    STALE = "stale"          # no journal activity and no new relation for N days


class RiskKind(StrEnum):
    SPECIAL = "special_characters"
    SPACES = "spaces"
    LONG = "long"


@dataclass(frozen=True)
class TagStat:
    """One tag as the report needs it. `last_activity` is the newest of: a journal row about
    the tag, a relation carrying it being added, the tag being created (Unix seconds, 0 when
    unknown). `raw_name` is the name exactly as WeCom holds it (spaces included)."""

    id: str
    name: str
    group_id: str
    group_name: str
    kind: TagKind
    relation_count: int
    last_activity: float = 0.0
    raw_name: str = ""


@dataclass(frozen=True)
class GroupStat:
    id: str
    name: str
    kind: TagKind
    live_tags: int


@dataclass(frozen=True)
class RelationTags:
    """The exclusive-set tags one follow relation carries (others are not needed)."""

    external_userid: str
    userid: str
    tag_ids: frozenset[str]


@dataclass(frozen=True)
class HygieneSettings:
    zombie_days: int = DEFAULT_ZOMBIE_DAYS
    corp_tag_cap: int = DEFAULT_CORP_TAG_CAP
    group_tag_cap: int = DEFAULT_GROUP_TAG_CAP
    max_levels: int = MAX_LEVELS
    console_name_len: int = CONSOLE_NAME_LEN


@dataclass(frozen=True)
class Duplicate:
    tag_ids: tuple[str, ...]
    reason: DuplicateReason


@dataclass(frozen=True)
class Zombie:
    tag_id: str
    reason: ZombieReason


@dataclass(frozen=True)
class ConflictFinding:
    external_userid: str
    tag_ids: tuple[str, ...]
    kind: ConflictKind
    set_name: str
    userids: tuple[str, ...]


@dataclass(frozen=True)
class RiskyName:
    tag_id: str
    kinds: tuple[RiskKind, ...]


@dataclass(frozen=True)
class PersonalDuplicate:
    """A personal tag name that a corp tag already has: a candidate to promote (or drop)."""

    name: str
    relations: int
    tag_ids: tuple[str, ...]


@dataclass(frozen=True)
class GroupLoad:
    group_id: str
    name: str
    tags: int
    cap: int


@dataclass(frozen=True)
class Capacity:
    tags_used: int
    corp_cap: int
    group_cap: int
    groups_near_cap: tuple[GroupLoad, ...]

    @property
    def share(self) -> float:
        return self.tags_used / self.corp_cap if self.corp_cap > 0 else 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "tags_used": self.tags_used, "corp_cap": self.corp_cap,
            "share": round(self.share, 4), "group_cap": self.group_cap,
            "groups_near_cap": [{"group_id": g.group_id, "name": g.name, "tags": g.tags,
                                 "cap": g.cap} for g in self.groups_near_cap],
        }


@dataclass(frozen=True)
class HealthReport:
    duplicates: tuple[Duplicate, ...] = ()
    zombies: tuple[Zombie, ...] = ()
    conflicts: tuple[ConflictFinding, ...] = ()
    risky_names: tuple[RiskyName, ...] = ()
    deep_paths: tuple[str, ...] = ()
    empty_groups: tuple[str, ...] = ()
    personal_duplicates: tuple[PersonalDuplicate, ...] = ()
    capacity: Capacity = field(default_factory=lambda: Capacity(0, DEFAULT_CORP_TAG_CAP,
                                                                DEFAULT_GROUP_TAG_CAP, ()))

    def as_json(self) -> dict[str, object]:
        """The interface of `tagdesk health --json` (field names are fixed)."""
        return {
            "duplicates": [{"tags": list(d.tag_ids), "reason": d.reason.value}
                           for d in self.duplicates],
            "zombies": [z.tag_id for z in self.zombies],
            "conflicts": [{"external_userid": c.external_userid, "tags": list(c.tag_ids),
                           "kind": c.kind.value, "set": c.set_name, "userids": list(c.userids)}
                          for c in self.conflicts],
            "capacity": self.capacity.as_json(),
            "zombie_reasons": {z.tag_id: z.reason.value for z in self.zombies},
            "risky_names": [{"tag": r.tag_id, "kinds": [k.value for k in r.kinds]}
                            for r in self.risky_names],
            "deep_paths": list(self.deep_paths),
            "empty_groups": list(self.empty_groups),
            "personal_duplicates": [{"name": p.name, "relations": p.relations,
                                     "tags": list(p.tag_ids)}
                                    for p in self.personal_duplicates],
        }


def fold_name(name: str) -> str:
    """Comparison key for duplicates: width, case, spaces and traditional characters folded."""
    return name_key(name).translate(_TO_SIMPLIFIED)


def analyse(
    tags: Sequence[TagStat],
    groups: Sequence[GroupStat],
    *,
    exclusive_sets: Sequence[ExclusiveSet] = (),
    relations: Iterable[RelationTags] = (),
    personal: Mapping[str, int] | None = None,
    now: float,
    settings: HygieneSettings | None = None,
) -> HealthReport:
    """Every finding over the given library. `personal` maps personal tag names to the number
    of relations carrying them; `relations` only needs relations carrying exclusive tags."""
    settings = settings or HygieneSettings()
    settable = [t for t in tags if t.kind is not TagKind.PERSONAL]
    corp = [t for t in settable if t.kind is TagKind.CORP]
    return HealthReport(
        duplicates=tuple(find_duplicates(settable)),
        zombies=tuple(find_zombies(settable, now=now, days=settings.zombie_days)),
        conflicts=tuple(find_conflicts(relations, exclusive_sets)),
        risky_names=tuple(find_risky_names(settable, settings.console_name_len)),
        deep_paths=tuple(t.id for t in settable
                         if len(split_path(t.name)) + 1 > settings.max_levels),
        empty_groups=tuple(find_empty_groups(settable, groups)),
        personal_duplicates=tuple(find_personal_duplicates(corp, personal or {})),
        capacity=capacity(settable, groups, settings),
    )


def find_duplicates(tags: Sequence[TagStat]) -> list[Duplicate]:
    """Clusters with one name (folded) or one pinyin across groups, then fuzzy and contained
    pairs across groups that no cluster already holds. Names differing only in digits
    (2023春节 / 2024春节) are a series, not duplicates."""
    found: list[Duplicate] = []
    clusters: list[frozenset[str]] = []
    for kind, key_of in ((DuplicateReason.SAME_NAME, fold_name),
                         (DuplicateReason.SAME_PINYIN, _pinyin_key)):
        buckets: dict[str, list[TagStat]] = defaultdict(list)
        for tag in tags:
            text = key_of(tag.name)
            if len(text) >= MIN_DUPLICATE_LEN:
                buckets[text].append(tag)
        for members in buckets.values():
            ids = frozenset(t.id for t in members)
            if len({t.group_id for t in members}) < 2 or any(ids <= c for c in clusters):
                continue
            clusters.append(ids)
            found.append(Duplicate(tuple(t.id for t in members), kind))
    in_cluster = {tag_id: i for i, cluster in enumerate(clusters) for tag_id in cluster}
    keys = [fold_name(t.name) for t in tags]
    series = [_DIGITS.sub("", key) for key in keys]
    group_ids = [t.group_id for t in tags]
    for i, key in enumerate(keys):
        similar = {j for _, _, j in process.extract(key, keys, scorer=fuzz.ratio,
                                                    score_cutoff=FUZZY_MIN_RATIO, limit=None)}
        contained = {j for j in range(i + 1, len(keys)) if keys[j] in key or key in keys[j]}
        for j in sorted(similar | contained):
            if j <= i or group_ids[i] == group_ids[j]:
                continue
            reason = _pair_reason(key, keys[j])
            if reason is None and j in similar:
                reason = DuplicateReason.SIMILAR
            cluster = in_cluster.get(tags[i].id)
            if reason is None or series[i] == series[j] or (
                    cluster is not None and cluster == in_cluster.get(tags[j].id)):
                continue
            found.append(Duplicate((tags[i].id, tags[j].id), reason))
    return found


def find_zombies(tags: Iterable[TagStat], *, now: float, days: int) -> list[Zombie]:
    cutoff = now - days * DAY_S
    found = []
    for tag in tags:
        if tag.relation_count == 0:
            found.append(Zombie(tag.id, ZombieReason.UNUSED))
        elif tag.last_activity < cutoff:
            found.append(Zombie(tag.id, ZombieReason.STALE))
    return found


def find_conflicts(
    relations: Iterable[RelationTags], exclusive_sets: Sequence[ExclusiveSet]
) -> list[ConflictFinding]:
    """Relations carrying two tags of one set, and customers whose followers each put a
    different tag of one set on their own relation (a per-relation conflict is not repeated
    as a cross-follower one)."""
    if not exclusive_sets:
        return []
    found: list[ConflictFinding] = []
    by_customer: dict[str, list[RelationTags]] = defaultdict(list)
    for relation in relations:
        by_customer[relation.external_userid].append(relation)
        for tag_set in exclusive_sets:
            carried = relation.tag_ids & tag_set.tag_ids
            if len(carried) >= 2:
                found.append(ConflictFinding(relation.external_userid, tuple(sorted(carried)),
                                             ConflictKind.RELATION, tag_set.name,
                                             (relation.userid,)))
    for external_userid, carriers in by_customer.items():
        if len(carriers) < 2:
            continue
        for tag_set in exclusive_sets:
            held = [(r.userid, r.tag_ids & tag_set.tag_ids) for r in carriers]
            held = [(userid, ids) for userid, ids in held if ids]
            union = frozenset().union(*(ids for _, ids in held)) if held else frozenset()
            if len(union) < 2 or any(ids == union for _, ids in held):
                continue
            found.append(ConflictFinding(external_userid, tuple(sorted(union)),
                                         ConflictKind.CROSS_FOLLOWER, tag_set.name,
                                         tuple(sorted(userid for userid, _ in held))))
    return found


def find_risky_names(tags: Iterable[TagStat], console_len: int) -> list[RiskyName]:
    found = []
    for tag in tags:
        raw = tag.raw_name or tag.name
        kinds: list[RiskKind] = []
        if any(_is_special(ch) for ch in raw.strip()):
            kinds.append(RiskKind.SPECIAL)
        if raw != raw.strip() or "  " in raw:
            kinds.append(RiskKind.SPACES)
        if len(raw.strip()) > console_len:
            kinds.append(RiskKind.LONG)
        if kinds:
            found.append(RiskyName(tag.id, tuple(kinds)))
    return found


def find_empty_groups(tags: Iterable[TagStat], groups: Iterable[GroupStat]) -> list[str]:
    """Corp groups with no live tag, or none of whose tags any relation carries."""
    carried: dict[str, int] = defaultdict(int)
    for tag in tags:
        carried[tag.group_id] += tag.relation_count
    return [g.id for g in groups
            if g.kind is TagKind.CORP and (g.live_tags == 0 or carried.get(g.id, 0) == 0)]


def find_personal_duplicates(
    corp_tags: Iterable[TagStat], personal: Mapping[str, int]
) -> list[PersonalDuplicate]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for tag in corp_tags:
        by_key[fold_name(tag.name)].append(tag.id)
    return [PersonalDuplicate(name, count, tuple(by_key[fold_name(name)]))
            for name, count in sorted(personal.items()) if fold_name(name) in by_key]


def capacity(tags: Sequence[TagStat], groups: Iterable[GroupStat],
             settings: HygieneSettings) -> Capacity:
    near = int(settings.group_tag_cap * GROUP_NEAR_SHARE)
    loads = [GroupLoad(g.id, g.name, g.live_tags, settings.group_tag_cap) for g in groups
             if g.kind is not TagKind.PERSONAL and g.live_tags >= near]
    return Capacity(len(tags), settings.corp_tag_cap, settings.group_tag_cap,
                    tuple(sorted(loads, key=lambda g: -g.tags)))


def library_capacity(tags: Iterable[TagInfo], groups: Iterable[GroupInfo],
                     settings: HygieneSettings | None = None) -> Capacity:
    """The capacity gauge straight from the tree's library (no relation data needed)."""
    settings = settings or HygieneSettings()
    settable = [TagStat(t.id, t.name, t.group_id, t.group_name, t.kind, t.relation_count)
                for t in tags if t.kind is not TagKind.PERSONAL]
    sizes: dict[str, int] = defaultdict(int)
    for tag in settable:
        sizes[tag.group_id] += 1
    return capacity(settable, [GroupStat(g.id, g.name, g.kind, sizes[g.id]) for g in groups],
                    settings)


def _pinyin_key(name: str) -> str:
    return full_pinyin(fold_name(name)).casefold()


def _pair_reason(left: str, right: str) -> DuplicateReason | None:
    """CONTAINS when the shorter name sits inside the longer and is more than half as long,
    or exactly half and at its start (复购 / 复购客户): a name that ends a longer one of twice
    its length names a kind of it (咨询 / 电话咨询, 展会 / 秋季展会), not the same thing."""
    short, long = sorted((left, right), key=len)
    if len(short) < MIN_DUPLICATE_LEN or short not in long:
        return None
    share = len(short) / len(long)
    if share > CONTAINMENT_MIN_SHARE or (share == CONTAINMENT_MIN_SHARE
                                         and long.startswith(short)):
        return DuplicateReason.CONTAINS
    return None


def _is_special(ch: str) -> bool:
    if ch in SEPARATORS or ch in _RISKY_PUNCTUATION:
        return True
    category = unicodedata.category(ch)
    return category.startswith("C") or (category in ("So", "Sk", "Sm") and ch not in "+")
