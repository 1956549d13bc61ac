"""The Teams bot's HTTP trigger (route `messages`): Bot Framework activities from Teams.

Cold path: this module imports only azure.functions and the standard library, so indexing the app never
loads the Teams SDK; the SDK is loaded on the first activity (function_app/bot/host.py). Teams waits a few
seconds for an invoke's answer, and a cold instance needs more than that to load the SDK, the store and the
policy (`make bench` measures it), so the warm-up trigger builds the bot when the platform adds an instance
(Flex Consumption with an always-ready instance, or Premium: docs/teams.md), before any activity arrives.
"""

from __future__ import annotations

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("teams_messages")
@bp.route(route="messages", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
def teams_messages(req: func.HttpRequest) -> func.HttpResponse:
    """Activities from Teams: card answers (adaptiveCard/action), installs, messages. The SDK checks the token."""
    from function_app.bot.host import handle

    status, body = handle(req.get_body() or b"", dict(req.headers))
    return func.HttpResponse(body, status_code=status, mimetype="application/json")


@bp.function_name("teams_bot_warm_up")
@bp.warm_up_trigger(arg_name="warmup")
def teams_bot_warm_up(warmup: func.warmup.WarmUpContext) -> None:
    """A new instance: load the Teams SDK and open the store before Teams sends its first invoke."""
    from function_app.bot.host import host

    host().svc  # noqa: B018 - building it is the point
