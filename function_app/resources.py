"""Graph resource paths, in every form Microsoft Graph documents, -> (collection, key) segments.

A change notification names the changed item in `resource` (and, for Outlook, again in
`resourceData["@odata.id"]`). The documentation shows two spellings, and the case varies:
- path segments: "users/{user-id}@{tenant-id}/messages/{message-id}" ("Receive change notifications
  through webhooks"), "Users/{id}/Events/{id}";
- OData keys: "Users('{user-id}')/Messages('{message-id}')" (Outlook rich notifications,
  "Change notifications for Outlook resources"); an id may then hold "/" and a doubled '' for a quote.
Intermediate collections (mailFolders('Inbox'), calendars/{id}) are kept as segments and ignored by intake.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# name, then either ('key') with '' as an escaped quote, or /key up to the next slash.
_SEGMENT = re.compile(r"(?P<name>[A-Za-z]+)(?:\('(?P<quoted>(?:[^']|'')*)'\)|/(?P<plain>[^/]+))?/?")


class Segment(NamedTuple):
    collection: str        # lowercased: "users", "events", "messages", "mailfolders", "drives", "root", ...
    key: str | None        # the id that follows it, None when the path ends at the collection


def segments(resource: str, leaves: tuple[str, ...] = ("events", "messages")) -> list[Segment] | None:
    """The path's segments, or None when the text is not a resource path at all.

    In the path form, the key after a `leaves` collection is the rest of the path: an Outlook id may hold
    a "/" (base64), and nothing follows the item in a notification's resource.
    """
    text, pos, out = resource.strip().strip("/"), 0, []
    while pos < len(text):
        m = _SEGMENT.match(text, pos)
        if not m or m.end() == pos:
            return None
        name = m["name"].lower()
        if m["plain"] is not None and name in leaves:
            out.append(Segment(name, text[m.start("plain"):]))
            break
        key = m["quoted"].replace("''", "'") if m["quoted"] is not None else m["plain"]
        out.append(Segment(name, key))
        pos = m.end()
    return out or None


def key_of(parts: list[Segment], collection: str) -> str | None:
    """The key after the last segment of `collection` (lowercase), if any."""
    return next((s.key for s in reversed(parts) if s.collection == collection), None)


def last_item(parts: list[Segment], collections: tuple[str, ...]) -> Segment | None:
    """The last segment naming one of `collections`, with or without its key."""
    return next((s for s in reversed(parts) if s.collection in collections), None)
