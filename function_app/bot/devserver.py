"""A small local server around the bot's Functions trigger, for the Agents Playground (`iro teams serve`).

It calls the very function the Functions host calls (`teams_messages`, through azure-functions' own
HttpRequest / HttpResponse), so what the Playground exercises is the production handler, token check
included (anonymous only in local mode without IRO_BOT_APP_ID, as host.py logs at start-up).
"""

from __future__ import annotations

import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/api/messages"
log = logging.getLogger("iro.bot")


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        import azure.functions as func

        from function_app.local_host import user_function

        if self.path.split("?")[0] != PATH:
            self.send_error(404, f"the bot listens on {PATH}")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        req = func.HttpRequest("POST", f"http://{self.headers.get('Host', 'localhost')}{self.path}",
                               headers=dict(self.headers.items()), body=body)
        resp = user_function("teams_messages")(req)
        payload = resp.get_body()
        self.send_response(resp.status_code)
        self.send_header("Content-Type", resp.mimetype or "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802 - the Playground probes the endpoint before connecting
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        log.debug("bot dev server: " + format, *args)


def server(host: str = "127.0.0.1", port: int = 3978) -> ThreadingHTTPServer:
    """A server bound to (host, port); port 0 picks a free one (`server.server_port`)."""
    os.environ["IRO_TEAMS_BOT"] = "1"  # proactive cards through the bot (to the Playground's connector)
    return ThreadingHTTPServer((host, port), _Handler)


def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    srv = server(host, port)
    threading.Thread(target=srv.serve_forever, name="bot-dev-server", daemon=True).start()
    return srv
