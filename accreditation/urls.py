from django.urls import path

from . import portfolio_views

app_name = "accreditation"
urlpatterns = [
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/",
        portfolio_views.unit,
        name="unit",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/evidence/",
        portfolio_views.upload_evidence,
        name="upload_evidence",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/evidence/<int:evidence_pk>/remove/",
        portfolio_views.remove_evidence,
        name="remove_evidence",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/statement/",
        portfolio_views.save_statement,
        name="save_statement",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/submit/",
        portfolio_views.submit_unit,
        name="submit_unit",
    ),
    path(
        "candidacy/<int:candidacy_pk>/unit/<int:requirement_pk>/submission/<int:submission_pk>/"
        "withdraw/",
        portfolio_views.withdraw_submission,
        name="withdraw_submission",
    ),
    path("evidence/<int:evidence_pk>/", portfolio_views.evidence_file, name="evidence_file"),
]
