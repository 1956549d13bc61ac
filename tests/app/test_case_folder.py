"""The case folder is the source (issue 13), on the embedded default: the IRO saves the record and sets its
Status to Final, the library's change notification reaches the real webhook, the worker runs the local
change feed, and what the IRO wrote becomes facts. Duplicates, edits after completion, unreadable and deleted
files, and a lost delta link."""

from __future__ import annotations

import io
from datetime import date

from demo.records import fill_in
from doc_templates.render import document_name, render
from function_app import case_view, runtime
from graph_clients.ports import DocumentMeta
from rules.model import Fact, FactKind, Status
from tests.app.world import CASE, IRO, SW, World

REVIEW = date(2026, 1, 28)
NEXT = date(2026, 4, 22)
DRIVE = "drives/local/root"
PERSON = {"name": "Ben Worker", "role": "Social worker", "email": SW}


def record(review: date, decisions: list[tuple[str, str, date]], *, previous: list[dict] | None = None,
           attendees: list[dict] | None = None, concern: str = "No", category: str = "",
           participation: str | tuple[str, ...] = "PN1", views: tuple[str, ...] = ("in_meeting",)) -> bytes:
    from docx import Document

    ctx = {"case_ref": CASE, "document_date": review, "child_name": "A.B.", "review_date": review,
           "review_number": 1, "looked_after_since": date(2026, 1, 5), "iro": PERSON, "social_worker": PERSON,
           "team_manager": PERSON, "child_views": "x", "participation": "x", "placement": "x", "health": "x",
           "education": "x", "family_time": "x", "permanency_plan": "x",
           "attendees": attendees or [{"name": "A.B.", "role": "Child", "attendance": "attended"},
                                      {"name": "C.D.", "role": "Foster carer", "attendance": "joined on Teams"},
                                      {"name": "E.F.", "role": "Mother", "attendance": "sent apologies"},
                                      {"name": "Ben Worker", "role": "Social worker"}],
           "previous_decisions": previous or [],
           "decisions": [{"ref": str(n), "text": t, "named_person": p, "due_by": d}
                         for n, (t, p, d) in enumerate(decisions, start=1)]}
    doc = Document(io.BytesIO(render("review_record", ctx)))
    fill_in(doc, participation=participation, views=views, concern=concern, category=category)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


TWO = [("Health assessment", "Ben Worker", date(2026, 2, 27)), ("PEP meeting", "Cara Manager", date(2026, 3, 13))]


def save(world: World, review: date, content: bytes, status: str = "draft") -> str:
    name = document_name("review_record", CASE, review)
    world.svc.folders.save(DocumentMeta(CASE, "review_record", review, status), name, content)
    return name


def final(world: World, review: date, content: bytes) -> str:
    """The IRO saves the completed record and sets Status to Final; SharePoint notifies the drive root."""
    name = save(world, review, content)
    world.svc.folders.set_status(CASE, name, "Final")
    world.notify(DRIVE, "updated")
    return name


def decision_facts(world: World) -> list[Fact]:
    return world.facts(FactKind.DECISION_RECORDED)


def test_a_draft_is_left_alone_and_the_final_record_is_read_back_into_facts(world: World):
    world.clock.set(date(2026, 2, 5))
    save(world, REVIEW, record(REVIEW, TWO))
    world.notify(DRIVE, "updated")
    assert decision_facts(world) == [] and world.problems() == []   # a draft being written
    final(world, REVIEW, record(REVIEW, TWO))
    assert sorted(f.data["due"] for f in decision_facts(world)) == ["2026-02-27", "2026-03-13"]
    [read] = world.facts(FactKind.RECORD_READ)
    assert read.data["participation"] == "PN1" and read.data["views"] == ["in_meeting"]
    assert read.data["attended"] == ["carer", "child", "professional"] and read.data["absent"] == ["parent"]
    assert read.data["concern"] is False and read.data["version"] == 1
    assert "A.B." not in str(read.data)                          # groups and codes, never names
    assert world.facts(FactKind.RECORD_COMPLETED) and world.facts(FactKind.RECORD_DISTRIBUTED)
    assert world.problems() == []


def test_duplicate_notifications_and_the_daily_catch_up_read_nothing_twice(world: World):
    world.clock.set(date(2026, 2, 5))
    final(world, REVIEW, record(REVIEW, TWO))
    before = len(world.facts()), len(world.svc.mail.sent)
    world.notify(DRIVE, "updated")
    world.notify(DRIVE, "updated")
    runtime.reconcile_delta(bus=world.bus)
    world.email(IRO, f"Record complete {CASE} review {REVIEW.isoformat()}")   # the fallback, too late: no-op
    assert (len(world.facts()), len(world.svc.mail.sent)) == before


