"""The webhook's cold start: loading the app as the worker does imports nothing heavy (docs/architecture.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

HEAVY = ("msgraph", "kiota_", "docxtpl", "docx", "sqlalchemy.orm", "alembic", "azure.identity", "pydantic",
         "yaml", "httpx", "opentelemetry", "azure.monitor", "azure.storage", "microsoft_teams")


def test_importing_the_app_loads_no_heavy_module():
    code = "import sys, json, function_app; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    offenders = [m for m in loaded if m.startswith(HEAVY)]
    assert offenders == []
