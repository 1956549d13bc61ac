"""What each button on a card does: who may press it, what it needs, and the fact it records.

`answer(svc, bus, a)` is the whole invoke: it reads the question (views.load), refuses a person not entitled
or input that cannot be used (the refusal is shown in the card, with the reason), else sends the answer's
fact through the message bus (`CardAnswered`, handled in function_app/handlers/answers.py, so the reactions
follow as for any fact) and returns the refreshed card: who did what and when, and what this viewer may do
next. The verb `refresh` (Teams' automatic refresh for `refresh.userIds`) only draws the viewer's card.

The fact's key is `teams:<kind>:<case>:<subject>:<verb>:v<n>`, where n is the number of answers the card was
drawn at (the `v` in the button's data): a double click and Teams' retry of the same invoke carry the same
n, so they record one fact; an answer pressed on a card that has since changed is refused, with the card as
it now is. Facts hold references, the person's address, and the words they typed (as a decision's text is
held): never the child's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from function_app.bot.views import SUBJECT_FIELD, Question, decision_status, load
from function_app.messages import CardAnswered
from function_app.services import Services
from graph_clients.teams.answer_cards import REFRESH, Choice, Field, render
from graph_clients.teams.layout import fmt
from rules.errors import InputError
from rules.model import Fact, FactKind
from rules.roles import FORMAL_STAGES, NEXT_STAGE, RESPONDING_STAGES

# Cards built by graph_clients/teams/cards.py name their kind so; the bot answers them as these questions.
CARD_KINDS = {"decisions_issued": "decisions", "resolution_escalation": "resolution",
              "significant_change_prompt": "significant_change", "breach_alert": "breach"}
_NEXT = {"informal": FORMAL_STAGES[0], **NEXT_STAGE}  # rules/roles.py: the stages, once
_FORMAL = RESPONDING_STAGES


@dataclass(frozen=True)
class Answer:
    """One press of a button, as the invoke activity carries it."""

    verb: str
    kind: str
    case_ref: str
    subject: str
    version: int | None = None          # the `v` the card was drawn at (None: a card from cards.py)
    inputs: Mapping[str, str] = field(default_factory=dict)
    actor: str = ""                     # the presser's address (the roster's key); "" when unknown
    activity_id: str = ""

    @classmethod
    def from_invoke(cls, verb: str, data: Mapping[str, Any], actor: str, activity_id: str = "") -> Answer:
        kind = CARD_KINDS.get(str(data.get("kind", "")), str(data.get("kind", "")))
        v = data.get("v")
        inputs = {k: str(val) for k, val in data.items() if k not in ("kind", "case_ref", "subject", "v")}
        return cls(verb, kind, str(data.get("case_ref", "")), str(data.get("subject", "")),
                   int(v) if isinstance(v, int | str) and str(v).isdigit() else None, inputs, actor.lower(),
                   activity_id)


@dataclass(frozen=True)
class Outcome:
    card: dict[str, Any]
    fact: Fact | None = None
    refused: str = ""


@dataclass(frozen=True)
class Verb:
    kind: str
    role: str                                       # the hat it needs (views.Question.people)
    title: str
    record: Callable[[Question, Answer, Services], tuple[FactKind, dict[str, Any]]]
    inputs: Callable[[Question], tuple[Field, ...]] = lambda q: ()
    when: Callable[[Question], str] = lambda q: q.closed   # "" when it may be pressed now, else why not
    style: str = "default"


# --- the verbs -----------------------------------------------------------------------------------------
def _text(a: Answer, name: str, what: str) -> str:
    value = (a.inputs.get(name) or "").strip()
    if not value:
        raise InputError(f"{what} is empty", f"write {what.lower()} and send again", case_ref=a.case_ref)
    return value[:2000]


def _stage_open(q: Question) -> str:
    res = q.resolution
    if q.closed:
        return q.closed
    return "" if res and res.stage in _FORMAL else "The resolution is not at a formal stage."


def _can_escalate(q: Question) -> str:
    res = q.resolution
    if q.closed:
        return q.closed
    if res and res.stage == "ad_qa":
        return "The resolution is with the AD (QA) already: it cannot be escalated further."
    return ""


def _more_time(q: Question, a: Answer, svc: Services) -> tuple[FactKind, dict[str, Any]]:
    """A new response date for the stage: after today, on or before the policy's cap (views: `q.cap`, the cap
    clock's due date). The resolution clock then owes the response on it (rules/resolution_clocks.py)."""
    raw = _text(a, "until", "The date")
    try:
        until = date.fromisoformat(raw[:10])
    except ValueError:
        raise InputError("the date given is not a date", "pick the date from the calendar",
                         case_ref=a.case_ref) from None
    if until <= q.today:
        raise InputError(f"{fmt(until)} is not after today", "pick a later date", case_ref=a.case_ref)
    if q.cap and until > q.cap:
        raise InputError(f"{fmt(until)} is past the cap of {q.cap_words} ({fmt(q.cap)})",
                         f"pick a date on or before {fmt(q.cap)}, or ask the IRO to escalate", case_ref=a.case_ref)
    return FactKind.RESOLUTION_TIME_ASKED, {"stage": q.resolution.stage, "until": until.isoformat()}


