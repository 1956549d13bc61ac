"""Settings from the environment / local.settings.json, credential choice, and error translation."""

from __future__ import annotations

import json

import httpx
import pytest
from kiota_abstractions.api_error import APIError
from msgraph.generated.models.o_data_errors.main_error import MainError
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from graph_clients.graph.auth import credential_kind, make_credential
from graph_clients.graph.errors import translate
from graph_clients.graph.settings import ENV, GraphSettings
from rules.errors import GraphError, InputError, NotFound, PermissionDenied, Throttled, Unavailable


def test_from_env_reads_prefixed_variables_and_converts_types():
    env = {ENV["drive_id"]: "b!abc", ENV["upload_threshold"]: "1000", ENV["use_managed_identity"]: "true",
           ENV["request_timeout"]: "2.5", ENV["case_folder_pattern"]: "Cases/{case_ref}/Docs"}
    settings = GraphSettings.from_env(env)
    assert (settings.drive_id, settings.upload_threshold, settings.use_managed_identity,
            settings.request_timeout) == ("b!abc", 1000, True, 2.5)
    assert settings.folder_path("AB1") == "Cases/AB1/Docs"
    assert GraphSettings.from_env({}) == GraphSettings()
    assert all(name.startswith("IRO_") for name in ENV.values())


@pytest.mark.parametrize(("env", "message"), [
    ({ENV["upload_threshold"]: "lots"}, "IRO_UPLOAD_THRESHOLD_BYTES='lots' is not a valid int"),
    ({ENV["use_managed_identity"]: "maybe"}, "IRO_USE_MANAGED_IDENTITY='maybe' is not a valid bool"),
    ({ENV["case_folder_pattern"]: "Children"}, "has no {case_ref} placeholder"),
    ({ENV["subscription_minutes"]: "20000"}, "outside 1..10080"),
    ({ENV["upload_threshold"]: "0"}, "must be positive"),
])
def test_bad_settings_name_the_variable(env, message):
    with pytest.raises(InputError, match=message.replace("{", r"\{").replace("}", r"\}").replace(".", r"\.")):
        GraphSettings.from_env(env)


def test_local_settings_json_is_overlaid_by_the_environment(tmp_path):
    path = tmp_path / "local.settings.json"
    path.write_text(json.dumps({"IsEncrypted": False, "Values": {ENV["drive_id"]: "from-file",
                                                                   ENV["service_mailbox"]: "svc@x"}}))
    settings = GraphSettings.from_local_settings(path, environ={ENV["drive_id"]: "from-env"})
    assert (settings.drive_id, settings.service_mailbox) == ("from-env", "svc@x")
    with pytest.raises(InputError, match="cannot read"):
        GraphSettings.from_local_settings(tmp_path / "missing.json", environ={})


def test_credential_choice(tmp_path):
    assert credential_kind(GraphSettings(use_managed_identity=True), {}) == "managed_identity"
    assert credential_kind(GraphSettings(), {"IDENTITY_ENDPOINT": "http://169.254.1.1"}) == "managed_identity"
    assert credential_kind(GraphSettings(certificate_path="/x.pem"), {}) == "certificate"
    assert credential_kind(GraphSettings(), {}) == "default"
    with pytest.raises(InputError, match="IRO_TENANT_ID or IRO_CLIENT_ID is empty"):
        make_credential(GraphSettings(certificate_path="/x.pem"), {})
    with pytest.raises(InputError, match="is not a file"):
        make_credential(GraphSettings(certificate_path=str(tmp_path / "no.pem"), tenant_id="t", client_id="c"), {})
    assert type(make_credential(GraphSettings(use_managed_identity=True), {})).__name__ == "ManagedIdentityCredential"
    assert type(make_credential(GraphSettings(), {})).__name__ == "DefaultAzureCredential"


def odata(status: int, code: str, headers: dict[str, str] | None = None) -> ODataError:
    error = ODataError(error=MainError(code=code, message="Jane's file was not found"))
    error.response_status_code, error.response_headers = status, headers or {}
    return error


def test_translate_maps_status_and_never_leaks_graph_text():
    found = translate(odata(404, "itemNotFound", {"request-id": "r1"}), "case_folders.read")
    assert isinstance(found, NotFound) and found.request_id == "r1" and "Jane" not in str(found)
    throttled = translate(odata(429, "TooManyRequests", {"Retry-After": "7"}), "mail.send")
    assert isinstance(throttled, Throttled) and throttled.retry_after == 7
    assert translate(odata(429, "x", {"Retry-After": "soon"}), "mail.send").retry_after is None
    denied = translate(odata(403, "ErrorAccessDenied"), "case_folders.save")
    assert isinstance(denied, PermissionDenied) and denied.permission.startswith("Sites.Selected")
    assert isinstance(translate(odata(502, "x"), "mail.send"), Unavailable)
    other = translate(odata(400, "BadRequest"), "mail.send")
    assert type(other) is GraphError and other.status == 400
    assert isinstance(translate(APIError(), "mail.send"), GraphError)


def test_translate_transport_failures_and_passes_project_errors_through():
    assert isinstance(translate(httpx.ConnectError("refused"), "mail.send"), Unavailable)
    assert isinstance(translate(TimeoutError(), "mail.send"), Unavailable)
    ours = NotFound("x")
    assert translate(ours, "mail.send") is ours
    odd = translate(ValueError("?"), "mail.send")
    assert type(odd) is GraphError and "unexpected ValueError" in str(odd)


def test_a_bug_inside_an_adapter_keeps_its_cause_but_an_http_answer_does_not(graph_adapters, graph_standin):
    async def buggy(client):
        return client.no_such_builder

    with pytest.raises(GraphError, match="unexpected AttributeError") as caught:
        graph_adapters.session.run("mail.send", buggy)
    assert isinstance(caught.value.__cause__, AttributeError)

    async def missing(client):
        return await client.users.by_user_id("iro.one@council.example").messages.by_message_id("gone").get()

    with pytest.raises(NotFound) as caught:
        graph_adapters.session.run("mail.get_message", missing)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
