"""infra/ and azure.yaml: what can be checked without a Bicep compiler (see tests/deploy/bicep.py)."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.conftest import REPO
from tests.deploy import bicep

PINNED = re.compile(r"^avm/res/[a-z0-9-]+/[a-z0-9-]+$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


@pytest.mark.parametrize("path", bicep.files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_each_bicep_file_parses_and_documents_every_parameter(path):
    tree = bicep.parse(path)
    undocumented = [name for name, p in tree.get("parameters", {}).items()
                    if not any(d["type"] == "description" and d["argument"] for d in p["decorators"])]
    assert undocumented == [], f"{path.name}: add @description to {undocumented}"


def test_every_module_reference_is_an_avm_module_pinned_to_a_version_or_a_local_file():
    for path in bicep.files():
        for name, module in bicep.parse(path).get("modules", {}).items():
            detail = module["detail"]
            if module["type"] == "bicep_registry_alias":
                assert detail["alias"] == "public" and PINNED.match(detail["path"]), f"{path.name}: {name}"
                assert SEMVER.match(detail["tag"]), f"{path.name}: module {name} is not pinned: {detail['full']}"
            else:
                assert (path.parent / detail["path"]).is_file(), f"{path.name}: module {name} -> {detail}"


def test_main_parameters_name_real_parameters_and_give_every_required_one():
    params = bicep.parse(bicep.INFRA / "main.bicep")["parameters"]
    given = json.loads((bicep.INFRA / "main.parameters.json").read_text())["parameters"]
    assert set(given) <= set(params), f"main.parameters.json names unknown parameters: {set(given) - set(params)}"
    required = {n for n, p in params.items() if p.get("default") is None and p["type"] != "bool"}
    assert required <= set(given), f"main.parameters.json misses required {required - set(given)}"


def _module(name):
    return bicep.parse(bicep.INFRA / "main.bicep")["modules"][name]["config"]["params"]


def test_flex_consumption_on_python_311_deploying_with_the_identity():
    assert _module("plan")["skuName"] == "FC1"
    config = _module("app")["functionAppConfig"]
    assert config["runtime"] == {"name": "python", "version": "3.11"}
    assert config["deployment"]["storage"]["authentication"]["type"] == "UserAssignedIdentity"
    assert "identity" in json.dumps(_module("app")["keyVaultAccessIdentityResourceId"])


def test_no_keys_and_no_passwords():
    assert _module("storage")["allowSharedKeyAccess"] is False
    assert _module("insights")["disableLocalAuth"] is True
    assert _module("postgres")["authConfig"] == {"activeDirectoryAuth": "Enabled", "passwordAuth": "Disabled"}
    assert _module("vault")["enableRbacAuthorization"] is True
    settings = bicep.app_settings()
    assert settings["AzureWebJobsStorage__credential"] == "managedidentity"
    assert settings["IRO_USE_MANAGED_IDENTITY"] == "true" and settings["IRO_DB_ENTRA_AUTH"] == "true"
    assert "Authorization=AAD" in settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]
    text = "\n".join(p.read_text() for p in bicep.files())
    assert "listKeys(" not in text and "administratorLoginPassword" not in text


def test_the_bot_answers_on_api_messages_as_the_identity_or_a_single_tenant_app():
    bot = bicep.parse(bicep.INFRA / "app" / "bot.bicep")
    allowed = next(d["argument"] for d in bot["parameters"]["appType"]["decorators"] if d["type"] == "allowed")
    assert set(allowed) == {"UserAssignedMSI", "SingleTenant"}
    assert _module("bot")["endpoint"].endswith("/api/messages")
    assert "MsTeamsChannel" in json.dumps(bot["resources"])


def test_azure_yaml_is_a_python_function_service_on_this_folder():
    project = yaml.safe_load((REPO / "azure.yaml").read_text())
    assert project["infra"] == {"provider": "bicep", "path": "infra", "module": "main"}
    (service,) = project["services"].values()
    assert (service["language"], service["host"], service["project"]) == ("python", "function", ".")
    ignored = (REPO / ".funcignore").read_text().split()
    assert {"infra", "azure.yaml", "tests"} <= set(ignored)  # the package holds the app, not its tooling
