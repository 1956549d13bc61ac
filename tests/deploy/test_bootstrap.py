"""The settings object builds the app: graph mode wired from AppSettings alone, and the store's Entra password
hook (a fresh token per connection) against the machine's PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from function_app import bootstrap
from function_app.settings import AppSettings
from tests.support.graph_standin.fixtures import *  # noqa: F403 (graph_standin)
from tests.support.requires import need_postgres


def test_graph_mode_is_built_from_the_settings_object(tmp_path, graph_standin):
    settings = AppSettings.from_env({
        "IRO_MODE": "graph", "IRO_DB_URL": f"sqlite:///{tmp_path / 'iro.sqlite'}", "IRO_ALERTS_FROM": "2026-04-01",
        "IRO_CLIENT_STATE": "s", "IRO_NOTIFICATION_URL": "https://x/api/notifications",
        "IRO_LIFECYCLE_URL": "https://x/api/lifecycle", "IRO_DRIVE_ID": graph_standin.drive_id,
        "IRO_SERVICE_MAILBOX": "iro.service@council.example", "IRO_GRAPH_BASE_URL": graph_standin.base_url,
        "IRO_SUBSCRIPTION_MINUTES": "600", "IRO_TRACKER_URL": "https://tracker",
        "IRO_TEAMS_CHANNEL_URLS": '{"iro-service": "https://flow.example/s"}',
    })
    svc = bootstrap.from_environment(settings)
    try:
        assert svc.settings is settings and svc.graph is not None
        assert (svc.alerts_from, svc.subscription_lifetime, svc.tracker_url) == (
            date(2026, 4, 1), timedelta(minutes=600), "https://tracker")
        assert svc.service_mailbox == "iro.service@council.example"
        assert type(svc.teams).__name__ == "WorkflowsDelivery" and svc.notification_url == "https://x/api/notifications"
    finally:
        svc.store.close()
        svc.graph.close()


def test_each_new_postgres_connection_asks_for_a_fresh_token():
    import sqlalchemy as sa

    from store.open import make_engine

    url = need_postgres()
    tokens = []

    def token() -> str:
        tokens.append(len(tokens))
        return f"token-{len(tokens)}"   # trust auth here ignores it; Azure checks it as the identity's

    engine = make_engine(url, token)
    try:
        with engine.connect() as a, engine.connect() as b:
            assert a.execute(sa.text("select 1")).scalar() == b.execute(sa.text("select 1")).scalar() == 1
        assert len(tokens) == 2
        assert engine.pool._recycle == 2700  # reconnect before an Entra token (about an hour) expires
    finally:
        engine.dispose()