def test_an_edit_after_completion_is_a_new_version_and_nothing_doubles(world: World):
    world.clock.set(date(2026, 2, 5))
    final(world, REVIEW, record(REVIEW, TWO))
    world.clock.set(date(2026, 2, 9))
    edited = [("Health assessment", "Ben Worker", date(2026, 3, 6))]           # date moved, row 2 removed
    final(world, REVIEW, record(REVIEW, edited, concern="Yes", category="4"))
    decisions = [d for d in case_view.case_deadlines(world.svc, CASE) if d.clock == "decision"]
    assert [(d.subject, d.due) for d in decisions] == [(f"{REVIEW.isoformat()}-1", date(2026, 3, 6))]
    reads = world.facts(FactKind.RECORD_READ)
    assert sorted(f.data["version"] for f in reads) == [1, 2]
    withdrawn = [f for f in decision_facts(world) if f.data.get("withdrawn")]
    assert [f.data["decision_id"] for f in withdrawn] == [f"{REVIEW.isoformat()}-2"]
    assert len(world.facts(FactKind.RECORD_COMPLETED)) == 1 and len(world.facts(FactKind.RECORD_DISTRIBUTED)) == 1


def test_a_concern_in_the_record_starts_the_informal_resolution_clock(world: World):
    world.svc.store.record(Fact(FactKind.REVIEW_HELD, CASE, REVIEW, "held:1", {"event_id": "e1"}))
    world.clock.set(date(2026, 1, 29))
    assert not [d for d in case_view.case_deadlines(world.svc, CASE) if d.clock == "concern_discussion"]
    final(world, REVIEW, record(REVIEW, TWO, concern="Yes", category="4"))
    [clock] = [d for d in case_view.case_deadlines(world.svc, CASE) if d.clock == "concern_discussion"]
    assert clock.due == date(2026, 2, 2) and clock.status == Status.OPEN      # 3 working days (004 App. 3)
    assert world.facts(FactKind.RECORD_READ)[0].data["concern_category"] == 4


def test_progress_on_previous_decisions_meets_and_keeps_the_decision_clocks(world: World):
    world.clock.set(date(2026, 2, 5))
    final(world, REVIEW, record(REVIEW, TWO))
    later = date(2026, 4, 20)
    world.clock.set(date(2026, 4, 24))
    previous = [{"ref": "1", "decision": "Health assessment", "done": "Done 20/02/2026", "progress": "Seen by GP"},
                {"ref": "2", "decision": "PEP meeting", "done": "Not done", "progress": "Booked for May"}]
    final(world, later, record(later, [("Dentist", "Ben Worker", date(2026, 5, 29))], previous=previous))
    [done] = world.facts(FactKind.DECISION_DONE)
    assert done.data["decision_id"] == f"{REVIEW.isoformat()}-1" and done.on == date(2026, 2, 20)
    by_id = {d.subject: d for d in case_view.case_deadlines(world.svc, CASE) if d.clock == "decision"}
    assert by_id[f"{REVIEW.isoformat()}-1"].status == Status.MET
    assert by_id[f"{REVIEW.isoformat()}-2"].status == Status.OVERDUE
    progress = {f.data["decision_id"]: f.data["done"] for f in world.facts(FactKind.DECISION_PROGRESS)}
    assert progress == {f"{REVIEW.isoformat()}-1": True, f"{REVIEW.isoformat()}-2": False}


def test_what_cannot_be_read_is_a_problem_by_part_and_row_without_the_text(world: World):
    world.clock.set(date(2026, 2, 5))
    attendees = [{"name": "Zed Secret", "role": "", "attendance": "attended"},
                 {"name": "Yan Hidden", "role": "Father", "attendance": "maybe"}]
    previous = [{"ref": "", "decision": "Secret plan", "done": "Done", "progress": "-"},
                {"ref": "9", "decision": "Other secret", "done": "perhaps", "progress": "-"}]
    final(world, REVIEW, record(REVIEW, TWO, attendees=attendees, previous=previous, participation=("PN1", "PN2"),
                                views=(), concern=""))
    reasons = [p.reason for p in world.problems()]
    text = " | ".join(reasons)
    for expected in ("attendance row 2: no role", "attendance row 3: the Attendance cell", "progress row 2: no "
                     "decision number", "progress row 3: the Done? cell", "more than one participation code",
                     "views: no way is ticked", "concern row 2: answer Yes or No"):
        assert expected in text, expected
    assert not any(secret in text for secret in ("Zed", "Yan", "Secret", "secret", "maybe", "perhaps"))
    assert decision_facts(world)                                   # the decisions were still read
    problems = len(world.problems())
    world.notify(DRIVE, "updated")
    assert len(world.problems()) == problems                       # recorded once


