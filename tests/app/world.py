"""A small council on the embedded default, driven through the real webhook and worker functions."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from demo.replay import SimClock
from function_app import bootstrap, envelope, runtime
from function_app.bus import MessageBus
from function_app.services import Services
from graph_clients.ports import Attachment, CalendarEvent, CardRoute, MailMessage
from rules.model import Child, Fact, FactKind, Person, Team

SECRET = "test-client-state"
IRO, SW, TM, HOS = "iro.a@council.example", "sw.b@council.example", "tm.c@council.example", "hos.d@council.example"
MANAGER, SD, ADQA = "iro.manager@council.example", "sd@council.example", "adqa@council.example"
SERVICE = "iro.service@council.example"
CASE = "CLA-100001"


@dataclass
class FakeTeams:
    """Records every card (the Teams port); `fail_next` makes the next post fail like a network error."""

    posted: list[tuple[CardRoute, dict]] = field(default_factory=list)
    fail_next: int = 0

    def post(self, route: CardRoute, card: dict) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("Teams unreachable (test)")
        self.posted.append((route, card))

    def kinds(self, person: str | None = None) -> list[str]:
        from graph_clients.teams.cards import kind_of

        return [kind_of(c) for r, c in self.posted if person is None or r.person == person]


@dataclass
class World:
    svc: Services
    bus: MessageBus
    clock: SimClock
    teams: FakeTeams
    root: Path
    n: int = 0

    # Graph's side: a change happens in Outlook, Graph posts a notification, the worker processes it
    def notify(self, resource: str, change_type: str = "created", client_state: str = SECRET) -> int:
        item = {"subscriptionId": "sub-1", "clientState": client_state, "changeType": change_type,
                "resource": resource, "tenantId": "t"}
        old = os.environ.get("IRO_CLIENT_STATE")
        os.environ["IRO_CLIENT_STATE"] = SECRET
        try:
            messages = envelope.split(json.dumps({"value": [item]}).encode(), [SECRET])
        finally:
            if old is None:
                os.environ.pop("IRO_CLIENT_STATE")
            else:
                os.environ["IRO_CLIENT_STATE"] = old
        return sum(runtime.process_queue_message(m, bus=self.bus) for m in messages)

    def book(self, event_id: str, start: datetime, subject: str = f"CLA review {CASE}", change: str = "c1",
             cancelled: bool = False, change_type: str = "created") -> int:
        self.svc.outlook.put_event(CalendarEvent(event_id, IRO, subject, start, start + timedelta(hours=1),
                                                 change_key=change, is_cancelled=cancelled))
        return self.notify(f"Users/{IRO}/Events/{event_id}", change_type)

    def email(self, sender: str, subject: str, body: str = "", mailbox: str = SERVICE,
              on: datetime | None = None, attachments: tuple[Attachment, ...] = ()) -> str:
        self.n += 1
        mid = f"msg-{self.n}"
        self.svc.mail.deliver(MailMessage(mid, mailbox, sender, (mailbox,), subject, body, on or self.clock()),
                              attachments)
        self.notify(f"Users/{mailbox}/Messages/{mid}")
        return mid

    def sweep(self, day: date) -> None:
        self.clock.set(day, 6)
        runtime.daily_sweep(bus=self.bus)

    def facts(self, kind: Any = None) -> list:
        return self.svc.store.facts(CASE, [kind] if kind else None)

    def problems(self) -> list:
        return self.svc.store.problems()

    def documents(self, case_ref: str = CASE) -> list[str]:
        return self.svc.folders.list(case_ref)

    def heard(self, email: str) -> dict[str, set[str]]:
        """notice kind -> the channels it reached `email` by: cards posted, emails sent, digest lines waiting."""
        from function_app.notices.deliver import pending_notes
        from graph_clients.teams.layout import ids_of

        out: dict[str, set[str]] = {}
        for route, card in self.teams.posted:
            if route.person == email:
                for kind in ids_of(card, "notice-"):
                    out.setdefault(kind, set()).add("card")
        for m in self.svc.mail.sent:
            if email in m.to:
                out.setdefault(m.kind or "email", set()).add("email")
        for note in pending_notes(self.svc, email):
            out.setdefault(note["kind"], set()).add("digest")
        return out

    def digests(self, email: str) -> list[dict]:
        from graph_clients.teams.layout import kind_of

        return [c for r, c in self.teams.posted if r.person == email and kind_of(c) == "digest"]

    def channels(self, kind: str, **audience: str) -> None:
        with_channels(self.svc, kind, **audience)


def with_channels(svc: Services, kind: str, **audience: str) -> None:
    """Change the policy's channels for one notice (docs/notifications.md), as a council could."""
    n = svc.policy.notifications
    notices = {**n.notices, kind: audience}
    svc.policy = svc.policy.model_copy(update={"notifications": n.model_copy(update={"notices": notices})})


def make_world(tmp_path: Path, start: date = date(2026, 1, 5), looked_after: date = date(2026, 1, 5),
               db_url: str | None = None) -> World:
    clock = SimClock(datetime(start.year, start.month, start.day, 9, tzinfo=UTC))
    teams = FakeTeams()
    svc = bootstrap.local(tmp_path, now=clock, teams=teams, service_mailbox=SERVICE,
                          display_initials={CASE: "A.B."}, db_url=db_url)
    store = svc.store
    for email, name, role in ((IRO, "Ada Iro", "iro"), (SW, "Ben Worker", "sw"), (TM, "Cara Manager", "tm"),
                              (HOS, "Dev Head", "hos"), (MANAGER, "Eve Service", "iro_manager"),
                              (SD, "Finn Director", "service_director"), (ADQA, "Gail Assurance", "ad_qa")):
        store.upsert_person(Person(email, name, role))
    store.upsert_team(Team("T1", "Children in Care 1", TM, HOS, IRO, "team-T1"))
    store.upsert_team(Team("T2", "Children in Care 2", TM, HOS, "", "team-T2"))
    store.upsert_child(Child(CASE, looked_after, "C2", IRO, SW, TM, "T1", f"Children/{CASE}"))
    store.record(Fact(FactKind.BECAME_LOOKED_AFTER, CASE, looked_after, f"la:{CASE}", {"legal_status": "C2"}))
    return World(svc, bootstrap.bus(svc), clock, teams, tmp_path)
