"""Microsoft's Teams SDK for Python (`microsoft-teams-apps`) hosted inside the Functions HTTP trigger.

The SDK ships no Azure Functions adapter, but it takes any web framework through its `HttpServerAdapter`
protocol: `FunctionsAdapter` is that adapter for a trigger (it only keeps the SDK's route handler, which the
trigger calls with the request's JSON body and headers). So the SDK itself validates the Bot Framework token
on every activity (401 otherwise), parses the activity, routes it to the handlers below and shapes the invoke
response: none of that is ours.

- `adaptiveCard/action` invokes -> function_app/bot/answers.py (the answer becomes a fact through the bus;
  the response is the refreshed card).
- installation and conversation updates -> the conversation reference is stored (store.conversations), so
  cards can be posted proactively (graph_clients/teams/bot_delivery.py); the person's address comes from the
  Teams roster of the conversation (members API), never from what the client claims.
- messages -> a short reply saying what the bot does (it takes answers on cards, not free text).

Anonymous requests are accepted only in local mode without an app id (the Agents Playground, `iro teams
serve`), and that is logged at start-up. The SDK is imported on the first activity, never when the Functions
worker indexes the app (function_app/bot/triggers.py); `make bench` measures that cold start.

Cold start (`handle`, what the trigger calls): importing the SDK takes about two seconds, most of Teams'
deadline for an invoke. So until the SDK's App is built (the warm-up trigger, an install or a message builds
it), an `adaptiveCard/action` invoke from a person the bot already knows (their stored 1:1 reference) is
answered without it: the Bot Framework token is checked with PyJWT, the library the SDK itself uses, against
the same issuer, keys, audiences and `serviceurl` claim as the SDK's `InboundActivityTokenValidator` (401
otherwise), and the answer is the same `_card_answer` the SDK's handler returns. Anything else (another
activity, an Entra-issued token, a presser with no stored reference, whose address needs the members API)
goes to the SDK. tests/bot/test_endpoint.py checks both paths answer alike and what the cold path imports.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("iro.bot")
ROUTE = "/api/messages"


@dataclass(frozen=True)
class BotSettings:
    """IRO_BOT_APP_ID (the Entra app / bot id), IRO_BOT_TENANT_ID, and either IRO_BOT_APP_SECRET (Key Vault)
    or MANAGED_IDENTITY_CLIENT_ID (the SDK's federated credential); IRO_MODE=local allows anonymous use.
    Read from the app's settings (function_app/settings.py), never from the environment directly."""

    app_id: str = ""
    password: str = ""
    tenant_id: str = ""
    local: bool = False

    @classmethod
    def from_env(cls) -> BotSettings:
        from function_app.settings import AppSettings

        s = AppSettings.from_env()
        return cls(s.bot_app_id, s.bot_app_secret, s.bot_tenant_id, s.mode == "local")

    @property
    def anonymous(self) -> bool:
        return self.local and not self.app_id


class FunctionsAdapter:
    """The SDK's HttpServerAdapter for a Functions trigger: the trigger owns the HTTP server."""

    def __init__(self) -> None:
        self.handler: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]] | None = None

    def register_route(self, method: str, path: str, handler: Callable[..., Awaitable[dict[str, Any]]]) -> None:
        self.handler = handler

    def serve_static(self, path: str, directory: str) -> None:  # no static files on the bot route
        return None

    async def start(self, port: int) -> None:
        raise NotImplementedError("the Functions host (or `iro teams serve`) serves the bot")

    async def stop(self) -> None:
        return None