def test_an_unreadable_file_is_a_problem_and_the_rest_of_the_library_is_read(world: World):
    world.clock.set(date(2026, 2, 5))
    bad_review = date(2026, 1, 20)
    save(world, bad_review, b"this is not a Word document")
    world.svc.folders.set_status(CASE, document_name("review_record", CASE, bad_review), "Final")
    final(world, REVIEW, record(REVIEW, TWO))
    assert any("not a Word document" in p.reason for p in world.problems())
    assert len(decision_facts(world)) == 2
    problems = len(world.problems())
    world.notify(DRIVE, "updated")
    assert len(world.problems()) == problems


def test_a_deleted_record_is_a_problem_and_what_was_read_stays(world: World):
    world.clock.set(date(2026, 2, 5))
    name = final(world, REVIEW, record(REVIEW, TWO))
    (world.svc.folders.root / CASE / name).unlink()
    world.notify(DRIVE, "updated")
    assert any("was deleted from the case folder" in p.reason for p in world.problems())
    assert len(decision_facts(world)) == 2


def test_a_lost_delta_link_restarts_the_round_and_reads_nothing_twice(world: World):
    world.clock.set(date(2026, 2, 5))
    final(world, REVIEW, record(REVIEW, TWO))
    facts = len(world.facts())
    for snapshot in (world.svc.folders.root / ".delta").glob("*.json"):
        snapshot.unlink()
    world.notify(DRIVE, "updated")
    assert len(world.facts()) == facts and world.problems() == []


def test_without_drive_subscriptions_the_15_minute_watch_finds_the_record(world: World):
    world.clock.set(date(2026, 2, 5))
    save(world, REVIEW, record(REVIEW, TWO), status="Final")         # no notification: nobody subscribed
    assert runtime.watch_case_folders(bus=world.bus) == 0             # subscriptions on: the watch stands aside
    assert decision_facts(world) == []
    world.svc.drive_subscriptions = False                             # Sites.Selected only (docs/permissions.md)
    assert runtime.watch_case_folders(bus=world.bus) > 0
    assert len(decision_facts(world)) == 2
    from function_app import subscriptions

    assert not any(r.startswith("drives/") for r, _ in subscriptions.want(world.svc))


def test_missed_notifications_are_caught_up_for_the_library_too(world: World):
    from function_app.messages import Lifecycle
    from tests.app.test_link_meetings_and_records import FakeSubscriptions

    world.svc.subscriptions = FakeSubscriptions()
    world.clock.set(date(2026, 2, 5))
    save(world, REVIEW, record(REVIEW, TWO), status="Final")          # its notification never arrived
    world.bus.handle(Lifecycle("any", "missed"))
    assert len(decision_facts(world)) == 2
    assert world.svc.store.get_state("catch-up:drive:local") == ""


def test_saving_a_corrected_record_resolves_what_it_fixed(world: World):
    world.clock.set(date(2026, 2, 5))
    final(world, REVIEW, record(REVIEW, TWO, participation=(), concern=""))
    assert {p.payload["part"] for p in world.problems()} == {"participation", "concern"}
    world.clock.set(date(2026, 2, 6))
    final(world, REVIEW, record(REVIEW, TWO, concern=""))                # participation fixed, concern not
    assert [(p.payload["part"], p.payload["version"]) for p in world.problems()] == [("concern", 2)]


def test_a_council_that_marks_completion_by_the_name(world: World):
    world.svc.policy = world.svc.policy.model_copy(update={"case_folder": world.svc.policy.case_folder.model_copy(
        update={"complete_when": "no_draft_mark"})})
    world.clock.set(date(2026, 2, 5))
    draft = document_name("review_record", CASE, REVIEW).replace(".docx", "_DRAFT.docx")
    world.svc.folders.save(DocumentMeta(CASE, "review_record", REVIEW, ""), draft, record(REVIEW, TWO))
    world.notify(DRIVE, "updated")
    assert decision_facts(world) == []                                  # the DRAFT mark: still a draft
    save(world, REVIEW, record(REVIEW, TWO), status="")                 # saved without the mark
    world.notify(DRIVE, "updated")
    assert len(decision_facts(world)) == 2



