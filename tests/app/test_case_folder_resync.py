"""A lost sync state, as Graph's driveItem delta documents it: 410 Gone with resyncChangesApplyDifferences and
a Location header whose nextLink starts a fresh enumeration from scratch. A fresh enumeration lists today's
items only, never a `deleted` one, so "compare the returned items with your local state": a completed record
read before and deleted while the link was lost is still reported, once, end to end (notification -> delta ->
resync -> problem), and nothing read before is read twice."""

from __future__ import annotations

import httpx

from rules.model import FactKind
from tests.app.test_case_folder import TWO, record
from tests.app.test_case_folder_graph import DRAFT, FOLDER, NAME, REVIEW, app, facts, notify  # noqa: F401
from tests.support.graph_standin.fixtures import *  # noqa: F403


def test_the_stand_in_answers_a_lost_link_as_graph_documents(graph_standin):
    url = f"{graph_standin.base_url}/drives/{graph_standin.drive_id}/root/delta"
    first = httpx.get(url).json()["@odata.deltaLink"]
    graph_standin.forget_delta_tokens()
    gone = httpx.get(first)
    assert gone.status_code == 410
    assert gone.json()["error"]["code"] in ("resyncChangesApplyDifferences", "resyncChangesUploadDifferences")
    fresh = httpx.get(gone.headers["Location"])               # the nextLink of a fresh enumeration
    assert fresh.status_code == 200 and "@odata.deltaLink" in fresh.json()


def test_a_record_deleted_while_the_link_was_lost_is_still_reported_once(app):  # noqa: F811
    bus, standin, sub_id = app
    item = standin.put_file(FOLDER, NAME, record(REVIEW, TWO), {**DRAFT, "Status": "Final"})
    standin.put_file(FOLDER, f"{NAME[:-5]}_letter.docx", b"not a record")
    notify(bus, standin, sub_id)
    assert len(facts(bus, FactKind.DECISION_RECORDED)) == 2
    total = len(bus.services.store.facts(NAME.split("_")[0]))
    standin.forget_delta_tokens()
    standin.delete_item(item)
    notify(bus, standin, sub_id)                                   # 410, then the fresh enumeration
    assert any(r.status == 410 for r in standin.calls("GET", r"/root/delta"))
    deleted = [p for p in bus.services.store.problems() if "was deleted from the case folder" in p.reason]
    assert len(deleted) == 1 and deleted[0].payload["item"] == item
    assert len(bus.services.store.facts(NAME.split("_")[0])) == total   # what was read stays, nothing doubled
    notify(bus, standin, sub_id)
    assert len([p for p in bus.services.store.problems() if "was deleted" in p.reason]) == 1


def test_a_drive_subscription_graph_removed_is_recreated_and_its_library_caught_up_at_once(app):  # noqa: F811
    from function_app import runtime

    bus, standin, sub_id = app
    standin.remove_subscription(sub_id)              # Graph sends no subscriptionRemoved for a drive root
    standin.put_file(FOLDER, NAME, record(REVIEW, TWO), {**DRAFT, "Status": "Final"})   # and no notification
    runtime.renew_subscriptions(bus=bus)
    assert [s for s in standin.subscriptions.values() if s.resource.startswith("drives/")]
    assert len(facts(bus, FactKind.DECISION_RECORDED)) == 2      # not left for the daily catch-up
    assert not bus.services.store.get_state(f"catch-up:drive:{standin.drive_id}")
