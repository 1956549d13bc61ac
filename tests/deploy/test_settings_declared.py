"""Settings in one place: every setting the code reads is declared in local.settings.example.json and in
infra/app/settings.bicep, and nothing is declared there that no code reads.

"The code reads" is found two ways: the declarations themselves (AppSettings, GraphSettings) and a scan of
every first-party module for os.environ / getenv, which must happen only in the settings modules.
"""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest

from function_app import settings as app_settings
from function_app.settings import HOST_AZURE, HOST_LOCAL, PLATFORM, AppSettings, declared
from rules.errors import PolicyError
from tests.conftest import REPO
from tests.deploy import bicep

PACKAGES = ("function_app", "graph_clients", "store", "cli", "rules", "doc_templates", "demo", "reports")
# The only modules that may read the environment, and why.
READERS = {
    "function_app/settings.py": "AppSettings, and the webhook's per-request clientState",
    "graph_clients/graph/settings.py": "GraphSettings",
    "graph_clients/graph/auth.py": "IDENTITY_ENDPOINT, set by the Functions host (PLATFORM)",
    "store/open.py": "IRO_DB_URL as the CLI's default store (the same declared setting)",
    "cli/doctor.py": "the whole environment, to check it as the app would read it",
}


def _env_reads(path: Path) -> tuple[set[str], bool]:
    """(names read with a literal, whether os.environ/getenv is touched at all) in one module. Writes
    (os.environ[X] = ...: the demo sets its own clientState) are not reads."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names, touched = set(), False
    written = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store)}
    for node in ast.walk(tree):
        text = ast.unparse(node) if isinstance(node, ast.Attribute | ast.Call | ast.Subscript) else ""
        if isinstance(node, ast.Attribute) and text in ("os.environ", "os.getenv") and id(node) not in written:
            touched = True
        if isinstance(node, ast.Call) and text.startswith(("os.environ.get(", "os.getenv(")) and \
                node.args and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and \
                text.startswith("os.environ[") and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)
    return names, touched


def _scan() -> dict[str, set[str]]:
    out = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")) if (REPO / package).is_dir() else []:
            rel = path.relative_to(REPO).as_posix()
            names, touched = _env_reads(path)
            if touched or names:
                out[rel] = names
    return out


def _local_values() -> dict[str, str]:
    return json.loads((REPO / "local.settings.example.json").read_text(encoding="utf-8"))["Values"]


def test_only_the_settings_modules_read_the_environment():
    readers = _scan()
    strays = sorted(set(readers) - set(READERS))
    assert strays == [], f"read settings through AppSettings (function_app/settings.py), not os.environ: {strays}"


def test_every_name_read_anywhere_is_declared():
    read = set().union(*_scan().values())
    undeclared = sorted(read - set(declared()) - set(PLATFORM))
    assert undeclared == [], f"add these to AppSettings (function_app/settings.py): {undeclared}"


def test_local_settings_example_declares_exactly_what_the_code_reads():
    local = set(_local_values())
    missing = sorted(set(declared()) - local)
    unread = sorted(local - set(declared()) - set(HOST_LOCAL))
    assert missing == [], f"local.settings.example.json lacks {missing}"
    assert unread == [], f"local.settings.example.json declares settings no code reads: {unread}"


def test_the_infrastructure_declares_exactly_what_the_code_reads():
    azure = set(bicep.app_settings())
    missing = sorted(set(declared()) - azure)
    unread = sorted(azure - set(declared()) - set(HOST_AZURE))
    assert missing == [], f"infra/app/settings.bicep lacks {missing}"
    assert unread == [], f"infra/app/settings.bicep declares settings no code reads: {unread}"
    # Flex Consumption rejects these as app settings: the runtime is functionAppConfig's
    assert not azure & {"FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE"}


def test_every_secret_is_a_key_vault_reference_in_azure():
    values = bicep.app_settings()
    for name, meta in declared().items():
        if meta["secret"]:
            text = json.dumps(values[name])
            assert "${kv}" in text, f"{name} is a secret: make it a Key Vault reference in infra/app/settings.bicep"
    # and nothing in the settings module holds a literal secret or a key
    assert "AccountKey=" not in (bicep.INFRA / "app" / "settings.bicep").read_text()


def test_every_setting_has_a_description():
    assert all(meta["doc"] for meta in declared().values())


def test_the_example_parses_and_the_defaults_are_the_embedded_default():
    parsed = AppSettings.from_env(_local_values())
    assert parsed.mode == "local" and parsed.graph.case_folder_pattern == "Children/{case_ref}"
    empty = AppSettings.from_env({})
    assert (empty.mode, empty.db_url, empty.alerts_from, empty.channel_urls) == ("local", "", None, {})


def test_values_are_converted_to_their_types():
    s = AppSettings.from_env({"IRO_ALERTS_FROM": "2026-04-01", "IRO_DB_ENTRA_AUTH": "true",
                              "IRO_TEAMS_CHANNEL_URLS": '{"team-T1": "https://x"}', "IRO_CLIENT_STATE": "a, b"})
    assert (s.alerts_from, s.db_entra_auth, s.channel_urls) == (date(2026, 4, 1), True, {"team-T1": "https://x"})
    assert s.client_states == ("a", "b") and s.graph.current_client_state == "b"


@pytest.mark.parametrize(("env", "names"), [
    ({"IRO_MODE": "azure"}, "IRO_MODE"),
    ({"IRO_ALERTS_FROM": "1 April"}, "IRO_ALERTS_FROM"),
    ({"IRO_DB_ENTRA_AUTH": "maybe"}, "IRO_DB_ENTRA_AUTH"),
    ({"IRO_TEAMS_CHANNEL_URLS": '["https://x?sig=SECRET"]'}, "IRO_TEAMS_CHANNEL_URLS"),
    ({"IRO_ROSTER_SOURCE": "ftp"}, "IRO_ROSTER_SOURCE"),
    ({"IRO_ROSTER_SOURCE": "blob"}, "IRO_ROSTER_LOCATION"),
])
def test_a_bad_setting_is_named_with_the_fix_and_no_secret_is_echoed(env, names):
    with pytest.raises(PolicyError) as caught:
        AppSettings.from_env(env)
    assert caught.value.file == "app settings" and caught.value.field == names and caught.value.fix
    assert "SECRET" not in str(caught.value)


def test_the_webhook_reads_client_states_per_request():
    assert app_settings.client_states({"IRO_CLIENT_STATE": " old , new "}) == ("old", "new")
    assert app_settings.client_states({}) == ()
