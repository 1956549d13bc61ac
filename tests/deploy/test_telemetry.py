"""Telemetry without names: a small demo runs with an in-memory span exporter, and no staff name, no child's
initials and no document text reaches a span (attributes, events) or any log record; the spans are there."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import telemetry
from tests.conftest import REPO
from tests.support.graph_standin.fixtures import *  # noqa: F403 (graph_standin, graph_adapters)


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage() + (f"\n{record.exc_text}" if record.exc_text else ""))


@pytest.fixture
def exporter():
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    telemetry.use(provider)
    yield spans
    telemetry.use(None)


@pytest.fixture
def records():
    handler, root = Records(), logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)


def _span_texts(spans) -> list[str]:
    out = []
    for s in spans:
        out.append(s.name)
        out += [f"{k}={v}" for k, v in (s.attributes or {}).items()]
        for event in s.events:
            out.append(event.name)
            out += [f"{k}={v}" for k, v in (event.attributes or {}).items()]
        if s.status.description:
            out.append(s.status.description)
    return out


def _document_text(folder) -> set[str]:
    from docx import Document

    lines = set()
    for path in sorted(folder.rglob("*.docx")):
        doc = Document(io.BytesIO(path.read_bytes()))
        lines |= {p.text.strip() for p in doc.paragraphs if len(p.text.strip()) >= 20}
        for table in doc.tables:
            lines |= {c.text.strip() for row in table.rows for c in row.cells if len(c.text.strip()) >= 20}
    return lines


def _leaks(texts: list[str], council, documents: set[str]) -> list[str]:
    names = set()
    for person in council.people:
        names |= {person.display_name, *person.display_name.split()}
    found = []
    for text in texts:
        low = text.lower()
        found += [f"name {n!r} in {text[:120]!r}" for n in names if len(n) > 2 and n.lower() in low]
        for initials in council.display_initials.values():
            dotted = ".".join(initials) + "."
            if dotted in text or re.search(rf"(?<![A-Za-z0-9]){initials}(?![A-Za-z0-9])", text):
                found.append(f"initials {initials!r} in {text[:120]!r}")
        found += [f"document text in {text[:120]!r}" for d in documents if d in text]
    return found


def test_a_small_demo_sends_spans_with_case_references_and_no_names(tmp_path, exporter, records):
    from demo import replay
    from demo.council import make_council

    council = make_council(7, 24)
    result = replay.run(tmp_path, seed=7, children=24, until=council.start + timedelta(days=70))
    result.svc.store.close()
    spans = exporter.get_finished_spans()
    names = {s.name for s in spans}
    assert {"webhook.notifications", "worker.message", "timer.daily_sweep", "teams.deliver"} <= names, names
    worker = [s for s in spans if s.name == "worker.message"]
    assert any(str(s.attributes.get("iro.case_ref", "")).startswith("CLA-") for s in worker)
    assert all(isinstance(s.attributes.get("iro.handled"), int) for s in worker if s.status.is_ok)
    sweep = [s for s in spans if s.name == "timer.daily_sweep"]
    assert sweep and all(s.attributes["iro.handled"] >= 1 for s in sweep)
    teams = [s for s in spans if s.name == "teams.deliver"]
    assert {s.attributes["iro.route"] for s in teams} == {"person"}  # digests too go to each person's chat
    assert all("iro.kind" in s.attributes for s in teams)
    # in these 70 days every card is a person's digest (several cases, so no case on the span); a card about
    # one case carries its reference only
    about_a_case = [s for s in teams if s.attributes.get("iro.case_ref")]
    assert all(s.attributes["iro.case_ref"].startswith("CLA-") for s in about_a_case)
    documents = _document_text(tmp_path / "case-folders")
    assert len(documents) > 50 and records.texts  # the demo wrote documents and logged: the check has teeth
    leaks = _leaks(_span_texts(spans) + records.texts, council, documents)
    assert leaks == [], leaks[:10]


def test_graph_calls_have_spans_without_the_mailbox(graph_adapters, graph_standin, exporter, records):
    from rules.errors import NotFound

    mailbox = "helen.osei@council.example"
    graph_standin.add_user(mailbox)
    with pytest.raises(NotFound):
        graph_adapters.calendar.get_event(mailbox, "no-such-event")
    graph_adapters.case_folders.ensure_folder("CLA-100777")
    spans = exporter.get_finished_spans()
    get = next(s for s in spans if s.name == "graph.calendar.get_event")
    assert get.attributes["iro.operation"] == "calendar.get_event"
    assert get.attributes["iro.error.type"] == "NotFound" and not get.status.is_ok
    assert any(s.name == "graph.case_folders.ensure_folder" for s in spans)
    texts = _span_texts(spans) + records.texts
    assert not [t for t in texts if "osei" in t.lower()]


def test_attributes_that_are_not_references_or_counts_are_dropped(exporter):
    assert telemetry.safe({"case_ref": "CLA-1", "kind": "Helen Osei", "route": "a@b.example", "notes": "x"}) == \
        {"iro.case_ref": "CLA-1", "iro.dropped": 3}
    with telemetry.span("x", case_ref="CLA-1", count=3) as s:
        s.set(outcome="A sentence with spaces")
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes) == {"iro.case_ref": "CLA-1", "iro.count": 3, "iro.dropped": 1}  # the last set


def test_an_exception_records_its_type_never_its_message(exporter):
    with pytest.raises(ValueError), telemetry.span("boom"):
        raise ValueError("Helen Osei's review")
    (span,) = exporter.get_finished_spans()
    assert span.attributes["iro.error.type"] == "ValueError" and not span.events
    assert "Helen" not in json.dumps(span.to_json())


def test_without_a_connection_string_nothing_is_configured_and_the_webhook_stays_light():
    code = ("import sys, telemetry, function_app; from function_app.settings import AppSettings; "
            "print(telemetry.configure(AppSettings.from_env({})), "
            "[m for m in sys.modules if m.startswith(('opentelemetry', 'azure.monitor'))])")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False []"


def test_log_records_lose_their_addresses():
    import function_app  # noqa: F401  (installs the redaction, as the Functions host's import does)

    handler = Records()
    logger = logging.getLogger("iro.test")
    logger.addHandler(handler)
    logger.warning("card for %s, GET /users/%s/events", "helen.osei@council.example", "kit.oak%40council.example")
    logger.removeHandler(handler)
    assert handler.texts == ["card for <address>, GET /users/<address>/events"]
