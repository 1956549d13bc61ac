"""Mail adapter through the real GraphServiceClient against the stand-in."""

from __future__ import annotations

import base64
import json
from urllib.parse import unquote

import pytest

from graph_clients.graph.mail import IDEMPOTENCY_PROPERTY
from graph_clients.ports import Attachment, DeltaSource, Mail, OutgoingMail
from rules.errors import InputError, NotFound, PermissionDenied
from tests.support.graph_standin.fixtures import IRO, SERVICE, TM

DOCX = b"PK\x03\x04 pretend this is a .docx" * 100


def test_adapter_satisfies_the_ports(graph_adapters):
    assert isinstance(graph_adapters.mail, Mail) and isinstance(graph_adapters.mail, DeltaSource)


def test_get_message_reads_sender_recipients_and_plain_text_body(graph_adapters, graph_standin):
    seeded = graph_standin.seed_message(IRO, "AB123 decisions dispute", body="I dispute decision 2", sender=TM)
    msg = graph_adapters.mail.get_message(IRO, seeded.id)
    assert (msg.sender, msg.to, msg.subject, msg.body_text) == (TM, (IRO,), "AB123 decisions dispute",
                                                                "I dispute decision 2")
    assert msg.conversation_id == seeded.conversation_id and msg.received.tzinfo is not None
    call = graph_standin.calls("GET", r"/messages/")[-1]
    assert "receivedDateTime" in call.query["$select"]
    assert 'outlook.body-content-type="text"' in call.headers["prefer"]


def test_get_missing_message_is_not_found(graph_adapters):
    with pytest.raises(NotFound):
        graph_adapters.mail.get_message(IRO, "gone")


def test_inbox_delta_across_pages_then_only_new_mail(graph_adapters, graph_standin):
    for n in range(4):
        graph_standin.seed_message(SERVICE, f"AB{n} significant change")
    graph_standin.seed_message(SERVICE, "in another folder", folder="archive")
    first = graph_adapters.mail.delta(SERVICE)
    assert sorted(m.subject for m in first.changed) == [f"AB{n} significant change" for n in range(4)]
    assert len(graph_standin.calls("GET", r"mailFolders/inbox/messages/delta")) == 2   # pages of 3
    graph_standin.seed_message(SERVICE, "AB9 significant change")
    second = graph_adapters.mail.delta(SERVICE, first.delta_link)
    assert [m.subject for m in second.changed] == ["AB9 significant change"]


def test_send_mail_with_docx_attachment(graph_adapters, graph_standin):
    graph_adapters.mail.send(OutgoingMail(
        sender=SERVICE, to=(TM,), cc=(IRO,), subject="AB123 review decisions", body_html="<p>Decisions attached</p>",
        attachments=(Attachment("AB123-review_decisions.docx", DOCX),)))
    mailbox, message = graph_standin.sent[-1]
    assert mailbox == SERVICE and message.subject == "AB123 review decisions"
    attachment = message.attachments[0]
    assert attachment.name == "AB123-review_decisions.docx" and attachment.content_bytes == DOCX
    assert attachment.content_type.endswith("wordprocessingml.document")
    wire = json.loads(graph_standin.calls("POST", r"/sendMail")[-1].body)
    assert wire["Message"]["attachments"][0]["@odata.type"] == "#microsoft.graph.fileAttachment"
    assert base64.b64decode(wire["Message"]["attachments"][0]["contentBytes"]) == DOCX
    assert wire["SaveToSentItems"] is True  # the SDK writes these two in PascalCase


def test_sent_items_answer_whether_our_key_was_sent(graph_adapters, graph_standin):
    """The retake's check after a crash between sendMail and its record (function_app/once.py)."""
    key = "iro-7f3e2a:1"
    assert graph_adapters.mail.already_sent(SERVICE, key) is False
    graph_adapters.mail.send(OutgoingMail(sender=SERVICE, to=(TM,), subject="AB123 reminder", body_html="<p>x</p>",
                                          idempotency_key=key))
    wire = json.loads(graph_standin.calls("POST", r"/sendMail")[-1].body)
    (prop,) = wire["Message"]["singleValueExtendedProperties"]
    assert prop == {"id": IDEMPOTENCY_PROPERTY, "value": key}  # kept on the Sent Items copy
    assert graph_adapters.mail.already_sent(SERVICE, key) is True
    assert graph_adapters.mail.already_sent(SERVICE, "iro-7f3e2a:2") is False   # another effect of the action
    assert graph_adapters.mail.already_sent(IRO, key) is False                  # another sender's Sent Items
    query = graph_standin.calls("GET", r"/mailFolders/sentitems/messages")[-1].query
    assert query["$select"] == "id" and query["$top"] == "1"


