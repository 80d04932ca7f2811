from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:course_id>/assessment/", views.start_assessment, name="start_assessment"),
    path("lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path(
        "lessons/<int:lesson_id>/checks/<uuid:block_id>/",
        views.check_knowledge,
        name="check_knowledge",
    ),
]
