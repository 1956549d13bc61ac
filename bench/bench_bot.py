"""The Teams bot's cold start: Teams waits a few seconds for an `adaptiveCard/action` answer.

In a fresh interpreter (as a new Functions instance): import the app as the worker does, then answer the first
invoke through the real `teams_messages` function (the cold path of function_app/bot/host.py: no Teams SDK;
it opens the store and the policy, records the answer through the bus and draws the refreshed card), then a
second invoke (warm); and the same after the warm-up trigger has run (it loads the SDK, as an always-ready or
pre-warmed instance does before traffic).
Local mode (no token check: the SDK's JWT check adds one cached key fetch in production). Median of 3 runs,
with the SDK's own import time and peak memory. Figures are printed, never asserted.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASE, TM = "CLA-900001", "tm.bench@council.example"

_RUN = """
import json, os, resource, sys, time
t = time.perf_counter()
import function_app
imported = time.perf_counter() - t
import azure.functions as func
from function_app.local_host import user_function

def invoke(verb, n):
    body = {"type": "invoke", "name": "adaptiveCard/action", "id": f"a{n}", "channelId": "msteams",
            "serviceUrl": "http://127.0.0.1:9/_connector", "from": {"id": "29:tm"}, "recipient": {"id": "28:bot"},
            "conversation": {"id": "c1", "conversationType": "personal"},
            "value": {"action": {"type": "Action.Execute", "verb": verb,
                                 "data": {"kind": "decisions", "case_ref": sys.argv[1], "subject": sys.argv[2],
                                          "v": 0}}}}
    t = time.perf_counter()
    r = user_function("teams_messages")(func.HttpRequest("POST", "http://x/api/messages",
                                                         body=json.dumps(body).encode()))
    assert r.status_code == 200, r.get_body()
    return time.perf_counter() - t, r.get_body().decode()

warm = None
if "--warm" in sys.argv:
    from azure.functions.warmup import WarmUpContext
    t = time.perf_counter()
    user_function("teams_bot_warm_up")(WarmUpContext())
    warm = time.perf_counter() - t
first, card = invoke("accept", 1)
second, _ = invoke("refresh", 2)
sdk = [m for m in sys.modules if m.startswith("microsoft_teams")]
print(json.dumps({"import": imported, "warm_up": warm, "first": first, "second": second, "recorded": "Recorded" in card,
                  "sdk_modules": len(sdk), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_SDK = "import time; t = time.perf_counter(); import microsoft_teams.apps; print(time.perf_counter() - t)"


def _seed(root: Path) -> str:
    from function_app import bootstrap
    from rules.model import Child, Fact, FactKind, Person, Team
    from store.records import ConversationRef

    svc = bootstrap.local(root)
    svc.store.upsert_person(Person(TM, "Bench Manager", "tm"))
    svc.store.upsert_team(Team("T1", "Team 1", TM))
    svc.store.upsert_child(Child(CASE, date(2026, 1, 5), "C2", "", "", TM, "T1"))
    today = datetime.now(UTC).date()
    svc.store.record(Fact(FactKind.DECISIONS_SENT, CASE, today, "bench:sent", {"review_date": today.isoformat()}))
    svc.store.save_conversation(ConversationRef(f"person:{TM}", "c1", "http://127.0.0.1:9/_connector", TM, "29:tm"))
    svc.store.close()
    return today.isoformat()


def _fresh(root: Path, subject: str, *flags: str) -> dict:
    env = {"IRO_MODE": "local", "IRO_LOCAL_ROOT": str(root), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", _RUN, CASE, subject, *flags], cwd=REPO, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    runs, warmed = [], []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(_fresh(Path(tmp), _seed(Path(tmp))))
        with tempfile.TemporaryDirectory() as tmp:
            warmed.append(_fresh(Path(tmp), _seed(Path(tmp)), "--warm"))
    sdk = [float(subprocess.run([sys.executable, "-W", "ignore", "-c", _SDK], capture_output=True, text=True,
                                check=True).stdout) for _ in range(3)]

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"   cold import of the app (the worker's indexing): {med('import') * 1000:.0f} ms")
    print(f"   cold first invoke (fresh subprocess: store + policy + answer, {runs[0]['sdk_modules']} Teams SDK "
          f"modules loaded): {med('first'):.2f} s; cold total {med('import') + med('first'):.2f} s "
          f"(Teams waits ~5 s; answered: {runs[0]['recorded']})")
    print(f"   after the warm-up trigger ({statistics.median(r['warm_up'] for r in warmed):.2f} s, before any "
          f"traffic): first invoke {statistics.median(r['first'] for r in warmed) * 1000:.0f} ms")
    print(f"   warm invoke (the second in the process): {med('second') * 1000:.0f} ms")
    print(f"   `import microsoft_teams.apps` alone (what the cold path avoids): {statistics.median(sdk):.2f} s; "
          f"peak memory {med('rss_mb'):.0f} MB")