def test_send_refuses_oversized_attachments_and_no_recipients(graph_adapters, graph_standin):
    big = Attachment("AB1-record.docx", b"x" * (3 * 1024 * 1024 + 1))
    with pytest.raises(InputError, match="over sendMail's 3 MB"):
        graph_adapters.mail.send(
            OutgoingMail(sender=SERVICE, to=(TM,), subject="AB1", body_html="", attachments=(big,)))
    with pytest.raises(InputError, match="at least one recipient"):
        graph_adapters.mail.send(OutgoingMail(sender=SERVICE, to=(), subject="AB1", body_html=""))
    assert graph_standin.calls("POST", r"/sendMail") == []


def test_send_without_mail_send_names_it(graph_adapters, graph_standin):
    graph_standin.inject("POST", r"/sendMail", 403, code="ErrorAccessDenied")
    with pytest.raises(PermissionDenied, match="Mail.Send"):
        graph_adapters.mail.send(OutgoingMail(sender=SERVICE, to=(TM,), subject="AB1", body_html="x"))


def test_reply_in_thread(graph_adapters, graph_standin):
    seeded = graph_standin.seed_message(IRO, "AB123 resolution stage 1", sender=TM)
    graph_adapters.mail.reply(IRO, seeded.id, "<p>Received: the resolution meeting is booked.</p>")
    assert graph_standin.replies == [(IRO, seeded.id, "<p>Received: the resolution meeting is booked.</p>")]
    with pytest.raises(NotFound):
        graph_adapters.mail.reply(IRO, "gone", "x")


PDF = b"%PDF-1.7 pretend this is a referral form"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_attachments_read_the_files_with_their_bytes(graph_adapters, graph_standin):
    seeded = graph_standin.seed_message(IRO, "AB123 care plan", sender=TM, attachments=[
        ("AB123-care_plan.docx", DOCX, DOCX_TYPE), ("AB123-referral.pdf", PDF, "application/pdf")])
    assert graph_adapters.mail.attachments(IRO, seeded.id) == (
        Attachment("AB123-care_plan.docx", DOCX, DOCX_TYPE), Attachment("AB123-referral.pdf", PDF, "application/pdf"))
    (call,) = graph_standin.calls("GET", r"/attachments")
    assert unquote(call.path) == f"/v1.0/users/{IRO}/messages/{seeded.id}/attachments"


def test_attachments_skip_attached_mails_and_links(graph_adapters, graph_standin):
    from msgraph.generated.models.item_attachment import ItemAttachment
    from msgraph.generated.models.reference_attachment import ReferenceAttachment

    seeded = graph_standin.seed_message(IRO, "AB123 fwd", sender=TM, attachments=[
        ItemAttachment(odata_type="#microsoft.graph.itemAttachment", name="RE: AB123 visit", size=2048),
        ("AB123-care_plan.docx", DOCX, DOCX_TYPE),
        ReferenceAttachment(odata_type="#microsoft.graph.referenceAttachment", name="AB123 plan (OneDrive)")])
    assert graph_adapters.mail.attachments(IRO, seeded.id) == (Attachment("AB123-care_plan.docx", DOCX, DOCX_TYPE),)


def test_attachments_follow_next_link(graph_adapters, graph_standin):
    files = [(f"AB123-part{n}.docx", DOCX + bytes([n]), DOCX_TYPE) for n in range(4)]
    seeded = graph_standin.seed_message(IRO, "AB123 papers", sender=TM, attachments=files)
    assert [a.filename for a in graph_adapters.mail.attachments(IRO, seeded.id)] == [f for f, _, _ in files]
    assert len(graph_standin.calls("GET", r"/attachments")) == 2   # pages of 3


def test_attachments_of_a_missing_message_is_not_found(graph_adapters):
    with pytest.raises(NotFound):
        graph_adapters.mail.attachments(IRO, "gone")


def test_a_message_without_attachments_has_none(graph_adapters, graph_standin):
    seeded = graph_standin.seed_message(IRO, "AB123 thanks", sender=TM)
    assert graph_adapters.mail.attachments(IRO, seeded.id) == ()
