"""Fixtures: the hand-built store (tests/reports/world.py), the bundled policy and its calendar."""

from __future__ import annotations

import pytest

from rules.calendar import WorkingCalendar
from rules.policy import load_policy
from store import open_store
from tests.reports import world


@pytest.fixture(scope="session")
def policy():
    return load_policy()


@pytest.fixture(scope="session")
def cal(policy):
    return WorkingCalendar.for_policy(policy)


@pytest.fixture(scope="module")
def report_store(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('report') / 'store.sqlite'}")
    world.build(store)
    yield store
    store.close()
