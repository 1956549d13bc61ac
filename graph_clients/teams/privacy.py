"""What a Teams card may show about a child: a council policy setting.

A Teams channel is read by many people, so by default a card names a child by case reference and
initials only, never by full name. Initials come from the caller (`display_initials`, e.g. from the
case management system's export); they are never derived from a name here or read from logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

from rules.errors import InputError, PolicyError

Show = Literal["case_ref", "initials", "full_name"]

# One to four letters, each optionally followed by a dot or space: "JS", "J.S.", "J S", "JMS".
_INITIALS = re.compile(r"^(?:[A-Za-z][.\s]?){1,4}$")


@dataclass(frozen=True)
class Privacy:
    """`show` says how a child is named on a card; `concern_chars` caps free text (a resolution's concern)."""

    show: Show = "initials"
    concern_chars: int = 400

    def __post_init__(self) -> None:
        if self.show not in get_args(Show):
            raise PolicyError(
                "policy",
                "teams.privacy.show",
                f"'{self.show}' is not a known setting",
                "use one of case_ref, initials, full_name (default initials)",
            )
        if self.concern_chars < 40:
            raise PolicyError(
                "policy", "teams.privacy.concern_chars", "is below 40", "give at least 40, or leave the default 400"
            )

    @classmethod
    def of(cls, policy: Any) -> Privacy:
        """As the council's policy sets it (`cards.show`)."""
        return cls(show=policy.cards.show)

    def child_label(self, case_ref: str, display_initials: str | None = None, full_name: str | None = None) -> str:
        """The child as this card may show them, e.g. "BC-10234 (J.S.)"; the case reference always leads."""
        if not case_ref:
            raise InputError("a card needs the child's case reference", "pass the case reference from the roster")
        extra = ""
        if self.show == "full_name" and full_name:
            extra = full_name.strip()
        elif self.show in ("initials", "full_name") and display_initials:
            extra = checked_initials(display_initials, case_ref)
        return f"{case_ref} ({extra})" if extra else case_ref

    def concern(self, text: str) -> str:
        """The concern summary cut to `concern_chars` (a card is a prompt; the entry holds the full text)."""
        text = " ".join(text.split())
        if len(text) <= self.concern_chars:
            return text
        return text[: self.concern_chars - 1].rstrip() + "…"


def checked_initials(value: str, case_ref: str) -> str:
    """The initials as given, if they are initials; a name passed by mistake is refused, not shown.

    The error names the case reference only: echoing the value could put a child's name in a log.
    """
    value = value.strip()
    if not _INITIALS.match(value):
        raise InputError(
            f"display_initials for case {case_ref} are not initials (1 to 4 letters, optional dots)",
            "pass initials such as 'J.S.', or leave them out to show the case reference only",
            case_ref=case_ref,
        )
    return value
