"""An answer given on a Teams card becomes a fact like any other (the bot built it: function_app/bot/answers.py).

Recording is idempotent by the fact's key, so Teams retrying an invoke, or a double click, records one fact;
the reactions (the dispute notice to the IRO and attendees, the resolution entry, the next stage's card) follow
from FactRecorded as they do for facts from Outlook.
"""

from __future__ import annotations

from function_app.bus import uses
from function_app.messages import CardAnswered, FactRecorded
from function_app.services import Services


@uses("store")
def on_card_answered(msg: CardAnswered, svc: Services) -> list[FactRecorded]:
    return [FactRecorded(msg.fact, svc.store.record(msg.fact))]
