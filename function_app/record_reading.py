"""What a completed review record says, as facts: one reading per version of the file.

The record reaches the app two ways (handlers/case_folder.py: the library's change feed; handlers/mailbox.py:
the "Record complete" email, the fallback) and may be saved again after completion. Each reading is keyed by
the file's content: the same bytes read twice (a duplicate notification, a delta resync, the email after the
folder was noticed) change nothing; new bytes are the next version, whose facts carry `@vNNN` in their keys so
that they sort after the earlier version's and win where the clocks take the latest (decisions by id, the
record's concern flag). A decision the new version no longer has is recorded as withdrawn.

Facts carry ids, codes, flags and dates, and each decision's named person (who is asked about it in Teams);
every other word the IRO wrote stays in the document. What cannot be read is a problem by table row or field
and what kind of fault it is (never the cell's text, in its reason or its key), recorded once per version.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from function_app.messages import FactRecorded, Message, RecordSaved, Rejected
from function_app.services import Services
from rules.model import Fact, FactKind

STANDARD_5 = ("000 standard 5: give every decision a named person and a timescale (a date such as 2026-03-31, or e.g. "
              "'within 20 working days'), then save the record again")


def content_of(msg: RecordSaved, svc: Services) -> bytes:
    if msg.item_id and svc.folder_changes is not None:
        return svc.folder_changes.read_item(msg.drive_id, msg.item_id)
    return svc.folders.read(msg.case_ref, msg.name)


def version_of(svc: Services, msg: RecordSaved, content: bytes) -> tuple[int, dict[str, Any]] | None:
    """(version, the previous reading's state) for new content; None when these bytes were read already."""
    digest = hashlib.sha256(content).hexdigest()
    before = json.loads(svc.store.get_state(_state_key(msg)) or "{}")
    if before.get("sha") == digest:
        return None
    return int(before.get("version", 0)) + 1, {**before, "sha": digest}


def read_again(svc: Services, msg: RecordSaved) -> tuple[int, dict[str, Any]] | None:
    """These bytes were read already: (their version, the reading before theirs) to go through them again, so
    that what a host that died after the reading left undone (the facts' reactions, the problems) is finished;
    every fact, problem and action is once-only by key, so nothing is doubled. None if never read."""
    stored = json.loads(svc.store.get_state(_state_key(msg)) or "{}")
    if not stored.get("version"):
        return None
    return int(stored["version"]), {"decisions": stored.get("previous_decisions", [])}


def remember(svc: Services, msg: RecordSaved, version: int, state: dict[str, Any], decision_ids: list[str]) -> None:
    svc.store.set_state(_state_key(msg), json.dumps({**state, "version": version, "decisions": decision_ids,
                                                     "previous_decisions": state.get("decisions", [])}))


def resolve_earlier(svc: Services, msg: RecordSaved, version: int) -> int:
    """A new version replaces what was read: the earlier versions' problems with this record are resolved (the
    ones still true are recorded again for this version). Returns how many were resolved."""
    earlier = [p for p in svc.store.problems() if p.case_ref == msg.case_ref and p.source == "review record"
               and p.payload.get("document") == msg.name and int(p.payload.get("version") or 1) < version]
    for problem in earlier:
        svc.store.resolve_problem(problem.id)
    return len(earlier)


def _state_key(msg: RecordSaved) -> str:
    return f"record-read:{msg.case_ref}:{msg.name}"


def suffix(version: int) -> str:
    return "" if version == 1 else f"@v{version:03d}"


def decision_facts(svc: Services, msg: RecordSaved, read: Any, version: int,
                   before: dict[str, Any]) -> tuple[list[Message], list[str]]:
    """DECISION_RECORDED per row (000 standard 5), withdrawn ones from the previous version, row problems."""
    tag, out, ids = suffix(version), [], []
    for n, decision in enumerate(read.decisions, start=1):
        decision_id = f"{msg.review_date.isoformat()}-{n}"
        ids.append(decision_id)
        data = {"decision_id": decision_id, "text": decision.text, "named_person": decision.named_person,
                "due": decision.due.isoformat() if decision.due else None, "record": msg.name, "version": version}
        out.append(_record(svc, Fact(FactKind.DECISION_RECORDED, msg.case_ref, msg.review_date,
                                     f"{msg.name}{tag}:{decision_id}", data)))
    for gone in sorted(set(before.get("decisions", ())) - set(ids)):
        data = {"decision_id": gone, "withdrawn": True, "record": msg.name, "version": version}
        out.append(_record(svc, Fact(FactKind.DECISION_RECORDED, msg.case_ref, msg.review_date,
                                     f"{msg.name}{tag}:{gone}", data)))
    for p in read.problems:  # the row number and the kind of problem only: a cell's text may hold a name
        kind = _kind(p.reason)
        where = f"row {p.row}" if p.row else "the decisions table"
        out.append(Rejected("review record", f"{msg.name} {where}: {kind}", STANDARD_5,
                            msg.case_ref, {"document": msg.name, "row": p.row, "version": version},
                            key=f"{msg.name}{tag}:row{p.row}:{kind}"))
    return out, ids


def record_facts(svc: Services, msg: RecordSaved, content: bytes, version: int) -> list[Message]:
    """Progress on previous decisions (done -> decision_done), attendance, participation, views and concern."""
    from doc_templates.record_fields import decision_id, read_record

    read = read_record(content, msg.review_date)
    tag, out = suffix(version), []
    previous = _previous_review(svc, msg.case_ref, msg.review_date)
    known = _recorded_ids(svc, msg.case_ref)
    for row in read.progress:
        did = decision_id(row.ref, previous)
        if did is None or did not in known:
            out.append(_problem(msg, version, "progress", row.row, "the No. names no decision recorded at an "
                                "earlier review: write the number from the previous record's decisions table"))
            continue
        data = {"decision_id": did, "done": row.done, "update": row.update, "record": msg.name, "version": version}
        out.append(_record(svc, Fact(FactKind.DECISION_PROGRESS, msg.case_ref, msg.review_date,
                                     f"{msg.name}{tag}:progress:{did}", data)))
        if row.done:   # done by the review (or on the date written beside "Done")
            out.append(_record(svc, Fact(FactKind.DECISION_DONE, msg.case_ref, row.done_on or msg.review_date,
                                         f"{msg.name}{tag}:done:{did}",
                                         {"decision_id": did, "record": msg.name, "version": version})))
    data = {"document": msg.name, "version": version, "review_date": msg.review_date.isoformat(),
            "attended": sorted(g for g, present in read.attendance.items() if present),
            "absent": sorted(g for g, present in read.attendance.items() if not present),
            "participation": read.participation, "views": read.views, "concern": read.concern,
            "concern_category": read.concern_category, "read_on": svc.today().isoformat()}
    # dated by the review it records, like its decisions: the annual report counts a review held in its year by
    # what the record says, though the record is completed (and read) up to 15 working days later (004 s3.1)
    out.append(_record(svc, Fact(FactKind.RECORD_READ, msg.case_ref, msg.review_date, f"{msg.name}{tag}:read",
                                 data)))
    out += [_problem(msg, version, p.part, p.row, p.reason) for p in read.problems]
    return out


def _problem(msg: RecordSaved, version: int, part: str, row: int, reason: str) -> Rejected:
    where = f"{part} row {row}" if row else part
    return Rejected("review record", f"{msg.name} {where}: {reason}",
                    "correct the record in the case folder and save it again (it is read again when it changes)",
                    msg.case_ref, {"document": msg.name, "part": part, "row": row, "version": version},
                    key=f"{msg.name}{suffix(version)}:{part}:row{row}:{reason}")


def _record(svc: Services, fact: Fact) -> FactRecorded:
    return FactRecorded(fact, svc.store.record(fact))


def _recorded_ids(svc: Services, case_ref: str) -> set[str]:
    return {str(f.data.get("decision_id")) for f in svc.store.facts(case_ref, [FactKind.DECISION_RECORDED])}


def _previous_review(svc: Services, case_ref: str, review_date: date) -> date | None:
    """The latest earlier review whose decisions were recorded (what a progress row's plain No. refers to)."""
    earlier = {f.on for f in svc.store.facts(case_ref, [FactKind.DECISION_RECORDED]) if f.on < review_date}
    return max(earlier, default=None)


_KINDS = (("no decision text", "no decision text"), ("no decisions are written", "no decisions written"),
          ("the row is empty", "the row is empty"),
          ("the row is still the draft", "the row is still the placeholder"),
          ("no named person", "no named person (000 standard 5)"),
          ("no timescale", "no timescale (000 standard 5)"),
          ("the due date cannot be read", "the due date cannot be read"),
          ("the due date", "the due date is before the review"), ("the row is merged", "the row is merged"))


def _kind(reason: str) -> str:
    """What kind of problem a read-back row has, without the cell's words (doc_templates/readback.py)."""
    return next((kind for prefix, kind in _KINDS if reason.startswith(prefix)), "the row cannot be read")
