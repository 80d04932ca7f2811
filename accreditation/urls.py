from django.urls import path

from .views import appeals, programmes

app_name = "accreditation"
urlpatterns = [
    path("", programmes.programme_list, name="programmes"),
    path("candidacy/<int:pk>/", programmes.candidacy_dashboard, name="candidacy"),
    path(
        "candidacy/<int:candidacy_pk>/decisions/<int:decision_pk>/appeal/",
        appeals.appeal,
        name="appeal",
    ),
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme"),
    path("programmes/<slug:slug>/enrol/", programmes.enrol, name="enrol"),
]
