"""Resolution clocks (004 s5.1-5.2, App. 1, App. 3; Handbook 6.2): each formal stage's clocks and the cap.

For every stage a resolution has been in (stage1..stage3), each policy clock that starts at that stage
(`start: resolution_stageN`, e.g. the TM's meeting in 5 and written response in 10 working days) runs from
the day the stage began, and is met by the first fact of its kind for that resolution (and that stage, when
the fact names one) from that day until the stage ended. A stage that ended (escalated, bypassed, resolved)
on or before the due date without the fact is met on the day it ended: nothing more was owed; one that
ended after it is missed. A stage-1 entry that set its own timeline (`respond_by`, 004 s5.1) is due then.
A stage owner granted more time (`resolution_time_asked` while the stage ran, the bot's "Ask for more time")
owes the stage's response on the date granted instead (the latest asked), never past the cap's due date.

The cap (`start: resolution_formal`, 20 working days) runs from the day the resolution first entered a
formal stage and is met when it is resolved (or closed as good practice); past it, the policy's
`on_breach` names the Assistant Director of Quality Assurance (004 App. 1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rules.clock_math import Run, shift
from rules.model import Fact, FactKind
from rules.resolution import FORMAL, KINDS, Resolution, replay


def _for(rid: str, stage: str) -> Callable[[Fact], bool]:
    """Facts about resolution `rid` that name `stage` (or no stage at all)."""

    def keep(f: Fact) -> bool:
        named = str(f.data.get("stage") or "").replace(" ", "").lower()
        return str(f.data.get("resolution_id") or "") == rid and named in ("", stage, stage[-1:])

    return keep


def cap_due(run: Run, res: Resolution) -> date | None:
    """The day the whole formal process is due by (the policy's cap clock), None before a formal stage."""
    began = res.formal_started_on
    cap = run.policy.clocks.get(run.policy.resolution.cap_clock)
    return shift(run.cal, began, cap) if began is not None and cap is not None else None


def granted(run: Run, res: Resolution, stage: str, began: date, ended: date | None) -> date | None:
    """The response date the stage's owner was granted while the stage ran (the latest asked), within the cap."""
    keep = _for(res.id, stage)
    asked = [f for f in run.case.of(FactKind.RESOLUTION_TIME_ASKED)
             if keep(f) and f.data.get("until") and began <= f.on and (ended is None or f.on <= ended)]
    if not asked:
        return None
    until = date.fromisoformat(str(max(asked, key=lambda f: (f.on, str(f.data.get("at") or ""), f.key))
                                   .data["until"])[:10])
    cap = cap_due(run, res)
    return min(until, cap) if cap else until


def _stage_clocks(run: Run, res: Resolution) -> None:
    for stage, began, ended in res.stage_spans():
        if stage not in FORMAL or run.settled(ended is not None):
            continue
        response_clock = run.policy.resolution.stages[stage].response_clock  # type: ignore[index]
        more_time = granted(run, res, stage, began, ended)
        for cid, clock in run.clocks(f"resolution_{stage}"):
            if cid == response_clock and more_time is not None:
                due = more_time
            elif cid == response_clock and stage == "stage1" and res.respond_by:
                due = res.respond_by
            else:
                due = shift(run.cal, began, clock)
            met = run.case.first_matching(clock.met_by, began, _for(res.id, stage)) if clock.met_by else None
            if met is not None and ended is not None and met > ended:
                met = None  # answered after the stage had ended: belongs to a later stage
            if met is None and ended is not None and ended <= due:
                met = ended  # the stage ended in time: nothing more was owed
            run.emit(cid, clock, due, met, ended is not None, began, res.id)


def _formal_clocks(run: Run, res: Resolution) -> None:
    began = res.formal_started_on
    if began is None or run.settled(not res.is_open):
        return
    for cid, clock in run.clocks("resolution_formal"):
        met: date | None
        if clock.met_by in (None, FactKind.RESOLUTION_RESOLVED):
            met = res.closed_on
        else:
            met = run.case.first_matching(clock.met_by, began, _for(res.id, ""))
        run.emit(cid, clock, shift(run.cal, began, clock), met, False, began, res.id)


def resolution_deadlines(run: Run) -> None:
    """Emit every resolution clock of the case."""
    if not (run.case.of(FactKind.RESOLUTION_RAISED) or run.case.of(FactKind.GOOD_PRACTICE)):
        return
    facts = [f for kind in KINDS for f in run.case.of(kind)]
    for res in replay(facts):
        _stage_clocks(run, res)
        _formal_clocks(run, res)
