"""The editorial layer: the catalogue, courses, lessons and webinars as Wagtail pages."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from academy.page_cache import OfferedToVisitors, RoutedFromCache

from .blocks import LessonBodyBlock

AUDIENCE_TIERS = [
    ("all_staff", "All staff"),
    ("complaints_staff", "Complaints staff"),
    ("senior_staff", "Senior staff"),
]


class CatalogueIndexPage(OfferedToVisitors, Page):
    """The course catalogue: lists the live courses beneath it."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.WebinarPage"]
    max_count = 1
    template = "courses/catalogue_index_page.html"
    page_cache_query = ("audience",)

    def page_cache_seconds(self, context):
        # The list of coming webinars changes when the first of them begins.
        if context["webinars"]:
            return int((context["webinars"][0].next_starts_at - timezone.now()).total_seconds())
        return None

    def get_context(self, request, *args, **kwargs):
        from . import selectors  # selectors imports the models module, which imports this one

        context = super().get_context(request, *args, **kwargs)
        tier = request.GET.get("audience", "")
        if tier not in dict(AUDIENCE_TIERS):
            tier = ""
        context["audience"] = tier
        context["tiers"] = AUDIENCE_TIERS
        context["courses"] = selectors.catalogue(catalogue=self, audience=tier)
        context["webinars"] = list(selectors.upcoming_webinars(catalogue=self))
        context["recorded_webinars"] = selectors.recorded_webinars(catalogue=self)
        return context


class CoursePage(OfferedToVisitors, Page):
    summary = models.TextField(help_text="One or two sentences shown in the catalogue.")
    audience = models.CharField(max_length=20, choices=AUDIENCE_TIERS)
    learning_outcomes = RichTextField(features=["ul", "ol", "bold", "italic"])
    estimated_minutes = models.PositiveIntegerField(
        "estimated time (minutes)", validators=[MinValueValidator(1)]
    )
    cpd_hours = models.DecimalField(
        "CPD hours", max_digits=4, decimal_places=1, validators=[MinValueValidator(0)]
    )
    expectations = ParentalManyToManyField(
        "complaint_standards.Expectation", blank=True, related_name="courses"
    )
    final_assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text="Learners must pass it to complete the course.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel([FieldPanel("estimated_minutes"), FieldPanel("cpd_hours")], "Effort"),
        FieldPanel("expectations"),
        FieldPanel("final_assessment"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_page.html"

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.course_overview(course=self, user=request.user))
        return context

    def make_outline(self) -> dict:
        from . import selectors

        return selectors.course_outline(course=self)


class LessonPage(RoutedFromCache, Page):
    intro = models.TextField(blank=True)
    body = StreamField(LessonBodyBlock())
    estimated_minutes = models.PositiveIntegerField(
        "estimated time (minutes)", default=10, validators=[MinValueValidator(1)]
    )
    expectations = ParentalManyToManyField(
        "complaint_standards.Expectation", blank=True, related_name="lessons"
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("estimated_minutes"),
        FieldPanel("expectations"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    def serve(self, request, *args, **kwargs):
        from . import selectors, services

        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        course = self.outline()["course"]
        enrolment = selectors.enrolment_of(user=request.user, course=course, lesson=self)
        if enrolment is None:
            if selectors.may_view_unenrolled(user=request.user):
                # Staff check live lessons (the admin's "View live") without enrolling, which
                # would put them in the course's figures; nothing they do here is recorded.
                request.staff_view = True
                return super().serve(request, *args, **kwargs)
            messages.info(request, "Enrol on the course to start its lessons.")
            return redirect(course.url)
        services.record_visit(enrolment=enrolment, lesson=self)
        request.enrolment = enrolment
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.outline())
        enrolment = getattr(request, "enrolment", None)  # set by serve(), asked with this lesson
        context["lesson_completed"] = bool(enrolment and enrolment.lesson_completed)
        return context

    def make_outline(self) -> dict:
        from . import selectors

        return selectors.lesson_outline(lesson=self)


class WebinarPage(RoutedFromCache, Page):
    """A live webinar: what it is about, for whom, and what attending it earns. Its sittings are
    sessions (courses.models.WebinarSession), which trainers add, move and cancel in the admin
    (Webinars › Sessions), since each change is news for the people registered."""

    description = RichTextField(features=["bold", "italic", "ul", "ol", "link"])
    audience = models.CharField(max_length=20, choices=AUDIENCE_TIERS, blank=True)
    expectations = ParentalManyToManyField(
        "complaint_standards.Expectation", blank=True, related_name="webinars"
    )
    cpd_hours = models.DecimalField(
        "CPD hours",
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
        help_text="Added to the CPD log of everyone who attends.",
    )
    issues_certificate = models.BooleanField(
        "attending earns a certificate",
        default=False,
        help_text="Everyone marked as attending gets a certificate of attendance.",
    )
    attendance_share = models.PositiveSmallIntegerField(
        "share of the session to count as attending",
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Per cent. In an imported attendance report, people who were there for less "
        "are listed for you to decide, not marked.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("audience"),
        FieldPanel("description"),
        FieldPanel("expectations"),
        MultiFieldPanel(
            [
                FieldPanel("cpd_hours"),
                FieldPanel("issues_certificate"),
                FieldPanel("attendance_share"),
            ],
            heading="Attendance",
        ),
    ]
    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = []
    template = "courses/webinar_page.html"

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["offers"] = selectors.webinar_sessions(webinar=self, user=request.user)
        context["recording"] = selectors.recording_offer(webinar=self, user=request.user)
        context["expectations"] = selectors.tagged_expectations(page=self)
        return context
