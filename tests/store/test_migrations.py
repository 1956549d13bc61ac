"""The Alembic migrations and store.schema agree, and open_store chooses its database as documented."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from rules.errors import StoreError
from store import default_url, open_store
from store.schema import metadata


def test_migrated_database_matches_the_schema_module(store):
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert context.get_current_revision() is not None
        assert compare_metadata(context, metadata) == []


def test_default_url_is_the_env_var_else_a_file_here(monkeypatch, tmp_path):
    monkeypatch.delenv("IRO_DB_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_url() == f"sqlite:///{tmp_path / 'iro.sqlite'}"
    store = open_store()
    store.close()
    assert (tmp_path / "iro.sqlite").exists()
    monkeypatch.setenv("IRO_DB_URL", f"sqlite:///{tmp_path / 'other.sqlite'}")
    assert default_url().endswith("other.sqlite")


def test_an_unusable_url_is_a_store_error_naming_the_fix():
    with pytest.raises(StoreError, match="sqlite:///FILE"):
        open_store("nosuchdb://x")


def test_an_unreachable_database_is_a_store_error_without_the_password():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://user:secret@127.0.0.1:1/none?connect_timeout=2")
    assert "secret" not in str(caught.value)


def test_upgrading_an_old_database_keeps_its_rows(store_url):
    import sqlalchemy as sa

    from store.migrate import downgrade, upgrade
    from store.open import make_engine

    engine = make_engine(store_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO people (email, display_name, role, fte) VALUES ('a@x', 'A', 'iro', 1)"))
        store = open_store(store_url)
        assert store.person("a@x").phone == ""
        store.close()
        downgrade(engine, "base")
        with engine.connect() as conn:
            assert "people" not in sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()
