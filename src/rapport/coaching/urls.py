from django.urls import URLPattern, path

from rapport.coaching import views

app_name = "coaching"
urlpatterns: list[URLPattern] = [
    path("", views.me, name="me"),
    path("agents/", views.agents, name="agents"),
    path("agents/<int:agent_id>/", views.agent, name="agent"),
    path("agents/<int:agent_id>/sessions/new/", views.session_new, name="session_new"),
    path("agents/<int:agent_id>/appraisals/new/", views.appraisal_new, name="appraisal_new"),
    path("targets/", views.targets, name="targets"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_id>/", views.session, name="session"),
    path("actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path("appraisals/<int:appraisal_id>/", views.appraisal, name="appraisal"),
    path("appraisals/<int:appraisal_id>/sign/", views.appraisal_sign, name="appraisal_sign"),
    path("appraisals/<int:appraisal_id>.pdf", views.appraisal_pdf, name="appraisal_pdf"),
    path("reminders/read/", views.reminders_read, name="reminders_read"),
    path("pulse/", views.pulse, name="pulse"),
    path("pulse/<int:round_id>/", views.pulse_results, name="pulse_results"),
]
