"""Teams: Adaptive Cards (1.5) for reminders, escalations and alerts, and the adapters that deliver them.

    cards.py      one pure builder per card kind (domain values in, AdaptiveCard dict out)
    digest.py     the personal daily digest (and the grouped list), kept under Teams' 28 KB
    privacy.py    what a card may show about a child (policy: case reference, initials, full name)
    actions.py    abstract actions: links (Action.OpenUrl) everywhere, responses (Action.Execute) for a bot
    envelope.py   the Teams message around a card, and its size in bytes
    workflows.py  delivery through Teams Workflows webhooks (channels, and a chat flow for people)
    outbox.py     the local stand-in: each card as JSON plus a page that renders them all

Who receives what is decided in function_app/notices/recipients.py (the one resolver) and the policy.

App-only Microsoft Graph cannot post live chat or channel messages, so live delivery goes through
Workflows (Power Automate) webhooks; interactive cards need a bot (see docs/teams.md).
"""
