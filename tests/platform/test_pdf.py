from rapport.platform.pdf import Bullets, Heading, Paragraph, Table, fold, render_pdf


def test_a_pdf_carries_title_language_and_real_text():
    data = render_pdf(
        "Final response to C-000123",
        [
            Heading("What happened"),
            Paragraph("We are sorry \u2014 the parcel arrived late and we let you down."),
            Bullets(["Refund of \u00a312.50", "Goodwill gesture"]),
            Table(["Remedy", "Until"], [["Short-term right to reject", "12 March 2026"]]),
        ],
    )
    assert data.startswith(b"%PDF-")
    assert b"/Lang (en-GB)" in data
    assert b"Final response to C-000123" in data


def test_large_print_sets_bigger_type():
    text = [Paragraph("Thank you for telling us about the problem with your order. " * 40)] * 6
    small = render_pdf("Letter", text)
    large = render_pdf("Letter", text, large_print=True)
    assert large.count(b"/Type /Page\n") > small.count(b"/Type /Page\n") >= 1


def test_text_is_composed_and_printed_as_written():
    assert fold("Lly\u0302r") == "Ll\u0177r"  # a decomposed ŷ becomes one character, one glyph
    assert fold("\u201cquoted\u201d \u2013 it\u2019s \u20ac5") == "\u201cquoted\u201d \u2013 it\u2019s \u20ac5"


def test_a_character_the_font_lacks_is_not_fatal():
    assert render_pdf("\u4e2d title", [Paragraph("\u2603 snowman")]).startswith(b"%PDF-")
