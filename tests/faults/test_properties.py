"""Property tests (hypothesis): hostile webhook bodies, queue bodies, subjects, policy YAML and CSVs give
answers, problems or PolicyErrors: never an unhandled exception (issue 10, deliverable 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from function_app import envelope, runtime
from rules.errors import InputError, PolicyError
from tests.app.functions import Out, post, user_function
from tests.app.world import IRO, SERVICE, make_world

SECRET = "prop-state"
QUICK = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                                                     max_size=4), max_leaves=20)
fields = st.sampled_from(["subscriptionId", "clientState", "changeType", "resource", "resourceData",
                          "lifecycleEvent", "tenantId"])
items = st.dictionaries(fields, json_values | st.just(SECRET) | st.just("Users/a/Events/b"), max_size=7)
bodies = (st.binary(max_size=300)
          | json_values.map(lambda v: json.dumps(v).encode())
          | st.lists(items | json_values, max_size=5).map(lambda v: json.dumps({"value": v}).encode()))


@QUICK
@given(body=bodies, lifecycle=st.booleans())
def test_any_webhook_body_gets_202_or_400_and_queue_messages_that_fit(body, lifecycle):
    import os

    os.environ["IRO_CLIENT_STATE"] = SECRET
    out = Out()
    resp = user_function("graph_lifecycle" if lifecycle else "graph_webhook")(post("notifications", body), out)
    assert resp.status_code in (202, 400)
    assert all(len(m.encode()) <= envelope.QUEUE_MESSAGE_BYTES for m in out.value or [])


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = make_world(tmp_path_factory.mktemp("props"))
    yield w
    w.svc.store.close()


envelopes = st.fixed_dictionaries({"v": st.just(1), "kind": st.sampled_from(["notification", "lifecycle",
                                                                            "rejected"]) | st.text(max_size=5),
                                   "item": items | json_values}).map(json.dumps)


@QUICK
@given(body=envelopes | st.text(max_size=200) | json_values.map(json.dumps))
def test_any_queue_message_is_handled_or_recorded_and_so_is_its_poison(world, body):
    runtime.process_queue_message(body, bus=world.bus)  # no exception: a raise would retry it, then poison it
    runtime.report_poison(body, bus=world.bus)


@QUICK
@given(subject=st.text(max_size=80), tail=st.from_regex(r"review \d{4}-\d{2}-\d{2}", fullmatch=True))
def test_any_subject_is_a_fact_or_a_problem(world, subject, tail):
    world.email(IRO, f"{subject} CLA-100001 {tail}"[:200], subject, mailbox=SERVICE)


yaml_texts = st.text(alphabet=st.sampled_from(list("ab: -[]{}\n'\"&*!?|>#%0123456789.")), max_size=200)


@QUICK
@given(text=yaml_texts | st.text(max_size=100))
def test_any_policy_text_is_a_policy_or_a_policy_error(text):
    from rules.policy import parse_policy

    try:
        parse_policy(text, "p.yaml")
    except PolicyError as exc:
        assert exc.file == "p.yaml" and exc.fix


def _leaves(node, at=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*at, i))
    else:
        yield at


def _default_policy_data():
    import yaml

    from rules.policy import DEFAULT_POLICY

    return yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8"))


_LEAVES = list(_leaves(_default_policy_data()))
odd_values = (json_values | st.sampled_from([-1, 0, 10**12, 1.5, "2026-02-30", "99999 working days", "{x.y}",
                                              "%s", "", None, True]))


@QUICK
@given(where=st.sampled_from(_LEAVES), value=odd_values, drop=st.booleans())
def test_any_mutation_of_the_default_policy_is_a_policy_or_a_policy_error(where, value, drop):
    """One field of the council's policy replaced by anything (or removed): a valid policy, or a PolicyError
    naming the file and a fix; never another exception (the probe over all 670 fields x 10 values agrees)."""
    import copy

    import yaml

    from rules.policy import parse_policy

    data = copy.deepcopy(_default_policy_data())
    node = data
    for part in where[:-1]:
        node = node[part]
    if drop and isinstance(node, dict):
        del node[where[-1]]
    else:
        node[where[-1]] = value
    try:
        parse_policy(yaml.safe_dump(data), "council.yaml")
    except PolicyError as exc:
        assert exc.file == "council.yaml" and exc.fix


@QUICK
@given(rows=st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=10), max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_csv_is_imported_by_row_or_refused_whole(tmp_path_factory, rows, encoding):
    import csv
    import io

    from store import open_store
    from store.imports import import_roster

    folder = tmp_path_factory.mktemp("csv")
    text = io.StringIO()
    csv.writer(text).writerows([["case_ref", "looked_after_since", "legal_status", "iro", "sw", "tm", "team",
                                 "case_folder"], *rows])
    path = Path(folder) / "roster.csv"
    path.write_bytes(text.getvalue().encode(encoding, errors="replace"))
    store = open_store(f"sqlite:///{folder / 's.sqlite'}")
    try:
        import_roster(store, path)
    except InputError:
        pass  # the whole file refused, with the reason (a header it cannot use)
    finally:
        store.close()
