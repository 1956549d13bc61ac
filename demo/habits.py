"""The people of the synthetic council answering what the app sends them, so the demo's loop closes.

Deterministic (a hash of case and subject decides who does it, and when): about nine in ten social
workers send the care plan or permanency plan after the app's reminder, and IROs complete the midway
oversight the app drafted, send the child's decisions with the TM's, and say why a review was booked late
(the email their digest line gives). The rest are left undone, so
the app's reminders, breach alerts and digests have real work to show.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from graph_clients.ports import DocumentMeta, MailMessage, OutgoingMail, StoredDocument

COMPLIANCE = 0.9


def share(*parts: str) -> float:
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


@dataclass
class Habits:
    service_mailbox: str
    due: dict[date, list[MailMessage]] = field(default_factory=dict)
    n: int = 0
    answered: set[tuple[str, str]] = field(default_factory=set)  # (case, what): each is answered once

    def later(self, day: date, sender: str, mailbox: str, subject: str, body: str) -> None:
        if any((m.sender, m.subject) == (sender, subject) for m in self.due.get(day, ())):
            return  # a document saved again (replace semantics, after a retry) is completed once
        self.n += 1
        at = datetime.combine(day, time(11, 0), UTC)
        ident = hashlib.sha256(f"{day}|{sender}|{subject}".encode()).hexdigest()[:12]  # not the order it came in
        self.due.setdefault(day, []).append(MailMessage(f"habit-{ident}", mailbox, sender, (mailbox,), subject,
                                                        body, at))

    def take(self, day: date) -> list[MailMessage]:
        return self.due.pop(day, [])


class WatchedMail:
    """The Mail port, watched: a reminder to a social worker may be answered a few days later."""

    def __init__(self, inner, habits: Habits, cal, today) -> None:
        self.inner, self.habits, self.cal, self.today = inner, habits, cal, today

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def send(self, mail: OutgoingMail) -> None:
        self.inner.send(mail)
        case_ref = next((w for w in mail.subject.split() if w.startswith("CLA-")), None)
        if not case_ref or share(mail.subject) > COMPLIANCE:
            return
        for wanted, reply in (("Care plan", "Care plan"), ("Permanency plan", "Permanency plan")):
            if mail.subject.startswith("Reminder:") and wanted.lower() in mail.subject.lower():
                self.habits.later(self.cal.add_working_days(self.today(), 2), mail.to[0], self.habits.service_mailbox,
                                  f"{reply} {case_ref}", f"{reply} attached for {case_ref}.")


REPLIES = (("Care plan", "Care plan"), ("Permanency plan", "Permanency plan"))


class WatchedTeams:
    """The Teams port, watched: a social worker sends the care plan or permanency plan a few days after it
    first appears in their digest (most of the time)."""

    def __init__(self, inner, habits: Habits, cal, today) -> None:
        self.inner, self.habits, self.cal, self.today = inner, habits, cal, today

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def post(self, route, card: dict, **how) -> None:
        self.inner.post(route, card, **how)
        if route.person and route.person.startswith("iro."):
            self._late_reasons(route.person, card)
        if not route.person or not route.person.startswith("sw."):
            return
        for case_ref, what in _rows(card):
            for wanted, reply in REPLIES:
                key = (case_ref, wanted)
                if what.lower().startswith(wanted.lower()) and key not in self.habits.answered:
                    self.habits.answered.add(key)
                    if share(case_ref, wanted, "digest") <= COMPLIANCE:
                        self.habits.later(self.cal.add_working_days(self.today(), 2), route.person,
                                          self.habits.service_mailbox, f"{reply} {case_ref}",
                                          f"{reply} attached for {case_ref}.")


    def _late_reasons(self, iro: str, card: dict) -> None:
        """An IRO told a review was booked late sends the email the line gives, word for word, with a code."""
        for case_ref, what in _rows(card):
            if "'Late review " not in what or (case_ref, what) in self.habits.answered:
                continue
            self.habits.answered.add((case_ref, what))
            subject = what.split("'")[1]
            codes = [c.strip() for c in what.split("CODE one of ")[-1].split(",")]
            if share(case_ref, subject, "late") <= COMPLIANCE:
                code = codes[int(share(subject, "code") * len(codes))]
                self.habits.later(self.cal.add_working_days(self.today(), 2), iro, self.habits.service_mailbox,
                                  subject.replace("CODE", code), "")


def _rows(card: dict) -> list[tuple[str, str]]:
    """(case reference, what) for each row of a digest's tables."""
    out = []
    for item in card.get("body", []):
        for row in item.get("rows", [])[1:] if item.get("type") == "Table" else []:
            texts = [c["items"][0].get("text", "") for c in row.get("cells", [])]
            if len(texts) >= 2 and texts[0].startswith("CLA-"):
                out.append((texts[0].split()[0], texts[1]))
    return out


class WatchedFolders:
    """The CaseFolders port, watched: the IRO completes the midway oversight the app drafted."""

    def __init__(self, inner, habits: Habits, cal, today, iro_of) -> None:
        self.inner, self.habits, self.cal, self.today, self.iro_of = inner, habits, cal, today, iro_of

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def save(self, meta: DocumentMeta, name: str, content: bytes) -> StoredDocument:
        stored = self.inner.save(meta, name, content)
        if meta.doc_type == "midway_oversight" and share(name) <= COMPLIANCE:
            self.habits.later(self.cal.add_working_days(self.today(), 2), self.iro_of(meta.case_ref),
                              self.habits.service_mailbox, f"Midway oversight {meta.case_ref}",
                              "Midway oversight recorded on the child's file.")
        return stored
