from __future__ import annotations

import pytest

from tests.app.world import make_world


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.svc.store.close()
