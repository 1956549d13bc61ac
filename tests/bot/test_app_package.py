"""The Teams app package: its manifest against Microsoft's published schema, its icons, and the CLI."""

from __future__ import annotations

import json
import zipfile

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.main import app
from teams_app.icons import png_size
from teams_app.manifest import VERSION, manifest
from tests.conftest import REPO
from tests.support.requires import need

SCHEMAS = REPO / "teams_app" / "tools" / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas"
APP, BOT, DOMAIN = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000", "iro.example.net"


@pytest.fixture(scope="module")
def schema() -> dict:
    path = SCHEMAS / "teams" / f"v{VERSION}" / "MicrosoftTeams.schema.json"
    need(path.exists(), "Microsoft's manifest schemas are not installed (npm ci in teams_app/tools; "
                        "`make npm-deps` does it)")
    return json.loads(path.read_text("utf-8"))


def test_the_schema_version_is_the_newest_microsoft_publishes(schema):
    published = [p.name for p in (SCHEMAS / "teams").iterdir() if (p / "MicrosoftTeams.schema.json").exists()]
    numbered = sorted(tuple(int(x) for x in v[1:].split(".")) for v in published if v[1:2].isdigit())
    assert ".".join(map(str, numbered[-1])) == VERSION


def test_package_from_the_cli_is_valid_with_its_icons(tmp_path, schema):
    out = tmp_path / "app.zip"
    result = CliRunner().invoke(app, ["teams", "package", "--out", str(out), "--app-id", APP, "--bot-id", BOT,
                                      "--domain", DOMAIN, "--council", "Buckinghamshire Council"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == ["color.png", "manifest.json", "outline.png"]
        body = json.loads(z.read("manifest.json"))
        assert png_size(z.read("color.png")) == (192, 192) and png_size(z.read("outline.png")) == (32, 32)
        outline = z.read("outline.png")
    errors = [e.message[:200] for e in jsonschema.Draft4Validator(schema).iter_errors(body)]
    assert errors == []
    assert body["webApplicationInfo"]["id"] == BOT and body["bots"][0]["botId"] == BOT
    assert body["icons"] == {"color": "color.png", "outline": "outline.png"} and body["validDomains"] == [DOMAIN]
    assert _alpha_values(outline) <= {0, 255}  # outline: white on transparent, as Teams requires


def test_bad_ids_are_refused_with_what_to_do(tmp_path):
    result = CliRunner().invoke(app, ["teams", "package", "--out", str(tmp_path / "a.zip"), "--app-id", "nope",
                                      "--bot-id", BOT, "--domain", DOMAIN])
    assert result.exit_code == 2 and "is not a GUID" in result.output
    with pytest.raises(Exception, match="not a host name"):
        manifest(APP, BOT, "https://x")


def _alpha_values(png: bytes) -> set[int]:
    import zlib

    width, height = png_size(png)
    data = png[33:]  # after the signature and IHDR chunk
    idat = b""
    while data:
        length = int.from_bytes(data[:4], "big")
        kind, body = data[4:8], data[8:8 + length]
        if kind == b"IDAT":
            idat += body
        data = data[12 + length:]
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    return {raw[r * stride + 1 + c * 4 + 3] for r in range(height) for c in range(width)}
