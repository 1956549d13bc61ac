"""Mail port on Graph: read a message and its files, inbox delta, sendMail with .docx attachments, reply in thread.

Exactly once (function_app/once.py): each mail we send carries our idempotency key in a single-value
extended property (a named MAPI string property of our own GUID, kept on the Sent Items copy). When the app
stopped between sendMail and recording it, the retake asks the sender's Sent Items for that key
(`$filter=singleValueExtendedProperties/Any(ep: ...)`, a documented filter) and sends only if it is not there.

Permissions (application): Mail.Read to read (a message and its attachments), Mail.Send to send and reply;
scope both to the IRO mailboxes and the service mailbox with Exchange RBAC for Applications (docs/permissions.md).
"""

from __future__ import annotations

from typing import Any

from graph_clients.ports import Attachment, DeltaResult, MailMessage, OutgoingMail
from rules.errors import InputError

from .convert import delta_pages, is_removed, message_value, request_config
from .session import GraphSession

MESSAGE_FIELDS = ["id", "subject", "from", "toRecipients", "body", "receivedDateTime", "conversationId",
                  "changeKey", "hasAttachments"]
# Our named property (learn.microsoft.com: "Get singleValueExtendedProperty", filter on id and value).
IDEMPOTENCY_PROPERTY = "String {7d3c1a52-5e0b-4f55-9a3e-0c8b8f1e2a61} Name IroIdempotencyKey"
# sendMail takes at most 4 MB per request; base64 adds a third, so attachments stay under 3 MB.
MAX_INLINE_ATTACHMENTS = 3 * 1024 * 1024


class GraphMail:
    """Implements ports.Mail and ports.DeltaSource (a mail folder, the inbox by default)."""

    def __init__(self, session: GraphSession, folder: str = "inbox") -> None:
        self.session = session
        self.folder = folder

    def get_message(self, mailbox: str, message_id: str) -> MailMessage:
        async def call(client: Any) -> Any:
            from msgraph.generated.users.item.messages.item.message_item_request_builder import (
                MessageItemRequestBuilder,
            )

            query = MessageItemRequestBuilder.MessageItemRequestBuilderGetQueryParameters(select=MESSAGE_FIELDS)
            return await client.users.by_user_id(mailbox).messages.by_message_id(message_id).get(
                request_config(query=query))

        return message_value(mailbox, self.session.run("mail.get_message", call, mailbox))

    def attachments(self, mailbox: str, message_id: str) -> tuple[Attachment, ...]:
        """The message's files with their bytes (all pages); NotFound when the message is gone."""

        async def call(client: Any) -> list[Any]:
            builder = client.users.by_user_id(mailbox).messages.by_message_id(message_id).attachments
            page = await builder.get(request_config())
            items = list(page.value or [])
            while page.odata_next_link:
                page = await builder.with_url(page.odata_next_link).get(request_config())
                items += page.value or []
            return items

        return _files(self.session.run("mail.attachments", call, mailbox))

    def delta(self, mailbox: str, delta_link: str | None = None) -> DeltaResult:
        """New and changed messages in the folder since `delta_link` (None: the whole folder), all pages."""

        async def call(client: Any) -> tuple[list[Any], str]:
            from msgraph.generated.users.item.mail_folders.item.messages.delta.delta_request_builder import (
                DeltaRequestBuilder,
            )

            builder = client.users.by_user_id(mailbox).mail_folders.by_mail_folder_id(self.folder).messages.delta
            if delta_link:
                page = await builder.with_url(delta_link).get(request_config())
            else:
                query = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(select=MESSAGE_FIELDS)
                page = await builder.get(request_config(query=query))
            return await delta_pages(builder, page, "mail.delta")

        items, link = self.session.run("mail.delta", call, mailbox)
        return DeltaResult(
            changed=tuple(message_value(mailbox, m) for m in items if not is_removed(m)),
            removed=tuple(m.id for m in items if is_removed(m)),
            delta_link=link,
        )

    def send(self, mail: OutgoingMail) -> None:
        """Send as `mail.sender` (saved to Sent Items); .docx attachments go inline (under 3 MB in all)."""
        if not mail.to:
            raise InputError("an email needs at least one recipient", "add the team manager or IRO address")
        size = sum(len(a.content) for a in mail.attachments)
        if size > MAX_INLINE_ATTACHMENTS:
            raise InputError(f"attachments total {size} bytes, over sendMail's 3 MB",
                             "send a link to the document in the case folder instead")
        body = _send_body(mail)

        async def call(client: Any) -> None:
            await client.users.by_user_id(mail.sender).send_mail.post(body)

        self.session.run("mail.send", call, mail.sender)

    def already_sent(self, sender: str, idempotency_key: str) -> bool:
        """Is a message with our key in `sender`'s Sent Items? (ports.Mail; the key is ours, never free text)."""
        key = idempotency_key.replace("'", "''")
        where = (f"singleValueExtendedProperties/Any(ep: ep/id eq '{IDEMPOTENCY_PROPERTY}' and ep/value eq '{key}')")

        async def call(client: Any) -> bool:
            from msgraph.generated.users.item.mail_folders.item.messages.messages_request_builder import (
                MessagesRequestBuilder,
            )

            query = MessagesRequestBuilder.MessagesRequestBuilderGetQueryParameters(filter=where, select=["id"],
                                                                                    top=1)
            found = await client.users.by_user_id(sender).mail_folders.by_mail_folder_id("sentitems").messages.get(
                request_configuration=request_config(query=query))
            return bool(found and found.value)

        return bool(self.session.run("mail.already_sent", call, sender))

    def reply(self, mailbox: str, message_id: str, body_html: str) -> None:
        """Reply to the sender in the same conversation (Graph's /reply keeps the thread)."""

        async def call(client: Any) -> None:
            from msgraph.generated.users.item.messages.item.reply.reply_post_request_body import (
                ReplyPostRequestBody,
            )

            await client.users.by_user_id(mailbox).messages.by_message_id(message_id).reply.post(
                ReplyPostRequestBody(comment=body_html))

        self.session.run("mail.reply", call, mailbox)


