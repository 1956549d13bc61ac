from tests.store.conftest import pg_url  # noqa: F401 - the per-test PostgreSQL schema fixture
