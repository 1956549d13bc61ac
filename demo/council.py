"""A synthetic council for `make demo`: people, two teams, 60 looked-after children, and their history.

Everything here is invented and deterministic: `make_council(seed)` draws only from a `random.Random(seed)`
it creates, reads no clock and does no I/O, so the same seed always gives the same council. There are no
children's names anywhere (the model has no field for one); cards show two invented initials per case
(`display_initials`), as the policy's `cards.show: initials` asks.

The shape follows docs/domain.md s1 and s6: 3 IROs (one part-time, for the pro-rata caseload band of 002
Handbook 7.15), 2 social-work teams each with a TM, 3-4 social workers and a link IRO (000 standard 14),
one head of service over both, a service director, the Assistant Director (QA) and the IRO service manager
(004 s3, s5.3). `prior_reviews` is the review history before the demo year, held on time by the statutory
cycle (reg 33; docs/domain.md s2), so the replay can seed it and the demo year's clocks start from real dates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rules.calendar import WorkingCalendar
from rules.errors import InputError
from rules.model import Child, Person, Team

DOMAIN = "council.example"
SERVICE_MAILBOX = f"iro.service@{DOMAIN}"
MIN_CHILDREN = 24  # below this the world cannot place its disputes, transfers and early reviews

# Plainly invented staff names (no child has a name in this project, invented or not).
FIRST_NAMES = (
    "Ada", "Ben", "Cara", "Dev", "Elin", "Fay", "Gus", "Hana", "Ivo", "Jude", "Kit", "Lena", "Milo", "Nia",
    "Omar", "Pia", "Rhys", "Sana", "Tam", "Uma", "Vik", "Wren",
)
SURNAMES = (
    "Khan", "Quillfeather", "Brightwater", "Hollowell", "Marrowby", "Thistlewood", "Fennimore", "Oakhurst",
    "Penhallow", "Rookwood", "Sallowmere", "Wickerby", "Yarrowdale", "Larkspur", "Okonedo", "Vantongeren",
    "Ashcombe", "Briarfield", "Copperthwaite", "Dunmere",
)
EMAIL_PREFIX = {
    "iro": "iro", "sw": "sw", "tm": "tm", "hos": "hos", "service_director": "sd", "ad_qa": "adqa",
    "iro_manager": "iromgr",
}
IRO_FTE = (1.0, 1.0, 0.8)
TEAM_NAMES = {"T1": "Children in Care Team North", "T2": "Children in Care Team South"}
INITIALS = "ABCDEFGHJKLMNPRSTVWY"  # no I/O/Q: they read as digits on a card

# SSDA903 legal status codes (a sample): C1 interim care order (care proceedings under way), C2 full care
# order, E1 placement order, V2 single period of accommodation under s20, J2 remanded to local authority
# accommodation.
RECENT_STATUS = (("C1", 5), ("V2", 4), ("J2", 1))
SETTLED_STATUS = (("C2", 12), ("E1", 3), ("V2", 5))


@lru_cache(maxsize=8)
def calendar_for(year: int) -> WorkingCalendar:
    """England's working days around a demo year (bank holidays only: the demo council has no closures)."""
    return WorkingCalendar(closures=(), first_year=year - 9, last_year=year + 3)


def held_on_time(cal: WorkingCalendar, due: date, days_before: int) -> date:
    """A review date a few days before `due`: the working day on or before due - days_before."""
    d = due - timedelta(days=days_before)
    while not cal.is_working_day(d):
        d -= timedelta(days=1)
    return d


def next_due(cal: WorkingCalendar, looked_after_since: date, held: tuple[date, ...]) -> date:
    """The statutory due date of the next review (reg 33; docs/domain.md s2; start day is day 0).

    1st: 20 working days after becoming looked after; 2nd: 3 months after the 1st; later: 6 months after
    the previous review (an early review restarts the count, so `held` is every review actually held).
    """
    if not held:
        return cal.add_working_days(looked_after_since, 20)
    return cal.add_months(held[-1], 3 if len(held) == 1 else 6)


@dataclass(frozen=True)
class Council:
    seed: int
    start: date
    end: date
    people: tuple[Person, ...]
    teams: tuple[Team, ...]
    children: tuple[Child, ...]
    display_initials: dict[str, str]
    prior_reviews: dict[str, tuple[date, ...]]  # case_ref -> reviews held before `start`, oldest first
    service_mailbox: str = SERVICE_MAILBOX
    _index: dict[str, Person] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({p.email: p for p in self.people})

    def person(self, email: str) -> Person:
        try:
            return self._index[email]
        except KeyError:
            raise InputError(f"{email} is not a member of the demo council", "use an address from people") from None

    def by_role(self, role: str) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role == role)

    def one(self, role: str) -> Person:
        return self.by_role(role)[0]

    def team(self, team_id: str) -> Team:
        return next(t for t in self.teams if t.team_id == team_id)

    def child(self, case_ref: str) -> Child:
        return next(c for c in self.children if c.case_ref == case_ref)

    def team_sws(self, team_id: str) -> tuple[str, ...]:
        """The social workers of a team, in a stable order (their children name them as `sw`)."""
        return tuple(sorted({c.sw for c in self.children if c.team == team_id}))


