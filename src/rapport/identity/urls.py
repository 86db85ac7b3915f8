from django.urls import path
from django.views.i18n import JavaScriptCatalog

from rapport.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.security, name="security"),
    path("authenticator/", views.totp_add, name="totp_add"),
    path("factors/<str:kind>/<int:device_id>/remove/", views.factor_remove, name="factor_remove"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("browsers/forget/", views.browsers_forget, name="browsers_forget"),
    path("verify/", views.verify, name="verify"),
    path("people/", views.people, name="people"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("audit/", views.events, name="events"),
    path("sso/preview/", views.sso_preview, name="sso_preview"),
    path("oidc/start/", views.SSOStart.as_view(), name="oidc_start"),
    path("oidc/callback/", views.SSOCallback.as_view(), name="oidc_callback"),
]

# django-otp-webauthn's script finds its four addresses by these names, in the ``otp_webauthn``
# namespace (the root URLconf mounts them under /identity/passkeys/).
passkey_urlpatterns = [
    path("registration/begin/", views.PasskeyRegisterBegin.as_view(), name="credential-registration-begin"),
    path("registration/complete/", views.PasskeyRegisterComplete.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", views.PasskeyVerifyBegin.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", views.PasskeyVerifyComplete.as_view(), name="credential-authentication-complete"),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
