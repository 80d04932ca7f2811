from django.urls import path

from .views import assignments, compliance, home, invitations, people, webinars

app_name = "organisations"
urlpatterns = [
    path("", home.home, name="home"),
    path("<int:organisation_id>/", home.organisation, name="organisation"),
    path("<int:organisation_id>/assignments/", assignments.assignment_list, name="assignments"),
    path(
        "<int:organisation_id>/assignments/new/",
        assignments.assignment_create,
        name="assignment_create",
    ),
    path(
        "<int:organisation_id>/assignments/<int:pk>/",
        assignments.assignment_detail,
        name="assignment",
    ),
    path(
        "<int:organisation_id>/assignments/<int:pk>/due-date/",
        assignments.assignment_due_date,
        name="assignment_due_date",
    ),
    path(
        "<int:organisation_id>/assignments/<int:pk>/withdraw/",
        assignments.assignment_withdraw,
        name="assignment_withdraw",
    ),
    path("<int:organisation_id>/invitations/", invitations.invitations, name="invitations"),
    path("<int:organisation_id>/invitations/new/", invitations.invite, name="invite"),
    path("<int:organisation_id>/invitations/upload/", invitations.upload, name="upload"),
    path(
        "<int:organisation_id>/invitations/<int:invitation_id>/resend/",
        invitations.resend,
        name="resend_invitation",
    ),
    path(
        "<int:organisation_id>/invitations/<int:invitation_id>/withdraw/",
        invitations.withdraw,
        name="withdraw_invitation",
    ),
    path("invitation/<str:token>/", invitations.accept, name="invitation"),
    path(
        "invitation/<str:token>/create-account/",
        invitations.invitation_signup,
        name="invitation_signup",
    ),
    path("<int:organisation_id>/people/<int:user_id>/", people.person, name="person"),
    path(
        "<int:organisation_id>/people/<int:user_id>/tier/",
        people.change_tier,
        name="change_tier",
    ),
    path(
        "<int:organisation_id>/people/<int:user_id>/left/",
        people.record_leaving,
        name="record_leaving",
    ),
    path("memberships/<int:membership_id>/leave/", people.leave, name="leave"),
    path("<int:organisation_id>/webinars/", webinars.webinar_sessions, name="webinars"),
    path(
        "<int:organisation_id>/webinars/<int:session_id>/",
        webinars.webinar_session,
        name="webinar_session",
    ),
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
