"""The channel digest: what is overdue and what is due soon, grouped by IRO, most urgent first.

The sweep chooses the items (it owns the working-day calendar: "due in the next N working days"
and overdue) and this module lays them out. Met and missed deadlines are left out: nothing is left
to do on them. Teams refuses a message over about 28 KB, so the digest shows the most urgent items
that fit (at most `max_items`, fewer when the text is long) and ends with "and M more" and a link
to the full list: a 200-item digest stays one readable card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from adaptive_cards import card as ac

from graph_clients.teams import actions, envelope, layout
from graph_clients.teams.layout import clock_label, fmt, person_label
from graph_clients.teams.privacy import Privacy
from rules.errors import InputError
from rules.model import Deadline, Person, Status
from rules.roles import role_label

KIND = "digest"
OPEN = "open"  # the verb a digest line's "Answer" button sends: function_app/bot/answers.py OPENERS


@dataclass(frozen=True)
class DigestItem:
    """One deadline on the digest, with what the card needs beyond the deadline itself."""

    deadline: Deadline
    iro: str = ""                          # the IRO's UPN: the digest groups by it
    link: str = ""                         # document or case folder (Action.OpenUrl on the case cell)
    display_initials: str | None = None    # from the caller; shown when the policy allows
    full_name: str | None = None           # shown only when the policy says full_name
    what: str = ""                         # what is due; default: the clock id made readable
    actor: str = ""                        # who must act; default: the deadline's owner role


@dataclass(frozen=True)
class DigestLinks:
    full_list: str                         # the complete list (e.g. the SharePoint tracker view)


def digest(
    title: str,
    items: Sequence[DigestItem],
    today: date,
    horizon_days: int,
    privacy: Privacy = Privacy(),
    links: DigestLinks | None = None,
    people: Mapping[str, Person] | None = None,
    max_items: int = 40,
    budget_bytes: int = envelope.CARD_BUDGET_BYTES,
) -> dict[str, Any]:
    """The digest card for a team's or the IRO service's channel.

    `people` (UPN -> Person) names the IRO groups; `max_items` caps the rows shown; the card is also
    cut until its whole message is within `budget_bytes`.
    """
    if links is None or not links.full_list:
        raise InputError("a digest needs a link to the full list", "pass DigestLinks(full_list=<tracker URL>)")
    todo = sorted((i for i in items if _actionable(i.deadline)), key=_urgency)
    shown = min(max_items, len(todo))
    while True:
        card = _build(title, todo, shown, today, horizon_days, privacy, links, people or {})
        if shown == 0 or envelope.size(card) <= budget_bytes:
            return card
        shown -= max(1, shown // 5)


def _actionable(deadline: Deadline) -> bool:
    return deadline.status in (Status.OPEN, Status.OVERDUE)


def _urgency(item: DigestItem) -> tuple[date, str, str]:
    return (item.deadline.due, item.deadline.case_ref, item.deadline.clock)


def _build(
    title: str,
    todo: Sequence[DigestItem],
    shown: int,
    today: date,
    horizon_days: int,
    privacy: Privacy,
    links: DigestLinks,
    people: Mapping[str, Person],
) -> dict[str, Any]:
    overdue = sum(1 for i in todo if i.deadline.due < today)
    upcoming = len(todo) - overdue
    summary = f"{overdue} overdue, {upcoming} due in the next {horizon_days} working days, as of {fmt(today)}"
    body: list[Any] = [layout.header(KIND, title, summary, "attention" if overdue else "accent")]
    if not todo:
        body.append(ac.TextBlock(text="Nothing is due or overdue.", wrap=True))
    for n, (iro, group) in enumerate(_groups(todo[:shown])):
        body += _group(iro, group, todo, today, privacy, people, separator=n > 0)
    hidden = len(todo) - shown
    if hidden:
        body.append(
            ac.TextBlock(
                text=f"…and {hidden} more, less urgent. Open the full list to see them all.",
                wrap=True,
                weight="bolder",
                spacing="medium",
            )
        )
    fallback = f"{title}: {summary}"
    return layout.card(fallback, body, [actions.link("Open the full list", links.full_list)])


def _groups(items: Sequence[DigestItem]) -> list[tuple[str, list[DigestItem]]]:
    """Items by IRO; groups in order of their most urgent item (items arrive sorted)."""
    groups: dict[str, list[DigestItem]] = {}
    for item in items:
        groups.setdefault(item.iro, []).append(item)
    return list(groups.items())


def _group(
    iro: str,
    shown: list[DigestItem],
    todo: Sequence[DigestItem],
    today: date,
    privacy: Privacy,
    people: Mapping[str, Person],
    separator: bool,
) -> list[Any]:
    everyone = [i for i in todo if i.iro == iro]
    late = sum(1 for i in everyone if i.deadline.due < today)
    name = person_label(people.get(iro) or Person(email=iro)) if iro else "No IRO allocated"
    count = f"{len(everyone)} items, {late} overdue" + (f"; {len(shown)} shown" if len(shown) < len(everyone) else "")
    heading = ac.TextBlock(
        text=f"IRO: {name} ({count})", weight="bolder", wrap=True, separator=separator or None, spacing="large"
    )
    header = ac.TableRow(cells=[_cell(t, weight="bolder") for t in ("Case", "What", "Due", "Who acts")])
    rows = [header] + [_row(i, today, privacy) for i in shown]
    columns = [ac.TableColumnDefinition(width=w) for w in (3, 4, 3, 2)]
    return [heading, ac.Table(columns=columns, rows=rows, first_row_as_header=True, show_grid_lines=False)]


def _row(item: DigestItem, today: date, privacy: Privacy) -> ac.TableRow:
    d = item.deadline
    late = d.due < today
    due = f"{d.due.day} {d.due:%b}" + (f", {(today - d.due).days}d late" if late else "")
    case = _cell(privacy.child_label(d.case_ref, item.display_initials, item.full_name))
    if item.link:
        case.select_action = actions.link(f"Open {d.case_ref}", item.link)
    return ac.TableRow(
        cells=[
            case,
            _cell(item.what or clock_label(d.clock)),
            _cell(due, color="attention" if late else None, weight="bolder" if late else None),
            _cell(item.actor or role_label(d.owner_role) or "not recorded"),
        ]
    )


def _cell(text: str, **style: Any) -> ac.TableCell:
    style = {k: v for k, v in style.items() if v is not None}
    return ac.TableCell(items=[ac.TextBlock(text=text, wrap=True, **style)])


# --- the personal daily digest (docs/notifications.md) ---------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One line of a person's digest: a case, what, by when, who must act (all in words)."""

    case_ref: str
    what: str
    due: date | None = None
    who: str = ""                          # "Ada Khan, IRO": whose deadline it is, and in what role
    link: str = ""
    display_initials: str | None = None
    ident: str = ""                        # layout.item_id of the deadline (read back by the outbox index)
    answer: tuple[str, str] = ()           # (card kind, subject): the bot opens that item's answer card


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]
    late_style: bool = False               # overdue sections show "N days late" in the attention colour


