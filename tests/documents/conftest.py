"""Fixtures for the Word documents tests (helpers in tests/documents/helpers.py)."""

from __future__ import annotations

import pytest

from doc_templates import kinds


@pytest.fixture(params=list(kinds), ids=str)
def kind(request) -> str:
    return request.param
