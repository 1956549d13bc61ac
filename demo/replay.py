"""`make demo`: twelve months of a synthetic council replayed through the real app, on the embedded default.

Each Outlook happening from demo/world.py is played the way Microsoft 365 would play it: the event or
message is put in the local calendar or mailbox, Graph's change notification is POSTed to the real
`graph_webhook` function (azure-functions request objects), and each queue message it writes is handed to
the real worker path (`runtime.process_queue_message`). At 06:00 each day the daily sweep runs, on Mondays
the link-meeting scheduler. Everything lands under the output folder: the SQLite store, case folders with
.docx files, the .eml and .ics outboxes, the Teams outbox page, and summary.html. Same seed, same output.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import azure.functions as func

from demo import world as w
from demo.council import Council, make_council
from demo.habits import COMPLIANCE, Habits, WatchedFolders, WatchedMail, WatchedTeams, share
from function_app import bootstrap, runtime
from function_app.local_host import Out, user_function
from function_app.services import LONDON, Services
from graph_clients.local.folders import LOCAL_DRIVE
from graph_clients.ports import Attachment, CalendarEvent, DocumentMeta, MailMessage

CLIENT_STATE = "demo-client-state"


@dataclass
class SimClock:
    """The clock the demo (and the tests) pass as Services.now: time is a parameter."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at

    def set(self, day: date, hour: int = 9) -> None:
        self.at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class Replay:
    svc: Services
    clock: SimClock
    council: Council
    webhook: Callable
    habits: Habits
    counts: Counter = field(default_factory=Counter)
    change: int = 0
    roster: Any = None  # demo.history.Roster: the council's roster export as it stands

    # --- Graph's side ----------------------------------------------------------------------------------
    def notify(self, resource: str, change_type: str) -> None:
        body = {"value": [{"subscriptionId": "demo-sub", "clientState": CLIENT_STATE, "changeType": change_type,
                           "resource": resource, "tenantId": "demo"}]}
        req = func.HttpRequest("POST", "https://demo.example/api/notifications", body=json.dumps(body).encode(),
                               params={}, headers={"content-type": "application/json"})
        out = Out()
        resp = self.webhook(req, out)
        assert resp.status_code == 202, resp.get_body()
        for message in out.value or []:
            runtime.process_queue_message(message, bus=self.bus)
        self.counts["notifications"] += 1

    def event(self, iro: str, event_id: str, case_ref: str, start: datetime, end: datetime, early: bool,
              change_type: str) -> None:
        self.change += 1
        subject = f"CLA review{' (early)' if early else ''} {case_ref}"
        child = self.svc.store.child(case_ref)  # the IRO invites the social worker and the team manager
        invited = tuple(e for e in ((child.sw, child.tm) if child else ()) if e)
        self.svc.outlook.put_event(CalendarEvent(event_id, iro, subject, start, end, change_key=f"ck{self.change}",
                                                 attendees=invited))
        self.notify(f"Users/{iro}/Events/{event_id}", change_type)

    # --- the happenings --------------------------------------------------------------------------------
    def play(self, h: w.Happening) -> None:
        self.clock.at = h.at
        if isinstance(h, w.ReviewBooked):
            self.event(h.iro, h.event_id, h.case_ref, h.start, h.end, h.early, "created")
        elif isinstance(h, w.ReviewMoved):
            old = self.svc.outlook.get_event(h.iro, h.event_id)
            case_ref = old.subject.split()[-1]
            self.event(h.iro, h.event_id, case_ref, h.start, h.end, "early" in old.subject, "updated")
        elif isinstance(h, w.ReviewCancelled):
            self.svc.outlook.events.pop((h.iro.lower(), h.event_id), None)  # the organiser deletes it
            self.notify(f"Users/{h.iro}/Events/{h.event_id}", "deleted")
        elif isinstance(h, w.MailArrived):
            self.mail_in(MailMessage(h.message_id, h.mailbox, h.sender, h.to, h.subject, h.body, h.at),
                         self.letter(h))
            if h.kind == "decisions_sent" and share(h.subject) <= COMPLIANCE:  # the child's version too
                case_ref = h.subject.split()[2]
                self.mail_in(MailMessage(f"{h.message_id}-child", h.mailbox, h.sender, h.to,
                                         f"Decisions for the child {case_ref}", "Sent to the child.", h.at))
        elif isinstance(h, w.RecordSaved):
            self.record_saved(h)
        elif isinstance(h, w.DecisionDone):
            self.done_in_teams(h)
        elif isinstance(h, w.TeamTransfer):
            self.transfer(h)
        self.counts[type(h).__name__ if not isinstance(h, w.MailArrived) else f"mail:{h.kind}"] += 1

    def mail_in(self, message: MailMessage, attachments: tuple[Attachment, ...] = ()) -> None:
        self.svc.mail.deliver(message, attachments)
        self.notify(f"Users/{message.mailbox}/Messages/{message.id}", "created")

    def letter(self, h: w.MailArrived) -> tuple[Attachment, ...]:
        """The decisions letter the IRO attaches to the decisions email (004 s3.1), as completed in Word."""
        from demo.records import decisions_letter

        if not h.letter:
            return ()
        case_ref = h.subject.split()[2]
        return (decisions_letter(self.svc, self.council, case_ref, date.fromisoformat(h.detail), h.letter,
                                 h.at.astimezone(LONDON).date()),)

    def record_saved(self, h: w.RecordSaved) -> None:
        """The IRO saves the completed record over the draft in the case folder and sets its Status column to
        Final; SharePoint notifies the library's root (no item named) and the app finds the record by delta
        (handlers/case_folder.py). No "Record complete" email: that convention is only the fallback."""
        from demo.records import completed_record

        name, content = completed_record(self.svc, self.council, h)
        self.svc.folders.save(DocumentMeta(h.case_ref, "review_record", h.review_date, "draft"), name, content)
        self.svc.folders.set_status(h.case_ref, name, "Final")
        self.notify(f"drives/{LOCAL_DRIVE}/root", "updated")

    def done_in_teams(self, h: w.DecisionDone) -> None:
        """The named person presses Done on the decision's card in Teams: the bot's own handler records it
        (function_app/bot/answers.py), and the answered card lands in the Teams outbox."""
        from function_app.bot.answers import Answer, answer
        from function_app.bot.views import load
        from graph_clients.ports import CardRoute
        from rules.errors import InputError

        decision_id = f"{h.review_date.isoformat()}-{h.row}"
        try:
            q = load(self.svc, "decision", h.case_ref, decision_id)
        except InputError:  # the record was never read back: nothing in Teams to answer
            self.counts["teams:decision not on record"] += 1
            return
        named = sorted(q.people.get("named", ()))
        if not named:
            self.counts["teams:decision names nobody on the roster"] += 1
            return
        out = answer(self.svc, self.bus, Answer("done", "decision", h.case_ref, decision_id, q.version, {}, named[0],
                                                f"demo-{h.case_ref}-{decision_id}"))
        self.svc.teams.post(CardRoute(person=named[0]), out.card, replaces=True)  # the pressed card, answered
        self.counts["teams:done" if out.fact else "teams:refused"] += 1

    def transfer(self, h: w.TeamTransfer) -> None:
        """The case moves team in the council's system: the next roster export shows it."""
        self.roster.move(h.case_ref, h.to_team, h.to_sw)
        self.sync_roster(h.at.astimezone(LONDON).date())

    def sync_roster(self, day: date) -> None:
        from function_app import roster_sync

        for message in roster_sync.sync(self.svc, *self.roster.write(day)):
            self.bus.handle(message)

    @property
    def bus(self):
        return self._bus

    @bus.setter
    def bus(self, value) -> None:
        self._bus = value


