from django.urls import path

from .views import appeals, cpd, portfolio, programmes

app_name = "accreditation"
urlpatterns = [
    path("", programmes.programme_list, name="programmes"),
    path("candidacy/<int:pk>/", programmes.candidacy_dashboard, name="candidacy"),
    path("candidacy/<int:pk>/withdraw/", programmes.withdraw, name="withdraw"),
    path(
        "candidacy/<int:candidacy_pk>/decisions/<int:decision_pk>/appeal/",
        appeals.appeal,
        name="appeal",
    ),
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme"),
    path("programmes/<slug:slug>/enrol/", programmes.enrol, name="enrol"),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/",
        portfolio.unit,
        name="unit",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/evidence/",
        portfolio.upload_evidence,
        name="upload_evidence",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/evidence/<int:evidence_pk>/remove/",
        portfolio.remove_evidence,
        name="remove_evidence",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/statement/",
        portfolio.save_statement,
        name="save_statement",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/submit/",
        portfolio.submit_unit,
        name="submit_unit",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/submission/<int:submission_pk>/"
        "withdraw/",
        portfolio.withdraw_submission,
        name="withdraw_submission",
    ),
    path("evidence/<int:evidence_pk>/", portfolio.evidence_file, name="evidence_file"),
    path("cpd/", cpd.cpd_log, name="cpd_log"),
    path("cpd/add/", cpd.cpd_add, name="cpd_add"),
    path("cpd/<int:pk>/change/", cpd.cpd_edit, name="cpd_edit"),
    path("cpd/<int:pk>/delete/", cpd.cpd_delete, name="cpd_delete"),
    path("cpd/<int:pk>/evidence/", cpd.cpd_evidence, name="cpd_evidence"),
    path("cpd/download.csv", cpd.cpd_download, {"file_format": "csv"}, name="cpd_csv"),
    path("cpd/download.pdf", cpd.cpd_download, {"file_format": "pdf"}, name="cpd_pdf"),
]
