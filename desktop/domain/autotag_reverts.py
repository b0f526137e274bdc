"""Reverted auto-tagging suggestions (pure part, shared by a solo cache and the team server).

When a revert takes off a tag an auto-tagging batch added, the accepted suggestion behind it
gets a later verdict, `reverted`: the review shows it reverted (not accepted), so a new
simulation does not offer it as accepted again, and it is no training data either way until
someone decides it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from desktop.domain.filter.suggest import fold
from desktop.domain.rules import CatalogueTag, TagRef

ACCEPTED, REJECTED, REVERTED = "accepted", "rejected", "reverted"
AUTOTAG_SOURCE = "autotag"

Key = tuple[str, str, str]             # (external_userid, userid, tag name as reviewed)
Removed = tuple[str, str, str]         # (external_userid, userid, tag id) a revert took off


def names_tag(name: str, tag: CatalogueTag) -> bool:
    """Does a reviewed tag name ("名", "组:名" or the id) name this tag?"""
    if name == tag.id or fold(name) == fold(tag.name):
        return True
    ref = TagRef.parse(name)
    return (ref.group is not None and fold(ref.group) == fold(tag.group_name)
            and fold(ref.name) == fold(tag.name))


def reverted_keys(removed: Iterable[Removed], latest: Mapping[Key, str],
                  catalogue: Mapping[str, CatalogueTag]) -> list[Key]:
    """The suggestions, by their latest verdict (`latest`: key → verdict), whose accepted tag
    a revert took off (`removed`, only tags an auto-tagging batch had added)."""
    taken: dict[tuple[str, str], set[str]] = {}
    for external_userid, userid, tag_id in removed:
        taken.setdefault((external_userid, userid), set()).add(tag_id)
    return sorted(key for key, verdict in latest.items() if verdict == ACCEPTED
                  and any(tag_id in catalogue and names_tag(key[2], catalogue[tag_id])
                          for tag_id in taken.get((key[0], key[1]), ())))
