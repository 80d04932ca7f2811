from django.urls import path

from .views import assignments, home

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
]
