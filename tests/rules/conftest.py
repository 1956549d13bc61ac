"""Fixtures for the rules tests: the default policy, its calendar, and a terse fact builder."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from rules.calendar import WorkingCalendar
from rules.model import Fact, FactKind
from rules.policy import Policy, load_policy

CASE = "CLA-100234"
_keys = count(1)


def d(text: str) -> date:
    return date.fromisoformat(text)


def fact(kind: FactKind | str, on: str, key: str | None = None, case: str = CASE, **data: object) -> Fact:
    """A fact on `on` (ISO date) with a fresh key unless one is given."""
    return Fact(FactKind(kind), case, d(on), key or f"k{next(_keys)}", data)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="session")
def cal(policy: Policy) -> WorkingCalendar:
    return WorkingCalendar.for_policy(policy)
