"""What is sent to a Welsh-speaking customer is written in Welsh: the final response and deadlock
letters (email text and PDF, with Welsh dates and the PDF's language set for screen readers), the
subject access summary, the acknowledgement email and survey invitations. Customers who prefer
English get English, as before."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from rapport.cases.models import Message
from rapport.complaints import services as complaints
from rapport.customers.models import Customer
from rapport.feedback.models import SurveyInvitation
from rapport.mail import outbound
from rapport.privacy.exports import customer_export

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_language(data: bytes) -> str:
    return str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"])


def speaks(customer, language, **changes):
    Customer.objects.filter(pk=customer.pk).update(language=language, **changes)
    customer.refresh_from_db()


@pytest.fixture
def answered(agent, heat_done, now):
    complaints.complaint_record_outcome(
        actor=agent,
        reference=heat_done.reference,
        outcome="upheld",
        outcome_text="Byddwn yn ad-dalu'r cyfan i chi.",
        now=now,
    )
    return heat_done


def test_a_welsh_speakers_final_response_letter_is_in_welsh(agent, answered, customer, now):
    # Given a customer who asked to be served in Welsh, with ŵ and ŷ in their name
    speaks(customer, "cy", name="Llŷr ap Gwŵn")

    # When the handler previews the letter that would be sent
    letter = complaints.final_response_letter(actor=agent, reference=answered.reference, now=now)
    text = pdf_text(letter.pdf())

    # Then the email text and the PDF are in Welsh, dated in Welsh, with every letter printed
    for words in (
        "Annwyl Llŷr ap Gwŵn,",
        "Diolch am eich cwyn, a ddaeth i law ar 2 Mawrth 2026.",
        f"Ein cyfeirnod: {answered.reference}",
        "Eich cwyn: Kettle failed twice",
        "Eich hawl i gyfeirio eich cwyn",
        "Yn gywir,",
    ):
        assert words in letter.text, words
        assert " ".join(words.split()) in " ".join(text.split()), words
    assert "Ll?r" not in text
    assert letter.title == "Ein hymateb terfynol i'ch cwyn"
    # and the PDF tells a screen reader which language to speak it in
    assert pdf_language(letter.pdf()) == "cy"


def test_the_welsh_letter_names_the_referral_date_in_welsh(agent, answered, customer, now):
    speaks(customer, "cy")

    letter = complaints.final_response_letter(actor=agent, reference=answered.reference, now=now)

    referral = letter.text.split("Eich hawl i gyfeirio eich cwyn", 1)[1]
    assert "Os nad ydych yn fodlon â'n hymateb" in referral
    assert f"erbyn {letter.refer_by.day} Medi 2026" in referral  # six months on from 2 March 2026


def test_an_english_speakers_letter_stays_in_english(agent, answered, customer, now):
    letter = complaints.final_response_letter(actor=agent, reference=answered.reference, now=now)

    assert "Dear Alice Jones," in letter.text
    assert "Yours sincerely," in letter.text
    assert "2 March 2026" in letter.text
    assert pdf_language(letter.pdf()) == "en-GB"


def test_a_welsh_deadlock_letter_uses_the_welsh_of_the_shipped_wording(agent, answered, customer, now):
    speaks(customer, "cy")

    letter = complaints.final_response_letter(actor=agent, reference=answered.reference, deadlock=True, now=now)

    assert "Mae'n ddrwg gennyf nad ydym wedi gallu ei datrys er eich bodlonrwydd." in letter.text
    assert "a'r llythyr hwn yw ein hymateb terfynol." in letter.text


def test_an_organisations_own_letter_wording_is_sent_as_written(agent, answered, customer, now):
    from rapport.complaints.models import ComplaintSettings

    ComplaintSettings.objects.filter(pk=1).update(final_response_template="Annwyl {customer},\n\n{outcome}")
    speaks(customer, "cy")

    letter = complaints.final_response_letter(actor=agent, reference=answered.reference, now=now)

    assert letter.paragraphs == ["Annwyl Alice Jones,", "Byddwn yn ad-dalu'r cyfan i chi."]


def test_a_welsh_speakers_subject_access_summary_is_in_welsh(manager, customer, case, now):
    speaks(customer, "cy")

    bundle = customer_export(actor=manager, customer_id=customer.pk, why="Cais gwrthrych am wybodaeth", now=now)

    files = zipfile.ZipFile(io.BytesIO(bundle.content))
    summary = files.read("summary.html").decode()
    pdf = files.read("summary.pdf")
    assert '<html lang="cy">' in summary
    assert "<h1>Eich data personol</h1>" in summary
    assert "Eich achosion" in pdf_text(pdf)
    assert pdf_language(pdf) == "cy"


def test_a_welsh_speakers_acknowledgement_email_is_in_welsh(case, customer, now):
    speaks(customer, "cy")
    message = Message.objects.filter(case=case).first()

    email = outbound.acknowledgement_queue(case=case, message=message, now=now)

    assert email is not None
    assert email.subject.startswith("Mae eich neges wedi dod i law: Broken kettle")
    assert email.text.startswith("Annwyl Alice Jones,\n\nDiolch am ysgrifennu atom.")


def test_a_welsh_speakers_survey_invitation_is_in_welsh(case, customer, resolve, dispatch, now):
    speaks(customer, "cy")
    resolve(case, now)

    dispatch(now=now + timedelta(hours=2))

    sent = mail.outbox[0]
    assert sent.subject == f"Sut wnaethom ni gydag achos {case.reference}?"
    assert sent.body.startswith("Annwyl Alice Jones,\n\nByddem yn gwerthfawrogi eich ateb i un cwestiwn byr")
    assert "Atebwch yma (does dim angen mewngofnodi)" in sent.body
    assert "Mawrth 2026" in sent.body  # the closing date, in Welsh


def test_the_survey_page_speaks_the_language_of_the_customer_it_was_sent_to(
    case, customer, resolve, dispatch, now, client
):
    speaks(customer, "cy")
    resolve(case, now)
    dispatch(now=now + timedelta(hours=2))
    link = next(word for word in mail.outbox[0].body.split() if "/feedback/s/" in word)
    SurveyInvitation.objects.update(expires_at=timezone.now() + timedelta(days=7))  # the page reads the real clock

    response = client.get(link[link.index("/feedback/s/") :], HTTP_ACCEPT_LANGUAGE="en-GB")

    html = response.content.decode()
    assert '<html lang="cy">' in html
    assert "Anfon fy ateb" in html


def test_a_pdf_says_the_language_it_is_written_in():
    from django.utils import translation

    from rapport.platform.pdf import Paragraph, render_pdf

    with translation.override("cy"):
        assert pdf_language(render_pdf("Dŵr poeth", [Paragraph("Mae'r dŵr yn oer.")])) == "cy"
        # an English text (a help article) linked from a Welsh page keeps its own language
        assert pdf_language(render_pdf("Hot water", [Paragraph("No hot water.")], lang="en-GB")) == "en-GB"
    assert pdf_language(render_pdf("Hot water", [Paragraph("No hot water.")])) == "en-GB"
