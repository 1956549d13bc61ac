"""Two handlings at once on one Services, as the worker runs them (host.json's queue batch, the bot's answers
on threads): each keeps its own state (function_app/once.Run), so neither's effects are journalled to the
other's action, and one's failed part is never cleared by the other finishing."""

from __future__ import annotations

import threading

import pytest

from function_app import once as once_mod
from function_app import runtime
from tests.app.world import CASE, World

WAIT = 10  # seconds: a generous bound, so a broken interleaving fails the test instead of hanging it


class Teams:
    def __init__(self) -> None:
        self.posted: list[tuple] = []

    def post(self, *args, **kwargs):
        self.posted.append(args)


def _thread(target) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def run():
        try:
            out["result"] = target()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def test_actions_overlapping_on_two_threads_journal_their_own_effects(world: World):
    """A starts its action and posts, B starts one, A ends, then B posts and ends: each card is journalled to
    its own action (B's too, though A ended in between), and an action started afterwards still posts."""
    svc = world.svc
    svc.teams = teams = Teams()
    a_in, b_in, a_done = threading.Event(), threading.Event(), threading.Event()

    def a_action():
        once_mod.effect(svc.teams, "post", "route-a", "card-a")
        a_in.set()
        assert b_in.wait(WAIT)

    def b_action():
        assert a_in.wait(WAIT)
        b_in.set()
        assert a_done.wait(WAIT)
        once_mod.effect(svc.teams, "post", "route-b", "card-b")

    def a():
        try:
            return once_mod.once(svc, "overlap-a", "card", CASE, a_action)
        finally:
            a_done.set()

    (ta, ra), (tb, rb) = _thread(a), _thread(lambda: once_mod.once(svc, "overlap-b", "card", CASE, b_action))
    ta.join(WAIT), tb.join(WAIT)
    assert ra == {"result": True} and rb == {"result": True}
    assert [svc.store.action(k).effects for k in ("overlap-a", "overlap-b")] == [1, 1]
    assert once_mod.once(svc, "after", "card", CASE, lambda: once_mod.effect(svc.teams, "post", "route-c", "c"))
    assert teams.posted == [("route-a", "card-a"), ("route-b", "card-b"), ("route-c", "c")]
    assert svc.store.action("after").effects == 1 and svc.store.pending_actions() == []


def test_a_failed_part_is_not_cleared_by_another_invocation_finishing(world: World):
    """A's isolated part fails; B's invocation starts and finishes meanwhile. A still fails afterwards, so
    the host runs it again; B, whose parts all ran, succeeds."""
    a_failed, b_done = threading.Event(), threading.Event()

    def broken():
        raise ConnectionError("the network, for a moment")

    def a_handle(_message):
        once_mod.isolated(world.svc, "part", CASE, broken)
        a_failed.set()
        assert b_done.wait(WAIT)
        return 1

    def b_handle(_message):
        assert a_failed.wait(WAIT)
        return 1

    ta, ra = _thread(lambda: runtime.finish(world.bus, a_handle, "message A"))
    assert a_failed.wait(WAIT)
    tb, rb = _thread(lambda: runtime.finish(world.bus, b_handle, "message B"))
    tb.join(WAIT)
    b_done.set()
    ta.join(WAIT)
    assert rb == {"result": 1}
    assert isinstance(ra.get("error"), runtime.Incomplete) and "ConnectionError" in str(ra["error"])


def test_each_outside_an_action_is_a_programming_error(world: World):
    with pytest.raises(RuntimeError, match="inside once"):
        once_mod.each(world.svc, ["a@council.example"], lambda to: to)


def test_every_effect_of_the_app_goes_through_once_effect():
    """A card posted or an email sent straight through the port would escape the action's journal: a retake
    would repeat it. The app's only senders are notices/deliver.post and .send_mail, which use once.effect."""
    import re
    from pathlib import Path

    import function_app

    root = Path(function_app.__file__).parent
    direct = [f"{p.relative_to(root)}:{n}" for p in root.rglob("*.py")
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\.(teams\.post|mail\.send)\(", line)]
    assert direct == []
