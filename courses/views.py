from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import CoursePage, LessonPage


def _live_page(model, page_id):
    page = model.objects.live().filter(pk=page_id).first()
    if page is None:
        raise Http404("No such page.")
    return page


@login_required
@require_POST
def enrol(request, course_id):
    course = _live_page(CoursePage, course_id)
    try:
        services.enrol(user=request.user, course=course)
    except services.CourseError as exc:
        messages.error(request, str(exc))
        return redirect(course.url)
    messages.success(request, f"You are enrolled on {course.title}.")
    first = LessonPage.objects.child_of(course).live().order_by("path").first()
    return redirect(first.url if first else course.url)


@login_required
@require_POST
def complete_lesson(request, lesson_id):
    lesson = _live_page(LessonPage, lesson_id)
    course = lesson.get_parent().specific
    enrolment = selectors.enrolment_of(user=request.user, course=course)
    if enrolment is None:
        raise Http404("You are not enrolled on this course.")
    try:
        services.complete_lesson(enrolment=enrolment, lesson=lesson)
    except services.CourseError as exc:
        messages.error(request, str(exc))
        return redirect(lesson.url)
    following = LessonPage.objects.sibling_of(lesson, inclusive=False).live()
    following = following.filter(path__gt=lesson.path).order_by("path").first()
    return redirect(following.url if following else course.url)


@login_required
@require_POST
def start_assessment(request, course_id):
    course = _live_page(CoursePage, course_id)
    enrolment = selectors.enrolment_of(user=request.user, course=course)
    if enrolment is None:
        raise Http404("You are not enrolled on this course.")
    try:
        attempt = services.start_final_assessment(enrolment=enrolment)
    except services.CourseError as exc:
        messages.error(request, str(exc))
        return redirect(course.url)
    return redirect("assessments:attempt", attempt_id=attempt.pk)
