"""Page factories: pages are added under a parent and published, as trainers do in Wagtail."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.rich_text import RichText

from assessments.models import Assessment, Question, QuestionKind
from courses.models import (
    CatalogueIndexPage,
    CoursePage,
    LessonPage,
    WebinarPage,
    WebinarSession,
)
from portal.pages import HomePage
from tests.assessments.factories import AssessmentFactory, QuestionFactory


class PageFactory(factory.Factory):
    """Builds a page under `parent`; publishes it unless live=False (then it stays a draft)."""

    class Meta:
        abstract = True

    parent = None
    live = True
    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))

    @classmethod
    def _create(cls, model_class, *args, parent=None, expectations=(), **kwargs):
        if parent is None:
            raise ValueError(f"{cls.__name__} needs parent=<page>.")
        page = parent.add_child(instance=model_class(**kwargs))
        if expectations:
            page.expectations.set(expectations)
        revision = page.save_revision()
        if kwargs.get("live", True):
            revision.publish()
        return model_class.objects.get(pk=page.pk)


class CatalogueFactory(PageFactory):
    class Meta:
        model = CatalogueIndexPage

    title = "Courses"
    slug = "courses"
    intro = "<p>Courses on the Complaint Standards.</p>"


class CourseFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Handling complaints well {n}")
    summary = "How to welcome, look into and answer complaints."
    audience = "all_staff"
    learning_outcomes = "<ul><li>Welcome a complaint</li></ul>"
    estimated_minutes = 45
    cpd_hours = Decimal("1.5")
    final_assessment = None


class LessonFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson number {n}")
    intro = factory.LazyAttribute(lambda lesson: f"Introduction to {lesson.title}.")
    body = factory.LazyAttribute(
        lambda lesson: [("text", RichText(f"<p>The body of {lesson.title}.</p>"))]
    )


class WebinarSessionFactory(DjangoModelFactory):
    class Meta:
        model = WebinarSession

    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    duration_minutes = 60
    capacity = 100
    meeting_url = "https://meet.example.org/j/123456"
    presenters = "Nia Okafor"


class WebinarFactory(PageFactory):
    """A webinar with one session, a week from now unless starts_at= says otherwise."""

    class Meta:
        model = WebinarPage

    class Params:
        starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
        duration_minutes = 60

    title = factory.Sequence(lambda n: f"Live session {n}")
    description = "<p>Questions answered live.</p>"
    audience = ""
    session = factory.RelatedFactory(
        WebinarSessionFactory,
        factory_related_name="webinar",
        starts_at=factory.SelfAttribute("..starts_at"),
        duration_minutes=factory.SelfAttribute("..duration_minutes"),
    )


@dataclass
class CourseTree:
    home: HomePage
    catalogue: CatalogueIndexPage
    course: CoursePage
    lessons: list[LessonPage]
    assessment: Assessment
    questions: list[Question]


def build_course(*, catalogue, title=None, lesson_count=3, **assessment_fields) -> CourseTree:
    """A published course with lessons and a final assessment of three questions (pass mark 75%):
    two single-choice questions and one multiple-response question."""
    questions = [
        QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
        QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
        QuestionFactory(kind=QuestionKind.MULTIPLE_RESPONSE),
    ]
    assessment = AssessmentFactory(questions=questions, **assessment_fields)
    course_fields = {"title": title} if title else {}
    course = CourseFactory(parent=catalogue, final_assessment=assessment, **course_fields)
    lessons = [LessonFactory(parent=course) for _ in range(lesson_count)]
    return CourseTree(
        home=catalogue.get_parent().specific,
        catalogue=catalogue,
        course=course,
        lessons=lessons,
        assessment=assessment,
        questions=questions,
    )
