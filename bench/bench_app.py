"""The Functions app: cold start of the webhook path, webhook throughput and latency, demo speed, memory.

- cold import: a fresh interpreter imports `function_app` as the worker does (median of 5), and says
  whether msgraph, docxtpl or SQLAlchemy's ORM came with it (none may: Graph's ~3 s deadline);
- cold first answer: a fresh interpreter imports the app and answers one notification POST;
- webhook: batches of 1, 10 and 100 notifications through the real `graph_webhook` function, in process;
- demo: happenings per second replaying three months of the synthetic council (24 children);
- peak memory (max RSS) of each.
Figures are printed, never asserted.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("msgraph", "docxtpl", "sqlalchemy.orm")

_COLD = """
import json, resource, sys, time
t = time.perf_counter()
import function_app
imported = time.perf_counter() - t
answer = None
if "--answer" in sys.argv:
    import os
    os.environ["IRO_CLIENT_STATE"] = "s"
    import azure.functions as func
    from function_app.local_host import Out, user_function
    body = json.dumps({"value": [{"subscriptionId": "x", "clientState": "s", "changeType": "created",
                                  "resource": "Users/a/Events/b"}]}).encode()
    t = time.perf_counter()
    user_function("graph_webhook")(func.HttpRequest("POST", "https://x/api/notifications", body=body), Out())
    answer = time.perf_counter() - t
heavy = sorted({m.split(".")[0] if m.startswith("msgraph") else m for m in sys.modules
                if m.startswith(("msgraph", "docxtpl", "sqlalchemy.orm"))})
print(json.dumps({"import": imported, "answer": answer, "heavy": heavy,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _fresh(*args: str) -> dict:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _COLD, *args], cwd=REPO, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    result["process"] = time.perf_counter() - started
    return result


def cold() -> None:
    runs = [_fresh() for _ in range(5)]
    heavy = sorted({m for r in runs for m in r["heavy"]})
    imported = statistics.median(r["import"] for r in runs)
    process = statistics.median(r["process"] for r in runs)
    rss = max(r["rss_mb"] for r in runs)
    print(f"cold import of the app (worker's way), median of 5: {imported:.3f} s  "
          f"(whole interpreter {process:.2f} s, max RSS {rss:.0f} MB)")
    absent = "none (msgraph, docxtpl, sqlalchemy.orm all absent)"
    print(f"heavy modules imported: {', '.join(heavy) if heavy else absent}")
    first = [_fresh("--answer") for _ in range(3)]
    imported = statistics.median(r["import"] for r in first)
    answer = statistics.median(r["answer"] for r in first) * 1000
    print(f"cold first webhook answer: import {imported:.3f} s + answer {answer:.1f} ms (Graph's deadline ~3 s)")


def webhook() -> None:
    import azure.functions as func

    from function_app.local_host import Out, user_function

    os.environ["IRO_CLIENT_STATE"] = "bench-state"
    fn = user_function("graph_webhook")
    for batch in (1, 10, 100):
        item = {"subscriptionId": "sub", "clientState": "bench-state", "changeType": "updated",
                "resource": "Users/iro@council.example/Events/AAMkAD", "tenantId": "t"}
        body = json.dumps({"value": [item] * batch}).encode()
        times = []
        rounds = max(200, 20_000 // batch)
        for _ in range(rounds):
            started = time.perf_counter()
            out = Out()
            resp = fn(func.HttpRequest("POST", "https://x/api/notifications", body=body), out)
            times.append(time.perf_counter() - started)
            assert resp.status_code == 202 and len(out.value) == batch
        times.sort()
        per_request = statistics.mean(times)
        print(f"webhook, batches of {batch:3}: {batch / per_request:9,.0f} notifications/s, "
              f"p50 {times[len(times) // 2] * 1000:.3f} ms, p99 {times[int(len(times) * 0.99)] * 1000:.3f} ms "
              f"per request ({rounds} requests)")


def demo() -> None:
    import logging
    from datetime import date

    from demo import replay

    logging.getLogger("iro").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = replay.run(Path(tmp) / "demo", seed=7, children=24, until=date(2025, 4, 7))
        seconds = time.perf_counter() - started
        happenings = sum(v for k, v in result.counts.items() if k != "notifications")
        facts = len(result.svc.store.facts())
        result.svc.store.close()
    print(f"demo replay, 3 months, 24 children: {happenings} happenings ({result.counts['notifications']} "
          f"notifications through the webhook) in {seconds:.1f} s = {happenings / seconds:.1f} happenings/s "
          f"({facts} facts in the store, daily sweeps included)")


def main() -> None:
    cold()
    webhook()
    demo()
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
