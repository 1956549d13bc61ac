"""The `iro` output means the same wherever the checkout lies.

CI clones into a folder of its own choosing; a console that wraps at 80 columns made a test's outcome
depend on the length of that path. Here the code is copied into folders whose paths have many lengths
(as a clone there would be), and each command's output is piped, as a script or CI would read it: never
wrapped, never styled.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

LENGTHS = [1, 17, 40, 63, 64, 79, 80, 81, 100, 140]


def _iro(checkout, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(checkout), "COLUMNS": "80"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(params=LENGTHS, ids=[f"path{n}" for n in LENGTHS])
def checkout(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("clone")
    pad = max(1, request.param - len(str(base)) - 1)
    clone = base / ("d" * pad)
    for package in ("cli", "rules", "store", "doc_templates", "graph_clients", "function_app", "demo"):
        shutil.copytree(REPO / package, clone / package, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    return clone


def test_templates_check_from_any_path(checkout):
    done = _iro(checkout, "templates", "check")
    assert done.returncode == 0, done.stderr
    assert "match their contexts" in done.stdout
    assert "\x1b[" not in done.stdout  # no colour codes in a pipe
    folder = str(checkout / "doc_templates" / "templates")
    assert any(folder in line for line in done.stdout.splitlines())  # the path whole, on one line


def test_policy_check_from_any_path(checkout):
    policy = checkout / "rules" / "policies" / "buckinghamshire.yaml"
    done = _iro(checkout, "policy", "check", str(policy))
    assert done.returncode == 0, done.stderr
    assert str(policy) in done.stdout.replace("\n", "") and str(policy) in done.stdout  # whole, on one line


def test_a_piped_table_is_tab_separated_with_a_header(tmp_path):
    db = f"sqlite:///{tmp_path / 'iro.sqlite'}"
    examples = REPO / "examples"
    _iro(REPO, "import-roster", str(examples / "roster.csv"), "--db", db)
    done = _iro(REPO, "due", "--as-of", "2026-11-23", "--db", db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("case\t"))
    assert "\tdue\t" in header and "\x1b[" not in done.stdout
