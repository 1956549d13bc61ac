"""The policy file: the default holds every clock of docs/domain.md s2-6 with unit, owner, source; a broken
file gets an error naming the file, the field and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rules.errors import PolicyError
from rules.policy import DEFAULT_POLICY, REQUIRED_CLOCKS, Policy, load_policy, parse_policy, policy_from_data

TEXT = DEFAULT_POLICY.read_text(encoding="utf-8")

# docs/domain.md section -> clocks that carry it, with the seed each must cite.
DOMAIN_CLOCKS = {
    "first_review": "reg", "second_review": "003", "later_review": "003", "permanency_plan": "004",
    "midway_oversight": "000", "consultation": "002", "care_plan_available": "000",
    "concern_discussion": "004", "decisions_to_tm": "004", "tm_dispute_window": "004",
    "record_completed": "004", "record_distributed": "004", "resolution_entry": "004",
    "resolution_stage1_meeting": "004", "resolution_stage1_response": "004", "resolution_stage2_response": "004",
    "resolution_stage3_response": "004", "resolution_total": "004", "link_meeting": "000", "team_meeting": "000",
    "decision": "000", "decisions_to_child": "003", "iro_introduction": "000",
}


def test_default_policy_holds_every_clock(policy: Policy) -> None:
    assert policy.council == "Buckinghamshire Council"
    assert set(REQUIRED_CLOCKS) <= set(policy.clocks)
    for clock_id, doc in DOMAIN_CLOCKS.items():
        clock = policy.clocks[clock_id]
        assert clock.source.cite.startswith(doc), clock_id
        assert clock.unit in ("working_days", "calendar_days", "months")
        assert clock.owner_role


@pytest.mark.parametrize(
    ("clock_id", "amount", "unit"),
    [
        ("first_review", 20, "working_days"), ("second_review", 3, "months"), ("later_review", 6, "months"),
        ("concern_discussion", 3, "working_days"), ("decisions_to_tm", 5, "working_days"),
        ("tm_dispute_window", 5, "working_days"), ("record_completed", 15, "working_days"),
        ("record_distributed", 20, "working_days"), ("resolution_stage1_response", 10, "working_days"),
        ("resolution_stage2_response", 5, "working_days"), ("resolution_total", 20, "working_days"),
        ("link_meeting", 2, "months"), ("team_meeting", 3, "months"),
    ],
)
def test_default_amounts_are_the_seeds(policy: Policy, clock_id: str, amount: int, unit: str) -> None:
    assert (policy.clocks[clock_id].amount, policy.clocks[clock_id].unit) == (amount, unit)


@pytest.mark.parametrize(
    "clock_id",  # seeds that say "days", "in good time", "midway", "bimonthly" or nothing: the reading is stated
    ["resolution_entry", "resolution_stage1_meeting", "resolution_stage1_response", "resolution_stage3_response",
     "resolution_total", "consultation", "care_plan_available", "midway_oversight", "link_meeting", "first_review",
     "decisions_to_child", "iro_introduction"],
)
def test_ambiguous_seeds_state_the_reading(policy: Policy, clock_id: str) -> None:
    assert policy.clocks[clock_id].interpretation


def test_lists_from_the_appendices(policy: Policy) -> None:
    assert sorted(policy.categories) == list(range(1, 14))                 # 004 App. 1
    assert policy.categories[9].label == "Drift in permanency planning"
    assert len(policy.significant_changes) == 13                          # 004 App. 2
    assert (policy.caseload.min_per_fte, policy.caseload.max_per_fte) == (50, 70)  # Handbook 7.15
    assert policy.cards.show == "initials"
    assert policy.link_meetings.tm_every_months == 2
    assert policy.resolution.stages["stage2"].owner_role == "hos"
    assert policy.resolution.cafcass_discuss_with == ("iro_manager", "ad_qa")
    assert policy.closure_days == ()


def test_load_policy_by_path_and_from_text(tmp_path: Path) -> None:
    target = tmp_path / "other.yaml"
    target.write_text(TEXT.replace("council: Buckinghamshire Council", "council: Otherton"), encoding="utf-8")
    assert load_policy(target).council == "Otherton"
    assert load_policy(str(target)).council == "Otherton"
    assert parse_policy(TEXT).council == "Buckinghamshire Council"


def test_a_council_changes_a_reading_without_code(policy, cal) -> None:  # type: ignore[no-untyped-def]
    from rules.clocks import deadlines
    from rules.model import FactKind

    from .conftest import CASE, d, fact

    calendar_days = parse_policy(TEXT.replace(
        "    amount: 10\n    unit: working_days\n    met_by: resolution_responded",
        "    amount: 10\n    unit: calendar_days\n    met_by: resolution_responded"))
    raised = fact(FactKind.RESOLUTION_RAISED, "2026-10-01", resolution_id="R1", stage="stage1")
    due = {x.clock: x.due for x in deadlines(CASE, [raised], calendar_days, cal, d("2026-10-02"))}
    assert due["resolution_stage1_response"] == d("2026-10-11")


def _broken(**changes: object) -> dict:
    """The default policy's data with changes: 'a__b__0' is data['a']['b'][0] (digits are int keys)."""
    data = yaml.safe_load(TEXT)
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = data
        for p in path:
            node = node[int(p) if p.isdigit() else p]
        last = int(last) if last.isdigit() else last
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("changes", "field", "problem", "fix"),
    [
        ({"clocks__first_review__unit": "weeks"}, "clocks.first_review.unit", "working_days", "one of the values"),
        ({"clocks__first_review__amount": "twenty"}, "clocks.first_review.amount", "integer", "whole number"),
        ({"clocks__decisions_to_tm__owner": "iro"}, "clocks.decisions_to_tm.owner", "unknown field", "spelling"),
        ({"clocks__decisions_to_tm__owner": "iro", "cards__colour": "x"},
         "clocks.decisions_to_tm.owner, cards.colour", "unknown fields", "spelling"),
        ({"notifications__notices__consultation_forms__sw": "card"}, "notifications.notices", "not a channel", ""),
        ({"clocks__record_completed__source": _DELETE}, "clocks.record_completed.source", "required", "add the"),
        ({"clocks__first_review__start": "review_held"}, "clocks", "first_review' must start", "correct"),
        ({"clocks__first_review__reminders": [-1]}, "clocks.first_review.reminders[0]", "greater", "larger"),
        ({"clocks__midway_oversight__met_by": "tea_break"}, "clocks.midway_oversight.met_by", "review_held", "one of"),
        ({"clocks__team_meeting": _DELETE}, "clocks", "team_meeting' is missing", "correct the value"),
        ({"closure_days": [{"date": "29/12/2026", "reason": "x"}]}, "closure_days[0].date", "date", "YYYY-MM-DD"),
        ({"categories__14": {"label": "x", "source": {"doc": "004", "section": "x"}},
          "categories__13": _DELETE}, "categories", "1..N", "correct"),
        ({"significant_changes__0__keywords": ["Care Plan"]}, "significant_changes[0].keywords", "lowercase", ""),
        ({"significant_changes__1__id": "care_plan_change"}, "significant_changes", "unique", ""),
        ({"caseload__min_per_fte": 80}, "caseload", "larger than", ""),
        ({"case_reference_pattern": "(CLA"}, "case_reference_pattern", "regular expression", ""),
        ({"review_subject_pattern": "CLA review"}, "review_subject_pattern", "(?P<early>", ""),
        ({"case_reference_format": "CLA-{num}"}, "case_reference_format", "num", ""),
        ({"link_meetings__tm_every_months": 1}, "clocks.link_meeting", "agree with link_meetings", ""),
        ({"link_meetings__working_hours_end": "08:00"}, "link_meetings", "before", ""),
        ({"link_meetings__working_hours_end": "25:00"}, "link_meetings.working_hours_end", "pattern", "pattern"),
        ({"resolution__cap_clock": "nope"}, "resolution", "'nope'", ""),
        ({"resolution__stages__stage3": _DELETE}, "resolution.stages", "stage3", ""),
        ({"cards__show": "name"}, "cards.show", "initials", ""),
        ({"schema_version": 2}, "schema_version", "1", ""),
        ({"council": _DELETE, "caseload__max_per_fte": 0}, "council", "and 1 more problem", ""),
        ({"council": _DELETE, "caseload__max_per_fte": 0, "cards__show": 1}, "council", "2 more problems", ""),
    ],
)
def test_broken_policy_names_file_field_and_fix(changes, field, problem, fix) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PolicyError) as e:
        policy_from_data(_broken(**changes), "council.yaml")
    err = e.value
    assert (err.file, err.field) == ("council.yaml", field), str(err)
    assert problem in err.problem, str(err)
    assert fix in err.fix and err.fix
    assert str(err).startswith(f"council.yaml: {field}: ")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("council: x\nclocks:\n  first_review: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError) as e:
        load_policy(bad)
    assert e.value.file == str(bad) and "line 4" in e.value.field and "YAML" in e.value.fix


def test_yaml_error_without_a_mark() -> None:
    from rules.policy_file import parse_yaml

    # PyYAML's reader raises a YAMLError that is not a MarkedYAMLError for unacceptable characters
    with pytest.raises(PolicyError) as e:
        parse_yaml("council: \x07", "x.yaml")
    assert e.value.field == "(yaml syntax)" and e.value.file == "x.yaml"


@pytest.mark.parametrize("text", ["- a list\n- not a mapping\n", "just text\n", ""])
def test_not_a_mapping(text: str) -> None:
    with pytest.raises(PolicyError, match="not a mapping"):
        parse_policy(text, "p.yaml")


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="does not exist") as e:
        load_policy(tmp_path / "nope.yaml")
    assert e.value.field == "(file)"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"council: Caf\xe9\n")
    with pytest.raises(PolicyError, match="UTF-8"):
        load_policy(latin)