def _escalate(reason: str) -> Callable[[Question, Answer, Services], tuple[FactKind, dict[str, Any]]]:
    def record(q: Question, a: Answer, svc: Services) -> tuple[FactKind, dict[str, Any]]:
        stage = q.resolution.stage
        return FactKind.RESOLUTION_ESCALATED, {"from_stage": stage, "to_stage": _NEXT[stage], "reason": reason}

    return record


def _decision_done(q: Question) -> str:
    return "" if decision_status(q).startswith("done") else "The decision is not marked done."


def _decision_open(q: Question) -> str:
    return "The decision is done already." if decision_status(q).startswith("done") else ""


def _reason_field(fid: str, label: str) -> Callable[[Question], tuple[Field, ...]]:
    return lambda q: (Field(fid, label),)


VERBS: dict[str, Verb] = {
    # decisions issued, to the TM (004 s3.1): accept, or dispute in writing within the window
    "accept": Verb("decisions", "tm", "Accept", lambda q, a, s: (FactKind.DECISIONS_ACCEPTED, {}), style="positive"),
    "dispute": Verb("decisions", "tm", "Dispute…",
                    lambda q, a, s: (FactKind.DECISIONS_DISPUTED, {"reason": _text(a, "reason", "The reason")}),
                    _reason_field("reason", "Why do you dispute the decisions?"), style="destructive"),
    # a resolution at a stage, to its owner (004 s5.1-5.2)
    "respond": Verb("resolution", "owner", "Respond…",
                    lambda q, a, s: (FactKind.RESOLUTION_RESPONDED,
                                     {"stage": q.resolution.stage, "text": _text(a, "response", "The response")}),
                    _reason_field("response", "Your response"), _stage_open),
    "more_time": Verb("resolution", "owner", "Ask for more time…", _more_time,
                      lambda q: (Field("until", "Respond by", "date", min=q.today.isoformat(),
                                       max=q.cap.isoformat() if q.cap else None),), _stage_open),
    # ... and to the IRO
    "resolved": Verb("resolution", "iro", "Resolved",
                     lambda q, a, s: (FactKind.RESOLUTION_RESOLVED, {"outcome": "resolved"}), style="positive"),
    "not_resolved": Verb("resolution", "iro", "Not resolved: escalate", _escalate("not_resolved"),
                         when=_can_escalate),
    "escalate_now": Verb("resolution", "iro", "Escalate now", _escalate("escalate_now"), when=_can_escalate,
                         style="destructive"),
    "good_practice": Verb("resolution", "iro", "Record good practice…",
                          lambda q, a, s: (FactKind.GOOD_PRACTICE, {"about": q.subject, "resolution_id": "",
                                                                    "text": _text(a, "practice", "The good practice")}),
                          _reason_field("practice", "What was good practice?"), lambda q: ""),
    # a significant change, to the IRO (000 standard 11)
    "convene_review": Verb("significant_change", "iro", "Convene an early review",
                           lambda q, a, s: (FactKind.EARLY_REVIEW_DECIDED, {"convene": True}), style="positive"),
    "no_review_needed": Verb("significant_change", "iro", "No review needed…",
                             lambda q, a, s: (FactKind.EARLY_REVIEW_DECIDED,
                                              {"convene": False, "reason": _text(a, "no_review_reason", "The reason")}),
                             _reason_field("no_review_reason", "Why is no review needed?")),
    # a decision, to its named person (000 standard 5); the IRO confirms or reopens it
    "done": Verb("decision", "named", "Done", lambda q, a, s: (FactKind.DECISION_DONE, {}), when=_decision_open,
                 style="positive"),
    "update": Verb("decision", "named", "Update…",
                   lambda q, a, s: (FactKind.DECISION_UPDATED, {"text": _text(a, "progress", "The update")}),
                   _reason_field("progress", "Progress so far"), _decision_open),
    "confirm": Verb("decision", "iro", "Confirm done", lambda q, a, s: (FactKind.DECISION_CONFIRMED, {}),
                    when=lambda q: _decision_done(q) or ("Confirmed already." if "confirmed" in decision_status(q)
                                                        else ""), style="positive"),
    "reopen": Verb("decision", "iro", "Reopen", lambda q, a, s: (FactKind.DECISION_REOPENED, {}), when=_decision_done),
    # a breach, to the IRO service manager
    "acknowledge": Verb("breach", "manager", "Acknowledge…",
                        lambda q, a, s: (FactKind.BREACH_ACKNOWLEDGED, {"note": (a.inputs.get("note") or "")[:2000]}),
                        lambda q: (Field("note", "Note (what is being done)", required=False),), lambda q: ""),
}
# Verbs on the cards cards.py builds, before the bot has drawn its own: they open the bot's card.
OPENERS = {"acknowledge", "record_response", "open"}  # "open": a digest line's Answer (teams/digest.py)


def choices(q: Question, email: str) -> list[Choice]:
    """What this person may press now."""
    roles = q.roles_of(email)
    return [Choice(name, v.title, v.inputs(q), v.style) for name, v in VERBS.items()
            if v.kind == q.kind and v.role in roles and not v.when(q)]


