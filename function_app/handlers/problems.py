"""Bad input, recorded for a person: the IRO or the service sees it in the problems list and the digest."""

from __future__ import annotations

import logging

from function_app.bus import uses
from function_app.messages import Rejected
from function_app.once import once
from function_app.services import Services

log = logging.getLogger("iro.problems")


@uses("done_actions", "now", "store")
def on_rejected(msg: Rejected, svc: Services) -> None:
    def record() -> dict:
        pid = svc.store.record_problem(msg.source, msg.reason, msg.what_to_do, msg.case_ref, dict(msg.payload))
        log.warning("problem %s recorded from %s (case %s)", pid, msg.source, msg.case_ref or "-")
        return {"problem_id": pid}

    if msg.key:
        once(svc, f"problem:{msg.key}", "problem", msg.case_ref or "", record)
    else:
        record()
