"""The bundled base model file: trained on the current development sets only, named by the
packs, and read back as a learner."""

from __future__ import annotations

import gzip
import inspect
import json

from desktop.domain.autotag.base import (
    NO_INTENT,
    NO_INTENT_THRESHOLD,
    PACK_LOWEST_THRESHOLDS,
)
from desktop.resources import resource_path
from desktop.services.autotag_base import BASE_MODEL, BASE_MODEL_FORMAT, load_base_model
from desktop.services.autotag_packs import load_intent_packs
from tests.bench.build_autotag_base import TRAINING_SETS, digest, packs_digest

SCORING_SETS = ("heldout.jsonl", "unseen.jsonl", "unseen2.jsonl", "unseen3.jsonl")


def test_the_base_model_was_built_from_the_current_development_sets() -> None:
    data = json.loads(gzip.decompress(resource_path(BASE_MODEL).read_bytes()))
    assert data["format"] == BASE_MODEL_FORMAT
    assert data["trained_on"] == {name: digest(name) for name in TRAINING_SETS}, (
        "a development set changed: run tests/bench/build_autotag_base.py")
    assert data["packs"] == packs_digest(), (
        "the intent packs changed: run tests/bench/build_autotag_base.py")
    assert not set(data["trained_on"]) & set(SCORING_SETS)


def test_the_base_model_s_tags_are_packs_and_no_intent() -> None:
    base = load_base_model()
    assert NO_INTENT in base.tags
    assert set(base.tags) - {NO_INTENT} <= {pack.name for pack in load_intent_packs()}
    assert set(base.thresholds) <= set(base.tags)


def test_the_builder_writes_the_file_the_app_reads() -> None:
    assert resource_path(BASE_MODEL).name == "base_model.json.gz"
    assert inspect.getsource(load_base_model).count(f'"{BASE_MODEL}"') == 1


def test_the_base_model_keeps_each_pack_s_lowest_threshold_and_the_gate_s() -> None:
    thresholds = load_base_model().thresholds
    assert thresholds[NO_INTENT] == NO_INTENT_THRESHOLD
    assert all(thresholds[pack] >= lowest for pack, lowest in PACK_LOWEST_THRESHOLDS.items())
