"""`tests/bench/bench_filter.py` loaded as a module: its generated caches and expressions."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_filter.py"


def load_bench_filter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_filter", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
