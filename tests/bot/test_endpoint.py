"""The bot's HTTP trigger: the Teams SDK checks the token on every activity; anonymous only in local mode."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import azure.functions as func

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
