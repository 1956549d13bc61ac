"""The app as Microsoft's Python worker indexes it (tests/support/worker_index.py runs the worker's own
code in a fresh interpreter, the way the host asks: worker init, then the functions-metadata request).

If the worker refuses one binding it refuses the whole app, and deployed, not one function would run:
not even Graph's validation handshake. So every function, binding, route, auth level, queue name and
schedule is checked as the worker reports it, and so is what indexing imports (the webhook's cold path).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support.requires import need

EXPECTED = {  # function -> the binding types the worker must report, trigger first
    "graph_webhook": ["httpTrigger", "queue", "http"],
    "graph_lifecycle": ["httpTrigger", "queue", "http"],
    "process_notification": ["queueTrigger"],
    "report_poison": ["queueTrigger"],
    "report_poison_again": ["queueTrigger"],
    "daily_sweep": ["timerTrigger"],
    "redrive_actions": ["timerTrigger"],
    "renew_subscriptions": ["timerTrigger"],
    "reconcile_delta": ["timerTrigger"],
    "watch_case_folders": ["timerTrigger"],
    "schedule_link_meetings": ["timerTrigger"],
    "sync_roster": ["timerTrigger"],
    "preflight": ["httpTrigger", "http"],
    "teams_messages": ["httpTrigger", "http"],
    "teams_bot_warm_up": ["warmupTrigger"],
    "weekly_escalations": ["timerTrigger"],
}
ROUTES = {"graph_webhook": "notifications", "graph_lifecycle": "lifecycle"}
QUEUE, POISON = "graph-notifications", "graph-notifications-poison"


def _index(app_dir: Path) -> dict:
    try:
        import azure_functions_runtime  # noqa: F401
    except ImportError:
        need(False, "Microsoft's worker (azure-functions-runtime) is not installed: `make test` installs it")
    out = subprocess.run([sys.executable, "-m", "tests.support.worker_index", str(app_dir)], cwd=app_dir,
                         capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


@cache
def indexed() -> dict:
    return _index(REPO)


def _trigger(fn: dict) -> dict:
    return next(b for b in fn["raw_bindings"] if b["type"].endswith("Trigger"))


def test_the_worker_indexes_the_app():
    result = indexed()
    assert result["status"] == "success", result["error"]
    assert set(result["functions"]) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_function_has_its_bindings(name):
    fn = indexed()["functions"][name]
    assert sorted(b["type"] for b in fn["raw_bindings"]) == sorted(EXPECTED[name])
    assert fn["script_file"] == "function_app.py"


def test_http_routes_methods_and_auth_level():
    for name, route in ROUTES.items():
        http = _trigger(indexed()["functions"][name])
        assert (http["route"], http["methods"], http["authLevel"]) == (route, ["POST"], "FUNCTION")


def test_queues_the_webhook_writes_are_the_ones_the_workers_read():
    fns = indexed()["functions"]
    for name in ROUTES:
        out = next(b for b in fns[name]["raw_bindings"] if b["type"] == "queue")
        assert (out["direction"], out["queueName"]) == ("OUT", QUEUE)
    assert _trigger(fns["process_notification"])["queueName"] == QUEUE
    assert _trigger(fns["report_poison"])["queueName"] == POISON  # the host's own poison queue name
    assert _trigger(fns["report_poison_again"])["queueName"] == f"{POISON}-poison"  # and the poison queue's own


def test_timer_schedules_are_six_field_ncrontab():
    for name, fn in indexed()["functions"].items():
        if EXPECTED[name] == ["timerTrigger"]:
            fields = _trigger(fn)["schedule"].split()
            assert len(fields) == 6 and all(re.fullmatch(r"[0-9*/,-]+", f) for f in fields), (name, fields)


def test_indexing_imports_nothing_heavy():
    assert indexed()["heavy_modules"] == []


def test_the_worker_refuses_an_annotation_it_cannot_read(tmp_path):
    """The check can fail: the annotation that stopped the app loading last time is refused here too."""
    (tmp_path / "function_app.py").write_text(textwrap.dedent("""
        from __future__ import annotations
        import azure.functions as func
        app = func.FunctionApp()

        @app.route(route="x")
        @app.queue_output(arg_name="msgs", queue_name="q", connection="AzureWebJobsStorage")
        def f(req: func.HttpRequest, msgs: func.Out[list[str]]) -> func.HttpResponse:
            return func.HttpResponse()
    """))
    result = _index(tmp_path)
    assert result["status"] == "failure"
    assert "invalid non-type annotation" in result["error"]


def test_host_json_retries_then_poisons():
    host = json.loads((REPO / "host.json").read_text())
    assert host["version"] == "2.0"
    assert host["extensionBundle"]["version"].startswith("[4.")
    assert host["extensions"]["queues"]["maxDequeueCount"] == 5
