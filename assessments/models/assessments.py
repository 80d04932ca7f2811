"""Assessments and the rows that say which questions each draws."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from .questions import MAX_DRAW, Question, QuestionBank

# The most one question can be worth.
MAX_MARKS = 100


class GradingMethod(models.TextChoices):
    """How a learner's attempts make their grade for an assessment (as in Moodle's quiz)."""

    HIGHEST = "highest", "Highest grade"
    LAST = "last", "Last attempt"
    FIRST = "first", "First attempt"
    AVERAGE = "average", "Average of the attempts"


# Said beside each review time that could show the right answers while the learner may still
# try again (see docs/decisions.md, "Right answers wait for the last attempt").
_REVEAL_WARNING = (
    " Feedback and the right answers are off here by default: a learner who may try again could "
    "read them from one attempt and pass the next."
)


def _review_panel(when: str, heading: str, help_text: str) -> MultiFieldPanel:
    """The four review options (marks, correctness, feedback, answers) for one time after an
    attempt; the fields are named `review_<when>_<what>`."""
    return MultiFieldPanel(
        [
            FieldPanel(f"review_{when}_{what}")
            for what in ("marks", "correctness", "feedback", "answers")
        ],
        heading=heading,
        help_text=help_text,
    )


class Assessment(ClusterableModel):
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        "attempts allowed", null=True, blank=True, help_text="Leave empty for unlimited attempts."
    )
    shuffle_options = models.BooleanField(default=True)
    shuffle_questions = models.BooleanField(
        default=False,
        help_text="Give each attempt the questions in its own random order, kept for the whole "
        "attempt. Otherwise they come in the order below (a draw's questions in the order drawn).",
    )
    questions_per_page = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Leave empty (or 0) to show every question on one page. With pages, learners "
        "move between them with Previous and Next and check their answers before submitting. "
        "An attempt keeps the pages it started with.",
    )
    time_limit_minutes = models.PositiveIntegerField(
        "time limit (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Leave empty for no time limit. The server ends the attempt when time is up.",
    )
    opens_at = models.DateTimeField(
        "opens", null=True, blank=True, help_text="Learners cannot start before this (UK time)."
    )
    closes_at = models.DateTimeField(
        "closes",
        null=True,
        blank=True,
        help_text="Learners cannot start after this, and open attempts end at this time.",
    )
    attempt_delay_minutes = models.PositiveIntegerField(
        "minimum delay between attempts (minutes)",
        null=True,
        blank=True,
        help_text="How long after submitting an attempt a learner must wait to start another.",
    )
    grading_method = models.CharField(
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
        help_text="Which attempts make the learner's grade, and so whether they pass.",
    )
    anonymous_marking = models.BooleanField(
        default=False,
        help_text="Markers see a candidate number instead of the learner's name.",
    )
    second_marking_percent = models.PositiveSmallIntegerField(
        "second marking (%)",
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="The share of marked answers a second assessor marks again without seeing the "
        "first mark: 0 for none, 100 for all. Chosen at random when the attempt is submitted.",
    )
    moderation_tolerance = models.PositiveSmallIntegerField(
        "moderation tolerance (%)",
        default=10,
        validators=[MaxValueValidator(100)],
        help_text="When the two marks differ by more than this share of the question's mark, a "
        "moderator decides the mark; otherwise the first mark stands.",
    )
    hold_results = models.BooleanField(
        "hold results until released",
        default=False,
        help_text="Learners see results of attempts with marked answers only once an assessor "
        "releases them (for example after moderation). Otherwise each result is released as "
        "soon as its last answer is marked.",
    )
    # Moodle's "immediate feedback": the learner checks an answer before submitting, and the
    # check makes it final. The review_during_* options say what a check shows.
    check_during_attempt = models.BooleanField(
        "learners may check each answer during the attempt",
        default=False,
        help_text="Each question the Academy marks itself gets a “Check this answer” button. "
        "Once checked, an answer cannot be changed, and its mark counts when the attempt is "
        "submitted. Essays are never checked: an assessor marks them.",
    )
    review_during_marks = models.BooleanField("the marks", default=True)
    review_during_correctness = models.BooleanField("whether each answer was right", default=True)
    review_during_feedback = models.BooleanField("feedback", default=False)
    review_during_answers = models.BooleanField("the right answers", default=False)
    # What a learner may see when they review an attempt (as in Moodle's review options), at
    # each moment after its result is released: for two minutes, later while the learner may
    # still try again, and once they cannot (no attempt left, or the assessment has closed).
    # Nothing is sent to the browser that these do not allow.
    review_immediately_marks = models.BooleanField("the marks", default=True)
    review_immediately_correctness = models.BooleanField(
        "whether each answer was right", default=True
    )
    review_immediately_feedback = models.BooleanField("feedback", default=False)
    review_immediately_answers = models.BooleanField("the right answers", default=False)
    review_later_marks = models.BooleanField("the marks", default=True)
    review_later_correctness = models.BooleanField("whether each answer was right", default=True)
    review_later_feedback = models.BooleanField("feedback", default=False)
    review_later_answers = models.BooleanField("the right answers", default=False)
    review_closed_marks = models.BooleanField("the marks", default=True)
    review_closed_correctness = models.BooleanField("whether each answer was right", default=True)
    review_closed_feedback = models.BooleanField("feedback", default=True)
    review_closed_answers = models.BooleanField("the right answers", default=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("instructions"),
        FieldPanel("pass_mark"),
        MultiFieldPanel(
            [
                FieldPanel("shuffle_options"),
                FieldPanel("shuffle_questions"),
                FieldPanel("questions_per_page"),
            ],
            heading="Order and pages",
        ),
        MultiFieldPanel(
            [
                FieldPanel("time_limit_minutes"),
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
            ],
            heading="Timing",
        ),
        MultiFieldPanel(
            [
                FieldPanel("max_attempts"),
                FieldPanel("attempt_delay_minutes"),
                FieldPanel("grading_method"),
            ],
            heading="Attempts and grade",
        ),
        MultiFieldPanel(
            [
                FieldPanel("anonymous_marking"),
                FieldPanel("second_marking_percent"),
                FieldPanel("moderation_tolerance"),
                FieldPanel("hold_results"),
            ],
            heading="Marking (essays)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("check_during_attempt"),
                FieldPanel("review_during_marks"),
                FieldPanel("review_during_correctness"),
                FieldPanel("review_during_feedback"),
                FieldPanel("review_during_answers"),
            ],
            heading="Checking answers during the attempt",
            help_text="Whether learners may check each answer before they submit, and what a "
            "check shows them (the options below apply only when checking is on)."
            + _REVEAL_WARNING,
        ),
        _review_panel(
            "immediately",
            "Review immediately after (for 2 minutes)",
            "What learners see of an attempt in the two minutes after its result."
            + _REVEAL_WARNING,
        ),
        _review_panel(
            "later",
            "Review later, while the assessment is open",
            "What learners see of an attempt after that, while they may still try again."
            + _REVEAL_WARNING,
        ),
        _review_panel(
            "closed",
            "Review once the learner has no attempts left, or the assessment has closed",
            "What learners see of their attempts once they cannot start another (every attempt "
            "allowed is used and none is in progress) or the assessment has closed. With "
            "unlimited attempts and no closing time, this never applies.",
        ),
        InlinePanel(
            "assessment_questions",
            label="Questions",
            min_num=1,
            help_text="Each row is one fixed question, or a draw: a number of questions picked "
            "at random from a bank (optionally only those tagged with an expectation) when each "
            "attempt starts. No attempt is given the same question twice.",
        ),
    ]

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="assessment_pass_mark_range",
            ),
            models.CheckConstraint(
                condition=models.Q(max_attempts__isnull=True) | models.Q(max_attempts__gte=1),
                name="assessment_max_attempts_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(time_limit_minutes__isnull=True)
                | models.Q(time_limit_minutes__gte=1),
                name="assessment_time_limit_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="assessment_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(second_marking_percent__lte=100, moderation_tolerance__lte=100),
                name="assessment_marking_percentages",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing time must be after the opening time."})


class AssessmentQuestion(Orderable):
    """One row of an assessment's questions: a fixed question, or a draw of draw_count questions
    from a bank (only those tagged with the expectation, when one is chosen), made when each
    attempt starts (services.draw_questions). Which combinations make sense beyond the check
    constraint is checked by services.check_slots, with a message per row."""

    assessment = ParentalKey(
        Assessment, on_delete=models.CASCADE, related_name="assessment_questions"
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A question every attempt is given. Leave empty to draw from a bank instead.",
    )
    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="or draw from bank",
        help_text="Draw questions at random from this bank when each attempt starts.",
    )
    expectation = models.ForeignKey(
        "complaint_standards.Expectation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="only questions tagged with",
        help_text="Optional: draw only the bank's questions tagged with this expectation.",
    )
    draw_count = models.PositiveSmallIntegerField(
        "number of questions to draw",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DRAW)],
    )
    marks = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MARKS)],
        help_text="What the question is worth (each question drawn, for a draw): more for an "
        "essay than for a one-click question, for example. An attempt keeps the marks it "
        "started with.",
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("bank"),
        FieldPanel("expectation"),
        FieldPanel("draw_count"),
        FieldPanel("marks"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="assessment_question_once"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    question__isnull=False,
                    bank__isnull=True,
                    expectation__isnull=True,
                    draw_count__isnull=True,
                )
                | models.Q(
                    question__isnull=True,
                    bank__isnull=False,
                    draw_count__gte=1,
                    draw_count__lte=MAX_DRAW,
                ),
                name="assessment_question_fixed_or_drawn",
                violation_error_message="Choose a question, or a bank and how many questions "
                "to draw from it, not both.",
            ),
            models.CheckConstraint(
                condition=models.Q(marks__gte=1, marks__lte=MAX_MARKS),
                name="assessment_question_marks_range",
            ),
        ]

    def __str__(self):
        if self.question_id:
            return str(self.question)
        tagged = f" tagged {self.expectation.code}" if self.expectation_id else ""
        return f"{self.draw_count} from {self.bank}{tagged}"

    @property
    def is_draw(self) -> bool:
        return self.question_id is None

    def row_problem(self) -> tuple[str, str] | None:
        """What is wrong with this row on its own, as (field, message), or None: it must be a
        fixed question or a draw (a bank and a number), not both or neither. Whether the bank
        has the questions is for services.check_slots."""
        drawing = self.bank_id or self.draw_count or self.expectation_id
        if self.question_id and self.bank_id:
            return "bank", "Choose a fixed question or a bank to draw from, not both."
        if self.question_id and drawing:
            return "question", (
                "A fixed question has no number to draw or expectation: leave those empty, or "
                "clear the question to draw from a bank."
            )
        if self.question_id:
            return None
        if not drawing:
            return "question", "Choose a question, or a bank to draw questions from."
        if not self.bank_id:
            return "bank", "Choose the bank to draw the questions from."
        if not self.draw_count:
            return "draw_count", f"Enter how many questions to draw from “{self.bank}”."
        return None

    def clean(self):
        super().clean()
        problem = self.row_problem()
        if problem:
            field, message = problem
            # Keyed to a field where one is at fault, so the check constraint (the same rule in
            # the database) is not reported a second time.
            raise ValidationError({field: message})
