"""Seeded fault draws."""

from __future__ import annotations

import pytest

from desktop.sandbox.faults import FAULT_KINDS, FaultInjector


def test_rate_zero_never_faults_and_rate_one_always_does() -> None:
    assert all(FaultInjector(0.0, seed=1).draw() is None for _ in range(1000))
    always = FaultInjector(1.0, seed=1)
    drawn = [always.draw() for _ in range(100)]
    assert None not in drawn
    assert set(drawn) == set(FAULT_KINDS)


def test_the_same_seed_draws_the_same_faults() -> None:
    first, second = FaultInjector(0.3, seed=9), FaultInjector(0.3, seed=9)
    sequence = [first.draw() for _ in range(200)]
    assert sequence == [second.draw() for _ in range(200)]
    assert 30 < sum(kind is not None for kind in sequence) < 90
    other = FaultInjector(0.3, seed=10)
    assert sequence != [other.draw() for _ in range(200)]


def test_rates_outside_zero_to_one_are_refused() -> None:
    with pytest.raises(ValueError):
        FaultInjector(0.0, seed=1).set_rate(1.5)