def test_patterns_are_compiled_once_and_follow_copies(policy: Policy) -> None:
    assert policy.pattern("case_ref") is policy.pattern("case_ref")
    other = policy.model_copy(update={"case_reference_pattern": r"(?i)\bREF(?P<number>\d+)\b"})
    assert other.pattern("case_ref").pattern != policy.pattern("case_ref").pattern


def test_clocks_from_groups_by_anchor(policy: Policy) -> None:
    assert [cid for cid, _ in policy.clocks_from("review_booked")] == ["consultation", "care_plan_available"]
    assert policy.clocks_from("no_such_anchor") == ()


def test_a_field_error_names_the_line(policy: Policy) -> None:
    text = TEXT.replace("schema_version: 1", "schema_version: 1\nno_such_field: 3", 1)
    with pytest.raises(PolicyError) as e:
        parse_policy(text, "p.yaml")
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if t.startswith("no_such_field"))
    assert f"(line {line})" in e.value.field and e.value.fix


@pytest.mark.parametrize("text, where", [
    ("a: " + "[" * 3000 + "]" * 3000, "line 1"),
    ("council: x\nstarts: 2026-02-30\n", "line 2"),
])
def test_deep_nesting_and_impossible_dates_are_policy_errors_with_a_line(text: str, where: str) -> None:
    with pytest.raises(PolicyError) as e:
        parse_policy(text, "p.yaml")
    assert where in e.value.field and e.value.fix and e.value.file == "p.yaml"


