"""`tests/bench/bench_filter.py` loaded as a module: its generated caches and expressions."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from desktop.store.db import Cache

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_filter.py"


def load_bench_filter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_filter", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def small_cache_bytes(bench: ModuleType, path: Path) -> bytes:
    """The bench's generated cache of 500 customers (seed 11) written at `path`, checkpointed,
    as bytes to copy for each test."""
    bench.build(path, 500, seed=11)
    with Cache(path) as cache:
        cache.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()
