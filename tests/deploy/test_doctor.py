"""`iro doctor`: passes on the embedded defaults; in graph mode, against the Graph stand-in, passes when all is
granted and fails, naming the permission, when Graph answers 403; broken settings, policy and store named."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from cli import doctor
from cli.main import app
from rules.model import Person, Team
from tests.support.graph_standin.fixtures import *  # noqa: F403 (graph_standin, graph_adapters)
from tests.support.graph_standin.fixtures import IRO, SERVICE, TM, FakeCredential

NOTIFY = "https://iro.example/api/notifications"


def failed(checks):
    return {c.name: c for c in checks if c.result == doctor.FAIL}


def test_on_the_embedded_defaults_it_passes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in [k for k in __import__("os").environ if k.startswith(("IRO_", "APPLICATIONINSIGHTS_"))]:
        monkeypatch.delenv(name)
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "all checks passed" in result.output


@pytest.fixture
def tenant(tmp_path, graph_standin, graph_adapters):
    """A graph-mode environment on the stand-in, with a migrated store holding one IRO and one team."""
    from store import open_store

    url = f"sqlite:///{tmp_path / 'iro.sqlite'}"
    store = open_store(url)
    store.upsert_person(Person(IRO, "Iro One", "iro"))
    store.upsert_person(Person(TM, "Tm One", "tm"))
    store.upsert_team(Team("T1", "Team one", TM, "", IRO, "team-T1"))
    store.close()
    env = {
        "IRO_MODE": "graph", "IRO_DB_URL": url, "IRO_CLIENT_STATE": "old-state,client-state-for-tests",
        "IRO_NOTIFICATION_URL": NOTIFY, "IRO_LIFECYCLE_URL": "https://iro.example/api/lifecycle",
        "IRO_DRIVE_ID": graph_standin.drive_id, "IRO_SITE_ID": "council.sharepoint.com,1,2",
        "IRO_SERVICE_MAILBOX": SERVICE, "IRO_GRAPH_BASE_URL": graph_standin.base_url,
        "IRO_GRAPH_TIMEOUT_SECONDS": "20", "IRO_TENANT_ID": "t", "IRO_CLIENT_ID": "c",
        "IRO_TEAMS_CHANNEL_URLS": '{"team-T1": "https://flow.example/t1", "iro-service": "https://flow.example/s"}',
        "IRO_TEAMS_PERSON_FLOW_URL": "https://flow.example/person",
    }
    now = datetime.now(UTC)
    for resource, change in [("users/iro.one@council.example/events", "created,updated,deleted"),
                             ("users/iro.one@council.example/mailFolders('inbox')/messages", "created"),
                             ("users/iro.service@council.example/mailFolders('inbox')/messages", "created")]:
        graph_adapters.subscriptions.create(resource, change, now + timedelta(days=2))
    return env


def test_in_graph_mode_everything_granted_passes(tenant, graph_standin):
    checks = doctor.run(tenant, credential=FakeCredential())
    assert failed(checks) == {}, failed(checks)
    names = {c.name for c in checks}
    assert {"graph token", "graph Calendars.Read", "graph Mail.Read", "graph Calendars.ReadBasic",
            "graph Calendars.ReadWrite", "graph Mail.Send", "graph Sites.Selected", "subscriptions",
            "teams routes", "teams people", "store", "policy", "settings"} <= names
    # each permission was probed with a call that needs it, on each mailbox in the RBAC scope
    assert graph_standin.calls("GET", rf"/users/{IRO}/messages/") and graph_standin.calls("GET", rf"/users/{SERVICE}/")
    assert graph_standin.calls("PATCH", r"/events/") and graph_standin.calls("POST", r"/reply$")
    assert graph_standin.item_by_path(doctor.PREFLIGHT_FOLDER) is not None
    assert doctor.run(tenant, credential=FakeCredential()) and not failed(doctor.run(tenant, FakeCredential()))


def test_a_403_is_explained_with_the_permission_to_grant(tenant, graph_standin):
    graph_standin.inject("GET", rf"/users/{SERVICE}/messages/", 403, code="ErrorAccessDenied", times=5)
    graph_standin.inject("POST", r"/children$", 403, code="accessDenied", times=5)
    bad = failed(doctor.run(tenant, credential=FakeCredential()))
    assert set(bad) == {"graph Mail.Read", "graph Sites.Selected"}
    assert SERVICE in bad["graph Mail.Read"].detail and "403" in bad["graph Mail.Read"].detail
    assert "Application Mail.Read" in bad["graph Mail.Read"].fix
    assert "Sites.Selected" in bad["graph Sites.Selected"].fix


def test_missing_and_expiring_subscriptions_fail(tenant, graph_standin, graph_adapters):
    for sub in graph_adapters.subscriptions.list()[:1]:
        graph_adapters.subscriptions.delete(sub.id)
    bad = failed(doctor.run(tenant, credential=FakeCredential()))
    assert "1 missing" in bad["subscriptions"].detail
    later = datetime.now(UTC) + timedelta(days=1, hours=18)
    assert "expire within" in failed(doctor.run(tenant, FakeCredential(), now=later))["subscriptions"].detail


def test_teams_routes_and_bot_credentials(tenant):
    env = {**tenant, "IRO_TEAMS_CHANNEL_URLS": '{"iro-service": "https://flow.example/s"}',
           "IRO_TEAMS_PERSON_FLOW_URL": "", "IRO_BOT_APP_ID": "11111111-2222-3333-4444-555555555555"}
    bad = failed(doctor.run(env, credential=FakeCredential()))
    assert "teams routes" not in bad  # every card goes to a person's chat (docs/notifications.md)
    assert "IRO_BOT_APP_SECRET" in bad["teams bot"].detail
    assert "teams people" not in bad  # the bot reaches people


def test_unresolved_key_vault_references_and_placeholders_are_named(tmp_path):
    env = {"IRO_LOCAL_ROOT": str(tmp_path), "IRO_CLIENT_STATE": "@Microsoft.KeyVault(VaultName=kv;SecretName=x)",
           "IRO_TENANT_ID": "<directory (tenant) id>"}
    bad = doctor.run(env)
    assert [c.name for c in bad] == ["settings", "settings"]
    assert "IRO_CLIENT_STATE" in bad[0].detail and "Key Vault Secrets User" in bad[0].fix
    assert "IRO_TENANT_ID" in bad[1].detail


def test_graph_mode_without_its_settings_names_each(tmp_path):
    bad = failed(doctor.run({"IRO_MODE": "graph", "IRO_NOTIFICATION_URL": "http://x/api/notifications"}))
    detail = bad["settings"].detail
    assert "IRO_CLIENT_STATE is empty" in detail and "IRO_DRIVE_ID is empty" in detail and "not https" in detail


def test_a_broken_policy_file_is_named_with_its_field(tmp_path):
    policy = tmp_path / "council.yaml"
    policy.write_text("schema_version: 1\ncouncil: X\nreviews: {first_review_working_days: many}\n")
    env = {"IRO_LOCAL_ROOT": str(tmp_path), "IRO_POLICY_FILE": str(policy)}
    bad = failed(doctor.run(env))
    assert "council.yaml" in bad["policy"].detail


def test_a_store_behind_the_migrations_fails_without_being_migrated(tmp_path):
    import sqlite3

    db = tmp_path / "old.sqlite"
    sqlite3.connect(db).close()  # exists, no schema
    bad = failed(doctor.run({"IRO_LOCAL_ROOT": str(tmp_path), "IRO_DB_URL": f"sqlite:///{db}"}))
    assert "at revision none" in bad["store"].detail
    assert sqlite3.connect(db).execute("select count(*) from sqlite_master").fetchone() == (0,)


def test_the_preflight_function_runs_the_checks_in_the_app_and_the_cli_reads_them(tmp_path, monkeypatch):
    import httpx

    from function_app.local_host import user_function

    monkeypatch.setenv("IRO_MODE", "local")
    monkeypatch.setenv("IRO_LOCAL_ROOT", str(tmp_path))
    monkeypatch.setenv("IRO_POLICY_FILE", str(tmp_path / "missing.yaml"))
    import azure.functions as func

    answer = user_function("preflight")(func.HttpRequest("GET", "/api/preflight", body=b""))
    assert answer.status_code == 503 and "missing.yaml" in answer.get_body().decode()
    transport = httpx.MockTransport(lambda request: httpx.Response(answer.status_code, content=answer.get_body()))
    checks = doctor.fetch("https://app.example/api/preflight?code=k", httpx.Client(transport=transport))
    assert failed(checks)["policy"].detail == json.loads(answer.get_body())[1]["detail"]
    refused = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(401)))
    assert "master key" in doctor.fetch("https://app.example/api/preflight", refused)[0].fix
