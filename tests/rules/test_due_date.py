"""rules.clocks.due_date: a deadline stated before its clock exists is the date the clocks will give it."""

from __future__ import annotations

from rules.clocks import deadlines, due_date
from rules.model import FactKind
from tests.rules.conftest import d, fact


def test_the_dispute_date_stated_in_advance_is_the_one_the_clock_gives(policy, cal):
    sent = d("2026-01-29")  # a Thursday: 5 working days later is Thursday 5 February
    assert due_date(policy, cal, "tm_dispute_window", sent) == d("2026-02-05")
    facts = [fact(FactKind.BECAME_LOOKED_AFTER, "2026-01-05"), fact(FactKind.REVIEW_HELD, "2026-01-28"),
             fact(FactKind.DECISIONS_SENT, "2026-01-29", review_date="2026-01-28")]
    [window] = [x for x in deadlines("CLA-100234", facts, policy, cal, sent) if x.clock == "tm_dispute_window"]
    assert window.due == due_date(policy, cal, "tm_dispute_window", sent)


def test_months_clocks_count_months(policy, cal):
    assert due_date(policy, cal, "later_review", d("2026-04-20")) == d("2026-10-20")
