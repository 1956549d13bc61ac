"""pytest fixtures: a running stand-in, settings pointing at it, and the real Graph adapters on it.

The stand-in fixture FAILS the test at teardown if any request broke the contract and the test did
not take the violation itself (`graph_standin.take_violations()`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from .handlers import GraphStandIn

IRO = "iro.one@council.example"
TM = "tm.one@council.example"
SERVICE = "iro.service@council.example"


class FakeCredential:
    """An async azure-identity style credential: any token will do for the stand-in."""

    def __init__(self) -> None:
        self.calls = 0

    async def get_token(self, *scopes: str, **kwargs: object):
        from azure.core.credentials import AccessToken

        self.calls += 1
        return AccessToken("stand-in-token", int(time.time()) + 3600)

    async def close(self) -> None:
        pass


@pytest.fixture
def graph_standin() -> Iterator[GraphStandIn]:
    standin = GraphStandIn(page_size=3).start()
    standin.add_user(IRO, TM, SERVICE)
    yield standin
    standin.stop()
    fail_on_violations(standin)


def fail_on_violations(standin: GraphStandIn) -> None:
    """Fail the running test if the stand-in recorded contract breaches nobody took."""
    left = standin.take_violations()
    if left:
        pytest.fail("the Graph stand-in saw requests that break the SDK's contract:\n  " + "\n  ".join(left),
                    pytrace=False)


@pytest.fixture
def graph_settings(graph_standin: GraphStandIn):
    from graph_clients.graph.settings import GraphSettings

    return GraphSettings(
        tenant_id="00000000-0000-0000-0000-000000000001", client_id="00000000-0000-0000-0000-000000000002",
        client_state="client-state-for-tests", notification_url="https://iro.example/api/notifications",
        lifecycle_url="https://iro.example/api/lifecycle", drive_id=graph_standin.drive_id,
        service_mailbox=SERVICE, upload_threshold=64 * 1024, graph_base_url=graph_standin.base_url,
        request_timeout=20,
    )


@pytest.fixture
def graph_adapters(graph_settings):
    from graph_clients.graph import build

    adapters = build(graph_settings, credential=FakeCredential(), retry_delay=0)
    yield adapters
    adapters.close()


__all__ = ["IRO", "SERVICE", "TM", "FakeCredential", "fail_on_violations", "graph_adapters", "graph_settings",
           "graph_standin"]
