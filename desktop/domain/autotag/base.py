"""The bundled base model: a learner trained when TagDesk is packaged, on its own labelled
chats, with the intent packs' names as its tags (`tests/bench/build_autotag_base.py`). A user's
tag whose pack credits it starts from the base model's judgement (its log-odds), which the
corp's own confirmed tags then move, so a small training file, or none, still has a text model
behind the rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from desktop.domain.autotag.learner import (
    NEGATED_PREFIX,
    RULE_PREFIX,
    Example,
    Learner,
    log_odds,
)


def pack_names(names: Sequence[str], pack_of: Mapping[str, str]) -> list[str]:
    """A message's features as the base model knows them: the rules' findings named by the
    tag's pack (r:高意向 → r:购买意向), those of tags without a pack left out."""
    named = []
    for name in names:
        prefix = next((p for p in (RULE_PREFIX, NEGATED_PREFIX) if name.startswith(p)), None)
        if prefix is None:
            named.append(name)
        elif name[len(prefix):] in pack_of:
            named.append(prefix + pack_of[name[len(prefix):]])
    return named


def pack_example(example: Example, pack_of: Mapping[str, str]) -> Example:
    """A training message with its tags named by their packs (tags without one dropped)."""
    return Example(pack_names(example.names, pack_of),
                   {pack_of[tag]: c for tag, c in example.rules.items() if tag in pack_of},
                   frozenset(pack_of[tag] for tag in example.labels if tag in pack_of),
                   example.group)


def train_base(examples: Sequence[Example], pack_of: Mapping[str, str]) -> Learner:
    """The base model of labelled messages whose tags link to packs (`pack_of`: tag → pack)."""
    packs = tuple(dict.fromkeys(pack_of.values()))
    return Learner.train(packs, [pack_example(e, pack_of) for e in examples])


def base_log_odds(
    base: Learner, names: Sequence[str], rules: Mapping[str, float], pack_of: Mapping[str, str],
) -> dict[str, float]:
    """The base model's log-odds per user tag with a pack it knows (`pack_of`: tag → pack)."""
    by_pack = {p.tag: p.probability for p in base.predict(
        pack_names(names, pack_of),
        {pack_of[tag]: c for tag, c in rules.items() if tag in pack_of}, floor=0.0, top=0)}
    return {tag: log_odds(by_pack[pack]) for tag, pack in pack_of.items() if pack in by_pack}


def base_evidence(base: Learner, names: Sequence[str], tag: str, pack_of: Mapping[str, str],
                  top: int = 3) -> tuple[str, ...]:
    """The features that pushed the base model's judgement of `tag` up the most."""
    if tag not in pack_of:
        return ()
    return base.evidence(pack_names(names, pack_of), pack_of[tag], top)
