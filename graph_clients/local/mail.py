"""Mail for the embedded default: inbound messages held in memory, outbound written as .eml files.

Same port as the Graph adapter (graph_clients/ports.py: Mail). The .eml files open in Outlook and
Thunderbird; each name carries a sequence number and the case reference from the subject, never a name.
`index.json` lists every message sent: file, to, kind, case reference, sent_at (the app's clock).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from graph_clients.outbox_index import OutboxIndex
from graph_clients.ports import Attachment, MailMessage, OutgoingMail
from rules.errors import NotFound

_SLUG = re.compile(r"[^A-Za-z0-9-]+")


class LocalMail:
    """`now` is the app's clock (Services.now): each .eml's Date: is when the app sent it, in the demo too."""

    def __init__(self, outbox: Path, now: Callable[[], datetime]) -> None:
        self.outbox = Path(outbox)
        self.now = now
        self.index = OutboxIndex(self.outbox, now)
        self.messages: dict[tuple[str, str], MailMessage] = {}
        self.files: dict[tuple[str, str], tuple[Attachment, ...]] = {}
        self.sent: list[OutgoingMail] = []
        self._seq = itertools.count(1)

    # the demo (and tests) play Outlook: a message arrives in a mailbox
    def deliver(self, message: MailMessage, attachments: tuple[Attachment, ...] = ()) -> None:
        key = (message.mailbox.lower(), message.id)
        self.messages[key] = replace(message, attachment_names=tuple(a.filename for a in attachments)) \
            if attachments else message
        self.files[key] = attachments

    def attachments(self, mailbox: str, message_id: str) -> tuple[Attachment, ...]:
        self.get_message(mailbox, message_id)  # NotFound as Graph answers it
        return self.files.get((mailbox.lower(), message_id), ())

    def get_message(self, mailbox: str, message_id: str) -> MailMessage:
        try:
            return self.messages[(mailbox.lower(), message_id)]
        except KeyError:
            raise NotFound(f"no message {message_id} in mailbox {mailbox}", status=404) from None

    def send(self, mail: OutgoingMail) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = mail.sender, ", ".join(mail.to), mail.subject
        if mail.cc:
            msg["Cc"] = ", ".join(mail.cc)
        msg["Message-ID"] = f"<{len(self.sent) + 1:05d}.outbox@iro.local>"  # deterministic: same demo, same files
        msg.set_content("This message is HTML; open it in a mail client.")
        msg.add_alternative(mail.body_html, subtype="html")
        for a in mail.attachments:
            maintype, _, subtype = a.content_type.partition("/")
            msg.add_attachment(a.content, maintype=maintype, subtype=subtype, filename=a.filename)
        name = self._write(msg, mail.subject)
        self.index.add(name, [*mail.to, *mail.cc], "email", mail.case_ref, notice=mail.kind or "email")
        self.sent.append(mail)

    def already_sent(self, sender: str, idempotency_key: str) -> bool:
        """Sent Items, asked by our id (graph_clients/graph/mail.py asks Graph the same)."""
        return any(m.idempotency_key == idempotency_key and m.sender.lower() == sender.lower() for m in self.sent)

    def reply(self, mailbox: str, message_id: str, body_html: str) -> None:
        original = self.get_message(mailbox, message_id)
        msg = EmailMessage()
        msg["From"], msg["To"] = mailbox, original.sender
        msg["Subject"] = "RE: " + original.subject
        msg["In-Reply-To"] = f"<{original.id}@iro.local>"
        msg["Message-ID"] = f"<{len(self.sent) + 1:05d}.outbox@iro.local>"
        msg.set_content(body_html, subtype="html")
        self._write(msg, msg["Subject"])
        self.sent.append(OutgoingMail(mailbox, (original.sender,), msg["Subject"], body_html))

    def _write(self, msg: EmailMessage, subject: str) -> str:
        msg["Date"] = format_datetime(self.now())
        self.outbox.mkdir(parents=True, exist_ok=True)
        slug = _SLUG.sub("-", subject)[:60].strip("-")
        name = f"{next(self._seq):05d}-{slug}.eml"
        (self.outbox / name).write_bytes(bytes(msg))
        return name
