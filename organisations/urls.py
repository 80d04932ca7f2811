from django.urls import path

from .views import home

app_name = "organisations"
urlpatterns = [
    path("", home.home, name="home"),
    path("<int:organisation_id>/", home.organisation, name="organisation"),
]
