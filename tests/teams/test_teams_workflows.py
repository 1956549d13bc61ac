"""The Workflows webhook adapter against a real HTTP server on 127.0.0.1: payload, retries, errors."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from graph_clients.ports import CardRoute, TeamsCards
from graph_clients.teams import actions, envelope
from graph_clients.teams.workflows import WorkflowsDelivery, WorkflowsDeliveryError, redact
from rules.errors import DeliveryError, InputError

SIG = "s3cr3t-Signature_value"


@dataclass
class Reply:
    status: int = 202
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds before answering (a slow flow)


class FlowServer:
    """A stand-in for Power Automate's trigger endpoint: records requests, answers from a script."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script: list[Reply] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                server.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)}
                )
                reply = server.script.pop(0) if server.script else Reply()
                time.sleep(reply.delay)
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def url(self, flow: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/workflows/{flow}/triggers/manual/paths/invoke?api-version=1&sp=run&sv=1.0&sig={SIG}"


@pytest.fixture
def flow() -> Iterator[FlowServer]:
    server = FlowServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def delivery(flow: FlowServer) -> Iterator[tuple[WorkflowsDelivery, list[float]]]:
    waits: list[float] = []
    adapter = WorkflowsDelivery(
        {"cic-team-a": flow.url("team-a")}, person_flow_url=flow.url("chat"), max_retries=3, sleep=waits.append
    )
    yield adapter, waits
    adapter.close()


def test_is_a_teams_cards_port(delivery):
    assert isinstance(delivery[0], TeamsCards)


def test_channel_payload_is_the_teams_message_with_the_card(flow, delivery, all_cards):
    adapter, _ = delivery
    card = all_cards["resolution_escalation"]
    adapter.post(CardRoute(channel="cic-team-a"), card)
    (request,) = flow.requests
    assert request["path"].startswith("/workflows/team-a/")
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(request["body"])
    assert body == envelope.message(actions.for_workflows(card))
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["contentUrl"] is None
    assert attachment["content"]["version"] == "1.5"
    assert actions.verbs(attachment["content"]) == []        # Workflows cannot take Action.Execute
    assert actions.verbs(card) != []                         # ...and the caller's card is unchanged


def test_person_payload_carries_the_recipient_upn(flow, delivery, all_cards):
    adapter, _ = delivery
    adapter.post(CardRoute(person="helen.osei@council.example"), all_cards["breach_alert"])
    (request,) = flow.requests
    assert request["path"].startswith("/workflows/chat/")
    body = json.loads(request["body"])
    assert body["recipient"] == "helen.osei@council.example"
    assert body["attachments"][0]["content"]["type"] == "AdaptiveCard"


def test_429_waits_as_told_by_retry_after_then_succeeds(flow, delivery, all_cards):
    adapter, waits = delivery
    flow.script = [Reply(429, {"Retry-After": "7"})]
    adapter.post(CardRoute(channel="cic-team-a"), all_cards["digest"])
    assert len(flow.requests) == 2 and waits == [7.0]
    assert flow.requests[0]["body"] == flow.requests[1]["body"]


def test_503_backs_off_then_succeeds(flow, delivery, all_cards):
    adapter, waits = delivery
    flow.script = [Reply(503), Reply(502), Reply(200)]
    adapter.post(CardRoute(channel="cic-team-a"), all_cards["digest"])
    assert len(flow.requests) == 3 and waits == [1.0, 2.0]


def test_gives_up_after_max_retries_naming_the_route(flow, delivery, all_cards):
    adapter, waits = delivery
    flow.script = [Reply(500)] * 4
    with pytest.raises(WorkflowsDeliveryError, match="channel 'cic-team-a'.*4 attempts.*HTTP 500"):
        adapter.post(CardRoute(channel="cic-team-a"), all_cards["digest"])
    assert len(flow.requests) == 4 and len(waits) == 3


def test_400_fails_at_once_without_the_secret(flow, delivery, all_cards):
    adapter, waits = delivery
    error = json.dumps({"error": {"code": "TriggerInputSchemaMismatch", "message": f"bad at ...sig={SIG}"}})
    flow.script = [Reply(400, {"Content-Type": "application/json"}, error.encode())]
    with pytest.raises(DeliveryError) as caught:
        adapter.post(CardRoute(person="helen.osei@council.example"), all_cards["breach_alert"])
    message = str(caught.value)
    assert "person 'helen.osei@council.example'" in message and "HTTP 400" in message
    assert "TriggerInputSchemaMismatch" in message
    assert SIG not in message and "http://" not in message and "sig=" not in message
    assert caught.value.status == 400 and len(flow.requests) == 1 and waits == []
    assert caught.value.__cause__ is None and caught.value.__context__ is None


@pytest.mark.parametrize("status", [401, 403, 404])
def test_other_4xx_fail_at_once_with_a_hint(flow, delivery, all_cards, status):
    adapter, _ = delivery
    flow.script = [Reply(status)]
    with pytest.raises(WorkflowsDeliveryError, match=f"HTTP {status}; .*flow") as caught:
        adapter.post(CardRoute(channel="cic-team-a"), all_cards["digest"])
    assert SIG not in str(caught.value) and len(flow.requests) == 1


def test_connection_refused_is_retried_then_reported_without_the_url(all_cards):
    import socket

    with socket.socket() as s:                     # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    url = f"http://127.0.0.1:{port}/workflows/x/triggers/manual/paths/invoke?sig={SIG}"
    adapter = WorkflowsDelivery({"c": url}, max_retries=2, sleep=waits.append)
    with adapter, pytest.raises(DeliveryError, match="ConnectError") as caught:
        adapter.post(CardRoute(channel="c"), all_cards["digest"])
    assert waits == [1.0, 2.0] and SIG not in str(caught.value)


def test_a_read_timeout_is_not_retried_the_flow_may_have_posted_it(flow, all_cards):
    import httpx

    from graph_clients.teams.workflows import WorkflowsDeliveryUncertain
    from rules.errors import DeliveryUncertain

    flow.script = [Reply(202, delay=1.0), Reply(202, delay=1.0)]
    waits: list[float] = []
    adapter = WorkflowsDelivery({"c": flow.url("a")}, http=httpx.Client(timeout=0.2), sleep=waits.append)
    with adapter, pytest.raises(WorkflowsDeliveryUncertain, match="not retried") as caught:
        adapter.post(CardRoute(channel="c"), all_cards["digest"])
    time.sleep(1.0)  # let the slow flow finish the one request it got
    assert isinstance(caught.value, DeliveryUncertain) and len(flow.requests) == 1 and waits == []
    assert SIG not in str(caught.value)


def test_unknown_channel_and_missing_chat_flow_are_clear(flow, all_cards):
    with WorkflowsDelivery({"cic-team-a": flow.url("a")}) as adapter:
        with pytest.raises(DeliveryError, match="channel 'other'.*no Workflows URL"):
            adapter.post(CardRoute(channel="other"), all_cards["digest"])
        with pytest.raises(DeliveryError, match="no chat flow URL"):
            adapter.post(CardRoute(person="x@council.example"), all_cards["digest"])
        with pytest.raises(InputError, match="exactly one"):
            adapter.post(CardRoute(), all_cards["digest"])
    assert flow.requests == []


def test_plain_http_is_refused_except_on_loopback():
    with pytest.raises(DeliveryError, match="channel 'a'.*https") as caught:
        WorkflowsDelivery({"a": f"http://prod-01.example.logic.azure.com/workflows/1?sig={SIG}"})
    assert SIG not in str(caught.value)


def test_an_oversized_message_is_refused_before_sending(flow, delivery, all_cards):
    adapter, _ = delivery
    huge = json.loads(json.dumps(all_cards["breach_alert"]))
    huge["body"].append({"type": "TextBlock", "text": "x" * envelope.MESSAGE_LIMIT_BYTES})
    with pytest.raises(DeliveryError, match="over Teams'"):
        adapter.post(CardRoute(channel="cic-team-a"), huge)
    assert flow.requests == []


def test_the_flow_signature_never_reaches_the_logs(flow, delivery, all_cards, caplog):
    adapter, _ = delivery
    flow.script = [Reply(503), Reply(202)]
    with caplog.at_level(logging.DEBUG):
        adapter.post(CardRoute(channel="cic-team-a"), all_cards["digest"])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request: POST" in logged           # httpx did log the request line...
    assert SIG not in logged and "sig=REDACTED" in logged    # ...with the signature redacted
    assert "teams card delivered: route=channel 'cic-team-a' kind=digest attempts=2" in logged


def test_redact_replaces_every_signature():
    assert redact(f"https://h/p?a=1&sig={SIG}&b=2 and SIG={SIG}") == "https://h/p?a=1&sig=REDACTED&b=2 and SIG=REDACTED"


def test_retry_after_as_an_http_date(flow, delivery, all_cards):
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    adapter, waits = delivery
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    flow.script = [Reply(503, {"Retry-After": when})]
    adapter.post(CardRoute(channel="cic-team-a"), all_cards["digest"])
    assert len(waits) == 1 and 20 <= waits[0] <= 31
