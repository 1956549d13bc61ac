"""The bot's HTTP trigger: the Teams SDK checks the token on every activity; anonymous only in local mode."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import azure.functions as func

from rules.model import FactKind
from tests.conftest import REPO

INVOKE = {"type": "invoke", "name": "adaptiveCard/action", "id": "a1", "channelId": "msteams",
          "serviceUrl": "https://smba.trafficmanager.net/teams/", "from": {"id": "29:x"},
          "conversation": {"id": "c1"}, "recipient": {"id": "28:bot"},
          "value": {"action": {"type": "Action.Execute", "verb": "accept", "data": {}}}}


def test_an_activity_without_a_valid_token_is_refused_with_401(world, caplog):
    from function_app.bot.host import BotHost, BotSettings

    caplog.set_level(logging.INFO, "iro.bot")
    production = BotHost(lambda: world.svc, BotSettings(app_id="00000000-0000-0000-0000-0000000000aa", local=False))
    assert "validating the Bot Framework token" in caplog.text
    body = json.dumps(INVOKE).encode()
    assert production.handle(body, {})[0] == 401
    assert production.handle(body, {"Authorization": "Bearer not-a-jwt"})[0] == 401
    assert production.handle(body, {"Authorization": "Basic abc"})[0] == 401
    assert production.handle(b"{nope", {})[0] == 400


def test_without_an_app_id_outside_local_mode_everything_is_refused(world, caplog):
    from function_app.bot.host import BotHost, BotSettings

    host = BotHost(lambda: world.svc, BotSettings(local=False))
    assert "every activity is refused with 401" in caplog.text
    assert host.handle(json.dumps(INVOKE).encode(), {})[0] == 401


def test_local_mode_is_anonymous_and_says_so(world, caplog):
    from function_app.bot.host import BotHost, BotSettings

    caplog.set_level(logging.INFO, "iro.bot")
    host = BotHost(lambda: world.svc, BotSettings(local=True))
    assert "LOCAL MODE, accepting activities WITHOUT a token" in caplog.text
    status, body = host.handle(json.dumps(INVOKE).encode(), {})
    assert status == 200 and "cannot be answered" in body.decode()  # the data names no card


def test_the_trigger_is_a_plain_http_function_and_indexing_does_not_load_the_sdk():
    from function_app.local_host import user_function

    assert user_function("teams_messages").__annotations__ == {"req": "func.HttpRequest", "return": "func.HttpResponse"}
    assert func.HttpRequest and func.HttpResponse
    code = "import sys, function_app; print(any(m.startswith('microsoft_teams') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- the cold path (function_app/bot/host.py `answer_cold`): a card invoke answered without the SDK -----------
# what answering needs is the policy (pydantic), the store (SQLAlchemy) and the answer itself; not these
HEAVY = ("microsoft_teams", "msgraph", "kiota_", "docx", "docxtpl", "alembic", "adaptive_cards", "fastapi",
         "azure.identity", "httpx", "opentelemetry", "azure.monitor")
_COLD = """
import json, sys
import function_app.bot.triggers
before = sorted(m for m in sys.modules if m.startswith(HEAVY))
import azure.functions as func

from rules.model import FactKind
from function_app.local_host import user_function
body = {"type": "invoke", "name": "adaptiveCard/action", "id": "a1", "channelId": "msteams",
        "serviceUrl": "http://127.0.0.1:9/_connector", "from": {"id": "29:tm"}, "recipient": {"id": "28:bot"},
        "conversation": {"id": "c1", "conversationType": "personal"},
        "value": {"action": {"type": "Action.Execute", "verb": "accept",
                             "data": {"kind": "decisions", "case_ref": sys.argv[1], "subject": sys.argv[2], "v": 0}}}}
