"""Survey links: signed (django.core.signing), naming one invitation, needing no sign-in."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rapport.feedback.models import SurveyInvitation
from rapport.platform.errors import NotFound

SALT = "rapport.feedback.survey"
LINK_INVALID = _("This survey link is not valid. Check you copied the whole link from the email.")


def survey_token(invitation: SurveyInvitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT, compress=False)


def survey_url(invitation: SurveyInvitation) -> str:
    return reverse("feedback:answer", args=[survey_token(invitation)])


def invitation_from_token(token: str) -> SurveyInvitation:
    """The invitation a link names, or ``NotFound`` for a forged, altered or unknown link."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise NotFound(LINK_INVALID) from None
    found = SurveyInvitation.objects.select_related("customer", "case").filter(pk=pk).first()
    if found is None:
        raise NotFound(LINK_INVALID)
    return found
