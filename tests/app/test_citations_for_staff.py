"""Citations reach people as the council's document titles and sections (rules/citations.for_staff), never as
this repository's numbering ("000 standard 10", "004 s5.2") (issue 11): on the cards and emails the app sends."""

from __future__ import annotations

import json
from datetime import date

from function_app.messages import FactRecorded
from rules.citations import for_staff
from rules.model import Fact, FactKind
from tests.app.world import CASE, IRO, MANAGER, World
from tests.support.seeds import seed_citations


def _sent(world: World) -> dict[str, str]:
    out = {f"card {i}": json.dumps(card) for i, (_, card) in enumerate(world.teams.posted)}
    out |= {f"mail {i}: {m.subject}": f"{m.subject}\n{m.body_html}" for i, m in enumerate(world.svc.mail.sent)}
    return out


def test_cards_and_mails_cite_the_councils_titles(world: World):
    world.channels("cafcass_prompt", iro="card", cafcass_discuss_with="email")
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 9 stage 3", "Drift in permanency planning.")
    fact = Fact(FactKind.RESOLUTION_ESCALATED, CASE, date(2026, 3, 20), "esc-1",
                {"resolution_id": f"R-{CASE}-1", "to_stage": "ad_qa"})
    world.bus.handle(FactRecorded(fact, world.svc.store.record(fact)))
    sent = _sent(world)
    assert any(k.startswith("card") for k in sent) and any(k.startswith("mail") for k in sent)
    assert any(MANAGER in m.to and "Cafcass" in m.subject for m in world.svc.mail.sent)
    assert {k: found for k, v in sent.items() if (found := seed_citations(v))} == {}
    assert "IRO Dispute Resolution Policy and Procedure" in "".join(sent.values())


def test_for_staff_names_the_document_and_section(world: World):
    policy = world.svc.policy
    assert for_staff(policy, "004 s5.2") == "IRO Dispute Resolution Policy and Procedure, section 5.2"
    assert for_staff(policy, "000 standard 10") == "IRO Practice Standards, standard 10"
    assert seed_citations(for_staff(policy, "004 s5.3; Handbook 6.3; 004 App. 1")) == []


def test_cards_the_bot_draws_cite_the_councils_titles(world: World):
    from function_app.bot import views

    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 9 stage 1", "Drift in permanency planning.")
    view = views.load(world.svc, "resolution", CASE, f"R-{CASE}-1").view(world.svc)
    assert view.source and seed_citations(view.source) == []
    assert "IRO Dispute Resolution Policy and Procedure" in view.source