def personal(
    person: Person,
    sections: Sequence[Section],
    today: date,
    links: DigestLinks,
    privacy: Privacy = Privacy(),
    summarised: int = 0,
    summarised_after: int = 0,
    max_lines: int = 40,
    budget_bytes: int = envelope.CARD_BUDGET_BYTES,
) -> dict[str, Any]:
    """One person's digest: their sections in order (needs you, overdue, news), most urgent first, within
    Teams' size limit; `summarised` items overdue longer than `summarised_after` working days are a count
    and a link, never rows."""
    if not links.full_list:
        raise InputError("a digest needs a link to the full list", "pass DigestLinks(full_list=<tracker URL>)")
    shown = max_lines
    while True:
        card = _personal(person, sections, today, links, privacy, summarised, summarised_after, shown)
        if shown == 0 or envelope.size(card) <= budget_bytes:
            return card
        shown -= max(1, shown // 5)


def _personal(person, sections, today, links, privacy, summarised, after, shown) -> dict[str, Any]:
    counts = ", ".join(f"{len(s.lines)} {s.title.lower()}" for s in sections if s.lines)
    summary = f"For {person_label(person)}, {fmt(today)}" + (f": {counts}" if counts else "")
    late = any(s.late_style and s.lines for s in sections)
    body: list[Any] = [layout.header(KIND, "Your IRO digest", summary, "attention" if late else "accent")]
    left = shown
    for s in sections:
        if not s.lines:
            continue
        lines = sorted(s.lines, key=lambda x: (x.due or today, x.case_ref))
        body.append(ac.TextBlock(text=s.title, weight="bolder", wrap=True, spacing="large", separator=True))
        header = ac.TableRow(cells=[_cell(t, weight="bolder") for t in ("Case", "What", "By", "Who acts")])
        rows = [header] + [_line(x, today, privacy, s.late_style) for x in lines[:max(left, 0)]]
        body.append(ac.Table(columns=[ac.TableColumnDefinition(width=w) for w in (3, 6, 2, 3)], rows=rows,
                             first_row_as_header=True, show_grid_lines=False))
        if len(lines) > left:
            body.append(ac.TextBlock(text=f"…and {len(lines) - max(left, 0)} more in the full list.", wrap=True))
        left -= len(lines)
    if summarised:
        body.append(ac.TextBlock(text=f"{summarised} item{'s' if summarised != 1 else ''} overdue for more than "
                                      f"{after} working days: see the full list.", wrap=True, weight="bolder",
                                 spacing="medium"))
    if len(body) == 1:
        body.append(ac.TextBlock(text="Nothing is due or overdue for you.", wrap=True))
    return layout.card(f"Your IRO digest: {summary}", body, [actions.link("Open the full list", links.full_list)])


def _line(x: Line, today: date, privacy: Privacy, late_style: bool) -> ac.TableRow:
    late = bool(x.due and x.due < today)
    if x.due is None:
        due = "-"
    elif late:
        days = (today - x.due).days
        due = f"{x.due.day} {x.due:%b}, {days} day{'s' if days != 1 else ''} late"
    else:
        due = f"{x.due.day} {x.due:%b}" + (" (today)" if x.due == today else "")
    # a line about no one child (the week's escalations) names the service instead of a case
    case = _cell(privacy.child_label(x.case_ref, x.display_initials) if x.case_ref else "All cases")
    if x.ident:
        case.items[0].id = x.ident
    if x.link:
        case.select_action = actions.link(f"Open {x.case_ref}", x.link)
    what = _cell(x.what)
    if x.answer:  # the bot's route only (for_workflows drops it): opens the item's own card to answer it
        kind, subject = x.answer
        what.items.append(ac.ActionSet(actions=[ac.ActionExecute(
            id=f"open-{kind}-{x.case_ref}-{subject}", verb=OPEN, title="Answer",
            data={"kind": kind, "case_ref": x.case_ref, "subject": subject})]))
    return ac.TableRow(cells=[case, what, _cell(due, color="attention" if late and late_style else None,
                                                          weight="bolder" if late else None), _cell(x.who or "-")])
