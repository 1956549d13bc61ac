"""The stand-in's HTTP plumbing: a ThreadingHTTPServer on 127.0.0.1:0, request recording, fault
injection (429 with Retry-After, 503, slowness) and OData error bodies serialised from the SDK's
ODataError model. Graph behaviour lives in handlers.py.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from msgraph.generated.models.o_data_errors.main_error import MainError
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from .contract import serialise


@dataclass
class Recorded:
    method: str
    path: str                      # raw (still percent-encoded) path, without the query
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int = 0


@dataclass
class Fault:
    method: str
    path_pattern: str              # regex searched in the decoded path
    status: int = 503
    retry_after: float | None = None
    delay: float = 0.0
    times: int = 1
    code: str = ""


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


class GraphHTTPError(Exception):
    """Raised by handlers: becomes an OData error response."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def odata_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    error = ODataError()
    error.error = MainError(code=code, message=message)
    return Reply(status, serialise(error), headers=headers or {})


Handler = Callable[[Recorded, re.Match[str]], Reply]


class StandInServer:
    """Routing, recording and faults; subclassed by the Graph behaviour."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> StandInServer:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16                # one write per response (headers + body) ...
            disable_nagle_algorithm = True    # ... sent at once: no 40 ms delayed-ACK stalls per request

            def log_message(self, *args) -> None:  # quiet: the recording is the log
                pass

            def _any(self) -> None:
                server._serve(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any  # noqa: N815

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="graph-standin",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1.0"

    # --- test-facing helpers -----------------------------------------------------------------
    def inject(self, method: str, path_pattern: str, status: int = 503, *, retry_after: float | None = None,
               times: int = 1, delay: float = 0.0, code: str = "") -> None:
        """Answer the next `times` matching requests with `status` (0 = only slow them by `delay`)."""
        with self.lock:
            self.faults.append(Fault(method.upper(), path_pattern, status, retry_after, delay, times, code))

    def take_violations(self) -> list[str]:
        with self.lock:
            found, self.violations = self.violations, []
            return found

    def calls(self, method: str, path_pattern: str) -> list[Recorded]:
        from urllib.parse import unquote

        with self.lock:
            return [r for r in self.requests if r.method == method and re.search(path_pattern, unquote(r.path))]

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append((method, re.compile(pattern + r"$"), handler))

    def violation(self, text: str) -> None:
        with self.lock:
            self.violations.append(text)

    # --- serving -----------------------------------------------------------------------------
    def _serve(self, http: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(http.path)
        length = int(http.headers.get("Content-Length") or 0)
        body = http.rfile.read(length) if length else b""
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        rec = Recorded(http.command, parts.path, query, {k.lower(): v for k, v in http.headers.items()}, body)
        with self.lock:
            self.requests.append(rec)
        reply = self._fault_for(rec) or self._dispatch(rec)
        rec.status = reply.status
        http.send_response(reply.status)
        for name, value in reply.headers.items():
            http.send_header(name, value)
        if reply.body or reply.status not in (204, 304):
            http.send_header("Content-Type", reply.content_type)
        http.send_header("Content-Length", str(len(reply.body)))
        http.end_headers()
        http.wfile.write(reply.body)

    def _fault_for(self, rec: Recorded) -> Reply | None:
        from urllib.parse import unquote

        with self.lock:
            fault = next((f for f in self.faults if f.method in (rec.method, "*") and f.times > 0
                          and re.search(f.path_pattern, unquote(rec.path))), None)
            if fault:
                fault.times -= 1
        if fault is None:
            return None
        if fault.delay:
            time.sleep(fault.delay)
        if not fault.status:
            return None
        headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
        code = fault.code or {429: "TooManyRequests", 503: "serviceNotAvailable"}.get(fault.status, "injected")
        return odata_error(fault.status, code, f"injected {fault.status}", headers)

    def _dispatch(self, rec: Recorded) -> Reply:
        for method, pattern, handler in self.routes:
            match = pattern.match(rec.path)
            if match and method == rec.method:
                try:
                    return handler(rec, match)
                except GraphHTTPError as exc:
                    return odata_error(exc.status, exc.code, exc.message, exc.headers)
        self.violation(f"{rec.method} {rec.path}: no such endpoint in the stand-in")
        return odata_error(400, "BadRequest", f"Resource not found for the segment '{rec.path}'.")
