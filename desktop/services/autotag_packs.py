"""Reading the bundled intent packs (`resources/autotag/intent_packs.json`) for the
auto-tagger."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from desktop.domain.autotag import IntentPack
from desktop.domain.autotag.patterns import GAP, expand
from desktop.resources import resource_path


@cache
def load_intent_packs() -> tuple[IntentPack, ...]:
    """The bundled packs, in file order (earlier packs win ties when linking a tag); each
    pack's `patterns` expanded into its phrases and gapped phrases, its `traps` (patterns
    too), its `owned` and `settled` words (patterns too) into theirs, and the patterns of its `alongside` (another pack's name → patterns)
    into theirs."""
    return intent_packs_from(
        json.loads(resource_path("autotag/intent_packs.json").read_text(encoding="utf-8")))


def intent_packs_from(data: Mapping[str, Any]) -> tuple[IntentPack, ...]:
    """The packs of an intent-packs file's content (as `load_intent_packs` reads it)."""
    packs = []
    for pack in data["packs"]:
        families = [phrase for pattern in pack.get("patterns", ()) for phrase in expand(pattern)]
        packs.append(IntentPack(
            name=pack["name"],
            aliases=tuple(pack.get("aliases", ())),
            phrases=tuple(dict.fromkeys(
                [*pack["phrases"], *(phrase for phrase in families if GAP not in phrase)])),
            traps=tuple(dict.fromkeys(
                trap for pattern in pack.get("traps", ()) for trap in expand(pattern))),
            questions=tuple(pack.get("questions", ())),
            broad=bool(pack.get("broad", False)),
            requests=tuple(pack.get("requests", ())),
            gapped=tuple(phrase for phrase in families if GAP in phrase),
            alongside=tuple(
                (partner, tuple(dict.fromkeys(p for pattern in patterns for p in expand(pattern))))
                for partner, patterns in pack.get("alongside", {}).items()),
            yields_to=tuple(pack.get("yields_to", ())),
            owned=tuple(dict.fromkeys(
                word for pattern in pack.get("owned", ()) for word in expand(pattern))),
            supposed=bool(pack.get("supposed", False)),
            settled=tuple(dict.fromkeys(
                phrase for pattern in pack.get("settled", ()) for phrase in expand(pattern))),
        ))
    return tuple(packs)
