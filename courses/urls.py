from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:course_id>/assessment/", views.start_assessment, name="start_assessment"),
    path("lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path(
        "webinars/sessions/<int:session_id>/register/",
        views.register_for_session,
        name="register_for_session",
    ),
    path(
        "webinars/sessions/<int:session_id>/cancel/",
        views.cancel_registration,
        name="cancel_registration",
    ),
    path(
        "webinars/recordings/<int:recording_id>/files/<slug:part>/",
        views.recording_file,
        name="recording_file",
    ),
    path(
        "webinars/recordings/<int:recording_id>/watched/",
        views.mark_recording_watched,
        name="mark_recording_watched",
    ),
    path(
        "lessons/<int:lesson_id>/checks/<uuid:block_id>/",
        views.check_knowledge,
        name="check_knowledge",
    ),
]
