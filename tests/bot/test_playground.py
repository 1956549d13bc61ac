"""The bot against Microsoft's own Teams client: the Microsoft 365 Agents Playground (npm, teams_app/tools).

The Playground runs as Teams would around the bot: it installs the app in a personal chat (the bot stores
the conversation reference), emulates the Bot Framework connector at http://localhost:56150/_connector (where
the bot posts its cards proactively), and sends `adaptiveCard/action` invokes and messages to the bot's
endpoint, served by `function_app/bot/devserver.py` around the same Functions trigger. What the bot sent and
answered is read from the Playground's own events recording; the facts from the store.

Its users are the council's people (`.m365agentsplayground.yml`, written here): the current user is the
child's team manager; another team's manager and someone not on the roster try to answer too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO
from tests.support.requires import need

TOOLS = REPO / "teams_app" / "tools"
CLI = TOOLS / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
TEAM_CHANNEL = "team-cic-1"  # the Playground's team: its General channel has the team's id
PORT = 56150  # the Playground's fixed port (its connector's address is in every activity's serviceUrl)
CASE = "CLA-300001"
IRO, SW, TM, OTHER_TM = ("iro.p@council.example", "sw.p@council.example", "tm.p@council.example",
                         "tm.other@council.example")
USERS = [  # (Playground id, name, address): the first is the current user
    ("user-tm", "Cara Manager", TM), ("user-other", "Olu Other", OTHER_TM), ("user-iro", "Ada Iro", IRO),
    ("user-stranger", "Sam Stranger", "sam@elsewhere.example"), ("user-sw", "Ben Worker", SW),
    ("user-spare", "Pat Spare", "pat.spare@council.example"),  # the Playground wants exactly five other users
]


def _config() -> str:
    def user(i: int) -> str:
        uid, name, mail = USERS[i]
        first, last = name.split()
        return (f"  id: {uid}\n  name: {name}\n  userPrincipleName: {mail}\n  aadObjectId: 00000000-0000-0000-0000-"
                f"00000000002{i}\n  givenName: {first}\n  surname: {last}\n  email: {mail}\n")

    others = "".join("  -" + user(i)[1:].replace("\n  ", "\n    ") for i in range(1, len(USERS)))
    return (f'version: "0.1.1"\ntenantId: 00000000-0000-0000-0000-000000000001\nbot:\n  id: 00000000-0000-0000-'
            f"0000-000000000011\n  name: IRO service\ncurrentUser:\n{user(0)}users:\n{others}personalChat:\n"
            "  id: personal-chat-tm\ngroupChat:\n  id: group-chat\n  name: Group Chat\nteam:\n  id: team-cic-1\n"
            "  name: Children in Care 1\n  aadGroupId: 00000000-0000-0000-0000-000000000031\n  channels:\n"
            "    - id: channel-digest\n      name: Digest\n")


class Playground:
    def __init__(self, root: Path, endpoint: str) -> None:
        self.root, self.recording = root, root / "recording.log"
        (root / ".m365agentsplayground.yml").write_text(_config(), encoding="utf-8")
        env = {**os.environ, "TEAMSAPPTESTER_BROWSER": "none", "M365_AGENTS_PLAYGROUND_RECORDING_FILE":
               str(self.recording)}
        self.log = open(root / "playground.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([shutil.which("node") or "node", str(CLI), "-e", endpoint, "-c", "msteams",
                                      "-p", str(PORT), "--er", "--dt"], cwd=root, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.url = f"http://localhost:{PORT}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.config = httpx.get(f"{self.url}/_internal/v1/config", timeout=30).json()["config"]
                break
            except (httpx.HTTPError, ValueError, KeyError):
                time.sleep(0.5)
        else:
            self.stop()
            pytest.fail("the Agents Playground did not start: " + (root / "playground.log").read_text()[-500:])
        self.chat = self.config["personalChat"]["id"]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()

    def events(self) -> list[dict]:
        if not self.recording.exists():
            return []
        return [json.loads(part) for part in self.recording.read_text().split("\n---\n") if part.strip()]

    def sent_by_bot(self, name: str = "message") -> list[dict]:
        return [e for e in self.events() if e["direction"].startswith("User Application")
                and e.get("activityName") == name]

    def install(self, conversation: str = "") -> None:
        r = httpx.post(f"{self.url}/_debug/conversation/{conversation or self.chat}/installation", json={}, timeout=30)
        r.raise_for_status()

    def say(self, text: str, user: str = "user-tm") -> None:
        r = httpx.post(f"{self.url}/_conversation/v1/conversations/{self.chat}/messages",
                       json={"from": {"id": user}, "text": text, "textFormat": "plain"}, timeout=30)
        r.raise_for_status()

    def press(self, message_id: str, verb: str, data: dict, user: str = "user-tm", conversation: str = "") -> dict:
        body = {"name": "adaptiveCard/action", "from": {"id": user}, "conversation": {"id": conversation or self.chat},
                "replyToId": message_id,
                "value": {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}}
        r = httpx.post(f"{self.url}/_conversation/v1/invoke", json=body, timeout=60)
        assert r.status_code == 200, r.text[:500]
        return r.json()


def wait_for(check, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def playground(tmp_path_factory):
    need(shutil.which("node") is not None and CLI.exists(),
         "the Agents Playground is not installed (npm ci in teams_app/tools; `make npm-deps` does it)")
    root = tmp_path_factory.mktemp("playground")
    saved = {k: os.environ.get(k) for k in ("IRO_MODE", "IRO_LOCAL_ROOT", "IRO_TEAMS_BOT", "IRO_BOT_APP_ID",
                                            "IRO_TEAMS_BOT_CHANNELS")}
    os.environ.update(IRO_MODE="local", IRO_LOCAL_ROOT=str(root / "local"), IRO_TEAMS_BOT="1",
                      IRO_TEAMS_BOT_CHANNELS=json.dumps({"team-T1": TEAM_CHANNEL}))
    os.environ.pop("IRO_BOT_APP_ID", None)
    from function_app.bot import host as bot_host
    from function_app.bot.devserver import serve_in_thread

    bot_host._HOST = None
    server = serve_in_thread()
    svc = bot_host.host().svc  # the bot's own services: the store the Playground's answers land in
    _roster(svc)
    pg = Playground(root, f"http://127.0.0.1:{server.server_port}/api/messages")
    try:
        yield pg, svc
    finally:
        pg.stop()
        server.shutdown()
        bot_host._HOST = None
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _roster(svc) -> None:
    from rules.model import Child, Person, Team

    for email, name, role in ((IRO, "Ada Iro", "iro"), (SW, "Ben Worker", "sw"), (TM, "Cara Manager", "tm"),
                              (OTHER_TM, "Olu Other", "tm")):
        svc.store.upsert_person(Person(email, name, role))
    svc.store.upsert_team(Team("T1", "Children in Care 1", TM, "", IRO, "team-T1"))
    svc.store.upsert_team(Team("T2", "Children in Care 2", OTHER_TM, "", "", "team-T2"))
    svc.store.upsert_child(Child(CASE, datetime.now(UTC).date() - timedelta(days=200), "C2", IRO, SW, TM, "T1"))


def _decisions_email(svc, review: str) -> None:
    """The IRO sends the review decisions (the production input: an email the mailbox handler reads)."""
    from function_app import bootstrap
    from function_app.messages import MailArrived
    from graph_clients.ports import MailMessage

    svc.mail.deliver(MailMessage("m-1", svc.service_mailbox, IRO, (svc.service_mailbox,),
                                 f"Review decisions {CASE} review {review}", "", datetime.now(UTC)))
    bootstrap.bus(svc).handle(MailArrived(svc.service_mailbox, "m-1"))


def _sweep(svc) -> None:
    """The daily sweep's timer, as the app runs it (each person's digest)."""
    from function_app import bootstrap
    from function_app.messages import Sweep

    bootstrap.bus(svc).handle(Sweep(datetime.now(UTC).date()))


def _executes(node) -> list[dict]:
    if isinstance(node, dict):
        here = [node] if node.get("type") == "Action.Execute" else []
        return here + [a for v in node.values() for a in _executes(v)]
    return [a for v in node for a in _executes(v)] if isinstance(node, list) else []


def _card_message(pg: Playground, conversation: str = "") -> tuple[str, dict]:
    """The last card the bot posted proactively (to the conversation), and its message id in the Playground."""
    for e in reversed(pg.sent_by_bot()):
        if conversation and e.get("conversationId") != conversation:
            continue
        attachments = e["request"].get("body", e["request"]).get("attachments") or []
        if attachments:
            return str(e["response"]["body"]["id"]), attachments[0]["content"]
    return "", {}


def test_install_card_answer_and_refusals_through_the_playground(playground):
    from graph_clients.ports import CardRoute
    from rules.model import FactKind

    pg, svc = playground
    pg.install()
    ref = wait_for(lambda: svc.store.conversation(f"person:{TM}"), "the conversation reference of the install")
    assert ref.user_id == "user-tm" and ref.service_url.startswith(f"http://localhost:{PORT}/_connector")
    pg.install(TEAM_CHANNEL)
    wait_for(lambda: svc.store.conversation(f"channel:{TEAM_CHANNEL}"), "the team's conversation reference")

    review = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    _decisions_email(svc, review)  # a line of the TM's next digest (notifications.decisions_issued)
    _sweep(svc)                    # the daily digest goes to the TM's chat, through the bot
    digest_id, digest = wait_for(lambda: _card_message(pg, pg.chat)[0] and _card_message(pg, pg.chat),
                                 "the digest in the TM's chat")
    assert digest["body"][0]["id"] == "card-digest"
    opener = next(a for a in _executes(digest) if a["verb"] == "open" and a["data"]["kind"] == "decisions")
    opened = pg.press(digest_id, "open", opener["data"])  # Answer on the digest's line: the decisions card
    card = opened["value"]
    message_id = digest_id
    assert card["body"][0]["id"] == "card-answer_decisions" and card["refresh"]["userIds"] == ["user-tm"]
    data = next(a["card"]["actions"][0]["data"] for a in card["actions"] if a.get("id") == "open-dispute")
    empty = pg.press(message_id, "dispute", {**data, "reason": ""})
    assert "The reason is empty" in json.dumps(empty)
    first = pg.press(message_id, "accept", data)
    again = pg.press(message_id, "accept", data)  # a double click on the same card
    assert "Accepted by Cara Manager" in json.dumps(first) and "Recorded: Accept." in json.dumps(first)
    assert "changed since it was sent" in json.dumps(again)
    [accepted] = svc.store.facts(CASE, [FactKind.DECISIONS_ACCEPTED])
    assert accepted.data["by"] == TM and accepted.data["via"] == "teams"

    # The same question in the team's channel: everyone there sees it; only the child's TM may answer.
    svc.teams.post(CardRoute(channel="team-T1"), card)
    channel_id, channel_card = wait_for(lambda: _card_message(pg, TEAM_CHANNEL)[0] and _card_message(pg, TEAM_CHANNEL),
                                        "the card in the team's channel")
    assert "Accepted by Cara Manager" in json.dumps(channel_card)  # the read-only view, with the answer
    data, thread = {**data, "v": 1}, f"{TEAM_CHANNEL};messageid={channel_id}"  # a channel post starts a thread
    other = pg.press(channel_id, "dispute", {**data, "reason": "Not mine"}, user="user-other", conversation=thread)
    assert "Only the child's team manager" in json.dumps(other)
    stranger = pg.press(channel_id, "dispute", {**data, "reason": "?"}, user="user-stranger", conversation=thread)
    assert "not on the IRO service's roster" in json.dumps(stranger)
    assert not svc.store.facts(CASE, [FactKind.DECISIONS_DISPUTED])

    invokes = [e for e in pg.events() if e.get("activityName") == "invoke" and e["response"]["statusCode"] == 200]
    assert len(invokes) >= 5  # every press went through the Playground to the bot and back

    pg.say("hello")
    wait_for(lambda: any("Answer on a card" in json.dumps(e["request"]) for e in pg.sent_by_bot()),
             "the bot's reply to a message")
