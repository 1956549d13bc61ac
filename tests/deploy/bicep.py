"""Reading infra/ for tests: each .bicep parsed with pycep-parser (a Bicep grammar in Python).

No Bicep compiler can be had from PyPI, npm or Debian (it ships from GitHub releases and NuGet), so the
tests check what a parser can: syntax, parameters documented, every module reference pinned, the app
settings, and the security properties that matter. `az bicep build --file infra/main.bicep` on a
deployer's machine (docs/deploy.md) is the compile check.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tests.conftest import REPO

INFRA = REPO / "infra"


@cache
def parse(path: Path) -> dict:
    from pycep import BicepParser

    return BicepParser().parse(file_path=Path(path))


def files() -> list[Path]:
    return sorted(INFRA.rglob("*.bicep"))


def app_settings() -> dict:
    """The app settings object infra/app/settings.bicep outputs (names -> parsed values)."""
    return parse(INFRA / "app" / "settings.bicep")["outputs"]["values"]["value"]
