"""Learner feedback: a survey per course, webinar or assessment, who it was offered to, and the
answers, kept apart so that nobody can tell who answered what.

`Offer` knows the person and whether they answered or skipped, never what they said. `Response`
knows what was said, the month and the organisation at the time, never by whom: no user column,
a random UUID for a key (no sequence to line up with offers) and no time finer than the month.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

# Fewer responses than this and free text, a month's means and an organisation's figures are
# not shown: with two or three people, anyone who knows who took the course could tell.
SMALL_GROUP = 5

RATINGS = range(1, 6)


class Survey(ClusterableModel):
    """The questions learners are asked after one course, webinar or assessment."""

    course = models.OneToOneField(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_survey",
        help_text="Offered when a learner completes the course.",
    )
    webinar = models.OneToOneField(
        "courses.WebinarPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_survey",
        help_text="Offered when a learner's attendance is recorded.",
    )
    assessment = models.OneToOneField(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_survey",
        help_text="Offered when a learner hands in an attempt.",
    )
    intro = models.TextField(
        blank=True,
        help_text="Shown above the questions. Learners are always told their answers are "
        "anonymous.",
    )
    is_open = models.BooleanField(
        "offered to learners",
        default=True,
        help_text="Untick to stop offering the survey. Answers already given are kept.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("course"), FieldPanel("webinar"), FieldPanel("assessment")],
            "What the survey is about (choose one)",
        ),
        FieldPanel("intro"),
        FieldPanel("is_open"),
        InlinePanel(
            "questions",
            heading="Questions",
            label="Question",
            help_text="Leave empty when adding a survey to start with the standard questions.",
        ),
    ]

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_results", "Can see the results of feedback surveys")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(course__isnull=False, webinar__isnull=True, assessment__isnull=True)
                    | Q(course__isnull=True, webinar__isnull=False, assessment__isnull=True)
                    | Q(course__isnull=True, webinar__isnull=True, assessment__isnull=False)
                ),
                name="survey_about_one_item",
            ),
        ]

    def __str__(self):
        return f"Feedback on {self.item_title}"

    @property
    def item(self):
        return self.course or self.webinar or self.assessment

    @property
    def item_title(self) -> str:
        item = self.item
        return item.title if item else "(nothing chosen)"

    @property
    def kind(self) -> str:
        if self.course_id:
            return "course"
        if self.webinar_id:
            return "webinar"
        return "assessment"


class Question(Orderable):
    """One question of a survey. Once it has answers its wording is fixed (docs/decisions.md):
    trainers stop asking it and add a new one instead."""

    class Kind(models.TextChoices):
        RATING = "rating", "Rating from 1 to 5"
        TEXT = "text", "Free text (answering is optional)"

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RATING)
    text = models.CharField(max_length=300)
    low_label = models.CharField(
        "label for 1", max_length=40, blank=True, default="Very poor", help_text="Ratings only."
    )
    high_label = models.CharField(
        "label for 5", max_length=40, blank=True, default="Very good", help_text="Ratings only."
    )
    retired = models.BooleanField(
        "no longer asked",
        default=False,
        help_text="Stop asking it; the answers already given stay in the results.",
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("low_label"),
        FieldPanel("high_label"),
        FieldPanel("retired"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="text") | (Q(low_label__gt="") & Q(high_label__gt="")),
                name="feedback_rating_has_labelled_ends",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_rating(self) -> bool:
        return self.kind == self.Kind.RATING


class Offer(models.Model):
    """A survey offered to one person, and what they did with it (never what they said)."""

    class State(models.TextChoices):
        OFFERED = "offered", "Offered"
        ANSWERED = "answered", "Answered"
        SKIPPED = "skipped", "Skipped"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="offers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_offers"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFERED)
    # When it was offered (after the learning, which is on record anyway). Deliberately no
    # time of answering: it would let someone match the offer to its response.
    offered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="feedback_offered_once"),
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self):
        return f"{self.survey} for {self.user} ({self.get_state_display()})"


class Response(models.Model):
    """One person's answers to a survey, with nothing that says who they are."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # The organisation the person belonged to when answering, for the breakdown by
    # organisation; its kind is kept too, should the organisation later be removed.
    organisation = models.ForeignKey(
        "academy.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_kind = models.CharField(max_length=20, blank=True)
    month = models.DateField(help_text="The first day of the month it was answered in.")

    class Meta:
        indexes = [models.Index(fields=["survey", "month"])]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="feedback_response_month_only"),
        ]

    def __str__(self):
        return f"A response to {self.survey} ({self.month:%B %Y})"


class Answer(models.Model):
    """The answer to one question of a response: a rating, or text (possibly empty)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # RESTRICT, not PROTECT: a question with answers cannot be deleted on its own, but goes with
    # its survey (whose responses and answers go too).
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="feedback_answered_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_from_1_to_5",
            ),
        ]

    def __str__(self):
        return f"Answer to {self.question}"
