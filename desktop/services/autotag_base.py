"""Reading the bundled base model (`resources/autotag/base_model.json.gz`, gzipped JSON built
by tests/bench/build_autotag_base.py) for the auto-tagger."""

from __future__ import annotations

import gzip
import json
from functools import cache

from desktop.domain.autotag.learner import Learner
from desktop.resources import resource_path

BASE_MODEL = "autotag/base_model.json.gz"   # the file load_base_model reads (for the builder)
BASE_MODEL_FORMAT = 3


@cache
def load_base_model() -> Learner:
    """The base model: a learner whose tags are the intent packs' names."""
    # a literal path, so the installer's check sees that the bundle must hold it
    data = json.loads(gzip.decompress(resource_path("autotag/base_model.json.gz").read_bytes()))
    return Learner.from_dict(data["model"])
