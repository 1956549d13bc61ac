"""Twelve months of Outlook happenings in the synthetic council, as data for the demo replay.

`happenings(council, seed)` is a pure function: it draws only from a `random.Random(seed)` it creates
(and per-child generators seeded from it), reads no clock and does no I/O. Every happening is at a minute
of UK working hours (09:00-17:00 Europe/London, given in UTC) on an England working day
(`rules.calendar.WorkingCalendar`, bank holidays included), between `council.start` and `council.end`.

What is generated, and the source each part follows:
- reviews on the statutory cycle (reg 33; docs/domain.md s2): about one in ten held late (3-14 days past due,
  chosen by quota so the share is stable), the rest a few days before due; two early reviews after a
  significant change (000 standard 11); a few moved and 2-3 cancelled and rebooked;
- after each review (004 s3.1, App. 3): decisions to the TM within 5 working days (occasionally late), a
  TM dispute for ~5% of reviews, the review record 10-15 working days on (a few late), each decision done
  or left undone (000 standard 5: about one row in 15 lacks a named person or a timescale);
- ~20 significant-change notifications covering all 13 kinds of 004 Appendix 2, 3 unclassifiable emails
  with a case reference and 1 without any;
- 6 resolutions (004 s5, App. 1) answered in time, late, or not at all by the TM (so the sweep
  escalates), one with a Cafcass discussion then referral (004 s5.3), one on a case that transfers team
  while the resolution is open (004 App. 1 forbids it: the app must alert), 2-3 good-practice notes.
Link meetings are not generated: the app schedules them itself (000 standard 14).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from demo import texts
from demo.council import Council, calendar_for, held_on_time, next_due
from rules.model import Child

LONDON = ZoneInfo("Europe/London")
DAY_START, DAY_END = 9 * 60, 17 * 60          # working hours, minutes after local midnight
SLOTS = (9 * 60 + 30, 11 * 60, 13 * 60 + 30, 15 * 60)  # review start times; each review lasts 90 minutes
REVIEW_MINUTES = 90
LATE_SHARE, DISPUTE_SHARE, DEFECT_SHARE = 0.10, 0.05, 1 / 15


# --- the happenings --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewBooked:
    at: datetime
    iro: str
    case_ref: str
    event_id: str
    start: datetime
    end: datetime
    early: bool = False


@dataclass(frozen=True)
class ReviewMoved:
    at: datetime
    iro: str
    event_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ReviewCancelled:
    at: datetime
    iro: str
    event_id: str


@dataclass(frozen=True)
class MailArrived:
    """An email landing in `mailbox`. `kind` and `detail` are the generator's intention (for tests and the
    demo summary), never read by the handlers: `detail` is the Appendix 2 id of a significant change, the
    resolution id, or the review date of decisions."""

    at: datetime
    mailbox: str
    message_id: str
    sender: str
    to: tuple[str, ...]
    subject: str
    body: str
    kind: str
    detail: str = ""
    letter: tuple[DecisionRow, ...] = ()  # decisions sent: the letter attached, with these rows


@dataclass(frozen=True)
class DecisionRow:
    """One row of a review record's decisions (000 standard 5). None marks the defect the app must flag."""

    text: str
    named_person: str | None
    timescale: str | None


@dataclass(frozen=True)
class RecordSaved:
    at: datetime
    iro: str
    case_ref: str
    review_date: date
    decisions: tuple[DecisionRow, ...]


@dataclass(frozen=True)
class DecisionDone:
    at: datetime
    case_ref: str
    review_date: date
    row: int  # 1-based, as numbered in the decisions email


@dataclass(frozen=True)
class TeamTransfer:
    at: datetime
    case_ref: str
    to_team: str
    to_sw: str = ""  # the newly allocated social worker in the receiving team


Happening = ReviewBooked | ReviewMoved | ReviewCancelled | MailArrived | RecordSaved | DecisionDone | TeamTransfer


