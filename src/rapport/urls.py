from django.contrib import admin
from django.urls import include, path

from rapport.api import api
from rapport.identity import urls as identity_urls

admin.site.site_header = "Rapport configuration"
admin.site.site_title = "Rapport"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("portal/", include("rapport.portal.urls")),
    path("mail/", include("rapport.mail.urls")),
    path("sla/", include("rapport.sla.urls")),
    path("complaints/", include("rapport.complaints.urls")),
    path("privacy/", include("rapport.privacy.urls")),
    path("feedback/", include("rapport.feedback.urls")),
    path("time/", include("rapport.timetracking.urls")),
    path("learning/", include("rapport.learning.urls")),
    path("kb/", include("rapport.knowledge.urls")),
    path("help/", include("rapport.knowledge.public_urls")),
    path("macros/", include("rapport.macros.urls")),
    path("planning/", include("rapport.workforce.urls")),
    path("outreach/", include("rapport.outreach.urls")),
    path("plans/", include("rapport.plans.urls")),
    path("improvement/", include("rapport.improvement.urls")),
    path("quality/", include("rapport.quality.urls")),
    path("notifications/", include("rapport.notifications.urls")),
    path("webhooks/", include("rapport.webhooks.urls")),
    path("imports/", include("rapport.imports.urls")),
    path("automation/", include("rapport.automation.urls")),
    path("chat/", include("rapport.chat.urls")),
    path("coaching/", include("rapport.coaching.urls")),
    path("routing/", include("rapport.routing.urls")),
    path("identity/passkeys/", include((identity_urls.passkey_urlpatterns, "otp_webauthn"))),
    path("identity/", include("rapport.identity.urls")),
    path("", include("rapport.accounts.urls")),
    path("", include("rapport.web.urls")),
]