def test_a_host_killed_while_a_records_reactions_run_repeats_the_round_and_loses_none(world: World, monkeypatch):
    """The library's delta link is stored only after everything the round's records set in motion: the
    redelivery (the same drive notification, 10 minutes later) reads the same bytes again and finishes."""
    from datetime import timedelta

    from function_app.notices import deliver

    class HostKilled(BaseException):
        pass

    real, calls = deliver.note, []

    def die_once(svc, email, notice):
        calls.append(notice.kind)
        if calls.count("decision_recorded") == 1 and notice.kind == "decision_recorded":
            raise HostKilled  # the first decision's digest line, after the reading: the host dies
        return real(svc, email, notice)
    monkeypatch.setattr(deliver, "note", die_once)
    world.clock.set(date(2026, 2, 5))
    name = save(world, REVIEW, record(REVIEW, TWO))
    world.svc.folders.set_status(CASE, name, "Final")
    try:
        world.notify(DRIVE, "updated")
    except HostKilled:
        pass
    else:
        raise AssertionError("the host was not killed")
    world.svc.done_actions.clear()
    world.clock.at += timedelta(minutes=10)  # the dead host's message is visible again; its claim is stale
    world.notify(DRIVE, "updated")
    world.notify(DRIVE, "updated")  # and a duplicate
    heard = {who: [n["key"] for n in deliver.pending_notes(world.svc, who) if n["kind"] == "decision_recorded"]
             for who in (SW, "tm.c@council.example")}
    assert heard == {SW: [f"decision:{CASE}:{REVIEW.isoformat()}-1"], "tm.c@council.example":
                     [f"decision:{CASE}:{REVIEW.isoformat()}-2"]}
    assert len(decision_facts(world)) == 2 and world.svc.store.pending_actions() == []


def test_a_done_taken_back_in_an_edit_of_the_record_reopens_the_decision_and_counts_once(world: World):
    world.clock.set(date(2026, 2, 5))
    final(world, REVIEW, record(REVIEW, TWO))
    later, first = date(2026, 4, 20), f"{REVIEW.isoformat()}-1"

    def progress(done: str) -> list[dict]:
        return [{"ref": "1", "decision": "Health assessment", "done": done, "progress": "GP appointment made"},
                {"ref": "2", "decision": "PEP meeting", "done": "Done", "progress": "-"}]

    def status() -> Status:
        return {d.subject: d for d in case_view.case_deadlines(world.svc, CASE) if d.clock == "decision"}[first].status

    new = [("Dentist", "Ben Worker", date(2026, 5, 29))]
    world.clock.set(date(2026, 4, 24))
    final(world, later, record(later, new, previous=progress("Done 20/02/2026")))
    assert status() == Status.MET
    world.clock.set(date(2026, 4, 27))                              # the IRO corrects it: not done after all
    final(world, later, record(later, new, previous=progress("Not done")))
    assert status() == Status.OVERDUE
    from function_app.drafts import earlier_decisions

    carried = [progress for d, progress in earlier_decisions(world.svc, CASE, date(2026, 10, 1))
               if d.decision_id == first]
    assert carried == ["Not recorded as done: overdue"]                # the next review's draft says so too
    world.clock.set(date(2026, 4, 28))                              # and back again: one done counts, not two
    final(world, later, record(later, new, previous=progress("Done 20/02/2026")))
    assert status() == Status.MET
    from rules.decisions import counted_dones

    counted = counted_dones(world.facts(FactKind.DECISION_PROGRESS) + world.facts(FactKind.DECISION_DONE))
    assert sorted((f.data["decision_id"], f.data["version"]) for f in counted) == [
        (first, 3), (f"{REVIEW.isoformat()}-2", 3)]


def test_the_annual_report_counts_a_record_completed_after_its_year_ended(world: World):
    from reports.figures import Period, annual_figures

    world.svc.store.record(Fact(FactKind.REVIEW_HELD, CASE, REVIEW, "held:1", {"event_id": "e1"}))
    world.clock.set(date(2026, 2, 12))            # completed 11 working days after the review (004 s3.1: 15)
    final(world, REVIEW, record(REVIEW, TWO, participation="PN5"))
    year = Period(date(2025, 2, 1), date(2026, 1, 31))
    figs = annual_figures(world.svc.store, year, world.svc.policy, world.svc.cal)
    assert figs["participation"]["children"]["PN5"] == 1 and figs["participation"]["children"]["unknown"] == 0
    [read] = world.facts(FactKind.RECORD_READ)
    assert read.on == REVIEW and read.data["read_on"] == "2026-02-12"


def _corrupt(content: bytes) -> bytes:
    """A .docx whose zip is sound but whose document XML is cut short (a save or sync that broke off)."""
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            target.writestr(entry, data[: len(data) // 2] if entry.filename == "word/document.xml" else data)
    return out.getvalue()


def test_a_docx_with_broken_xml_is_a_problem_and_does_not_hold_up_the_library(world: World):
    world.clock.set(date(2026, 2, 5))
    bad_review = date(2026, 1, 20)
    save(world, bad_review, _corrupt(record(bad_review, TWO)))
    world.svc.folders.set_status(CASE, document_name("review_record", CASE, bad_review), "Final")
    final(world, REVIEW, record(REVIEW, TWO))                        # same round: must still be read
    assert len(decision_facts(world)) == 2
    [problem] = [p for p in world.problems() if "not a Word document" in p.reason]
    assert problem.payload["document"] == document_name("review_record", CASE, bad_review)
