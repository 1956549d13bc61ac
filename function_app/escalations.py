"""The weekly escalations dashboard (issue 14): publish the page, tell the IRO service manager.

Once a week (the `weekly_escalations` timer, function_app/worker_triggers.py) the dashboard of open
resolutions (reports.escalations) is saved as `escalations.html` in the service's own folder of the case
folder library (`IRO-SERVICE`, beside the children's folders: the same permissions, no new ones), and the
headline numbers with the page's link go to the IRO service manager as the policy chooses
(`notifications.notices.escalations`: a line of their digest by default, or a card of its own;
docs/notifications.md). Not in a week with nothing open: the page says so, and a weekly "0" would teach
them to mute it. Exactly once per ISO week (function_app/once.py, key `escalations:<year>-W<week>`),
however often the timer fires or is retried.
"""

from __future__ import annotations

from datetime import date

from function_app.notices.deliver import Notice, send
from function_app.notices.recipients import Roster, audience
from function_app.once import once
from function_app.services import Services
from graph_clients.ports import DocumentMeta

NOTICE = "escalations"  # the policy's notifications.notices entry: who hears of the week's dashboard, how
SERVICE_FOLDER = "IRO-SERVICE"
PAGE = "escalations.html"


def week_key(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"escalations:{year}-W{week:02d}"


def soon_days(svc: Services) -> int:
    """'Close to the cap': the cap clock's earliest reminder (policy), in working days."""
    cap = svc.policy.clocks[svc.policy.resolution.cap_clock]
    return max(cap.reminders, default=0)


def publish(svc: Services, today: date) -> dict:
    """Save this week's dashboard and post the card; returns where they went."""
    from graph_clients.teams.escalations import escalations_card
    from reports.escalations import dashboard_html, headline, open_resolutions, stage_names

    rows = open_resolutions(svc.store, svc.policy, svc.cal, today)
    head = headline(rows, today, soon_days(svc))
    page = dashboard_html(rows, head, svc.policy, svc.branding.name if svc.branding else "").encode("utf-8")
    stored = svc.folders.save(DocumentMeta(SERVICE_FOLDER, "escalations_dashboard", today, "final"), PAGE, page)
    result = {"url": stored.url, "open": head.open, "past_cap": head.past_cap}
    if not rows:  # nothing open: the page says so; a card saying "0" every week would only teach people to mute it
        return {**result, "card": "not sent: no open resolutions"}
    roster = Roster.read(svc)
    n = Notice(NOTICE, week_key(today), "", f"Escalations this week: {head.open} open, {head.past_cap} past the "
               "cap; the dashboard has each one and who must act", None, "", stored.url)
    people = {who: audience(svc.policy, roster, who, None) for who in svc.policy.notifications.channels(NOTICE)}
    told = send(svc, n, people, card=lambda p: escalations_card(head, stored.url, stage_names(svc.policy)))
    return {**result, **told}


def weekly(svc: Services, today: date) -> bool:
    """The week's dashboard and card, once per ISO week; True if this call sent them."""
    return once(svc, week_key(today), "card", "", lambda: publish(svc, today))
