"""A small council's months through the real webhook and worker, with the faults Azure really produces, and
what came out of it compared with a clean replay of the same council (tests/faults/test_fault_replay.py).

The queue is modelled as Azure Storage queues behave with host.json's settings: a message whose function
raises is visible again after `visibilityTimeout` (30 s), up to `maxDequeueCount` (5) deliveries, then it
goes to the poison queue (`report_poison` records it, and the next morning's delta catch-up, as
`reconcile_delta` does in production, delivers the change again); a message taken by a host that dies is
visible again after 10 minutes, and the new process starts with empty memory. Timers that fail are run
again after 5 minutes (the retry policy in function_app/worker_triggers.py), and the `redrive_actions`
timer runs after each timer and at the end of each day.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import azure.functions as func

from demo import replay as demo_replay
from demo import world as w
from demo.council import make_council
from demo.replay import Replay, SimClock
from function_app import runtime
from function_app.local_host import Out
from function_app.services import LONDON
from rules.model import FactKind

VISIBILITY = timedelta(seconds=30)      # host.json extensions.queues.visibilityTimeout
KILLED_HOST = timedelta(minutes=10)     # a dead host's message is visible again after this
MAX_DEQUEUE = 5                         # host.json maxDequeueCount
TIMER_RETRY = timedelta(minutes=5)      # worker_triggers.TIMER_RETRY
TIMER_RETRIES = 5


class HostKilled(BaseException):
    """The worker process dies: no `except Exception` runs, nothing is released, memory is lost."""


@dataclass
class Faults:
    seed: int = 1
    duplicate: float = 0.0          # share of queue messages delivered twice
    shuffle: bool = False           # each day's queue messages delivered in a random order
    transient: float = 0.0          # share of Graph and Teams calls failing (queue path and timers alike)
    kill_after_claim: float = 0.0   # share of claims after which the host dies
    kill_after_effect: float = 0.0  # share of effects after which the host dies, before they are recorded

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.on = True
        self.people = False  # the council's people at work (saving a record in Word): no faults for them
        self.counts: Counter = Counter()

    def roll(self, p: float, what: str, *, anyone: bool = False) -> bool:
        hit = self.on and (anyone or not self.people) and p > 0 and self.rng.random() < p
        if hit:
            self.counts[what] += 1
        return hit


class MonotonicClock(SimClock):
    """Time never goes back: a retry 10 minutes on is not undone by the next happening's time."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "at" and "at" in self.__dict__:
            value = max(value, self.__dict__["at"])
        super().__setattr__(name, value)


EFFECTS = {"post", "send", "save", "create_meeting"}
CALLS = {"post", "send", "save", "create_meeting", "get_message", "get_event", "busy", "read"}


class Faulty:
    """A port with faults: transient failures before a call, a dead host after an effect."""

    def __init__(self, inner: Any, faults: Faults, name: str) -> None:
        self._inner, self._faults, self._name = inner, faults, name

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._inner, attr)
        if attr not in CALLS or not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            if self._faults.roll(self._faults.transient, f"transient {self._name}.{attr}"):
                raise ConnectionError(f"{self._name} unreachable (fault injection)")
            out = value(*args, **kwargs)
            if attr in EFFECTS and self._faults.roll(self._faults.kill_after_effect, "killed after an effect"):
                raise HostKilled
            return out
        return call


