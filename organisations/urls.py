from django.urls import path

from .views import compliance, home

app_name = "organisations"
urlpatterns = [
    path("", home.home, name="home"),
    path("<int:organisation_id>/", home.organisation, name="organisation"),
    path("<int:organisation_id>/compliance/", compliance.compliance, name="compliance"),
    path(
        "<int:organisation_id>/compliance/export.csv",
        compliance.compliance_csv,
        name="compliance_csv",
    ),
    path(
        "<int:organisation_id>/compliance/export.xlsx",
        compliance.compliance_xlsx,
        name="compliance_xlsx",
    ),
]
