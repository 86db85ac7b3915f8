from django.contrib import admin
from django.urls import include, path

from rapport.api import api

admin.site.site_header = "Rapport configuration"
admin.site.site_title = "Rapport"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("portal/", include("rapport.portal.urls")),
    path("", include("rapport.accounts.urls")),
    path("", include("rapport.web.urls")),
]
