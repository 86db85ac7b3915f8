"""Final response and deadlock letters: a letterhead, the date, the handler's signature, wording
that reads well whatever the subject, the right ADR body, Welsh and other non-Latin-1 text printed
as written, paragraphs never justified, and a preview to edit and confirm before anything is sent."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from pypdf import PdfReader

from rapport.cases.models import MessageKind
from rapport.complaints import services
from rapport.complaints.models import AdrScheme, ComplaintSettings
from rapport.customers.models import Customer
from rapport.platform.pdf import FONT_PACKAGE, FontMissing, Paragraph, render_pdf

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text a reader copies out of the PDF (through the embedded font's Unicode map)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def content_streams(data: bytes) -> bytes:
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            out.append(stream)
    return b"".join(out)


@pytest.fixture
def letterhead():
    ComplaintSettings.objects.filter(pk=1).update(
        organisation_name="Siop Gymraeg Cyf",
        organisation_address="1 Heol y Frenhines\nCaerdydd\nCF10 2AA",
        organisation_contact="Complaints: 029 2018 0456",
        adr_body="RetailADR",
        adr_details="www.retailadr.org.uk",
    )


@pytest.fixture
def answered(agent, heat_done, now):
    services.complaint_record_outcome(
        actor=agent,
        reference=heat_done.reference,
        outcome="upheld",
        outcome_text="We will refund you in full, and a €20 voucher is on its way.",
        now=now,
    )
    return heat_done


def test_welsh_and_other_non_latin_1_text_prints_as_written(agent, answered, now):
    # given: a Welsh name, and text with ŵ and the euro sign
    Customer.objects.filter(pk=answered.customer_id).update(name="Llŷr ap Gwŵn")

    # when
    letter = services.final_response_letter(actor=agent, reference=answered.reference, now=now)
    text = pdf_text(letter.pdf())

    # then: every character survives, none becomes "?"
    assert "Dear Llŷr ap Gwŵn," in text
    assert "€20 voucher" in text
    assert "Ll?r" not in text


def test_the_letter_has_a_letterhead_the_date_and_the_handlers_signature(agent, answered, now, letterhead):
    letter = services.final_response_letter(actor=agent, reference=answered.reference, now=now)

    text = pdf_text(letter.pdf())
    for line in ("Siop Gymraeg Cyf", "1 Heol y Frenhines", "Caerdydd", "CF10 2AA", "Complaints: 029 2018 0456"):
        assert line in text
    assert "2 March 2026" in text  # the test clock's day
    assert f"Our reference: {answered.reference}" in text
    assert "Yours sincerely," in text
    assert f"{agent.name}\nAgent, Siop Gymraeg Cyf" in letter.text
    assert text.index("Siop Gymraeg Cyf") < text.index("Dear ")


def test_without_an_organisation_name_the_letter_uses_the_installations(agent, answered, now, settings):
    settings.RAPPORT_ORGANISATION = "Acme Homes Ltd"

    letter = services.final_response_letter(actor=agent, reference=answered.reference, now=now)

    assert letter.letterhead[0] == "Acme Homes Ltd"


@pytest.mark.parametrize("subject", ["Re: Fwd: order 4471", "kettle!!", "I WANT MY MONEY BACK"])
def test_the_subject_stands_on_its_own_line_never_inside_a_sentence(agent, answered, now, subject):
    answered.__class__.objects.filter(pk=answered.pk).update(subject=subject)

    letter = services.final_response_letter(actor=agent, reference=answered.reference, now=now)

    assert letter.text.count(subject) == 1
    assert f"\nYour complaint: {subject}\n" in letter.text
    assert "complaint about" not in letter.text


def test_a_categorys_adr_body_replaces_the_organisations(agent, answered, now, letterhead):
    AdrScheme.objects.create(
        category="kettles", adr_body="The Kettle Ombudsman", adr_details="kettles.example", referral_months=12
    )

    letter = services.final_response_letter(actor=agent, reference=answered.reference, now=now)  # product "Kettles"

    assert "refer your complaint to The Kettle Ombudsman" in letter.text
    assert "within 12 months" in letter.text
    assert "RetailADR" not in letter.text


def test_otherwise_the_organisations_adr_body_is_named(agent, answered, now, letterhead):
    letter = services.final_response_letter(actor=agent, reference=answered.reference, now=now)

    assert "refer your complaint to RetailADR" in letter.text
    assert "Financial Ombudsman" not in letter.text


def test_paragraphs_are_ragged_right_never_justified():
    long = "If you are not satisfied with our response, you have the right to refer your complaint. " * 6

    data = render_pdf("Letter", [Paragraph(long, bold=True), Paragraph(long)])

    # Justified text sets word spacing (Tw) or stretches the gaps in TJ arrays; ragged right does neither.
    streams = content_streams(data)
    assert re.search(rb"[1-9][\d.]* Tw", streams) is None
    assert b"TJ" not in streams


def test_a_missing_font_is_a_clear_error_naming_the_package(tmp_path):
    with pytest.raises(FontMissing) as missing:
        render_pdf("Letter", [Paragraph("x")], font_dir=tmp_path)

    assert f"sudo apt-get install {FONT_PACKAGE}" in str(missing.value)
    assert "DejaVuSans.ttf" in str(missing.value)


# --- preview, edit, confirm --------------------------------------------------------------------------


def page(agent_client, case, **params):
    return agent_client.get(f"/complaints/{case.reference}/final-response/", params)


def test_the_panel_leads_to_a_preview_and_nothing_is_sent_by_looking(agent_client, answered):
    case_page = agent_client.get(f"/cases/{answered.reference}/").content.decode()
    assert f'action="/complaints/{answered.reference}/final-response/"' in case_page
    assert "Preview the final response" in case_page

    response = page(agent_client, answered, **{"final-deadlock": "on"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The letter as it will be sent" in html
    assert "we have not been able to resolve it" in html  # the deadlock wording, as chosen on the panel
    assert re.search(r'<input type="checkbox" name="deadlock"[^>]*checked', html)
    assert answered.messages.filter(kind=MessageKind.OUTBOUND).count() == 0


def test_edited_wording_is_shown_again_then_sent_as_confirmed(agent_client, answered):
    url = f"/complaints/{answered.reference}/final-response/"
    edited = "Dear Ms Jones,\n\nWe are refunding you in full today.\n\nThis is our final response."

    # when: the handler changes the wording and looks again
    shown = agent_client.post(url, {"body": edited, "send": "0"})

    # then: the preview shows their words, and still nothing is sent
    assert shown.status_code == 200
    assert "We are refunding you in full today." in shown.content.decode()
    assert answered.messages.filter(kind=MessageKind.OUTBOUND).count() == 0

    # when: they confirm
    sent = agent_client.post(url, {"body": edited, "send": "1"})

    # then: the customer gets exactly that wording, with the parts that cannot be removed
    assert sent.status_code == 302
    message = answered.messages.get(kind=MessageKind.OUTBOUND)
    assert "We are refunding you in full today." in message.body
    assert "Your right to refer your complaint" in message.body
    assert "We will refund you in full, and a €20 voucher" not in message.body
    assert "We are refunding you in full today." in pdf_text(message.attachments.get().file.read())


def test_an_empty_letter_is_refused_and_nothing_is_sent(agent_client, answered):
    response = agent_client.post(f"/complaints/{answered.reference}/final-response/", {"body": "  ", "send": "1"})

    assert response.status_code == 422
    assert "Write the letter: it cannot be empty." in response.content.decode()
    assert answered.messages.filter(kind=MessageKind.OUTBOUND).count() == 0


def test_the_old_one_click_send_is_gone(agent_client, answered):
    response = agent_client.post(f"/complaints/{answered.reference}/final/", {"final-deadlock": ""})

    assert response.status_code == 404
    assert answered.messages.filter(kind=MessageKind.OUTBOUND).count() == 0


def test_the_pdf_preview_shows_the_edited_wording(agent_client, answered):
    response = agent_client.post(
        f"/complaints/{answered.reference}/letter.pdf", {"body": "Dear Llŷr,\n\nSorted.", "deadlock": ""}
    )

    assert response.status_code == 200
    assert "Dear Llŷr," in pdf_text(response.content)
    assert answered.messages.filter(kind=MessageKind.OUTBOUND).count() == 0


def test_someone_who_may_not_see_the_case_gets_a_404(other_agent_client, answered):
    assert page(other_agent_client, answered).status_code == 404
