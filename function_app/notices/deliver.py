"""One notice, one channel per person: the policy's `notifications.notices` chooses card, email or digest.

`send` is the only way a notice leaves the app. For each person the notice's audience stands for it picks
one channel (a person in two audiences gets the stronger one: card, then email, then digest), and does it
once per person (the action key is the notice's key, the channel and the person). A digest line waits in
the store (`digest-notes:<email>`) until the person's next daily digest (notices/digests.py). A channel the
notice has no builder for falls back to the next one, so a policy can never make a notice vanish.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date

from function_app.once import effect, once
from function_app.services import Services
from graph_clients.ports import CardRoute, OutgoingMail
from rules.citations import for_staff
from rules.model import Person

STRENGTH = ("card", "email", "digest")
log = logging.getLogger("iro.notices")
NOTED = "digest-noted"  # state: the people with digest lines waiting (so they get a digest with no deadline)


@dataclass(frozen=True)
class Notice:
    """What one notice says, in words, whatever its channel."""

    kind: str               # the policy's notice kind (notifications.notices)
    key: str                # what it is about (a fact's or deadline's key): with the person, its action key
    case_ref: str           # a case reference, or a team id for team notices
    what: str               # one line in words, e.g. "Resolution R-1 at stage 2: Head of Service"
    by: date | None = None  # when the person must act by, if anything
    who: str = ""           # who must act, "Ada Khan, IRO"
    link: str = ""          # the document or case folder
    answer: tuple[str, str] = ()  # (card kind, subject) a digest line opens in the bot to answer (Teams)


def channels(svc: Services, kind: str, people: Mapping[str, Sequence[Person]]) -> dict[str, tuple[Person, str]]:
    """email -> (person, channel) for everyone the notice reaches under the policy."""
    chosen: dict[str, tuple[Person, str]] = {}
    for who, channel in svc.policy.notifications.channels(kind).items():
        for p in people.get(who, ()):
            key = p.email.lower()
            if key not in chosen or STRENGTH.index(channel) < STRENGTH.index(chosen[key][1]):
                chosen[key] = (p, channel)
    return chosen


def send(svc: Services, notice: Notice, people: Mapping[str, Sequence[Person]], *,
         card: Callable[[Person], dict] | None = None,
         mail: Callable[[Person], OutgoingMail] | None = None) -> dict:
    """Deliver `notice` to each person on their one channel; returns who got it how."""
    done: dict[str, list[str]] = {"card": [], "email": [], "digest": []}
    failure: Exception | None = None
    for email, (person, channel) in sorted(channels(svc, notice.kind, people).items()):
        if channel == "card" and card is None:
            channel = "email" if mail is not None else "digest"
        if channel == "email" and mail is None:
            channel = "digest"
        key = f"{notice.key}:{notice.kind}:{channel}:{email}"
        try:  # isolated: one failing person neither stops the others nor is lost (their action is retried)
            if channel == "card":
                once(svc, key, "card", notice.case_ref, lambda p=person: post(svc, p, card(p), notice.kind))
            elif channel == "email":
                once(svc, key, "mail", notice.case_ref, lambda p=person: send_mail(svc, mail(p)))
            else:
                once(svc, key, "digest_note", notice.case_ref, lambda e=email: note(svc, e, notice))
        except Exception as exc:
            log.warning("notice %s for case %s: one recipient failed (%s)", notice.kind, notice.case_ref or "-",
                        type(exc).__name__)
            failure = failure or exc
            continue
        done[channel].append(email)
    if failure is not None:
        raise failure  # after everyone else: the message is redelivered and only those still owed are sent to
    return {k: v for k, v in done.items() if v}


def post(svc: Services, to: Person, card: dict, kind: str) -> dict:
    """A card to a person in Teams, its citations in the council's titles; journalled to the running action."""
    from graph_clients.teams.layout import cite_with, stamp

    effect(svc.teams, "post", CardRoute(person=to.email), stamp(cite_with(card, lambda c: for_staff(svc.policy, c)),
                                                                 kind))
    return {"to": to.email}


def send_mail(svc: Services, message: OutgoingMail) -> dict:
    """An email from the service mailbox; journalled to the running action (its id makes a resend findable)."""
    effect(svc.mail, "send", message)
    return {"to": list(message.to)}


# --- digest lines waiting for the person's next digest ---------------------------------------------------
def _notes_key(email: str) -> str:
    return f"digest-notes:{email.lower()}"


def note(svc: Services, email: str, notice: Notice) -> dict:
    pending = pending_notes(svc, email)
    row = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(notice).items()}
    pending.append({**row, "on": svc.today().isoformat()})
    svc.store.set_state(_notes_key(email), json.dumps(pending))
    raw = svc.store.get_state(NOTED)
    noted = set(json.loads(raw) if raw else []) | {email.lower()}
    svc.store.set_state(NOTED, json.dumps(sorted(noted)))
    return {"to": email, "digest": True}


def pending_notes(svc: Services, email: str) -> list[dict]:
    raw = svc.store.get_state(_notes_key(email))
    return json.loads(raw) if raw else []


def clear_notes(svc: Services, email: str, sent: int) -> None:
    """Drop the first `sent` notes (those the digest just carried; any added since stay)."""
    left = pending_notes(svc, email)[sent:]
    svc.store.set_state(_notes_key(email), json.dumps(left) if left else "")
