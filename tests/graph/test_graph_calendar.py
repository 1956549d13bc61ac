"""Calendar adapter through the real GraphServiceClient against the stand-in."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from msgraph.generated.models.free_busy_status import FreeBusyStatus

from graph_clients.ports import Calendar, DeltaSource, MeetingRequest
from rules.errors import InputError, NotFound, PermissionDenied, Throttled, Unavailable
from tests.support.graph_standin.fixtures import IRO, TM

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 3, 23, 10, tzinfo=UTC)   # a Monday
HOUR = timedelta(hours=1)


def test_adapter_satisfies_the_ports(graph_adapters):
    assert isinstance(graph_adapters.calendar, Calendar)
    assert isinstance(graph_adapters.calendar, DeltaSource)


def test_get_event_selects_only_the_fields_it_needs_in_utc(graph_adapters, graph_standin):
    seeded = graph_standin.seed_event(IRO, "AB123 CLA review", T0, T0 + HOUR, categories=["CLA review"])
    event = graph_adapters.calendar.get_event(IRO, seeded.id)
    assert (event.subject, event.start, event.end, event.categories) == ("AB123 CLA review", T0, T0 + HOUR,
                                                                         ("CLA review",))
    call = graph_standin.calls("GET", r"/events/")[-1]
    assert set(call.query["$select"].split(",")) >= {"subject", "start", "end", "changeKey", "categories"}
    assert 'outlook.timezone="UTC"' in call.headers["prefer"]
    assert call.headers["authorization"] == "Bearer stand-in-token"


def test_missing_event_is_not_found(graph_adapters):
    with pytest.raises(NotFound, match="calendar.get_event: Graph answered 404 ErrorItemNotFound"):
        graph_adapters.calendar.get_event(IRO, "no-such-id")


def test_list_events_follows_next_links_and_filters_by_category(graph_adapters, graph_standin):
    for n in range(7):
        graph_standin.seed_event(IRO, f"AB{n} review", T0 + n * HOUR, T0 + (n + 1) * HOUR,
                                 categories=["CLA review"] if n % 2 == 0 else [])
    graph_standin.seed_event(IRO, "outside the window", T0 + timedelta(days=30), T0 + timedelta(days=30, hours=1))
    every = graph_adapters.calendar.list_events(IRO, T0, T0 + timedelta(days=1))
    reviews = graph_adapters.calendar.list_events(IRO, T0, T0 + timedelta(days=1), category="CLA review")
    assert [e.subject for e in every] == [f"AB{n} review" for n in range(7)]
    assert [e.subject for e in reviews] == ["AB0 review", "AB2 review", "AB4 review", "AB6 review"]
    assert len(graph_standin.calls("GET", r"/calendarView$")) == 2 * 3   # 7 events, pages of 3, twice


def test_delta_across_pages_then_only_changes_and_removals(graph_adapters, graph_standin):
    calendar = graph_adapters.calendar
    calendar.clock = lambda: T0
    seeded = [graph_standin.seed_event(IRO, f"AB{n} review", T0 + n * HOUR, T0 + (n + 1) * HOUR) for n in range(5)]
    first = calendar.delta(IRO)
    assert sorted(e.subject for e in first.changed) == [f"AB{n} review" for n in range(5)]
    assert "$deltatoken=" in first.delta_link and first.removed == ()
    assert any("$skiptoken=" in r.query.get("$skiptoken", "$skiptoken=") for r in graph_standin.calls(
        "GET", r"calendarView/delta"))
    assert len(graph_standin.calls("GET", r"calendarView/delta")) == 2   # 5 items in pages of 3

    graph_standin.delete_event(IRO, seeded[1].id)
    graph_standin.seed_event(IRO, "AB9 review", T0 + 9 * HOUR, T0 + 10 * HOUR)
    second = calendar.delta(IRO, first.delta_link)
    assert [e.subject for e in second.changed] == ["AB9 review"]
    assert second.removed == (seeded[1].id,)
    assert second.delta_link != first.delta_link


def test_stale_delta_link_is_not_found(graph_adapters, graph_standin):
    stale = f"{graph_standin.base_url}/users/{IRO}/calendarView/delta()?$deltatoken=5-gone"
    with pytest.raises(NotFound):
        graph_adapters.calendar.delta(IRO, stale)


def meeting(**kw) -> MeetingRequest:
    base = dict(organizer=IRO, attendees=(TM,), subject="Link meeting: team A", start=T0, end=T0 + HOUR,
                body_html="<p>Two-monthly link meeting (standard 14)</p>", transaction_id="link-2026-03-teamA")
    base.update(kw)
    return MeetingRequest(**base)


def test_create_meeting_is_a_teams_meeting_with_join_url_and_is_idempotent(graph_adapters, graph_standin):
    created = graph_adapters.calendar.create_meeting(meeting())
    assert created.join_url.startswith("https://teams.microsoft.com/l/meetup-join/")
    assert created.attendees == (TM,) and created.start == T0
    body = graph_standin.calls("POST", r"/events$")[-1].body
    assert b'"isOnlineMeeting": true' in body and b'"onlineMeetingProvider": "teamsForBusiness"' in body
    again = graph_adapters.calendar.create_meeting(meeting())   # a retried creation with the same transactionId
    assert again.id == created.id
    assert len(graph_standin.events[IRO].items) == 1


def test_update_meeting_moves_it_and_keeps_the_join_url(graph_adapters):
    created = graph_adapters.calendar.create_meeting(meeting())
    moved = graph_adapters.calendar.update_meeting(created.id, meeting(start=T0 + 2 * HOUR, end=T0 + 3 * HOUR))
    assert (moved.id, moved.start, moved.join_url) == (created.id, T0 + 2 * HOUR, created.join_url)
    assert moved.change_key != created.change_key


def test_busy_and_link_slots_skip_busy_times_and_a_bank_holiday(graph_adapters, graph_standin):
    week = date(2026, 3, 23)
    graph_standin.seed_event(IRO, "AB1 review", datetime(2026, 3, 23, 9, 30, tzinfo=UTC),
                             datetime(2026, 3, 23, 12, tzinfo=UTC))
    graph_standin.seed_event(TM, "team meeting", datetime(2026, 3, 23, 12, tzinfo=UTC),
                             datetime(2026, 3, 23, 13, 30, tzinfo=UTC))
    graph_standin.seed_event(TM, "home visit", datetime(2026, 3, 23, 13, 30, tzinfo=UTC),
                             datetime(2026, 3, 23, 15, tzinfo=UTC), show_as=FreeBusyStatus.Tentative)
    graph_standin.seed_event(TM, "reading time", datetime(2026, 3, 23, 15, tzinfo=UTC),
                             datetime(2026, 3, 23, 17, tzinfo=UTC), show_as=FreeBusyStatus.Free)
    busy = graph_adapters.calendar.busy((IRO, TM), datetime(2026, 3, 23, tzinfo=UTC), datetime(2026, 3, 24, tzinfo=UTC))
    assert [(b.start.hour, b.end.hour) for b in busy[IRO]] == [(9, 12)]
    assert len(busy[TM]) == 2

    closed = {date(2026, 3, 24)}
    slots = graph_adapters.calendar.find_link_slots(
        (IRO, TM), week, HOUR, lambda d: d.weekday() < 5 and d not in closed, time(9, 30), time(16, 30))
    monday = [s for s in slots if s[0].date() == week]
    assert monday == [(datetime(2026, 3, 23, 15, tzinfo=LONDON), datetime(2026, 3, 23, 16, tzinfo=LONDON)),
                      (datetime(2026, 3, 23, 15, 30, tzinfo=LONDON), datetime(2026, 3, 23, 16, 30, tzinfo=LONDON))]
    assert not [s for s in slots if s[0].date() in closed or s[0].weekday() >= 5]
    body = graph_standin.calls("POST", r"/calendar/getSchedule")[-1].body
    assert b'"Schedules": ["iro.one@council.example", "tm.one@council.example"]' in body  # the SDK's casing


def test_throttling_is_retried_honouring_retry_after(graph_adapters, graph_standin):
    seeded = graph_standin.seed_event(IRO, "AB1 review", T0, T0 + HOUR)
    graph_standin.inject("GET", r"/events/", 429, retry_after=1)
    started = clock.monotonic()
    assert graph_adapters.calendar.get_event(IRO, seeded.id).id == seeded.id
    assert clock.monotonic() - started >= 1.0
    calls = graph_standin.calls("GET", r"/events/")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].headers["retry-attempt"] == "1"


def test_throttling_that_outlasts_the_retries_is_throttled_with_retry_after(graph_adapters, graph_standin):
    graph_standin.inject("POST", r"/calendar/getSchedule", 429, retry_after=1, times=4)
    with pytest.raises(Throttled) as caught:
        graph_adapters.calendar.busy((IRO,), T0, T0 + HOUR)
    assert caught.value.retry_after == 1 and caught.value.status == 429
    assert len(graph_standin.calls("POST", r"/getSchedule")) == 4   # first try + 3 retries


def test_503_is_retried_then_unavailable(graph_adapters, graph_standin):
    graph_standin.inject("POST", r"/events$", 503, retry_after=1, times=4)
    with pytest.raises(Unavailable, match="calendar.create_meeting: Graph answered 503"):
        graph_adapters.calendar.create_meeting(meeting())


def test_forbidden_names_the_permission_needed(graph_adapters, graph_standin):
    graph_standin.inject("POST", r"/events$", 403, code="ErrorAccessDenied")
    with pytest.raises(PermissionDenied) as caught:
        graph_adapters.calendar.create_meeting(meeting())
    assert caught.value.permission == "Calendars.ReadWrite"
    assert "grant the application permission Calendars.ReadWrite" in str(caught.value)


def test_a_slow_graph_is_unavailable_not_a_hang(graph_standin, graph_settings):
    from dataclasses import replace

    from graph_clients.graph import build
    from tests.support.graph_standin.fixtures import FakeCredential

    seeded = graph_standin.seed_event(IRO, "AB1 review", T0, T0 + HOUR)
    graph_standin.inject("GET", r"/events/", 0, delay=2.0)
    adapters = build(replace(graph_settings, request_timeout=0.5), credential=FakeCredential(), retry_delay=0)
    try:
        with pytest.raises(Unavailable, match="did not answer within 0.5 s"):
            adapters.calendar.get_event(IRO, seeded.id)
    finally:
        adapters.close()


def test_join_url_is_read_back_when_the_create_response_lacks_it(graph_adapters, graph_standin):
    graph_standin.join_url_in_create_response = False
    created = graph_adapters.calendar.create_meeting(meeting())
    assert created.join_url.startswith("https://teams.microsoft.com/")
    assert len(graph_standin.calls("GET", r"/events/")) == 1


def test_unknown_person_in_getschedule_is_not_found(graph_adapters):
    with pytest.raises(NotFound, match="ErrorMailRecipientNotFound"):
        graph_adapters.calendar.busy((IRO, "nobody@council.example"), T0, T0 + HOUR)


@pytest.mark.parametrize(("call", "message"), [
    (lambda cal: cal.busy((), T0, T0 + HOUR), "at least one person"),
    (lambda cal: cal.busy((IRO,), T0, T0 + timedelta(days=63)), "62 days"),
    (lambda cal: cal.list_events(IRO, datetime(2026, 3, 23), datetime(2026, 3, 24)), "timezone-aware"),
    (lambda cal: cal.create_meeting(meeting(end=T0)), "must end after it starts"),
])
def test_bad_calendar_input_is_refused_before_calling_graph(graph_adapters, graph_standin, call, message):
    with pytest.raises(InputError, match=message):
        call(graph_adapters.calendar)
    assert graph_standin.requests == []
