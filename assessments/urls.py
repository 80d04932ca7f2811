from django.urls import path

from .views import attempts

app_name = "assessments"
urlpatterns = [
    path("attempts/<int:attempt_id>/", attempts.take_attempt, name="attempt"),
    path("attempts/<int:attempt_id>/result/", attempts.attempt_result, name="result"),
]
