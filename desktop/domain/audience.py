"""A mass-messaging audience as WeCom selects it: OR within a tag group, AND across groups.

WeCom's 群发 audience picker ANDs the tag groups a user picked from and ORs the tags picked
within one group. `Audience` keeps the picked tags in that shape (groups in the order they
were first picked) and spells the equivalent filter, so a salesperson can reproduce a
console audience exactly and see it written in the filter language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudienceTag:
    tag_id: str
    name: str
    group_id: str
    group_name: str
    term: str
    """The tag as one filter term (group-qualified when its name is ambiguous)."""


@dataclass(frozen=True)
class AudienceGroup:
    group_id: str
    group_name: str
    tags: tuple[AudienceTag, ...]


@dataclass(frozen=True)
class Audience:
    tags: tuple[AudienceTag, ...] = ()

    def __contains__(self, tag_id: object) -> bool:
        return any(tag.tag_id == tag_id for tag in self.tags)

    def toggled(self, tag: AudienceTag) -> Audience:
        """With `tag` added, or without it when it was already picked."""
        if tag.tag_id in self:
            return self.without(tag.tag_id)
        return Audience((*self.tags, tag))

    def without(self, tag_id: str) -> Audience:
        return Audience(tuple(tag for tag in self.tags if tag.tag_id != tag_id))

    def groups(self) -> list[AudienceGroup]:
        """The picked tags by group, groups in the order their first tag was picked."""
        order: dict[str, list[AudienceTag]] = {}
        for tag in self.tags:
            order.setdefault(tag.group_id, []).append(tag)
        return [AudienceGroup(group_id, tags[0].group_name, tuple(tags))
                for group_id, tags in order.items()]

    def expression(self) -> str:
        """The equivalent filter: `(A OR B) AND C`; "" when nothing is picked."""
        groups = self.groups()
        parts = []
        for group in groups:
            terms = [tag.term for tag in group.tags]
            joined = " OR ".join(terms)
            parts.append(f"({joined})" if len(terms) > 1 and len(groups) > 1 else joined)
        return " AND ".join(parts)
