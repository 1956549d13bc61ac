"""Each recorded review decision, told to the person it names (000 standard 5), as the policy chooses.

The notice `decision_recorded` (policy `notifications.notices`) goes through the one delivery path
(function_app/notices/deliver.py): by default a line of the named person's next digest, in words, with an
"Answer" button that opens the decision's own card in Teams (Done, or Update with text); a council that
wants a card of its own per decision sets `owner: card`, and the card is the answer card itself. The IRO
sees the same card with Confirm / Reopen once it is done. The reaction to decision_recorded
(handlers/reactions.REACTIONS); once per decision and person (the notice's action key).
"""

from __future__ import annotations

from datetime import date

from function_app.notices.deliver import Notice, send
from function_app.notices.recipients import Roster
from function_app.notices.words import day, decision_words, person_role
from function_app.services import Services
from rules.errors import InputError
from rules.model import Fact

NOTICE = "decision_recorded"


def decision_recorded(f: Fact, svc: Services) -> None:
    if not f.data.get("decision_id") or f.data.get("withdrawn"):
        return
    from function_app.bot.answers import draw  # the card builders load only when a card is made
    from function_app.bot.views import load

    decision_id = str(f.data["decision_id"])
    try:
        q = load(svc, "decision", f.case_ref, decision_id)
    except InputError:
        return
    named = sorted(q.people.get("named", ()))
    if not named:
        return  # no roster person named: the record's read-back already reports it (standard 5)
    person = Roster.read(svc).person(named[0])
    due = date.fromisoformat(f.data["due"]) if f.data.get("due") else None
    n = Notice(NOTICE, f"decision:{f.case_ref}:{decision_id}", f.case_ref,
               "New decision for you: " + decision_words(f, decision_id) + (f"; due {day(due)}" if due else ""),
               due, person_role(person.display_name, person.role), svc.folders.folder_url(f.case_ref),
               ("decision", decision_id))
    send(svc, n, {"owner": [person]}, card=lambda p: draw(svc, q, p.email))
