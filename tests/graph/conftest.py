from __future__ import annotations

from tests.support.graph_standin.fixtures import FakeCredential, graph_adapters, graph_settings, graph_standin

__all__ = ["FakeCredential", "graph_adapters", "graph_settings", "graph_standin"]


def pytest_configure(config) -> None:
    # msgraph's generated request builders warn about their own deprecated configuration classes on import.
    config.addinivalue_line("filterwarnings", "ignore:This class is deprecated:DeprecationWarning")
    config.addinivalue_line("filterwarnings", "ignore:GetQueryParameters is deprecated:DeprecationWarning")
