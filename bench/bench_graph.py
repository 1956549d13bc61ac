"""First-request cost of msgraph through the Graph adapters (against the local stand-in).

The stand-in runs in this process; the adapters run in a fresh interpreter so the figures include
the SDK's lazy imports: building the adapters (should import nothing heavy), the first request
(loads msgraph's generated modules), then a warm request.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

PROBE = r"""
import resource, sys, time

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

base_url, mailbox, event_id = sys.argv[1:4]
base_modules, base_rss = len(sys.modules), rss_mb()
started = time.perf_counter()
from azure.core.credentials import AccessToken
from graph_clients.graph import build
from graph_clients.graph.settings import GraphSettings

class Token:
    async def get_token(self, *scopes, **kw):
        return AccessToken("bench", int(time.time()) + 3600)

adapters = build(GraphSettings(graph_base_url=base_url, drive_id="d", client_state="s",
                 notification_url="https://x/n", lifecycle_url="https://x/l"), credential=Token())
built = time.perf_counter() - started
heavy = sum(1 for m in sys.modules if m.startswith("msgraph"))
started = time.perf_counter()
adapters.calendar.get_event(mailbox, event_id)
first = time.perf_counter() - started
started = time.perf_counter()
for _ in range(20):
    adapters.calendar.get_event(mailbox, event_id)
warm = (time.perf_counter() - started) / 20
print(f"   build adapters: {built * 1000:.0f} ms, msgraph modules loaded by it: {heavy}")
print(f"   first request: {first:.2f} s, modules +{len(sys.modules) - base_modules}, "
      f"peak RSS +{rss_mb() - base_rss:.0f} MB")
print(f"   warm request (get_event, stand-in on localhost): {warm * 1000:.1f} ms")
adapters.close()
"""


def main() -> None:
    from tests.support.graph_standin import GraphStandIn

    standin = GraphStandIn().start()
    mailbox = "iro.bench@council.example"
    standin.add_user(mailbox)
    t0 = datetime(2026, 3, 23, 10, tzinfo=UTC)
    event_id = standin.seed_event(mailbox, "AB1 review", t0, t0 + timedelta(hours=1)).id
    try:
        subprocess.run([sys.executable, "-W", "ignore::DeprecationWarning", "-c", PROBE,
                        standin.base_url, mailbox, event_id], check=True)
    finally:
        standin.stop()


if __name__ == "__main__":
    main()
