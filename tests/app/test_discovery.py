"""Replays the Python Functions worker's discovery (ARCHITECTURE.md, "Discovery by the Functions worker"):
function_app.py must exist, `import function_app` must yield exactly one FunctionApp, and the functions
must carry the names and bindings that the issue and host.json expect."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import azure.functions as func

from tests.app.functions import functions
from tests.conftest import REPO

EXPECTED = {
    "graph_webhook": {"httpTrigger", "http", "queue"},
    "graph_lifecycle": {"httpTrigger", "http", "queue"},
    "process_notification": {"queueTrigger"},
    "report_poison": {"queueTrigger"},
    "daily_sweep": {"timerTrigger"},
    "renew_subscriptions": {"timerTrigger"},
    "reconcile_delta": {"timerTrigger"},
    "schedule_link_meetings": {"timerTrigger"},
    "sync_roster": {"timerTrigger"},
}


def test_worker_finds_function_app_py_then_imports_by_name():
    assert (REPO / "function_app.py").is_file()
    module = importlib.import_module("function_app")
    apps = [v for v in vars(module).values() if isinstance(v, func.FunctionApp)]
    assert len(apps) == 1


def test_the_package_wins_the_import_in_a_fresh_interpreter():
    code = "import function_app, json; print(json.dumps([function_app.__file__, hasattr(function_app, 'app')]))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    path, has_app = json.loads(out.stdout)
    assert path.endswith("function_app/__init__.py") and has_app


def test_function_names_and_bindings():
    found = {name: {b.type for b in f.get_bindings()} for name, f in functions().items()}
    assert found == EXPECTED


def test_bindings_point_at_the_queue_and_poison_queue():
    fns = functions()
    out = next(b for b in fns["graph_webhook"].get_bindings() if b.type == "queue")
    trig = next(b for b in fns["process_notification"].get_bindings() if b.type == "queueTrigger")
    poison = next(b for b in fns["report_poison"].get_bindings() if b.type == "queueTrigger")
    assert out.queue_name == trig.queue_name == "graph-notifications"
    assert poison.queue_name == "graph-notifications-poison"
    http = next(b for b in fns["graph_webhook"].get_bindings() if b.type == "httpTrigger")
    assert http.route == "notifications"


def test_host_json_retries_then_poisons():
    host = json.loads((REPO / "host.json").read_text())
    assert host["version"] == "2.0"
    assert host["extensionBundle"]["version"].startswith("[4.")
    assert host["extensions"]["queues"]["maxDequeueCount"] == 5
