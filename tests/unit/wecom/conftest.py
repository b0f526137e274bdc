"""Fixtures for the WeCom client unit tests (the doubles live in fakes.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.unit.wecom.fakes import FakeClock, FakeWeCom


@pytest.fixture
def fake_wecom() -> FakeWeCom:
    return FakeWeCom()


@pytest.fixture
def session(fake_wecom: FakeWeCom) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.mount("http://wecom.test/", fake_wecom)
        yield session


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