r = user_function("teams_messages")(func.HttpRequest("POST", "http://x/api/messages", body=json.dumps(body).encode()))
after = sorted(m for m in sys.modules if m.startswith(HEAVY))
print(json.dumps({"before": before, "after": after, "status": r.status_code, "body": r.get_body().decode()}))
"""


def test_the_trigger_module_and_a_cold_first_invoke_load_no_heavy_module(tmp_path):
    from bench.bench_bot import CASE as BENCH_CASE
    from bench.bench_bot import _seed

    subject = _seed(tmp_path)
    env = {"IRO_MODE": "local", "IRO_LOCAL_ROOT": str(tmp_path), "PATH": "/usr/bin:/bin"}
    code = f"HEAVY = {HEAVY!r}\n" + _COLD
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code, BENCH_CASE, subject], cwd=REPO, env=env,
                         capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["before"] == []                                   # indexing the trigger module
    assert seen["status"] == 200 and "Recorded: Accept." in seen["body"]
    assert seen["after"] == []                                    # answering the first invoke


def _invoke(verb: str, subject: str, user_id: str = "29:tm", **extra) -> dict:
    from tests.app.world import CASE

    return {**INVOKE, "from": {"id": user_id}, "conversation": {"id": "c1", "conversationType": "personal"},
            "value": {"action": {"type": "Action.Execute", "verb": verb,
                                 "data": {"kind": "decisions", "case_ref": CASE, "subject": subject, "v": 0}}},
            **extra}


def _sent(world) -> str:
    from datetime import date

    from store.records import ConversationRef
    from tests.app.world import CASE, IRO, TM

    world.clock.set(date(2026, 3, 3))
    world.email(IRO, f"Review decisions {CASE} review 2026-03-02")
    world.svc.store.save_conversation(ConversationRef(f"person:{TM}", "c1", "http://x", TM, "29:tm"))
    return "2026-03-02"


def test_the_cold_path_answers_as_the_sdk_does(tmp_path):
    from function_app.bot.host import BotHost, BotSettings, answer_cold
    from tests.app.world import make_world

    cold_world, sdk_world = make_world(tmp_path / "cold"), make_world(tmp_path / "sdk")
    try:
        body = json.dumps(_invoke("accept", _sent(cold_world))).encode()
        _sent(sdk_world)
        local = BotSettings(local=True)
        cold = answer_cold(body, {}, local, lambda: cold_world.svc)
        sdk = BotHost(lambda: sdk_world.svc, local).handle(body, {})
        assert cold is not None and cold[0] == sdk[0] == 200
        def same(body: bytes, root) -> dict:  # the case folder link names each world's own folder
            return json.loads(body.decode().replace(root.resolve().as_uri(), "ROOT").replace(str(root), "ROOT"))

        assert same(cold[1], tmp_path / "cold") == same(sdk[1], tmp_path / "sdk")
        assert "Recorded: Accept." in cold[1].decode()
        # what the cold path leaves to the SDK: other activities, and a presser the bot has no reference for
        message = json.dumps({**INVOKE, "type": "message"}).encode()
        assert answer_cold(message, {}, local, lambda: cold_world.svc) is None
        assert answer_cold(b"{nope", {}, local, lambda: cold_world.svc)[0] == 400
        unknown = json.dumps(_invoke("accept", "2026-03-02", user_id="29:nobody")).encode()
        assert answer_cold(unknown, {}, local, lambda: cold_world.svc) is None
    finally:
        cold_world.svc.store.close()
        sdk_world.svc.store.close()


def test_the_cold_path_checks_the_bot_framework_token(world, monkeypatch):
    import time
    from types import SimpleNamespace

    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    from function_app.bot import host as bot_host

    app_id = "00000000-0000-0000-0000-0000000000aa"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    keys = SimpleNamespace(get_signing_key_from_jwt=lambda raw: SimpleNamespace(key=key.public_key()))
    monkeypatch.setitem(bot_host._KEYS, bot_host.BOT_FRAMEWORK_KEYS, keys)

    def token(**claims) -> dict[str, str]:
        now = int(time.time())
        base = {"iss": bot_host.BOT_FRAMEWORK_ISSUER, "aud": app_id, "iat": now, "nbf": now, "exp": now + 600,
                "serviceurl": INVOKE["serviceUrl"]}
        return {"Authorization": "Bearer " + jwt.encode({**base, **claims}, key, algorithm="RS256")}

    subject = _sent(world)
    body = json.dumps(_invoke("accept", subject)).encode()
    production = bot_host.BotSettings(app_id=app_id, local=False)

    def cold(headers):
        return bot_host.answer_cold(body, headers, production, lambda: world.svc)

    assert cold({})[0] == 401
    assert cold({"Authorization": "Bearer not-a-jwt"})[0] == 401
    assert cold(token(aud="someone-else"))[0] == 401
    assert cold(token(exp=int(time.time()) - 3600))[0] == 401
    assert cold(token(serviceurl="https://elsewhere.example/"))[0] == 401
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode({"iss": bot_host.BOT_FRAMEWORK_ISSUER, "aud": app_id, "exp": int(time.time()) + 600}, other,
                        algorithm="RS256")
    assert cold({"Authorization": f"Bearer {forged}"})[0] == 401
    # an Entra-issued token (Agent 365) is the SDK's to judge
    assert cold(token(iss="https://login.microsoftonline.com/t/v2.0")) is None
    assert world.facts(FactKind.DECISIONS_ACCEPTED) == []
    status, answered = cold(token())
    assert status == 200 and "Recorded: Accept." in answered.decode()


def test_the_store_at_head_is_not_handed_to_alembic_and_heads_are_alembics():
    from alembic.script import ScriptDirectory

    from store.migrate import alembic_config, heads

    assert heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
