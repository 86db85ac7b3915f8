"""What customers read, by folder: the templates the marked-string check reads, and the Python
modules whose text reaches customers (messages, letters, PDFs, form labels and errors). The Welsh
catalogue must translate every message these use (``test_catalogue.py``). A new customer-facing
template or module is added here."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "rapport"

CUSTOMER_FACING_TEMPLATES = (
    # the portal: cases, raising one, replies (and its page frame, fields and errors)
    "portal/templates/portal/*.html",
    # survey pages, and the portal's list of open surveys
    "feedback/templates/feedback/answer*.html",
    "feedback/templates/feedback/my_surveys.html",
    # data rights in the portal, and the subject access summary (HTML and PDF)
    "privacy/templates/privacy/portal_*.html",
    "privacy/templates/privacy/export_summary.html",
    # the public knowledge base (help centre) and the portal's suggestions
    "knowledge/templates/knowledge/help*.html",
    # the shared page frame, the language switch, fields, errors and error pages
    "web/templates/web/base.html",
    "web/templates/web/_error_summary.html",
    "web/templates/web/_field_error.html",
    "web/templates/web/_language_switch.html",
    "web/templates/40*.html",
    # signing in (customers and staff)
    "accounts/templates/accounts/login.html",
    # email templates, wherever an app keeps them
    "*/templates/*/email/*",
)

CUSTOMER_FACING_PYTHON = (
    "portal/*.py",  # statuses and case types in the portal's words, forms, messages
    "accounts/views.py",  # sign-in errors
    "web/forms.py",  # the sign-in form
    "web/views.py",  # the language switch
    "web/components/message_card.py",  # messages on the portal's case page
    "platform/forms.py",  # error summaries
    "platform/promises.py",  # "We will reply by …" in emails and the portal
    "cases/services.py",  # errors on raising a case or replying
    "cases/merging.py",  # the message that tells a customer their cases were combined
    "mail/outbound.py",  # the acknowledgement email
    "feedback/services/*.py",  # survey invitations, questions and answers
    "feedback/forms.py",
    "feedback/views.py",
    "complaints/letters.py",  # final response and deadlock letters (email and PDF)
    "complaints/models.py",  # the letters' default wording
    "privacy/exports.py",  # the subject access summary PDF
    "privacy/forms.py",
    "privacy/views.py",
    "knowledge/forms.py",
    "knowledge/views.py",
)


def paths(patterns: tuple[str, ...]) -> list[Path]:
    return sorted({path for pattern in patterns for path in SRC.glob(pattern)})


def customer_facing_templates() -> list[Path]:
    return paths(CUSTOMER_FACING_TEMPLATES)


def customer_facing_python() -> list[Path]:
    return paths(CUSTOMER_FACING_PYTHON)
