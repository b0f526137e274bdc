"""Chat intents for the team rules' runs, found as a desktop's `tagdesk rules simulate` finds
them: the auto-tagging engine of the team's keywords (shared setting `autotag_keywords`) and
the bundled intent packs, trained on the team's review verdicts and the tags people set
(`team_training.py`, the same training a desktop's simulation does), at the desktop's default
confidence, run over every customer-sent message of the run's customers in the team's chats
(`chat_message`, pushed by desktops). A relation has an intent when one of its customer's
messages to that member is tagged with it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection

from desktop.domain.autotag import Suggestion
from desktop.server import snapshot
from desktop.server.shared_settings import TEAM
from desktop.server.snapshot import Conn
from desktop.server.team_training import team_tagger
from desktop.services.autotag_simulation import DEFAULT_MIN_CONFIDENCE, MEMO_MAX_CHARS
from desktop.store.chats import CUSTOMER_SENT

log = logging.getLogger("tagdesk.server.rules")

KEYWORDS_KIND = "autotag_keywords"
ROWS_PER_FETCH = 5_000

Intents = dict[tuple[str, str], frozenset[str]]   # (external_userid, userid) -> intents


def team_keywords(conn: Conn) -> dict[str, list[str]]:
    """The team's auto-tagging keywords per tag name, in name order (a desktop's)."""
    return dict(sorted((str(name), snapshot.text_list(words)) for name, words in conn.execute(
        "SELECT key, value FROM team_setting WHERE owner = %s AND kind = %s"
        " AND value IS NOT NULL", (TEAM, KEYWORDS_KIND))))


def intents(conn: Conn, customers: Collection[str]) -> Intents:
    """The intents of these customers' relations (none while no tag has keywords)."""
    keywords = team_keywords(conn)
    if not keywords:
        log.warning("team rules: no tag has auto-tagging keywords, so `intent` conditions"
                    " match no one")
        return {}
    if not customers:
        return {}
    tagger = team_tagger(conn, keywords)
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    memo: dict[str, list[Suggestion]] = {}          # 好的, 收到: said again and again
    with conn.transaction(), conn.cursor(name="rule_intents") as cursor:
        cursor.itersize = ROWS_PER_FETCH
        cursor.execute("SELECT external_userid, userid, text FROM chat_message"
                       " WHERE external_userid = ANY(%s) AND direction = %s",
                       (list(customers), CUSTOMER_SENT))
        for external_userid, userid, text in cursor:
            said = memo.get(str(text))
            if said is None:
                said = tagger.suggest(str(text))
                if len(str(text)) <= MEMO_MAX_CHARS:
                    memo[str(text)] = said
            for suggestion in said:
                if suggestion.confidence >= DEFAULT_MIN_CONFIDENCE:
                    found[(str(external_userid), str(userid))].add(suggestion.tag)
    return {key: frozenset(names) for key, names in found.items()}
