"""The webhook path must stay light: nothing it may import pulls in msgraph (its first request loads
~1,236 modules). Checked in a fresh interpreter, where sys.modules tells the truth."""

from __future__ import annotations

import subprocess
import sys

LIGHT = ["graph_clients", "graph_clients.ports", "graph_clients.graph", "graph_clients.graph.settings",
         "graph_clients.graph.upkeep", "graph_clients.graph.delta_links", "graph_clients.graph.errors",
         "graph_clients.graph.session", "graph_clients.graph.calendar", "graph_clients.graph.mail",
         "graph_clients.graph.case_folders", "graph_clients.graph.subscriptions", "graph_clients.graph.auth",
         "rules.slots"]


def heavy_modules_after_import(modules: list[str]) -> list[str]:
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in "
            "('msgraph', 'msgraph_core', 'kiota_abstractions', 'kiota_http', 'azure')}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(out.stdout)  # a printed list of names


def test_graph_adapters_import_no_sdk_until_used():
    assert heavy_modules_after_import(LIGHT) == []


def test_the_check_can_fail():
    assert heavy_modules_after_import(["msgraph.generated.models.event"]) != []
