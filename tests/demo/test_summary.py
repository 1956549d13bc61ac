"""summary.html as the IRO service manager reads it: who should act on each problem follows where it came from;
the goals line claims only what the checks found; problems' citations are the council's document titles."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from demo.summary import problem_actor, verdict
from function_app.notices.recipients import Roster
from rules.citations import in_text
from rules.model import Child, Person, Team
from rules.policy import load_policy
from tests.support.seeds import seed_citations

PEOPLE = [Person("iro@c.example", "Ivy Iro", "iro"), Person("tm@c.example", "Tom Team", "tm"),
          Person("link@c.example", "Lin Link", "iro"), Person("mgr@c.example", "Meg Manager", "iro_manager")]
ROSTER = Roster({"CLA-1": Child("CLA-1", date(2025, 1, 6), iro="iro@c.example", tm="tm@c.example", team="T1")},
                {p.email: p for p in PEOPLE}, {"T1": Team("T1", "North", "tm@c.example", link_iro="link@c.example")},
                "service@c.example")


def problem(source: str, case_ref: str | None = "CLA-1"):
    return SimpleNamespace(source=source, case_ref=case_ref)


def test_who_should_act_follows_the_problem_s_source():
    assert problem_actor(ROSTER, problem("team transfer")) == "Tom Team (Team manager)"
    assert problem_actor(ROSTER, problem("review record")) == "Ivy Iro (IRO)"
    assert problem_actor(ROSTER, problem("link meetings", "T1")) == "Lin Link (link IRO)"
    assert problem_actor(ROSTER, problem("MailArrived:on_mail_arrived", None)).startswith("Meg Manager (IRO service")
    assert problem_actor(ROSTER, problem("webhook", None)).startswith("The app's administrator")


def test_the_goals_line_claims_only_what_held():
    assert "each had reached its owner first" in verdict({"passed_deadlines": 9, "problems": []})
    failed = verdict({"passed_deadlines": 9, "problems": ["2 of 9 passed deadlines had no reminder to their owner"]})
    assert "reached its owner first" not in failed and "Goals not met" in failed and "no reminder" in failed


def test_problem_texts_cite_titles():
    text = in_text(load_policy(), "row 3: no named person (000 standard 5: every decision); 004 Appendix 1")
    assert seed_citations(text) == [] and "IRO Practice Standards, standard 5" in text


def test_a_problem_whose_role_nobody_holds_goes_to_the_service_manager():
    lone = Roster({"CLA-2": Child("CLA-2", date(2025, 1, 6), team="T1")}, ROSTER.people, ROSTER.teams,
                  "service@c.example")
    who = problem_actor(lone, problem("review record", "CLA-2"))
    assert who.startswith("Meg Manager (IRO service manager)") and "no IRO on the roster" in who


def test_without_a_tracker_the_page_says_where_to_look(tmp_path):
    from demo.summary import tracker_line

    page = tmp_path / "summary.html"
    assert "iro problems" in tracker_line("", page)
    assert "iro problems" in tracker_line(page.resolve().as_uri(), page)  # the demo's tracker is this page
    linked = tracker_line("https://council.sharepoint.example/sites/iro/tracker", page)
    assert "href='https://council.sharepoint.example/sites/iro/tracker'" in linked and "iro problems" not in linked
