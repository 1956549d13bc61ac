"""The demo council and its year, built once per session (both are pure functions of the seed)."""

from __future__ import annotations

import pytest

from demo.council import Council, make_council
from demo.world import Happening, happenings


@pytest.fixture(scope="session")
def council() -> Council:
    return make_council(7)


@pytest.fixture(scope="session")
def year(council: Council) -> list[Happening]:
    return happenings(council, 7)