def counts(items: Iterable[Happening]) -> Counter[str]:
    """How many of each happening (emails by their `kind`): the demo's summary line."""
    return Counter(h.kind if isinstance(h, MailArrived) else type(h).__name__ for h in items)


def happenings(council: Council, seed: int = 7) -> list[Happening]:
    return _World(council, seed).build()


# --- the generator ---------------------------------------------------------------------------------------

@dataclass
class _Review:
    child: Child
    number: int               # in the care episode: 1 = first review
    held: date
    due: date
    early: bool = False
    late: bool = False
    event: str = ""
    start: datetime | None = None
    rows: list[list] = field(default_factory=list)  # [text, named_person, timescale, due]


@dataclass
class _Transfer:
    day: date
    to_team: str
    to_sw: str


class _World:
    def __init__(self, council: Council, seed: int) -> None:
        self.c, self.rng = council, random.Random(seed)
        self.cal = calendar_for(council.start.year)
        self.child_seeds = {ch.case_ref: self.rng.getrandbits(32) for ch in council.children}
        self.out: list[Happening] = []
        self.events: Counter[str] = Counter()
        self.transfers: dict[str, _Transfer] = {}
        self.early: dict[str, date] = {}  # case_ref -> day of the significant change that brings a review forward
        self.prompt_resolved: list[tuple[Child, date]] = []

    def build(self) -> list[Happening]:
        reviews = self._schedule()
        self._book(reviews)
        resolution_refs = self._resolutions(reviews)
        self._ordinary_transfer(reviews, resolution_refs)
        self._after_reviews(reviews)
        self._significant_changes(reviews)
        self._odd_mail(reviews)
        self._good_practice(reviews)
        return self._finish()

    # -- dates and times --------------------------------------------------------------------------------

    def _when(self, day: date, lo: int = DAY_START, hi: int = DAY_END - 15) -> datetime:
        return _utc(day, self.rng.randint(lo, hi))

    def _wd(self, day: date, n: int) -> date:
        return self.cal.add_working_days(day, n)

    def _on_or_after(self, day: date) -> date:
        return self.cal.next_working_day(day)

    # -- reviews --------------------------------------------------------------------------------------

    def _cycle(self, child: Child, late: int | None = None, trigger: date | None = None) -> list[_Review]:
        """The child's reviews in the demo year: on time unless review number `late` is held late, with an
        early review 10-15 working days after a significant change on `trigger` (000 standard 11)."""
        crng = random.Random(self.child_seeds[child.case_ref])
        held = self.c.prior_reviews[child.case_ref]
        out: list[_Review] = []
        while True:
            due, number = next_due(self.cal, child.looked_after_since, held), len(held) + 1
            review = _Review(child, number, due, due)
            if trigger and held and held[-1] < trigger and self._wd(trigger, 15) + timedelta(days=21) < due:
                review.held, review.early, trigger = self._wd(trigger, crng.randint(10, 15)), True, None
            elif number == late:
                review.held, review.late = self._on_or_after(due + timedelta(days=crng.randint(3, 14))), True
            else:
                review.held = held_on_time(self.cal, due, crng.randint(2, 10))
            if review.held >= self.c.end:
                return out
            out.append(review)
            held += (review.held,)

    def _schedule(self) -> list[_Review]:
        """Two passes: all on time, then with the late quota and the early reviews placed on the first."""
        first = {ch.case_ref: self._cycle(ch) for ch in self.c.children}
        n_reviews = sum(len(v) for v in first.values())
        gaps = [(ref, a.held) for ref, rs in sorted(first.items()) for a, b in zip(rs, rs[1:], strict=False)
                if (b.held - a.held).days >= 150 and a.number > 1]
        self.rng.shuffle(gaps)
        for ref, held in gaps:
            if len(self.early) < 2 and ref not in self.early:
                self.early[ref] = self._on_or_after(held + timedelta(days=self.rng.randint(45, 75)))
        late_room = self.c.end - timedelta(days=45)
        candidates = sorted(ref for ref, rs in first.items() if ref not in self.early and rs
                            and rs[0].held <= late_room)
        late = {}
        for ref in self.rng.sample(candidates, round(n_reviews * LATE_SHARE)):
            late[ref] = self.rng.choice([r.number for r in first[ref] if r.held <= late_room])
        reviews = [r for ch in self.c.children
                   for r in self._cycle(ch, late.get(ch.case_ref), self.early.get(ch.case_ref))]
        reviews.sort(key=lambda r: (r.held, r.child.case_ref))
        self._place(reviews)
        return reviews

    def _place(self, reviews: list[_Review]) -> None:
        """A time slot for each review, never two at once in one IRO's calendar where a slot is free."""
        taken: set[tuple[str, date, int]] = set()
        for r in reviews:
            free = [s for s in SLOTS if (r.child.iro, r.held, s) not in taken] or list(SLOTS)
            slot = self.rng.choice(free)
            taken.add((r.child.iro, r.held, slot))
            r.start = _utc(r.held, slot)

    def _event(self, ref: str) -> str:
        self.events[ref] += 1
        return f"evt-{ref}-{self.events[ref]}"

    def _book(self, reviews: list[_Review]) -> None:
        """Book each review 3-6 weeks ahead (early ones soon after the change); move a few, cancel and
        rebook 2-3. The final date is always the scheduled one, so lateness is as the schedule says."""
        lo, hi = self.c.start + timedelta(days=70), self.c.end - timedelta(days=30)  # both dates in the demo
        plain = [r for r in reviews if not r.early and not r.late and r.number > 1 and lo <= r.held <= hi]
        late = [r for r in reviews if r.late and lo <= r.held <= hi]
        moved = set(map(id, self.rng.sample(plain, 2) + self.rng.sample(late, min(1, len(late)))))
        spare = [r for r in plain if id(r) not in moved]
        cancelled = set(map(id, self.rng.sample(spare, self.rng.randint(2, 3))))
        for r in reviews:
            booked = self._booking_day(r)
            if id(r) in cancelled:
                self._cancel_and_rebook(r, booked)
            elif id(r) in moved:
                self._move(r, booked)
            else:
                r.event = self._event(r.child.case_ref)
                self._booked(r, booked, r.start)

    def _booking_day(self, r: _Review) -> date:
        if r.early:
            return self._wd(self.early[r.child.case_ref], self.rng.randint(1, 3))
        floor = max(self.c.start, r.child.looked_after_since)
        day = self._wd(r.held, -self.rng.randint(15, 30))
        if day <= floor:
            day = self._wd(floor, self.rng.randint(1, 3))
        return day

    def _booked(self, r: _Review, day: date, start: datetime, lo: int = DAY_START) -> None:
        end = start + timedelta(minutes=REVIEW_MINUTES)
        self.out.append(ReviewBooked(self._when(day, lo), r.child.iro, r.child.case_ref, r.event, start, end,
                                     r.early))

    def _move(self, r: _Review, booked: date) -> None:
        """Booked on another day first (for a late review: a day before it was due), then moved."""
        r.event = self._event(r.child.case_ref)
        if r.late:
            first_day = held_on_time(self.cal, r.due, 3)
        else:
            first_day = self._wd(r.held, self.rng.choice((-1, 1)) * self.rng.randint(3, 8))
        booked = min(booked, self._wd(min(first_day, r.held), -6))
        self._booked(r, booked, _same_time(first_day, r.start))
        gap = self.cal.working_days_between(booked, min(first_day, r.held))
        day = self._wd(booked, self.rng.randint(1, gap - 2))
        self.out.append(ReviewMoved(self._when(day), r.child.iro, r.event, r.start,
                                    r.start + timedelta(minutes=REVIEW_MINUTES)))

    def _cancel_and_rebook(self, r: _Review, booked: date) -> None:
        first_day = self._wd(r.held, -self.rng.randint(3, 8))
        cancel_day = self._wd(first_day, -self.rng.randint(1, 3))
        booked = min(booked, self._wd(cancel_day, -5))
        r.event = self._event(r.child.case_ref)
        self._booked(r, booked, _same_time(first_day, r.start))
        self.out.append(ReviewCancelled(self._when(cancel_day, hi=12 * 60), r.child.iro, r.event))
        r.event = self._event(r.child.case_ref)
        self._booked(r, cancel_day, r.start, lo=13 * 60)

    # -- who holds the case on a day ------------------------------------------------------------------

    def _team(self, child: Child, day: date) -> str:
        t = self.transfers.get(child.case_ref)
        return t.to_team if t and day >= t.day else child.team

    def _sw(self, child: Child, day: date) -> str:
        t = self.transfers.get(child.case_ref)
        return t.to_sw if t and day >= t.day else child.sw

    def _tm(self, child: Child, day: date) -> str:
        return self.c.team(self._team(child, day)).tm

    def _who(self, child: Child) -> str:
        return self.c.display_initials[child.case_ref] if self.rng.random() < 0.5 else "the child"

    def _name(self, email: str) -> str:
        return self.c.person(email).display_name

    # -- mail -----------------------------------------------------------------------------------------

    def _mail(self, day: date, mailbox: str, sender: str, to: tuple[str, ...], subject: str, body: str,
              kind: str, detail: str = "", lo: int = DAY_START, letter: tuple[DecisionRow, ...] = ()) -> datetime:
        at = self._when(day, lo)
        signed = f"{body}\n\n{self._name(sender)}"
        self.out.append(MailArrived(at, mailbox, "", sender, to, subject, signed, kind, detail, letter))
        return at

    # -- after each review (004 s3.1, App. 3; 000 standard 5) -----------------------------------------

    def _after_reviews(self, reviews: list[_Review]) -> None:
        by_child: dict[str, list[_Review]] = {}
        for r in reviews:
            by_child.setdefault(r.child.case_ref, []).append(r)
        for rs in by_child.values():
            for r, following in zip(rs, rs[1:] + [None], strict=True):
                self._decide(r, following)
        rows = [row for r in reviews for row in r.rows]
        for i, row in enumerate(self.rng.sample(rows, round(len(rows) * DEFECT_SHARE))):
            row[1 + i % 2] = None  # alternately no named person, no timescale
        sent = [self._send_decisions(r) for r in reviews]
        room = self.c.end - timedelta(days=14)
        disputable = [(r, day) for r, day in zip(reviews, sent, strict=True) if day < room]
        for r, day in self.rng.sample(disputable, round(len(reviews) * DISPUTE_SHARE)):
            self._dispute(r, day)
        for r in reviews:
            self._record_and_actions(r)

    def _decide(self, r: _Review, following: _Review | None) -> None:
        day = r.held
        for text, role in self.rng.sample(texts.DECISIONS, self.rng.randint(3, 5)):
            who = {"sw": self._sw(r.child, day), "tm": self._tm(r.child, day), "iro": r.child.iro}[role]
            scale, due = self._timescale(r, following)
            r.rows.append([text, self._name(who), scale, due])

    def _timescale(self, r: _Review, following: _Review | None) -> tuple[str, date]:
        pick = self.rng.randint(0, 5)
        if pick == 0:
            return "within 4 weeks", r.held + timedelta(days=28)
        if pick == 1:
            return "within 6 weeks", r.held + timedelta(days=42)
        if pick == 2:
            return "within 10 working days", self._wd(r.held, 10)
        if pick == 3:
            return "within 20 working days", self._wd(r.held, 20)
        if pick == 4:
            by = self._on_or_after(r.held + timedelta(days=self.rng.randint(35, 70)))
            return f"by {by:%d/%m/%Y}", by
        return "before the next review", following.held if following else next_due(
            self.cal, r.child.looked_after_since, (r.held,) * r.number)

    def _decisions_body(self, r: _Review) -> str:
        lines = [f"Decisions from the review held on {r.held:%d/%m/%Y} for {r.child.case_ref}:"]
        for n, (text, person, scale, _) in enumerate(r.rows, 1):
            lines.append(f"{n}. {text}. Named person: {person or 'not set'}. Timescale: {scale or 'not set'}.")
        return "\n".join(lines)

    def _send_decisions(self, r: _Review) -> date:
        late = self.rng.random() < 1 / 12
        day = self._wd(r.held, self.rng.randint(6, 8) if late else self.rng.randint(1, 4))
        tm = self._tm(r.child, day)
        letter = tuple(DecisionRow(text, person, scale) for text, person, scale, _ in r.rows)
        self._mail(day, self.c.service_mailbox, r.child.iro, (tm, self.c.service_mailbox), _decisions_subject(r),
                   self._decisions_body(r), "decisions_sent", r.held.isoformat(), letter=letter)
        return day

    def _dispute(self, r: _Review, sent: date) -> None:
        """004 s3.1: the TM disputes in writing within 5 working days of receiving the decisions."""
        day = self._wd(sent, self.rng.randint(1, 4))
        n = self.rng.randint(1, len(r.rows))
        body = (f"I dispute decision {n} ({r.rows[n - 1][0].lower()}) because "
                f"{self.rng.choice(texts.DISPUTE_REASONS)}. I am copying everyone who attended the review.")
        self._mail(day, self.c.service_mailbox, self._tm(r.child, day), (r.child.iro, self.c.service_mailbox),
                   "RE: " + _decisions_subject(r), body, "decisions_disputed", r.held.isoformat())

    def _record_and_actions(self, r: _Review) -> None:
        late = self.rng.random() < 1 / 15
        day = self._wd(r.held, self.rng.randint(16, 19) if late else self.rng.randint(10, 15))
        rows = tuple(DecisionRow(text, person, scale) for text, person, scale, _ in r.rows)
        self.out.append(RecordSaved(self._when(day), r.child.iro, r.child.case_ref, r.held, rows))
        for n, (_, _, _, due) in enumerate(r.rows, 1):
            fate = self.rng.random()
            if fate < 0.2:
                continue  # never done: the decision clock goes overdue
            target = due + timedelta(days=self.rng.randint(1, 15)) if fate < 0.32 else due - timedelta(
                days=self.rng.randint(0, max(0, (due - r.held).days // 2)))
            done = self._on_or_after(max(target, self._wd(day, 1)))
            self.out.append(DecisionDone(self._when(done), r.child.case_ref, r.held, n))

    # -- significant changes (004 Appendix 2; 000 standard 11) ----------------------------------------

    def _significant_changes(self, reviews: list[_Review]) -> None:
        triggers = dict(zip(sorted(self.early), ("placement_change", "safeguarding"), strict=False))
        for ref, kind in triggers.items():
            self._notify(self.c.child(ref), self.early[ref], kind)
        kinds = [k for k in texts.SIGNIFICANT_CHANGES if k not in triggers.values() and k != "social_worker_change"]
        kinds += self.rng.sample(kinds, 7)
        anchors = [r for r in reviews if r.held < self.c.end - timedelta(days=40)]
        for kind in kinds:
            r = self.rng.choice(anchors)
            day = self._on_or_after(r.held + timedelta(days=self.rng.randint(20, 80)))
            if day < self.c.end:
                self._notify(r.child, day, kind)

    def _notify(self, child: Child, day: date, kind: str) -> None:
        free_subject, body = texts.SIGNIFICANT_CHANGES[kind]
        who = self._who(child)
        subject = free_subject if self.rng.random() < 1 / 3 else "Significant change {ref}"
        self._mail(day, child.iro, self._sw(child, day), (child.iro,), subject.format(ref=child.case_ref),
                   body.format(who=who, Who=who[0].upper() + who[1:]), "significant_change", kind)

    def _odd_mail(self, reviews: list[_Review]) -> None:
        """Three emails with a case reference and nothing else recognisable; one with no reference at all."""
        anchors = [r for r in reviews if r.held < self.c.end - timedelta(days=40)]
        for subject, body in texts.UNCLASSIFIABLE:
            r = self.rng.choice(anchors)
            day = self._wd(r.held, self.rng.randint(5, 20))
            self._mail(day, r.child.iro, self._sw(r.child, day), (r.child.iro,),
                       subject.format(ref=r.child.case_ref), body, "unclassifiable")
        tm = self.c.teams[0].tm
        day = self._on_or_after(self.c.start + timedelta(days=self.rng.randint(30, 300)))
        self._mail(day, self.c.service_mailbox, tm, (self.c.service_mailbox,), *texts.NO_REFERENCE, "unclassifiable",
                   "no_case_reference")

    # -- resolutions (004 s4-5, App. 1, App. 3; Handbook 6.2-6.3) -------------------------------------

    def _resolutions(self, reviews: list[_Review]) -> set[str]:
        lo, hi = self.c.start + timedelta(days=15), self.c.end - timedelta(days=80)
        pool = [r for r in reviews if lo <= r.held <= hi and r.child.case_ref not in self.early]
        court = [r for r in pool if r.child.in_proceedings]
        chosen = [self.rng.choice(court)]
        while len(chosen) < 6:
            r = self.rng.choice(pool)
            if r.child.case_ref not in {c.child.case_ref for c in chosen}:
                chosen.append(r)
        scenarios = ["prompt", "prompt", "late_tm", "slow", "transfer_open"]
        self.rng.shuffle(scenarios)
        categories = self.rng.sample([c for c in range(1, 14) if c != 9], 5)
        self._resolution(chosen[0], 9, "cafcass")
        for r, category, scenario in zip(chosen[1:], categories, scenarios, strict=True):
            self._resolution(r, category, scenario)
        return {r.child.case_ref for r in chosen}

    def _resolution(self, r: _Review, category: int, scenario: str) -> None:
        child, rid = r.child, f"R-{r.child.case_ref}-1"
        raised = self._wd(r.held, self.rng.randint(1, 3))  # 004 s5.1: within 3 days of the review
        subject = f"Resolution {child.case_ref} category {category} stage 1"
        tm = self._tm(child, raised)
        body = f"{texts.CONCERNS[category]}\nResolution {rid}: a written response is asked for within 10 working days."
        self._mail(raised, self.c.service_mailbox, child.iro, (self.c.service_mailbox, tm), subject, body,
                   "resolution_raised", rid)
        if scenario == "transfer_open":
            day = self._wd(raised, self.rng.randint(2, 3))
            other = next(t.team_id for t in self.c.teams if t.team_id != child.team)
            self._transfer(child, day, other)
        plan = {  # (responder role, stage, working days to the response, days on to resolved)
            "prompt": ("tm", 1, (3, 8), (2, 6)), "transfer_open": ("tm", 1, (4, 8), (4, 8)),
            "cafcass": ("tm", 1, (5, 8), (25, 30)), "late_tm": ("hos", 2, (11, 14), (2, 5)),
            "slow": ("hos", 2, (17, 19), (5, 8)),
        }[scenario]
        role, stage, to_response, to_resolved = plan
        responded = self._wd(raised, self.rng.randint(*to_response))
        responder = tm if role == "tm" else self.c.team(child.team).hos
        by = self._wd(responded, 10)
        text = texts.RESPONSE_DISAGREE if scenario == "cafcass" else self.rng.choice(texts.RESPONSES)
        self._mail(responded, self.c.service_mailbox, responder, (child.iro, self.c.service_mailbox),
                   f"RE: Resolution {child.case_ref} category {category} stage {stage}",
                   text.format(by=f"{by:%d/%m/%Y}"), "resolution_response", rid)
        if scenario == "cafcass":
            self._cafcass(child, rid, responded)
        resolved = self._wd(responded, self.rng.randint(*to_resolved))
        if resolved < self.c.end:
            self._mail(resolved, self.c.service_mailbox, child.iro, (self.c.service_mailbox,),
                       f"Resolved {child.case_ref} resolution {rid}", texts.RESOLVED[0].format(rid=rid),
                       "resolution_resolved", rid)
            if scenario == "prompt":
                self.prompt_resolved.append((child, resolved))

    def _cafcass(self, child: Child, rid: str, responded: date) -> None:
        """004 s5.3: discuss with the IRO service manager and the AD (QA) first, then refer."""
        day = self._wd(responded, self.rng.randint(2, 4))
        managers = (self.c.one("iro_manager").email, self.c.one("ad_qa").email)
        self._mail(day, self.c.service_mailbox, child.iro, (*managers, self.c.service_mailbox),
                   f"Cafcass discussion {child.case_ref}", texts.CAFCASS_DISCUSSION.format(rid=rid),
                   "cafcass_discussed", rid)
        day = self._wd(day, self.rng.randint(2, 4))
        self._mail(day, self.c.service_mailbox, child.iro, (self.c.service_mailbox, managers[0]),
                   f"Cafcass referral {child.case_ref}", texts.CAFCASS_REFERRAL.format(rid=rid),
                   "cafcass_referred", rid)

    def _transfer(self, child: Child, day: date, to_team: str) -> None:
        sws = self.c.team_sws(to_team)
        to_sw = sws[self.rng.randrange(len(sws))]
        self.transfers[child.case_ref] = _Transfer(day, to_team, to_sw)
        # at the start of the day: that day's emails already go to the receiving team
        self.out.append(TeamTransfer(_utc(day, DAY_START), child.case_ref, to_team, to_sw))

    def _ordinary_transfer(self, reviews: list[_Review], busy: set[str]) -> None:
        """A transfer with nothing open, announced by the new SW as a change of social worker (App. 2)."""
        lo, hi = self.c.start + timedelta(days=90), self.c.start + timedelta(days=240)
        pool = sorted({r.child.case_ref for r in reviews if r.child.case_ref not in busy | set(self.early)
                       and r.child.looked_after_since < self.c.start})
        child = self.c.child(self.rng.choice(pool))
        day = self._on_or_after(lo + timedelta(days=self.rng.randint(0, (hi - lo).days)))
        other = next(t.team_id for t in self.c.teams if t.team_id != child.team)
        self._transfer(child, day, other)
        self._notify(child, self._wd(day, self.rng.randint(1, 3)), "social_worker_change")

    def _good_practice(self, reviews: list[_Review]) -> None:
        """000 standard 13; 004 s3.2: one after a resolution answered promptly, one or two after reviews."""
        notes = [(child, self._wd(day, self.rng.randint(1, 3)), texts.GOOD_PRACTICE[1])
                 for child, day in self.prompt_resolved[:1]]
        for r in self.rng.sample(reviews[: len(reviews) * 3 // 4], 3 - len(notes) if notes else 2):
            notes.append((r.child, self._wd(r.held, self.rng.randint(1, 5)), texts.GOOD_PRACTICE[0]))
        for child, day, body in notes:
            self._mail(day, self.c.service_mailbox, child.iro, (self.c.service_mailbox,),
                       f"Good practice {child.case_ref}", body.format(who=self._who(child)), "good_practice")

    # -- finish ---------------------------------------------------------------------------------------

    def _finish(self) -> list[Happening]:
        """Keep the demo year, order by time (ties keep generation order), number the messages."""
        start, end = _utc(self.c.start, 0), _utc(self.c.end, 0)
        kept = sorted((h for h in self.out if start <= h.at < end), key=lambda h: h.at)
        n, out = 0, []
        for h in kept:
            if isinstance(h, MailArrived):
                n += 1
                h = replace(h, message_id=f"msg-{n:05d}")
            out.append(h)
        return out


def _decisions_subject(r: _Review) -> str:
    return f"Review decisions {r.child.case_ref} review {r.held.isoformat()}"


def _utc(day: date, minutes: int) -> datetime:
    """A local UK wall-clock time on `day` (GMT or BST), in UTC."""
    return datetime.combine(day, time(minutes // 60, minutes % 60), LONDON).astimezone(UTC)


def _same_time(day: date, like: datetime | None) -> datetime:
    local = (like or _utc(day, SLOTS[0])).astimezone(LONDON)
    return _utc(day, local.hour * 60 + local.minute)
