from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("<int:offer_id>/", views.answer, name="answer"),
    path("<int:offer_id>/skip/", views.skip, name="skip"),
]
