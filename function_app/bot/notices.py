"""Cards the bot adds: each recorded review decision, to the person it names (000 standard 5).

The named person answers on the card (Done, or Update with text) instead of being only reminded by email;
the IRO sees the same card with Confirm / Reopen once it is done. Registered beside reactions.on_fact for
FactRecorded (bootstrap), and sent once per decision (function_app/once.py). The delivery port decides the
route: the bot's 1:1 chat when the person has the app, else the Workflows chat flow (link only).
"""

from __future__ import annotations

from function_app.messages import FactRecorded
from function_app.once import once
from function_app.services import Services
from graph_clients.ports import CardRoute
from rules.errors import InputError
from rules.model import FactKind


def on_fact(msg: FactRecorded, svc: Services) -> None:
    f = msg.fact
    if f.kind != FactKind.DECISION_RECORDED or not f.data.get("decision_id"):
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

    def send() -> dict:
        svc.teams.post(CardRoute(person=named[0]), draw(svc, q, named[0]))
        return {"to": named[0]}

    once(svc, f"decision-card:{f.case_ref}:{decision_id}", "card", f.case_ref, send)
