"""A local Microsoft Graph stand-in that holds the Graph adapters to the SDK's own models.

    standin = GraphStandIn().start()      # ThreadingHTTPServer on 127.0.0.1:<free port>
    standin.base_url                      # -> "http://127.0.0.1:PORT/v1.0", for GraphSettings.graph_base_url
    standin.inject("GET", r"/events/", 429, retry_after=1)   # faults: 429/503/slowness
    standin.requests, standin.calls("POST", r"/sendMail")   # every request, recorded
    standin.violations / take_violations()                   # contract breaches (the fixture fails on them)

The pytest fixtures (`graph_standin`, `graph_settings`, `graph_adapters`) are in fixtures.py; use them
from another conftest with `from tests.support.graph_standin.fixtures import *  # noqa: F403`.
This package imports msgraph: test support only, never imported by the product.
"""

from __future__ import annotations

from .handlers import GraphStandIn
from .server import Recorded

__all__ = ["GraphStandIn", "Recorded"]
