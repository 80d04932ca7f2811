from django.urls import path

from .views import home, people

app_name = "organisations"
urlpatterns = [
    path("", home.home, name="home"),
    path("<int:organisation_id>/", home.organisation, name="organisation"),
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
]
