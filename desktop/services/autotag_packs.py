"""Reading the bundled intent packs (`resources/autotag/intent_packs.json`) for the
auto-tagger."""

from __future__ import annotations

import json
from functools import cache

from desktop.domain.autotag import IntentPack
from desktop.resources import resource_path


@cache
def load_intent_packs() -> tuple[IntentPack, ...]:
    """The bundled packs, in file order (earlier packs win ties when linking a tag)."""
    data = json.loads(resource_path("autotag/intent_packs.json").read_text(encoding="utf-8"))
    return tuple(
        IntentPack(
            name=pack["name"],
            aliases=tuple(pack.get("aliases", ())),
            phrases=tuple(pack["phrases"]),
            traps=tuple(pack.get("traps", ())),
            questions=tuple(pack.get("questions", ())),
            broad=bool(pack.get("broad", False)),
            requests=tuple(pack.get("requests", ())),
        )
        for pack in data["packs"]
    )