def make_council(seed: int = 7, children: int = 60, start: date = date(2025, 1, 6)) -> Council:
    if children < MIN_CHILDREN:
        raise InputError(
            f"a demo council needs at least {MIN_CHILDREN} children, not {children}",
            f"pass children >= {MIN_CHILDREN} (the issue asks for 60)",
        )
    rng = random.Random(seed)
    cal = calendar_for(start.year)
    people, teams, sws = _people_and_teams(rng)
    histories = _histories(rng, cal, children, start)
    roster, prior = _children(rng, histories, start, people, teams, sws)
    initials = {c.case_ref: rng.choice(INITIALS) + rng.choice(INITIALS) for c in roster}
    return Council(
        seed=seed, start=start, end=cal.add_months(start, 12), people=people, teams=teams,
        children=roster, display_initials=initials, prior_reviews=prior,
    )


def _people_and_teams(rng: random.Random) -> tuple[tuple[Person, ...], tuple[Team, ...], dict[str, list[str]]]:
    sw_counts = {"T1": 3, "T2": 4}
    roles = ["iro"] * len(IRO_FTE) + ["tm", "tm"] + ["sw"] * sum(sw_counts.values())
    roles += ["hos", "service_director", "ad_qa", "iro_manager"]
    names = zip(rng.sample(FIRST_NAMES, len(roles)), rng.sample(SURNAMES, len(roles)), strict=True)
    people = []
    for n, (role, (first, last)) in enumerate(zip(roles, names, strict=True)):
        email = f"{EMAIL_PREFIX[role]}.{first.lower()}.{last.lower()}@{DOMAIN}"
        phone = f"01632 960{200 + n:03d}"  # Ofcom's drama range: documents give staff's numbers (000 standard 3)
        people.append(Person(email=email, display_name=f"{first} {last}", role=role, phone=phone))
    iros = [p for p in people if p.role == "iro"]
    people = [Person(p.email, p.display_name, p.role, IRO_FTE[iros.index(p)], p.phone) if p.role == "iro" else p
              for p in people]
    iros = [p.email for p in people if p.role == "iro"]
    tms = [p.email for p in people if p.role == "tm"]
    sw_pool = [p.email for p in people if p.role == "sw"]
    hos = next(p.email for p in people if p.role == "hos")
    sws = {"T1": sw_pool[: sw_counts["T1"]], "T2": sw_pool[sw_counts["T1"]:]}
    teams = tuple(
        Team(team_id=tid, name=TEAM_NAMES[tid], tm=tms[i], hos=hos, link_iro=iros[i], channel=f"team-{tid}")
        for i, tid in enumerate(("T1", "T2"))
    )
    return tuple(people), teams, sws


def _histories(
    rng: random.Random, cal: WorkingCalendar, n: int, start: date,
) -> list[tuple[date, tuple[date, ...]]]:
    """When each child became looked after: a quarter start in the demo year (first reviews in the demo),
    a few shortly before it (second reviews in the demo), the rest years before (on the 6-monthly cycle).
    Every date is redrawn until the child's next review is due at least 4 weeks into the year, so that the
    IRO has time to book it inside the demo."""
    n_new = round(n / 4)
    n_recent = max(1, round((n - n_new) / 9))
    spans = [(0, 270)] * n_new + [(-150, -25)] * n_recent + [(-2500, -150)] * (n - n_new - n_recent)
    out = []
    for lo, hi in spans:
        while True:
            since = start + timedelta(days=rng.randint(lo, hi))
            held, due = _history(rng, cal, since, start)
            if due >= start + timedelta(days=28):
                out.append((since, held))
                break
    return sorted(out)


def _history(rng: random.Random, cal: WorkingCalendar, las: date, start: date) -> tuple[tuple[date, ...], date]:
    """Reviews held on time before `start` and the due date of the first review after it."""
    held: tuple[date, ...] = ()
    while True:
        due = next_due(cal, las, held)
        review = held_on_time(cal, due, rng.randint(2, 10))
        if review >= start or las >= start:
            return held, due
        held += (review,)


def _children(
    rng: random.Random, histories: list[tuple[date, tuple[date, ...]]], start: date,
    people: tuple[Person, ...], teams: tuple[Team, ...], sws: dict[str, list[str]],
) -> tuple[tuple[Child, ...], dict[str, tuple[date, ...]]]:
    n = len(histories)
    iros = [p for p in people if p.role == "iro"]
    quota = [round(n * p.fte / sum(i.fte for i in iros)) for p in iros]
    quota[0] += n - sum(quota)
    iro_of = [p.email for p, q in zip(iros, quota, strict=True) for _ in range(q)]
    team_of = [teams[i % 2] for i in range(n)]
    rng.shuffle(iro_of)
    rng.shuffle(team_of)
    next_sw = {t.team_id: 0 for t in teams}
    roster, prior = [], {}
    # at least two children in care proceedings early in the demo year, so the world can stage a Cafcass
    # referral (004 s5.3) on a live case
    court = [i for i, (since, _) in enumerate(histories) if since >= start][:2]
    for i, (since, held) in enumerate(histories):
        ref = f"CLA-{100001 + i}"
        team = team_of[i]
        sw = sws[team.team_id][next_sw[team.team_id] % len(sws[team.team_id])]
        next_sw[team.team_id] += 1
        recent = since >= start - timedelta(days=365)
        status = "C1" if i in court else _weighted(rng, RECENT_STATUS if recent else SETTLED_STATUS)
        roster.append(Child(
            case_ref=ref, looked_after_since=since, legal_status=status, iro=iro_of[i], sw=sw, tm=team.tm,
            team=team.team_id, case_folder=f"Children/{ref}", in_proceedings=status == "C1",
        ))
        prior[ref] = held
    return tuple(roster), prior


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    codes, weights = zip(*table, strict=True)
    return rng.choices(codes, weights=weights)[0]
