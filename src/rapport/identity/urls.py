from django.urls import path

from rapport.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.security, name="security"),
    path("authenticator/", views.totp_add, name="totp_add"),
    path("authenticator/<int:device_id>/remove/", views.factor_remove, name="factor_remove"),
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
