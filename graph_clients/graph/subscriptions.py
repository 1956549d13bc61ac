"""Subscriptions port on Graph: create, renew, delete, list change-notification subscriptions.

Every subscription carries the clientState from settings (checked by the webhook in constant time)
and a lifecycleNotificationUrl (so Graph tells us about subscriptionRemoved, reauthorizationRequired
and missed), and expires within Outlook's limit of 10,080 minutes. Keeping them alive (renewal at
half-life, recreation after removal) is upkeep.py's job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from graph_clients.ports import Subscription
from rules.errors import InputError

from .session import GraphSession
from .settings import ENV, OUTLOOK_MAX_SUBSCRIPTION_MINUTES, GraphSettings


class GraphSubscriptions:
    """Implements ports.Subscriptions."""

    def __init__(self, session: GraphSession, settings: GraphSettings,
                 clock: Callable[[], datetime] | None = None) -> None:
        for name in ("client_state", "notification_url", "lifecycle_url"):
            if not getattr(settings, name):
                raise InputError(f"{ENV[name]} is not set", "subscriptions need clientState, notification and "
                                 "lifecycle URLs (the webhook's https address)")
        self.session, self.settings = session, settings
        self.clock = clock or (lambda: datetime.now(UTC))

    def _check_expiry(self, expires: datetime) -> None:
        if expires.tzinfo is None:
            raise InputError("subscription expiry has no time zone", "pass an aware UTC datetime")
        now = self.clock()
        if not now < expires <= now + timedelta(minutes=OUTLOOK_MAX_SUBSCRIPTION_MINUTES):
            raise InputError(f"subscription expiry {expires.isoformat()} is not within the next "
                             f"{OUTLOOK_MAX_SUBSCRIPTION_MINUTES} minutes (Outlook's limit)",
                             "use now + IRO_SUBSCRIPTION_MINUTES")

    def create(self, resource: str, change_type: str, expires: datetime) -> Subscription:
        self._check_expiry(expires)

        async def call(client: Any) -> Any:
            from msgraph.generated.models.subscription import Subscription as GraphSubscription

            body = GraphSubscription(
                change_type=change_type, resource=resource, expiration_date_time=expires.astimezone(UTC),
                notification_url=self.settings.notification_url,
                lifecycle_notification_url=self.settings.lifecycle_url,
                client_state=self.settings.current_client_state, latest_supported_tls_version="v1_2",
            )
            return await client.subscriptions.post(body)

        return _value(self.session.run("subscriptions.create", call))

    def renew(self, subscription_id: str, expires: datetime) -> Subscription:
        self._check_expiry(expires)

        async def call(client: Any) -> Any:
            from msgraph.generated.models.subscription import Subscription as GraphSubscription

            body = GraphSubscription(expiration_date_time=expires.astimezone(UTC))
            return await client.subscriptions.by_subscription_id(subscription_id).patch(body)

        return _value(self.session.run("subscriptions.renew", call))

    def delete(self, subscription_id: str) -> None:
        async def call(client: Any) -> None:
            await client.subscriptions.by_subscription_id(subscription_id).delete()

        self.session.run("subscriptions.delete", call)

    def list(self) -> list[Subscription]:
        """This app's subscriptions (Graph lists only the calling app's), all pages."""

        async def call(client: Any) -> list[Any]:
            page = await client.subscriptions.get()
            found = list(page.value or [])
            while page.odata_next_link:
                page = await client.subscriptions.with_url(page.odata_next_link).get()
                found += page.value or []
            return found

        return [_value(s) for s in self.session.run("subscriptions.list", call)]


def _value(sub: Any) -> Subscription:
    return Subscription(
        id=sub.id or "", resource=sub.resource or "", change_type=sub.change_type or "",
        expires=sub.expiration_date_time, client_state=sub.client_state or "",
        notification_url=sub.notification_url or "", lifecycle_url=sub.lifecycle_notification_url or "",
    )
