"""The benchmark's synthetic cache, small: engine counts equal its hand-written SQL counts."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from desktop.store.db import Cache
from desktop.store.filter_engine import FilterEngine
from tests.unit.store.bench_filter_module import load_bench_filter


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench_filter()


def test_engine_agrees_with_plain_sql_on_zipf_data(bench: ModuleType, tmp_path: Path) -> None:
    pks = bench.build(tmp_path / "bench.sqlite", 1500, seed=5)
    with Cache(tmp_path / "bench.sqlite") as cache:
        engine = FilterEngine(cache)
        conn = cache.connection()
        for text in bench.FILTERS:
            sql, params = bench.sql_for(text, pks)
            relations, customers = conn.execute(sql, params).fetchone()
            counted = engine.count(text)
            assert (counted.relations, counted.customers) == (relations, customers), text
            assert relations > 0 or text.startswith("(高意向 | 意向中) owner:"), text


def test_bench_runs_end_to_end(bench: ModuleType, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["bench_filter.py", "--customers", "400",
                                      "--cold-runs", "1", "--warm-runs", "2"])
    bench.main()
    out = capsys.readouterr().out
    assert "warm p95 over all filters" in out
    assert "mismatch" not in out