def _files(items: list[Any]) -> tuple[Attachment, ...]:
    """Only fileAttachments: an itemAttachment (an attached mail or event) or a referenceAttachment (a link,
    e.g. to OneDrive) carries no file bytes; a linked document is read from the case folder instead."""
    from msgraph.generated.models.file_attachment import FileAttachment

    return tuple(Attachment(a.name or "", a.content_bytes or b"", a.content_type or "application/octet-stream")
                 for a in items if isinstance(a, FileAttachment))


def _send_body(mail: OutgoingMail) -> Any:
    from msgraph.generated.models.body_type import BodyType
    from msgraph.generated.models.email_address import EmailAddress
    from msgraph.generated.models.file_attachment import FileAttachment
    from msgraph.generated.models.item_body import ItemBody
    from msgraph.generated.models.message import Message
    from msgraph.generated.models.recipient import Recipient
    from msgraph.generated.models.single_value_legacy_extended_property import SingleValueLegacyExtendedProperty
    from msgraph.generated.users.item.send_mail.send_mail_post_request_body import SendMailPostRequestBody

    def recipients(addresses: tuple[str, ...]) -> list[Any]:
        return [Recipient(email_address=EmailAddress(address=a)) for a in addresses]

    message = Message(
        subject=mail.subject,
        body=ItemBody(content_type=BodyType.Html, content=mail.body_html),
        to_recipients=recipients(mail.to),
        cc_recipients=recipients(mail.cc) or None,
        attachments=[
            FileAttachment(odata_type="#microsoft.graph.fileAttachment", name=a.filename,
                           content_type=a.content_type, content_bytes=a.content)
            for a in mail.attachments
        ] or None,
        single_value_extended_properties=[SingleValueLegacyExtendedProperty(
            id=IDEMPOTENCY_PROPERTY, value=mail.idempotency_key)] if mail.idempotency_key else None,
    )
    return SendMailPostRequestBody(message=message, save_to_sent_items=True)
