"""`make demo` in the test suite, at the smallest council: the year replayed through the real webhook and
handlers on the embedded default, and its outputs checked as a person would open them."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date

import pytest

from demo import replay
from demo.summary import summarise, write_html
from graph_clients.teams import envelope
from rules.model import FactKind
from tests.teams.teams_samples import schema_validator


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = replay.run(out, seed=7, children=60)  # the demo's own council: the goals are about its year
    result.svc.teams.write_page()
    summary = summarise(result, out)
    write_html(summary, result, out)
    yield result, out, summary
    result.svc.store.close()


def test_every_document_opens_in_word_terms(year):
    from docx import Document

    _, out, summary = year
    files = sorted((out / "case-folders").rglob("*.docx"))
    kinds = {p.name.split("_")[1] for p in files}
    assert {"review-record", "review-decisions", "child-decisions", "consultation-form", "midway-oversight",
            "resolution-entry", "introduction-letter", "link-meeting-agenda"} <= kinds
    for path in files[:: max(1, len(files) // 40)]:  # a spread of them: python-docx opens each
        assert Document(io.BytesIO(path.read_bytes())).paragraphs
    assert all(p.name.startswith(("CLA-", "T1_", "T2_")) for p in files)  # refs and team ids, never names


def test_every_card_is_valid_for_teams(year):
    _, out, _ = year
    validator = schema_validator()
    cards = sorted((out / "teams-outbox").glob("[0-9]*.json"))
    assert cards
    for path in cards:
        card = json.loads(path.read_text())
        errors = [e.message for e in validator.iter_errors(card)]
        assert errors == [], (path.name, errors[:3])
        assert envelope.size(card) <= envelope.MESSAGE_LIMIT_BYTES
    assert (out / "teams-outbox" / "index.html").is_file()


def test_link_meetings_every_two_months(year):
    result, out, _ = year
    for team in result.svc.store.teams():
        held = sorted(f.on for f in result.svc.store.facts(team.team_id, [FactKind.LINK_MEETING_HELD]))
        gaps = [(b - a).days for a, b in zip(held, held[1:], strict=False)]
        assert len(held) >= 5 and all(40 <= g <= 70 for g in gaps), (team.team_id, held)
    assert len(list((out / "calendar-outbox").glob("*.ics"))) >= 10


def test_the_year_shows_what_the_issue_asks_for(year):
    result, _, summary = year
    reviews = summary["reviews in the year"]
    late = reviews.get("late or missed", 0) / sum(reviews.values())
    assert 0.04 <= late <= 0.2  # about one review in ten late
    facts = summary["facts"]
    for kind in ("decisions_disputed", "significant_change", "resolution_raised", "resolution_escalated",
                 "cafcass_referred", "decision_recorded", "record_distributed", "iro_introduced"):
        assert facts.get(kind, 0) > 0, kind
    assert (result.svc.store.facts(kinds=[FactKind.REVIEW_HELD])[0].key.startswith("review_held:"))  # SSDA903
    done = result.svc.store.facts(kinds=[FactKind.DECISION_DONE])
    in_teams = [f for f in done if f.data.get("via") == "teams" and f.key.startswith("teams:decision:")]
    in_records = [f for f in done if f.data.get("record")]  # the next record's progress table (issue 13)
    assert in_teams and in_records and len(in_teams) + len(in_records) == len(done)
    assert result.counts["teams:done"] == len(in_teams)  # pressed in Teams, by the decision's named person
    cards = summary["teams cards"]
    # the policy's channels: decisions issued, breaches and link meetings are lines of the daily digest;
    # cards of their own only for what needs action now (docs/notifications.md)
    for kind in ("digest", "resolution_escalation", "significant_change_prompt", "cafcass_prompt"):
        assert cards.get(kind, 0) > 0, kind
    assert not {"breach_alert", "decisions_issued", "link_meeting_notice"} & set(cards)


def test_bad_input_is_recorded_for_a_person(year):
    result, out, _ = year
    problems = result.svc.store.problems()
    reasons = Counter(p.source for p in problems)
    assert reasons["review booking"] >= 1          # booked after its due date: reason asked for
    assert reasons["review record"] >= 1           # a decision without a named person or timescale
    assert reasons["team transfer"] == 1           # moved team with a resolution open
    assert any("no case reference" in p.reason for p in problems)
    assert any("matches no mail convention" in p.reason for p in problems)
    page = (out / "summary.html").read_text()
    assert "Problems for a person" in page
    # each row shows the id that `iro problems resolve ID` takes, as the page tells people to use it
    assert "<th>ID</th><th>Case</th>" in page and f"<td>{problems[0].id}</td>" in page
    assert "iro problems resolve ID" in page


def test_same_seed_same_output(tmp_path):
    a = replay.run(tmp_path / "a", seed=3, children=24, until=date(2025, 3, 1))
    b = replay.run(tmp_path / "b", seed=3, children=24, until=date(2025, 3, 1))
    assert summarise(a, tmp_path / "a") == summarise(b, tmp_path / "b")
    names = [sorted(p.name for p in (tmp_path / d).rglob("*") if p.is_file() and p.suffix != ".sqlite")
             for d in ("a", "b")]
    assert names[0] == names[1]
    for x in (a, b):
        x.svc.store.close()


def test_what_the_store_and_outboxes_stamp_is_the_demos_year_not_today(year):
    """Every timestamp comes from the app's clock (the demo's simulated one), never the wall clock."""
    import email
    from email.utils import parsedate_to_datetime

    result, out, _ = year
    first, last = date(2025, 1, 1), date(2026, 1, 31)
    stamps = [p.raised_at for p in result.svc.store.problems(open_only=False)]
    stamps += [a.claimed_at for a in result.svc.store.pending_actions()]
    assert stamps and all(first <= s.date() <= last for s in stamps)
    for eml in sorted((out / "mail-outbox").glob("*.eml"))[::25]:
        sent = parsedate_to_datetime(email.message_from_bytes(eml.read_bytes())["Date"])
        assert first <= sent.date() <= last, eml.name


def test_messages_people_act_on_instead_of_muting(year):
    """docs/notifications.md's goals, counted from the outbox indexes of the replayed year."""
    from demo.goals import check

    result, out, _ = year
    goals = check(result.svc, out, result.council.start, result.council.end)
    assert goals["problems"] == []
    assert goals["passed_deadlines"] >= 20  # the year has real breaches to test the reminders against
    people = goals["people"]
    assert {p["role"] for p in people.values()} >= {"iro", "sw", "tm", "iro_manager", "hos", "ad_qa"}
    for row in json.loads((out / "teams-outbox" / "index.json").read_text()):
        assert set(row) >= {"file", "to", "kind", "sent_at"} and (out / "teams-outbox" / row["file"]).is_file()
    mail = json.loads((out / "mail-outbox" / "index.json").read_text())
    assert mail and all((out / "mail-outbox" / r["file"]).is_file() for r in mail)
    assert {r["sent_at"][:4] for r in mail} <= {"2025", "2026"}  # the app's clock, not the wall clock


def test_digest_lines_name_decisions_in_words_and_whose_deadline(year):
    result, out, _ = year
    texts = []
    for path in sorted((out / "teams-outbox").glob("[0-9]*-digest.json"))[::25]:
        texts.append(json.dumps(json.loads(path.read_text())))
    blob = "\n".join(texts)
    assert "Carry out: " in blob and "Decision 20" not in blob
    assert ", IRO" in blob and ", Social worker" in blob
    assert " 000 " not in blob and "004 s" not in blob  # council document titles, not seed numbers