def test_line_of_finds_nodes_and_stops_at_what_is_not_there() -> None:
    from rules.policy_file import _bad_date_line, line_of

    text = "a:\n  b:\n    - x\n    - y\nc: 1\n"
    assert line_of(text, ("a", "b", 1)) == 4
    assert line_of(text, ("a", "b", 9)) == 3      # no such index: the list itself
    assert line_of(text, ("c", "d")) == 5         # a scalar has no children
    assert line_of(text, ("zz",)) == 1
    assert line_of("", ("a",)) is None
    assert line_of("a: [", ("a",)) is None
    assert _bad_date_line("a: 2026-01-01\n") == 1


@pytest.mark.parametrize("unit,amount", [("working_days", 2611), ("calendar_days", -3654), ("months", 10**30)])
def test_an_absurd_timescale_is_refused_with_the_file_line_and_fix(unit: str, amount: int) -> None:
    import yaml

    from rules.policy import DEFAULT_POLICY, MAX_CLOCK_AMOUNT, parse_policy

    data = yaml.safe_load(DEFAULT_POLICY.read_text())
    data["clocks"]["record_completed"].update(unit=unit, amount=amount)
    with pytest.raises(PolicyError) as e:
        parse_policy(yaml.safe_dump(data, sort_keys=False), "p.yaml")
    assert e.value.file == "p.yaml" and "clocks.record_completed (line " in e.value.field
    assert "longer than ten years" in e.value.problem and e.value.fix
    data["clocks"]["record_completed"].update(unit=unit, amount=MAX_CLOCK_AMOUNT[unit])
    parse_policy(yaml.safe_dump(data, sort_keys=False), "p.yaml")  # the bound itself is allowed


