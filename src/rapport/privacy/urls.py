from django.urls import path

from rapport.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("customers/<int:customer_id>/", views.customer, name="customer"),
    path("customers/<int:customer_id>/adjustments/", views.adjustment_add, name="adjustment_add"),
    path(
        "customers/<int:customer_id>/adjustments/<int:adjustment_id>/end/", views.adjustment_end, name="adjustment_end"
    ),
    path("customers/<int:customer_id>/consents/", views.consent_add, name="consent_add"),
    path("customers/<int:customer_id>/holds/", views.hold_add, name="hold_add"),
    path("customers/<int:customer_id>/holds/<int:hold_id>/release/", views.hold_release, name="hold_release"),
    path("customers/<int:customer_id>/export/", views.export, name="export"),
    path("customers/<int:customer_id>/review/", views.review, name="review"),
    path("customers/<int:customer_id>/erase/", views.erase, name="erase"),
    path("requests/<int:case_id>/", views.request_update, name="request_update"),
    path("requests/<int:case_id>/restrict/", views.restrict, name="restrict"),
    path("requests/<int:case_id>/object/", views.object_uphold, name="object"),
    path("requests/<int:case_id>/rectify/", views.rectify, name="rectify"),
    path("customers/<int:customer_id>/restriction/lift/", views.lift, name="lift"),
    path("access-log/", views.staff_list, name="staff_list"),
    path("access-log/staff/<int:user_id>/", views.staff_log, name="staff_log"),
    path("adjustments/", views.adjustments_report, name="adjustments_report"),
    path("retention/", views.retention, name="retention"),
    path("request/", views.portal_request, name="portal_request"),
    path("choices/", views.portal_choices, name="portal_choices"),
]
