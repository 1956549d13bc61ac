"""The app's clock is the only clock: what the store stamps and what the outboxes date come from
Services.now, so a problem raised in the demo's March says March, and an email says when the app sent it."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from function_app import bootstrap
from function_app.messages import Rejected
from graph_clients.ports import MeetingRequest, OutgoingMail

MARCH = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def test_store_outboxes_and_calendar_carry_the_apps_clock(tmp_path):
    svc = bootstrap.local(tmp_path, now=lambda: MARCH)
    bus = bootstrap.bus(svc)
    bus.handle(Rejected("test", "a problem raised in March", "nothing"))
    assert [p.raised_at.replace(tzinfo=UTC) for p in svc.store.problems()] == [MARCH]

    assert svc.store.claim_action("k1", "test", "CLA-1", {})
    assert svc.store.action("k1").claimed_at.replace(tzinfo=UTC) == MARCH

    svc.mail.send(OutgoingMail("iro.service@council.example", ("tm@council.example",), "CLA-1: decisions", "<p>x</p>"))
    sent = email.message_from_bytes(next((tmp_path / "mail-outbox").glob("*.eml")).read_bytes())
    assert parsedate_to_datetime(sent["Date"]) == MARCH and sent["Message-ID"]

    start = MARCH + timedelta(days=7)
    svc.outlook.create_meeting(MeetingRequest("iro1@council.example", ("tm@council.example",), "Link meeting",
                                              start, start + timedelta(hours=1), transaction_id="t1"))
    ics = next((tmp_path / "calendar-outbox").glob("*.ics")).read_text()
    assert "DTSTAMP:20250314T093000Z" in ics