class Recorder:
    """The innermost Teams port: every card that really arrived."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.cards = inner, Counter()

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.inner, attr)

    def post(self, route, card, **kwargs: Any) -> None:
        from graph_clients.teams.cards import kind_of

        self.inner.post(route, card, **kwargs)
        kind = kind_of(card) + (" (answered, replacing the card pressed)" if kwargs.get("replaces") else "")
        self.cards[(route.channel or route.person, kind, json.dumps(card, sort_keys=True))] += 1


@dataclass
class Queue:
    replay: FaultReplay
    messages: list[tuple[datetime, int, str, int]] = field(default_factory=list)  # (visible, seq, body, dequeues)
    seq: int = 0
    poisoned: list[str] = field(default_factory=list)

    def put(self, body: str, visible: datetime, dequeues: int = 0) -> None:
        self.seq += 1
        self.messages.append((visible, self.seq, body, dequeues))

    def drain(self) -> None:
        r = self.replay
        while self.messages:
            if r.faults.shuffle:
                r.faults.rng.shuffle(self.messages)
                pick = min(range(len(self.messages)), key=lambda i: self.messages[i][0])  # stable among visible
                visible = [i for i, m in enumerate(self.messages) if m[0] <= max(r.clock.at, self.messages[pick][0])]
                index = visible[0]
            else:
                index = min(range(len(self.messages)), key=lambda i: self.messages[i][:2])
            at, _, body, dequeues = self.messages.pop(index)
            r.clock.at = at
            try:
                runtime.process_queue_message(body, dequeue_count=dequeues + 1, bus=r.bus)
            except HostKilled:
                r.restart()
                self.put(body, r.clock.at + KILLED_HOST, dequeues + 1)
            except Exception:
                if dequeues + 1 >= MAX_DEQUEUE:
                    runtime.report_poison(body, bus=r.bus)
                    self.poisoned.append(body)
                else:
                    self.put(body, r.clock.at + VISIBILITY, dequeues + 1)


class FaultReplay(Replay):
    """demo.replay.Replay with the queue and the host above in between the webhook and the worker."""

    faults: Faults
    queue: Queue

    def notify(self, resource: str, change_type: str) -> None:
        body = {"value": [{"subscriptionId": "demo-sub", "clientState": demo_replay.CLIENT_STATE,
                           "changeType": change_type, "resource": resource, "tenantId": "demo"}]}
        req = func.HttpRequest("POST", "https://demo.example/api/notifications", body=json.dumps(body).encode(),
                               params={}, headers={"content-type": "application/json"})
        out = Out()
        resp = self.webhook(req, out)
        assert resp.status_code == 202, resp.get_body()
        for message in out.value or []:
            self.queue.put(message, self.clock.at)
            if self.faults.roll(self.faults.duplicate, "duplicate", anyone=True):
                self.queue.put(message, self.clock.at + timedelta(seconds=1))
        self.counts["notifications"] += 1
        if not self.faults.shuffle:
            self.drain()

    def drain(self) -> None:
        people, self.faults.people = self.faults.people, False
        try:
            self.queue.drain()
        finally:
            self.faults.people = people

    def play(self, h: w.Happening) -> None:
        self.faults.people = True
        try:
            super().play(h)
        finally:
            self.faults.people = False

    def restart(self) -> None:
        """A new worker process: nothing in memory survives."""
        self.svc.done_actions.clear()
        self.faults.counts["host restarts"] += 1

    def timer(self, run) -> None:
        """A timer function under the host: retried after 5 minutes when it fails (retry policy)."""
        for _ in range(TIMER_RETRIES + 1):
            try:
                run(bus=self.bus)
                return
            except HostKilled:
                self.restart()
                self.clock.at += KILLED_HOST
            except Exception:
                self.clock.at += TIMER_RETRY
        self.faults.counts["timer gave up"] += 1

    def redrive(self) -> None:
        """The redrive_actions timer, every 5 minutes for as long as something is owed (at most a few hours)."""
        from function_app.once import LEASE

        for _ in range(36):
            self.clock.at += timedelta(minutes=5)
            self.timer(runtime.redrive_actions)
            if not self.svc.store.pending_actions(stale_before=self.clock.at + timedelta(minutes=5) - LEASE):
                return


def run(out: Path, faults: Faults, seed: int = 7, children: int = 24, until: date | None = None) -> FaultReplay:
    council = make_council(seed, children)
    happenings = w.happenings(council, seed)
    base = demo_replay.setup(out, council)
    r = FaultReplay(base.svc, MonotonicClock(base.clock.at), council, base.webhook, base.habits)
    r.svc.now = r.clock
    r.bus = base.bus
    r.faults, r.queue = faults, Queue(r)
    recorder = Recorder(r.svc.teams)
    r.recorder = recorder
    r.svc.teams = Faulty(recorder, faults, "teams")
    r.svc.mail = Faulty(r.svc.mail, faults, "mail")
    r.svc.outlook = Faulty(r.svc.outlook, faults, "calendar")
    r.svc.folders = Faulty(r.svc.folders, faults, "folders")
    real_claim = r.svc.store.claim_action

    def claim(*args: Any, **kwargs: Any):
        got = real_claim(*args, **kwargs)
        if got and faults.roll(faults.kill_after_claim, "killed after a claim"):
            raise HostKilled
        return got
    r.svc.store.claim_action = claim

    by_day: dict[date, list[w.Happening]] = {}
    for h in happenings:
        by_day.setdefault(h.at.astimezone(LONDON).date(), []).append(h)
    arrivals: dict[date, list] = {}
    for c in council.children:
        if c.looked_after_since >= council.start:
            arrivals.setdefault(c.looked_after_since, []).append(c)
    day, end = council.start, until or council.end
    while day < end:
        r.clock.at = datetime.combine(day, time(5, 30), LONDON)
        for body in r.queue.poisoned:  # the delta catch-up delivers the changes again
            r.queue.put(body, r.clock.at)
        r.queue.poisoned.clear()
        r.drain()
        r.clock.at = datetime.combine(day, time(6), LONDON)
        for c in arrivals.get(day, []):  # the roster sync timer records these
            r.timer(lambda bus, c=c, day=day: r.fact(FactKind.BECAME_LOOKED_AFTER, c.case_ref, day,
                                                     f"la:{c.case_ref}:{day}", {"legal_status": c.legal_status}))
        if r.svc.cal.is_working_day(day):
            r.timer(runtime.daily_sweep)
            r.redrive()
            if day.weekday() == 0:
                r.timer(runtime.schedule_link_meetings)
                r.redrive()
        for h in by_day.get(day, []):
            r.play(h)
        for message in r.habits.take(day):
            r.clock.at = message.received
            r.mail_in(message)
        r.drain()
        r.clock.at = datetime.combine(day, time(22), LONDON)
        r.redrive()
        day += timedelta(days=1)
    faults.on = False  # the faults pass; what is owed is finished by the next runs
    for _ in range(3):
        for body in r.queue.poisoned:
            r.queue.put(body, r.clock.at)
        r.queue.poisoned.clear()
        r.drain()
        r.clock.at += timedelta(minutes=10)
        r.redrive()
    return r


def outcome(r: FaultReplay) -> dict[str, Counter]:
    """What the people and systems got: cards, emails, documents, meetings, facts."""
    store = r.svc.store
    mail = r.svc.mail
    while hasattr(mail, "_inner") or hasattr(mail, "inner"):
        mail = getattr(mail, "_inner", None) or mail.inner
    outlook = r.svc.outlook._inner
    folders = r.svc.folders
    while hasattr(folders, "_inner") or hasattr(folders, "inner"):
        folders = getattr(folders, "_inner", None) or folders.inner
    here = str(r.svc.folders_root) if hasattr(r.svc, "folders_root") else str(folders.root.parent)
    return {
        "cards": Counter((to, kind, body.replace(here, "OUT")) for (to, kind, body), n in r.recorder.cards.items()
                         for _ in range(n)),
        "emails": Counter((m.sender, m.to, m.cc, m.subject, tuple(a.filename for a in m.attachments))
                          for m in mail.sent),
        "documents": Counter(str(p.relative_to(folders.root)) for p in folders.root.rglob("*.docx")),
        "meetings": Counter(p.name for p in outlook.outbox.glob("*.ics")),
        "facts": Counter((str(f.kind), f.case_ref, f.on.isoformat(), f.key) for f in store.facts()),
    }


def compare(clean: dict[str, Counter], faulty: dict[str, Counter]) -> dict[str, dict[str, int]]:
    """Per kind of output: how many the faulty run lost, doubled, or made that the clean run did not."""
    report = {}
    for kind, want in clean.items():
        got = faulty[kind]
        report[kind] = {
            "clean": sum(want.values()),
            "lost": sum(max(0, n - got[k]) for k, n in want.items()),
            "doubled": sum(max(0, n - want[k]) for k, n in got.items() if k in want),
            "different": sum(n for k, n in got.items() if k not in want),
        }
    return report