@pytest.mark.parametrize("fmt", ["CLA-{number.real}", "CLA-{number.x}"])
def test_a_case_reference_format_reaching_into_a_group_is_a_policy_error(fmt: str) -> None:
    import yaml

    from rules.policy import DEFAULT_POLICY, parse_policy

    data = yaml.safe_load(DEFAULT_POLICY.read_text())
    groups = __import__("re").compile(data["case_reference_pattern"]).groupindex
    data["case_reference_format"] = fmt.replace("number", next(iter(groups), "number"))
    with pytest.raises(PolicyError) as e:
        parse_policy(yaml.safe_dump(data, sort_keys=False), "p.yaml")
    assert e.value.file == "p.yaml" and e.value.fix


@pytest.mark.parametrize(("old", "new", "field"), [
    ("tm_every_months: 2", "tm_every_months: 3", "clocks.link_meeting"),
    ("case_reference_format: ", "case_reference_format: '{nope}' #", "case_reference_format"),
])
def test_a_check_across_the_policy_names_its_field_and_line(old, new, field):
    """The cross-field checks (categories, ids, the clocks the resolution and link meetings name, the case
    reference format) say which field and which line, not '(top level)'."""
    from rules.policy import DEFAULT_POLICY, parse_policy

    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(PolicyError) as caught:
        parse_policy(text.replace(old, new, 1), "council.yaml")
    assert caught.value.field.startswith(field) and "(line " in caught.value.field


def test_link_meeting_intervals_in_words(policy: Policy) -> None:
    """Cards, invitations, agendas and the report say how often as the policy does ("2 months", "month")."""
    lm = policy.link_meetings
    assert (lm.interval, lm.team_meeting_interval) == ("2 months", "3 months")
    monthly = lm.model_copy(update={"tm_every_months": 1, "team_meeting_every_months": 1})
    assert (monthly.interval, monthly.team_meeting_interval) == ("month", "month")


def test_a_clocks_span_in_words(policy: Policy) -> None:
    """Letters, cards and the report state a timescale as the policy sets it ("20 working days", "1 month")."""
    assert policy.clocks["first_review"].span == "20 working days"
    assert policy.clocks["later_review"].span == "6 months"
    one = policy.clocks["later_review"].model_copy(update={"amount": -1})
    assert one.span == "1 month"  # before its anchor, the length is still said as a length