def setup(out: Path, council: Council) -> Replay:
    import os

    if out.exists():
        shutil.rmtree(out)  # same seed, same output: start from nothing
    os.environ["IRO_CLIENT_STATE"] = CLIENT_STATE
    clock = SimClock(datetime.combine(council.start, time(6), UTC))
    from graph_clients.teams.outbox import LocalOutbox

    # The demo council has the Teams app: its outbox shows the bot's cards, buttons and answers.
    teams = LocalOutbox(out / "teams-outbox", interactive=True, live_page=False, now=clock)
    svc = bootstrap.local(out, now=clock, service_mailbox=council.service_mailbox, teams=teams,
                          display_initials=dict(council.display_initials),
                          alerts_from=council.start)
    from demo.history import import_history

    roster = import_history(svc.store, council, out / "imports")  # go-live: roster + SSDA903 return
    habits = Habits(council.service_mailbox)
    svc.mail = WatchedMail(svc.mail, habits, svc.cal, svc.today)
    svc.teams = WatchedTeams(svc.teams, habits, svc.cal, svc.today)
    svc.folders = WatchedFolders(svc.folders, habits, svc.cal, svc.today,
                                 lambda case_ref: svc.store.child(case_ref).iro)
    replay = Replay(svc, clock, council, user_function("graph_webhook"), habits)
    replay.bus = bootstrap.bus(svc)
    replay.roster = roster
    return replay


def run(out: Path, seed: int = 7, children: int = 60, progress: Callable[[date, int], None] | None = None,
        until: date | None = None) -> Replay:
    """Replay the council's year (or up to `until`, for quick checks) into `out`."""
    council = make_council(seed, children)
    happenings = w.happenings(council, seed)
    replay = setup(out, council)
    by_day: dict[date, list[w.Happening]] = {}
    for h in happenings:
        by_day.setdefault(h.at.astimezone(LONDON).date(), []).append(h)
    arrivals: dict[date, list] = {}
    for c in council.children:
        if c.looked_after_since >= council.start:
            arrivals.setdefault(c.looked_after_since, []).append(c)
    day = council.start
    while day < (until or council.end):
        replay.clock.at = datetime.combine(day, time(6), UTC)
        if arrivals.get(day):  # the roster export now lists them: the daily roster sync starts their care
            replay.sync_roster(day)
        if replay.svc.cal.is_working_day(day):
            runtime.daily_sweep(bus=replay.bus)
            if day.weekday() == 0:
                runtime.schedule_link_meetings(bus=replay.bus)
                runtime.weekly_escalations(bus=replay.bus)
        for h in by_day.get(day, []):
            replay.play(h)
        for message in replay.habits.take(day):
            replay.clock.at = message.received
            replay.mail_in(message)
        if progress:
            progress(day, len(by_day.get(day, [])))
        day += timedelta(days=1)
    return replay