class BotHost:
    """One SDK App per process; `handle(body, headers)` answers one HTTP request to the bot route."""

    def __init__(self, services_factory: Callable[[], Any], settings: BotSettings | None = None) -> None:
        from microsoft_teams.apps import App

        self.settings = settings or BotSettings.from_env()
        self._services_factory = services_factory
        self._svc: Any = None
        self.adapter = FunctionsAdapter()
        options: dict[str, Any] = {"http_server_adapter": self.adapter, "messaging_endpoint": ROUTE}
        if self.settings.app_id:
            options.update(client_id=self.settings.app_id, tenant_id=self.settings.tenant_id or None)
            if self.settings.password:
                options["client_secret"] = self.settings.password
        elif self.settings.anonymous:
            options["dangerously_allow_unauthenticated_requests"] = True
        self.app = App(**options)
        _register(self)
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="teams-sdk", daemon=True).start()
        self.run(self.app.initialize())
        if self.settings.anonymous:
            log.warning("Teams bot: LOCAL MODE, accepting activities WITHOUT a token (no IRO_BOT_APP_ID set)")
        elif not self.settings.app_id:
            log.error("Teams bot: IRO_BOT_APP_ID is not set: every activity is refused with 401")
        else:
            log.info("Teams bot: validating the Bot Framework token on every activity")

    @property
    def svc(self) -> Any:
        if self._svc is None:
            self._svc = self._services_factory()
        return self._svc

    def run(self, coro: Awaitable[Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def send(self, ref: Any, card: dict[str, Any]) -> str:
        """Post a card proactively (graph_clients/teams/bot_delivery.py calls this)."""
        from graph_clients.teams.bot_delivery import sdk_sender

        return sdk_sender(self.app.api, self.run)(ref, card)

    def handle(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        try:
            activity = json.loads(body or b"{}")
        except ValueError:
            return 400, b'{"error": "the body is not JSON"}'
        if not isinstance(activity, dict):
            return 400, b'{"error": "the body is not an activity"}'
        assert self.adapter.handler is not None, "the SDK registered no route"
        lowered = {k.lower(): v for k, v in headers.items()}
        response = self.run(self.adapter.handler({"body": activity, "headers": lowered}))
        status, payload = int(response.get("status", 200)), response.get("body")
        return status, (json.dumps(payload).encode() if payload is not None else b"")


def _register(host: BotHost) -> None:
    from microsoft_teams.api import (
        AdaptiveCardInvokeActivity,
        ConversationUpdateActivity,
        InstallUpdateActivity,
        MessageActivity,
    )
    from microsoft_teams.apps import ActivityContext

    app = host.app

    @app.on_card_action
    async def on_card_action(ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> dict[str, Any]:
        actor = await _actor(host, ctx)
        return await asyncio.to_thread(_answer, host, ctx, actor)

    @app.on_installation_update
    async def on_install(ctx: ActivityContext[InstallUpdateActivity]) -> None:
        await _remember(host, ctx)

    @app.on_conversation_update
    async def on_conversation(ctx: ActivityContext[ConversationUpdateActivity]) -> None:
        await _remember(host, ctx)

    @app.on_message
    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        await _remember(host, ctx)
        await ctx.send("I post the IRO service's cards here. Answer on a card with its buttons; for anything "
                       "else, write to your IRO or the IRO service.")


def _answer(host: BotHost, ctx: Any, actor: str) -> dict[str, Any]:
    activity = ctx.activity
    action = activity.value.action
    return _card_answer(host.svc, action.verb or "", action.data or {}, actor, activity.id or "")


def _card_answer(svc: Any, verb: str, data: Mapping[str, Any], actor: str, activity_id: str) -> dict[str, Any]:
    """The invoke response to one press (both paths): the answer through the bus, the refreshed card."""
    from function_app import bootstrap
    from function_app.bot.answers import Answer, answer

    a = Answer.from_invoke(verb, data, actor, activity_id)
    out = answer(svc, bootstrap.bus(svc), a, user_ids=_user_ids(svc, a))
    log.info("card answer %s on %s: %s", a.verb, a.case_ref or "-", "recorded" if out.fact else
             ("refused" if out.refused else "shown"))
    return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": out.card}


async def _actor(host: BotHost, ctx: Any) -> str:
    """Who pressed: their stored 1:1 reference, else the conversation's roster (members API), by Teams id."""
    user_id = ctx.activity.from_.id
    ref = await asyncio.to_thread(host.svc.store.conversation_of_user, user_id)
    if ref is not None:
        return ref.upn
    return await _member_address(ctx, user_id)


async def _member_address(ctx: Any, user_id: str) -> str:
    conversation = ctx.activity.conversation.id.split(";messageid=")[0]  # a channel thread's conversation
    try:
        member = await ctx.api.conversations.members(conversation).get(user_id)
    except Exception as exc:  # noqa: BLE001 - without the roster's address the press is refused
        log.warning("Teams bot: could not read the member's address (%s)", type(exc).__name__)
        return ""
    return (member.user_principal_name or member.email or "").lower()


def _user_ids(svc: Any, a: Any) -> tuple[str, ...]:
    from function_app.bot.delivery import concerned_ids

    try:
        return concerned_ids(svc, a.kind, a.case_ref, a.subject)
    except Exception:  # noqa: BLE001 - the refresh list is a nicety; the answer stands without it
        return ()


async def _remember(host: BotHost, ctx: Any) -> None:
    """Keep the conversation reference: 1:1 chats by the person's address, channels by their Teams id."""
    from store.records import ConversationRef

    activity = ctx.activity
    conv = activity.conversation
    channel = (getattr(activity, "channel_data", None) and getattr(activity.channel_data, "channel", None))
    base = {"conversation_id": conv.id, "service_url": activity.service_url or "",
            "tenant_id": getattr(conv, "tenant_id", "") or "", "bot_id": activity.recipient.id if activity.recipient
            else ""}
    if conv.conversation_type == "channel" and channel is not None:
        await asyncio.to_thread(host.svc.store.save_conversation, ConversationRef(f"channel:{channel.id}", **base))
        return
    if conv.conversation_type not in (None, "personal"):
        return
    user = activity.from_
    upn = await _member_address(ctx, user.id)
    if not upn:
        return
    ref = ConversationRef(f"person:{upn}", upn=upn, user_id=user.id, aad_object_id=user.aad_object_id or "", **base)
    await asyncio.to_thread(host.svc.store.save_conversation, ref)


_HOST: BotHost | None = None
_SVC: Any = None
_SETTINGS: BotSettings | None = None
_LOCK = threading.RLock()


def host() -> BotHost:
    """The process's bot (built on the first activity the cold path does not answer, or by the warm-up)."""
    global _HOST
    with _LOCK:
        if _HOST is None:
            _HOST = BotHost(services, settings())
        return _HOST


def services() -> Any:
    """The process's Services (one for both paths)."""
    global _SVC
    with _LOCK:
        if _SVC is None:
            from function_app import bootstrap

            _SVC = bootstrap.from_environment()
        return _SVC


def settings() -> BotSettings:
    global _SETTINGS
    with _LOCK:
        if _SETTINGS is None:
            _SETTINGS = BotSettings.from_env()
        return _SETTINGS


def handle(body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
    """One request to the bot route (the trigger): the cold path while the SDK is not loaded, else the SDK."""
    if _HOST is None:
        quick = answer_cold(body, headers, settings(), services)
        if quick is not None:
            return quick
    return host().handle(body, headers)


# --- the cold path ------------------------------------------------------------------------------------
# The SDK's public-cloud Bot Framework values (microsoft_teams.api.auth.cloud_environment.PUBLIC and
# microsoft_teams.apps.auth.token_validator): the connector's issuer, its signing keys, the clock skew allowed.
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_KEYS = "https://login.botframework.com/v1/.well-known/keys"
LEEWAY_SECONDS = 300
_KEYS: dict[str, Any] = {}
_UNAUTHORIZED = (401, b'{"error": "Unauthorized"}')


def answer_cold(body: bytes, headers: Mapping[str, str], bot: BotSettings,
                services_factory: Callable[[], Any]) -> tuple[int, bytes] | None:
    """The response to a card invoke without the SDK, or None when the SDK must judge the request."""
    try:
        activity = json.loads(body or b"{}")
    except ValueError:
        return 400, b'{"error": "the body is not JSON"}'
    if not (isinstance(activity, dict) and activity.get("type") == "invoke"
            and activity.get("name") == "adaptiveCard/action"):
        return None
    if not bot.anonymous:
        if not bot.app_id:
            return None  # the SDK refuses everything, and says why
        lowered = {k.lower(): v for k, v in headers.items()}
        verdict = token_verdict(str(lowered.get("authorization") or ""), activity.get("serviceUrl"), bot.app_id)
        if verdict is None:
            return None
        if not verdict:
            log.warning("Teams bot: invoke refused (token missing or not valid)")
            return _UNAUTHORIZED
    value = activity.get("value") if isinstance(activity.get("value"), dict) else {}
    action = value.get("action") if isinstance(value.get("action"), dict) else {}
    user_id = str((activity.get("from") or {}).get("id") or "")
    svc = services_factory()
    ref = svc.store.conversation_of_user(user_id) if user_id else None
    if ref is None:
        return None  # who pressed is read from the conversation's roster: the SDK's members API
    data = action.get("data") if isinstance(action.get("data"), dict) else {}
    payload = _card_answer(svc, str(action.get("verb") or ""), data, ref.upn, str(activity.get("id") or ""))
    return 200, json.dumps(payload).encode()


def token_verdict(authorization: str, service_url: str | None, app_id: str) -> bool | None:
    """Whether a Bot Framework connector token is valid for this bot, as the SDK's validator decides it;
    None for a token the SDK must judge (an Entra-issued one, for Agent 365)."""
    import jwt

    if not authorization.startswith("Bearer "):
        return False
    raw = authorization.removeprefix("Bearer ")
    try:
        issuer = jwt.decode(raw, options={"verify_signature": False}).get("iss")
    except jwt.InvalidTokenError:
        return False
    if issuer != BOT_FRAMEWORK_ISSUER:
        return None
    try:
        keys = _KEYS.get(BOT_FRAMEWORK_KEYS) or _KEYS.setdefault(BOT_FRAMEWORK_KEYS,
                                                                 jwt.PyJWKClient(BOT_FRAMEWORK_KEYS))
        key = keys.get_signing_key_from_jwt(raw).key
        claims = jwt.decode(raw, key, algorithms=["RS256"], issuer=BOT_FRAMEWORK_ISSUER, leeway=LEEWAY_SECONDS,
                            audience=[app_id, f"api://{app_id}", f"api://botid-{app_id}"],
                            options={"verify_signature": True, "verify_aud": True, "verify_iss": True,
                                     "verify_exp": True, "verify_iat": True})
    except (jwt.InvalidTokenError, jwt.PyJWKClientError) as exc:
        log.warning("Teams bot: token not valid (%s)", type(exc).__name__)
        return False
    if service_url:
        return str(claims.get("serviceurl") or "").rstrip("/") == service_url.rstrip("/")
    return True
