"""Skip a test when a service or tool is missing, with a clear reason; fail instead under CI.

`.ci/run` sets IRO_NO_SKIP=1, so CI always runs these tests; a newcomer's laptop without
PostgreSQL, LibreOffice or Chromium still gets a green `make test` with the skips explained.
"""

from __future__ import annotations

import os
import shutil

import pytest


def need(ok: bool, reason: str) -> None:
    if ok:
        return
    if os.environ.get("IRO_NO_SKIP") == "1":
        pytest.fail(f"IRO_NO_SKIP=1 (CI) and {reason}", pytrace=False)
    pytest.skip(reason)


def need_binary(name: str, install_hint: str) -> str:
    path = shutil.which(name)
    need(path is not None, f"'{name}' is not installed ({install_hint}; `make system-deps` does it as root)")
    return path or ""


POSTGRES_URL = os.environ.get("IRO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def need_postgres() -> str:
    """The SQLAlchemy URL of the machine's PostgreSQL (127.0.0.1:5432, trust auth, database test)."""
    try:
        import psycopg

        dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, connect_timeout=3):
            pass
        ok, why = True, ""
    except Exception as exc:  # any failure to connect means "not available here"
        ok, why = False, f"{type(exc).__name__}"
    need(ok, f"PostgreSQL is not reachable at {POSTGRES_URL} ({why})")
    return POSTGRES_URL
