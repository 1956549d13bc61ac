"""One GraphServiceClient on a private event loop in a background thread, behind a sync `run`.

Why: the ports are synchronous (Functions runs sync functions on worker threads) and msgraph-sdk is
async only. Each GraphSession owns a loop thread; `run` hands it a coroutine with
`asyncio.run_coroutine_threadsafe(...).result(timeout)` and translates every failure into the
project's exceptions (errors.py). msgraph is imported on the loop thread at the first request, so
building a session costs nothing until Graph is really used (its first request loads ~1,236 modules).

The HTTP client is msgraph_core's GraphClientFactory with the default middleware, so the SDK's own
RetryHandler retries 429/503/504 honouring Retry-After (3 retries by default). Outlook throttles at
4 concurrent requests per mailbox per app, so requests for one mailbox go through a semaphore of 4.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import telemetry
from rules.errors import Unavailable

from .auth import GRAPH_SCOPE, make_credential
from .errors import translate
from .settings import GraphSettings

T = TypeVar("T")
PER_MAILBOX = 4


class GraphSession:
    def __init__(self, settings: GraphSettings, credential: Any = None, *, max_retries: int = 3,
                 retry_delay: float | None = None) -> None:
        """`credential`: any azure-identity style credential (default: auth.make_credential).
        `retry_delay`: the RetryHandler's base delay added to its backoff (None: the SDK default);
        a Retry-After header from Graph is always honoured as sent."""
        self.settings = settings
        self._credential = credential
        self._max_retries, self._retry_delay = max_retries, retry_delay
        self._client: Any = None
        self._gates: dict[str, asyncio.Semaphore] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="graph-sdk-loop", daemon=True)
        self._thread.start()

    # --- running -----------------------------------------------------------------------------
    @telemetry.traced(lambda self, operation, *a, **k: f"graph.{operation}",
                      lambda self, operation, *a, **k: {"operation": operation})
    def run(self, operation: str, call: Callable[[Any], Awaitable[T]], mailbox: str = "",
            timeout: float | None = None) -> T:
        """Run `call(client)` on the loop; `operation` names it in errors (and picks the permission)."""
        future = asyncio.run_coroutine_threadsafe(self._gated(call, mailbox.lower()), self._loop)
        try:
            return future.result(timeout or self.settings.request_timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise Unavailable(f"{operation}: Graph did not answer within "
                              f"{timeout or self.settings.request_timeout:g} s") from None
        except Exception as exc:  # every SDK/HTTP failure becomes a project exception
            # An HTTP answer is fully described by status, code and request id: drop the ODataError (its
            # message may echo request content). Anything else is a bug worth its traceback: keep it.
            answered = getattr(exc, "response_status_code", None) is not None
            raise translate(exc, operation) from (None if answered else exc)

    async def _gated(self, call: Callable[[Any], Awaitable[T]], mailbox: str) -> T:
        client = self.client()
        if not mailbox:
            return await call(client)
        gate = self._gates.setdefault(mailbox, asyncio.Semaphore(PER_MAILBOX))
        async with gate:
            return await call(client)

    def client(self) -> Any:
        """The GraphServiceClient (built on first use)."""
        if self._client is None:
            self._client = self._build()
        return self._client

    @property
    def request_adapter(self) -> Any:
        return self.client().request_adapter

    def _build(self) -> Any:
        from kiota_authentication_azure.azure_identity_authentication_provider import (
            AzureIdentityAuthenticationProvider,
        )
        from kiota_http.middleware.options import RetryHandlerOption
        from msgraph import GraphServiceClient
        from msgraph.graph_request_adapter import GraphRequestAdapter
        from msgraph.graph_request_adapter import options as graph_options
        from msgraph_core import GraphClientFactory

        retry = RetryHandlerOption(max_retries=self._max_retries)
        if self._retry_delay is not None:
            retry = RetryHandlerOption(delay=self._retry_delay, max_retries=self._max_retries)
        http = GraphClientFactory.create_with_default_middleware(
            options={**graph_options, RetryHandlerOption.get_key(): retry})
        credential = self._credential or make_credential(self.settings)
        self._credential = credential
        host = urlsplit(self.settings.graph_base_url).hostname or "graph.microsoft.com"
        auth = AzureIdentityAuthenticationProvider(credential, scopes=[GRAPH_SCOPE], allowed_hosts=[host])
        adapter = GraphRequestAdapter(auth, client=http)
        adapter.base_url = self.settings.graph_base_url
        return GraphServiceClient(request_adapter=adapter)

    # --- shutting down -----------------------------------------------------------------------
    def close(self) -> None:
        async def _close() -> None:
            if self._client is not None:
                await self._client.request_adapter._http_client.aclose()
            closer = getattr(self._credential, "close", None)
            if closer is not None:
                result = closer()
                if asyncio.iscoroutine(result):
                    await result

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(_close(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        self._loop.close()

    def __enter__(self) -> GraphSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
