"""Fixtures for the Teams tests (sample values live in teams_samples.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from teams_samples import every_card, schema_validator


@pytest.fixture(scope="session")
def validate() -> Callable[[dict[str, Any]], None]:
    validator = schema_validator()

    def check(card: dict[str, Any]) -> None:
        errors = sorted(validator.iter_errors(card), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:5])

    return check


@pytest.fixture
def all_cards() -> dict[str, dict[str, Any]]:
    return every_card()
