from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("attempts/<int:attempt_id>/", views.take_attempt, name="attempt"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="result"),
]
