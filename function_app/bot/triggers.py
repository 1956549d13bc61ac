"""The Teams bot's HTTP trigger (route `messages`): Bot Framework activities from Teams.

Cold path: this module imports only azure.functions and the standard library, so indexing the app never
loads the Teams SDK; the SDK is loaded on the first activity (function_app/bot/host.py). Teams waits a few
seconds for an invoke's answer: `make bench` measures the cold import plus the first invoke.
"""

from __future__ import annotations

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("teams_messages")
@bp.route(route="messages", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
def teams_messages(req: func.HttpRequest) -> func.HttpResponse:
    """Activities from Teams: card answers (adaptiveCard/action), installs, messages. The SDK checks the token."""
    from function_app.bot.host import host

    status, body = host().handle(req.get_body() or b"", dict(req.headers))
    return func.HttpResponse(body, status_code=status, mimetype="application/json")
