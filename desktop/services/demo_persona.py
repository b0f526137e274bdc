"""The demo corp's persona: a sales member with favourites, abbreviations and a set.

Kept apart from `workspace` because seeding uses the tagging, tag-admin and exclusive-set
services, which are all built on a `Workspace` (the dependency runs one way only).
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace

from desktop.domain.arrivals import BY_STATE, LIVECODE
from desktop.domain.errors import UserError
from desktop.services import autotag_keywords
from desktop.services.chat_import import import_chats
from desktop.services.event_import import import_events
from desktop.services.exclusive_sets import ExclusiveSets
from desktop.services.rules import RulesService
from desktop.services.tag_admin import TagAdminService
from desktop.services.tagging import TaggingError, TaggingService
from desktop.services.workspace import DEMO_PERSONA_KEY, Workspace
from desktop.store import arrivals

# (tag, abbreviation): pinned for the demo persona, except the long V3 one.
DEMO_PREFERENCES = (
    ("意向程度:高意向", "HOT"),
    ("客户等级:VIP", ""),
    ("客户阶段:已报价", "BJ"),
    ("复购:三次复购客户", "V3"),
)
# Two rules to simulate at once in 标签 → 规则… (kept, not run).
DEMO_RULES: tuple[dict[str, object], ...] = (
    {"name": "北京归华北", "description": "备注、描述或公司名说北京的客户归华北",
     "when": {"all": [{"region": "北京"}, {"has_not": "地区:华北"}]},
     "then": {"add": ["地区:华北"]}},
    {"name": "付款即成交", "description": "30 天内有付款事件的客户标为已成交",
     "when": {"all": [{"event": {"type": "order_paid", "within_days": 30}},
                      {"has_not": "客户阶段:已成交"}]},
     "then": {"add": ["客户阶段:已成交"], "replace_group": True}},
)
DEMO_KEYWORDS = {
    "高意向": ["报价单", "采购", "试用", "演示", "合同"],
    "需上门": ["上门", "来一趟", "到现场"],
    "投诉处理中": ["没解决", "登录不上", "投诉"],
    "企业版": ["企业版", "旗舰版", "多门店"],
}

# The tags each demo live code (by state) gives the customers it brings, given a week ago:
# the next sync tags the relations the codes brought since (a `livecode` batch).
DEMO_LIVECODE_TAGS = {
    "expo2025": ("MKT-渠道:展会", "MKT-活动:2025秋季展会"),
    "douyin_ad": ("MKT-渠道:抖音",),
    "wx_article_03": ("MKT-渠道:公众号",),
    "baidu_sem": ("MKT-渠道:百度推广",),
    "store_qr_sh": ("客户来源:自然到店", "地区:上海"),
    "referral_2025": ("MKT-渠道:老客户转介绍", "客户来源:朋友推荐"),
}
DEMO_LIVECODE_AGE_S = 7 * 86_400


def choose_demo_persona(ws: Workspace) -> None:
    """The demo user is the member with the most customers in a sales department."""
    if not ws.profile.is_demo or ws.profile.userid:
        return
    row = ws.cache.connection().execute(
        "SELECT r.userid FROM relation r JOIN member_department md ON md.userid = r.userid"
        " JOIN department d ON d.id = md.department_id WHERE d.name LIKE '销售%'"
        " GROUP BY r.userid ORDER BY count(*) DESC, r.userid LIMIT 1"
    ).fetchone() or ws.cache.connection().execute(
        "SELECT userid FROM relation GROUP BY userid ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    if row:
        with ws.cache.write() as conn:
            ws.cache.set_meta(conn, DEMO_PERSONA_KEY, row[0])
        ws.profile = replace(ws.profile, userid=row[0])
        _seed_demo_preferences(ws)


def _seed_demo_preferences(ws: Workspace) -> None:
    """Favourites and team abbreviations, so the demo shows how a team really works."""
    admin = TagAdminService(ws)
    tagging = TaggingService(ws)
    for names, abbreviation in DEMO_PREFERENCES:
        try:
            (tag_id,) = tagging.resolve_tag_names([names])
        except TaggingError:
            continue  # a demo corp generated without this tag simply lacks the preference
        if abbreviation:
            admin.set_abbreviation(tag_id, abbreviation)
        if abbreviation != "V3":
            admin.pin(ws.operator, tag_id)
    with contextlib.suppress(TaggingError):
        ExclusiveSets(ws).add("成交状态", ["客户阶段:已成交", "客户阶段:无效客户"])
    _seed_demo_chats(ws)
    _seed_demo_events(ws)
    _seed_demo_rules(ws)
    _seed_demo_livecodes(ws, tagging)


def _seed_demo_chats(ws: Workspace) -> None:
    """The demo corp's chat export and a few keywords, so auto-tagging can be tried at once."""
    if ws.sandbox is None:
        return
    import_chats(ws.cache, ws.sandbox.state.chat_export_path)
    autotag_keywords.save(ws.cache, DEMO_KEYWORDS)


def _seed_demo_events(ws: Workspace) -> None:
    """The demo corp's behaviour events, so rules on events can be tried at once (a demo
    folder made before the sandbox wrote events has none)."""
    if ws.sandbox is not None and ws.sandbox.state.events_path.is_file():
        import_events(ws.cache, ws.sandbox.state.events_path)


def _seed_demo_rules(ws: Workspace) -> None:
    """A region rule and an event rule; a demo corp generated without their tags skips one."""
    rules = RulesService(ws)
    for definition in DEMO_RULES:
        with contextlib.suppress(UserError):
            rules.save(dict(definition))


def _seed_demo_livecodes(ws: Workspace, tagging: TaggingService) -> None:
    """Tags for the demo corp's live codes, so 活码 shows what each gives its customers and
    the next sync tags those the codes brought in the last week."""
    if ws.profile.is_team:
        return
    given: list[tuple[str, str, tuple[str, ...]]] = []
    for config_id, state in ws.cache.connection().execute(
            "SELECT config_id, state FROM contact_way WHERE state <> '' ORDER BY config_id"):
        names = DEMO_LIVECODE_TAGS.get(state)
        if names is None or arrivals.livecode(ws.cache, config_id) is not None:
            continue
        with contextlib.suppress(TaggingError):
            given.append((config_id, state, tuple(tagging.resolve_tag_names(list(names)))))
    with ws.cache.write() as conn:
        for config_id, state, tag_ids in given:
            arrivals.add(conn, source=LIVECODE, kind=BY_STATE, key=state, tag_ids=tag_ids,
                         created_at=time.time() - DEMO_LIVECODE_AGE_S,
                         created_by=ws.operator, config_id=config_id)
