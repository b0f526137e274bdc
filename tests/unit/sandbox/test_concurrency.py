"""The mark_tag gate: a cap on calls in flight and one call per customer at a time."""

from __future__ import annotations

import pytest

from desktop.sandbox.concurrency import ConcurrencyGate
from desktop.sandbox.errors import ApiError


def test_calls_beyond_the_limit_answer_45033() -> None:
    gate = ConcurrencyGate(2)
    with gate.enter("wmA"), gate.enter("wmB"):
        with pytest.raises(ApiError) as refused, gate.enter("wmC"):
            pass
        assert refused.value.errcode == 45033
    with gate.enter("wmC"):
        pass


def test_one_customer_is_changed_by_one_call_at_a_time() -> None:
    gate = ConcurrencyGate(5)
    with gate.enter("wmA"):
        with pytest.raises(ApiError) as refused, gate.enter("wmA"):
            pass
        assert refused.value.errcode == 45033
    with gate.enter("wmA"):
        pass


def test_a_failing_call_releases_its_slot() -> None:
    gate = ConcurrencyGate(1)
    with pytest.raises(RuntimeError), gate.enter("wmA"):
        raise RuntimeError("handler failed")
    with gate.enter("wmA"):
        pass