def answer(svc: Services, bus, a: Answer, user_ids: tuple[str, ...] = ()) -> Outcome:
    """Handle one press; the returned card replaces the one pressed (Universal Actions)."""
    try:
        q = load(svc, a.kind, a.case_ref, a.subject)
    except InputError as exc:
        return Outcome(_plain(f"This card cannot be answered: {exc.reason}. {exc.what_to_do}."), refused=exc.reason)
    verb = VERBS.get(a.verb)
    opening = a.verb == REFRESH or (a.version is None and a.verb in OPENERS and (not verb or verb.kind != q.kind))
    if opening:
        return Outcome(draw(svc, q, a.actor, user_ids))
    refusal = _refusal(svc, q, verb, a)
    if refusal:
        if verb is not None and verb.kind == q.kind and refusal in (_NOT_ON_ROSTER, _only(q, verb.role)):
            _problem(svc, bus, q, a, refusal, "if they should answer, add them to the roster or correct the "
                                              "child's team, IRO or named person; else nothing to do",
                     _who_kind(svc, q, a.actor))
        return Outcome(draw(svc, q, a.actor, user_ids, refusal, ok=False), refused=refusal)
    try:
        kind, data = verb.record(q, a, svc)
    except InputError as exc:
        reason = f"Not recorded: {exc.reason}. {exc.what_to_do[:1].upper()}{exc.what_to_do[1:]}."
        _problem(svc, bus, q, a, f"a Teams answer was refused: {exc.reason}", exc.what_to_do, verb.role)
        return Outcome(draw(svc, q, a.actor, user_ids, reason, ok=False), refused=exc.reason)
    fact = _fact(svc, q, a, kind, data)
    bus.handle(CardAnswered(fact))
    fresh = load(svc, a.kind, a.case_ref, a.subject)
    return Outcome(draw(svc, fresh, a.actor, user_ids, f"Recorded: {verb.title.rstrip('…')}."), fact=fact)


def draw(svc: Services, q: Question, email: str, user_ids: tuple[str, ...] = (), notice: str = "",
         ok: bool = True) -> dict[str, Any]:
    return render(q.view(svc, user_ids), choices(q, email), notice, ok)


_NOT_ON_ROSTER = "You are not on the IRO service's roster, so this card cannot take your answer."


def _only(q: Question, role: str) -> str:
    return f"Only {_hat(q, role)} can answer this card."


def _refusal(svc: Services, q: Question, verb: Verb | None, a: Answer) -> str:
    if verb is None or verb.kind != q.kind:
        return "The button pressed is not an answer to this card."
    if not a.actor or svc.store.person(a.actor) is None:
        return _NOT_ON_ROSTER
    if verb.role not in q.roles_of(a.actor):
        return _only(q, verb.role)
    if a.version is not None and a.version != q.version:
        return "This card changed since it was sent to you: here it is as it is now."
    return verb.when(q)


def _problem(svc: Services, bus, q: Question, a: Answer, reason: str, what_to_do: str, who: str) -> None:
    """A refusal, recorded as a problem the service sees (`iro problems`): references and kinds only, never
    what the person typed nor who they are (the same refusal again is the same open problem)."""
    from function_app.messages import Rejected

    bus.handle(Rejected("teams", reason, what_to_do, q.case_ref,
                        {"card": q.kind, "subject": q.subject, "verb": a.verb, "who": who}))


def _who_kind(svc: Services, q: Question, email: str) -> str:
    """What kind of person pressed: not on the roster, or their roster role (e.g. 'tm' of another team)."""
    person = svc.store.person(email) if email else None
    return "not on the roster" if person is None else f"{person.role or 'staff'}, not entitled to this card"


def _hat(q: Question, role: str) -> str:
    names = {"tm": "the child's team manager", "owner": "the person who must respond at this stage",
             "iro": "the child's IRO", "named": "the person the decision names", "manager": "the IRO service manager"}
    return names[role]


def _fact(svc: Services, q: Question, a: Answer, kind: FactKind, data: dict[str, Any]) -> Fact:
    key = f"teams:{q.kind}:{q.case_ref}:{q.subject}:{a.verb}:v{q.version}"
    subject_field = SUBJECT_FIELD[q.kind]
    base = {subject_field: q.subject} if subject_field not in data or data[subject_field] == "" else {}
    if kind == FactKind.GOOD_PRACTICE:
        base = {}
    payload = {**base, **data, "by": a.actor, "at": svc.now().isoformat(), "via": "teams",
               "activity_id": a.activity_id}
    if q.kind == "resolution" and kind != FactKind.GOOD_PRACTICE:
        payload["resolution_id"] = q.subject
    return Fact(kind, q.case_ref, svc.today(), key, payload)


def _plain(text: str) -> dict[str, Any]:
    from graph_clients.teams.layout import VERSION

    return {"type": "AdaptiveCard", "version": VERSION, "body": [{"type": "TextBlock", "text": text, "wrap": True,
                                                                   "color": "Attention"}]}


__all__ = ["Answer", "Outcome", "VERBS", "answer", "choices", "draw"]
