from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from .blocks import CriterionBlock


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single", "Single choice"
    MULTIPLE_RESPONSE = "multiple", "Multiple response"
    TRUE_FALSE = "truefalse", "True or false"
    SHORT_ANSWER = "short", "Short answer"
    NUMERICAL = "numerical", "Numerical"
    MATCHING = "matching", "Matching"
    ORDERING = "ordering", "Ordering"
    ESSAY = "essay", "Essay (marked by an assessor)"


# Kinds whose learner picks options by key (radios or checkboxes).
CHOICE_KINDS = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_RESPONSE, QuestionKind.TRUE_FALSE}
)
# Kinds a person marks after submission; the rest are scored by assessments.scoring.
MANUAL_KINDS = frozenset({QuestionKind.ESSAY})
# The most questions one row of an assessment may draw from a bank.
MAX_DRAW = 200


class QuestionBank(models.Model):
    """A named collection trainers organise questions in (and import into or export from)."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="part of",
        help_text="Optional: the bank this one sits under, to group banks by topic.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("parent"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="question_bank_not_own_parent"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # Walk up from the chosen parent: meeting this bank again would make a loop.
        seen, bank = set(), self.parent
        while bank is not None and bank.pk not in seen:
            if self.pk and bank.pk == self.pk:
                raise ValidationError(
                    {"parent": "A bank cannot sit under itself or its own sub-bank."}
                )
            seen.add(bank.pk)
            bank = bank.parent


class Rubric(models.Model):
    """How assessors mark an essay: criteria, each with levels worth points. Questions freeze a
    copy of it in their version, so editing a rubric never changes an essay already given."""

    name = models.CharField(max_length=200, unique=True)
    guidance = models.TextField(
        blank=True, help_text="Shown to markers above the criteria: what a good answer covers."
    )
    criteria = StreamField([("criterion", CriterionBlock())], min_num=1)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("name"), FieldPanel("guidance"), FieldPanel("criteria")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Scenario(models.Model):
    """A case study several questions share: its text is shown once, above them, and they are
    kept together in an attempt. Questions freeze a copy of it in their version."""

    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The situation the questions ask about, in plain text.")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("title"), FieldPanel("text")]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Question(ClusterableModel):
    """A question as trainers edit it. Learners only ever see frozen QuestionVersions of it."""

    title = models.CharField(max_length=200, help_text="A short name trainers search by.")
    # Nullable only so questions made before banks existed migrate; the admin requires one.
    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        help_text="The question bank this question belongs to.",
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    difficulty = models.CharField(
        max_length=10,
        choices=Difficulty.choices,
        blank=True,
        help_text="How hard trainers expect it to be; compare with its facility in item analysis.",
    )
    stem = models.TextField("question")
    case_sensitive = models.BooleanField(
        default=False,
        help_text="Short answer only: tick if 'NHS' and 'nhs' are different answers. Spaces at "
        "the ends and doubled spaces never count.",
    )
    general_feedback = models.TextField(
        blank=True, help_text="Shown to every learner after the attempt is submitted."
    )
    scenario = models.ForeignKey(
        Scenario,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name="case study",
        help_text="Optional: the case study this question is about; its text is shown above "
        "the questions that share it.",
    )
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        help_text="Essay only: the rubric assessors mark it against. Without one, the marker "
        "gives one overall mark as a percentage.",
    )
    expectations = ParentalManyToManyField(
        "complaint_standards.Expectation", blank=True, related_name="questions"
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("bank"),
        FieldPanel("kind"),
        FieldPanel("difficulty"),
        FieldPanel("scenario"),
        FieldPanel("stem"),
        FieldPanel("case_sensitive"),
        FieldPanel("rubric"),
        InlinePanel(
            "choices",
            label="Options and answers",
            help_text="Single choice, multiple response, true or false: the options, with the "
            "correct one(s) ticked. Short answer: each accepted answer (ticked, or with a "
            "fraction for part marks). Numerical: each accepted value and tolerance. Matching: "
            "each pair as text and its match (a match with no text is an extra wrong match). "
            "Ordering: the items in the right order. Essay: none.",
        ),
        FieldPanel("general_feedback"),
        FieldPanel("expectations"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Choice(Orderable):
    """One option, accepted answer, matching pair or ordering item of a question.

    Which fields a kind uses is checked by services.check_question (with a message per field).
    """

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(
        max_length=500,
        blank=True,
        help_text="The option, accepted answer, left-hand item of a pair, or item to order.",
    )
    is_correct = models.BooleanField("correct", default=False)
    fraction = models.DecimalField(
        "fraction of the mark",
        max_digits=6,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
        help_text="Multiple response: the share of the mark this option earns (e.g. 0.5), or "
        "takes away when negative (e.g. -0.25); empty shares the mark equally between the "
        "correct options and takes one share for each wrong one. Short answer and numerical: "
        "part marks for a nearly right answer (0 to 1). The score never goes below 0.",
    )
    match_text = models.CharField(
        "matches",
        max_length=500,
        blank=True,
        help_text="Matching only: the right-hand answer this item is matched with.",
    )
    value = models.DecimalField(
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Numerical only: an accepted value.",
    )
    tolerance = models.DecimalField(
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Numerical only: how far from the value an answer may be (empty for exactly). "
        "For any answer from 10 to 20, enter value 15 and tolerance 5.",
    )
    feedback = models.CharField(max_length=500, blank=True)

    panels = [
        FieldPanel("text"),
        FieldPanel("is_correct"),
        FieldPanel("fraction"),
        FieldPanel("match_text"),
        FieldPanel("value"),
        FieldPanel("tolerance"),
        FieldPanel("feedback"),
    ]

    def __str__(self):
        return self.text


class QuestionVersion(models.Model):
    """An immutable snapshot of a question, taken the first time it is given in that form."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    stem = models.TextField()
    general_feedback = models.TextField(blank=True)
    # In authored order, each with an opaque random "key" (see services.current_version):
    # single, multiple, true/false: {"text", "correct", "feedback"} (+ "fraction" when set);
    # short answer: the same, one per accepted answer; numerical: {"value", "tolerance",
    # "correct", "feedback"} (+ "fraction"); ordering: {"text", "feedback"} in the right order;
    # matching: {"side": "left", "text", "match": key of the right-hand item, "feedback"} and
    # {"side": "right", "text"} once per distinct right-hand text.
    options = models.JSONField()
    # Per-kind settings that are not options, e.g. {"case_sensitive": true} for short answers.
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_number"),
            models.UniqueConstraint(
                fields=["question", "content_hash"], name="question_version_content"
            ),
        ]

    def __str__(self):
        return f"{self.question} v{self.number}"

    def correct_keys(self) -> set[str]:
        """The right options of a single-choice, multiple-response or true/false question."""
        return {option["key"] for option in self.options if option.get("correct")}


class GradingMethod(models.TextChoices):
    """How a learner's attempts make their grade for an assessment (as in Moodle's quiz)."""

    HIGHEST = "highest", "Highest grade"
    LAST = "last", "Last attempt"
    FIRST = "first", "First attempt"
    AVERAGE = "average", "Average of the attempts"


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
    review_during_feedback = models.BooleanField("feedback", default=True)
    review_during_answers = models.BooleanField("the right answers", default=True)
    # What a learner may see when they review an attempt (as in Moodle's review options), at
    # each moment after its result is released: for two minutes, later while the assessment is
    # open, and once it has closed. Nothing is sent to the browser that these do not allow.
    review_immediately_marks = models.BooleanField("the marks", default=True)
    review_immediately_correctness = models.BooleanField(
        "whether each answer was right", default=True
    )
    review_immediately_feedback = models.BooleanField("feedback", default=True)
    review_immediately_answers = models.BooleanField("the right answers", default=True)
    review_later_marks = models.BooleanField("the marks", default=True)
    review_later_correctness = models.BooleanField("whether each answer was right", default=True)
    review_later_feedback = models.BooleanField("feedback", default=True)
    review_later_answers = models.BooleanField("the right answers", default=True)
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
            "check shows them (the options below apply only when checking is on).",
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_immediately_marks"),
                FieldPanel("review_immediately_correctness"),
                FieldPanel("review_immediately_feedback"),
                FieldPanel("review_immediately_answers"),
            ],
            heading="Review immediately after (for 2 minutes)",
            help_text="What learners see when they look back at an attempt at this time.",
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_later_marks"),
                FieldPanel("review_later_correctness"),
                FieldPanel("review_later_feedback"),
                FieldPanel("review_later_answers"),
            ],
            heading="Review later, while the assessment is open",
            help_text="What learners see when they look back at an attempt at this time.",
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_closed_marks"),
                FieldPanel("review_closed_correctness"),
                FieldPanel("review_closed_feedback"),
                FieldPanel("review_closed_answers"),
            ],
            heading="Review after the assessment closes",
            help_text="What learners see when they look back at an attempt at this time.",
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

    panels = [
        FieldPanel("question"),
        FieldPanel("bank"),
        FieldPanel("expectation"),
        FieldPanel("draw_count"),
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


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        # Handed in, with answers still to be marked by a person or a result held for release.
        MARKING = "marking", "Awaiting marking"
        # Scored, and the result released to the learner.
        SUBMITTED = "submitted", "Submitted"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts"
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    # When time is up: started_at + the time limit, capped by the closing time; empty for none.
    # Answers arriving later than deadline + settings.ASSESSMENT_GRACE_SECONDS are refused.
    deadline = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # True when the server finalised the attempt because time ran out (a late submission, the
    # learner's next visit, or the periodic task): only the answers saved in time were scored.
    auto_submitted = models.BooleanField(default=False, editable=False)
    points = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    max_points = models.PositiveIntegerField(default=0)
    # The assessment's questions per page when the attempt started (empty: one page), so the
    # pages an attempt is answered in never change under it.
    questions_per_page = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    # When the learner could first see the result: at submission for an attempt scored by the
    # machine, once marked (or released by an assessor) for one with essays.
    released_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the learner was e-mailed that a marked result is ready (send, then mark).
    result_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assessment", "number"], name="attempt_number_unique"
            ),
            # At most one open attempt per learner and assessment.
            models.UniqueConstraint(
                fields=["user", "assessment"],
                condition=models.Q(status="in_progress"),
                name="attempt_one_in_progress",
            ),
            models.CheckConstraint(
                condition=models.Q(status="in_progress")
                | models.Q(status="marking", submitted_at__isnull=False)
                | models.Q(submitted_at__isnull=False, percent__isnull=False, passed__isnull=False),
                name="attempt_submitted_is_scored",
            ),
        ]
        indexes = [
            # The periodic task looks for open attempts whose time is up.
            models.Index(
                fields=["deadline"],
                condition=models.Q(status="in_progress"),
                name="attempt_open_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.assessment} (attempt {self.number})"

    @property
    def is_submitted(self) -> bool:
        """Handed in: no answer can change any more (its result may still await marking)."""
        return self.status != self.Status.IN_PROGRESS

    @property
    def is_released(self) -> bool:
        """Scored and the result released: the learner may see marks and review."""
        return self.status == self.Status.SUBMITTED

    @property
    def page_count(self) -> int:
        """How many pages the attempt's questions are shown on (1 without pages)."""
        per_page = self.questions_per_page
        if not per_page:
            return 1
        return max(1, -(-self.max_points // per_page))

    def page_of(self, position: int) -> int:
        """The page the question at this position is on."""
        if not self.questions_per_page:
            return 1
        return (position - 1) // self.questions_per_page + 1


class Response(models.Model):
    """One question as given in one attempt: the frozen version, option order and the answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    option_order = models.JSONField(help_text="Option keys in the order this learner sees them.")
    # The answer: option keys (choice kinds), [text] (short answer, numerical), {left key: right
    # key} (matching), item keys in the learner's order (ordering); empty when unanswered.
    selected = models.JSONField(default=list, blank=True)
    # Scored by the machine at submission, or by a person (see Mark); empty until then.
    score = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    # The corrected version of the question this answer was last regraded against (see
    # assessments.services.regrading); empty when it is scored against the version it was given,
    # which `version` always stays.
    regraded_against = models.ForeignKey(
        QuestionVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Marking(models.TextChoices):
        NONE = "", "Scored automatically"
        TO_MARK = "to_mark", "To mark"
        SECOND = "second", "Awaiting second marking"
        MODERATION = "moderation", "Marks disagree: awaiting moderation"
        DONE = "done", "Marked"

    # When the learner checked this answer during the attempt (Assessment.check_during_attempt):
    # from then on it is final, and its score is set.
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Where a manually marked answer is in marking; "" for an answer the machine scores.
    marking = models.CharField(max_length=20, choices=Marking.choices, default="", blank=True)
    # Picked for second marking when the attempt was submitted (the assessment's sample).
    second_marking = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="response_position"),
            models.CheckConstraint(
                condition=~models.Q(marking="done") | models.Q(score__isnull=False),
                name="response_marked_is_scored",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_at__isnull=True) | models.Q(score__isnull=False),
                name="response_checked_is_scored",
            ),
        ]
        indexes = [
            # The marking queue lists answers waiting at each stage.
            models.Index(
                fields=["marking"], condition=~models.Q(marking=""), name="response_marking"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} Q{self.position}"


class Adjustment(models.Model):
    """A learner's reasonable adjustment for one assessment (WCAG 2.2.1 Timing Adjustable): extra
    time or no time limit, and extra attempts. Written only by services.grant_adjustment, which
    records who granted it, when and why in the audit log. The reason is never shown to the
    learner."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_adjustments"
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="adjustments")
    extra_minutes = models.PositiveIntegerField(
        "extra time (minutes)",
        default=0,
        help_text="Added to the time limit of each attempt started from now on. The assessment's "
        "closing time still ends every attempt.",
    )
    no_time_limit = models.BooleanField(
        default=False,
        help_text="The learner's attempts have no time limit (the closing time still applies).",
    )
    extra_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Added to the attempts allowed (no effect when they are unlimited)."
    )
    reason = models.TextField(
        help_text="Why the adjustment is made. Kept in the audit log; never shown to the learner."
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "assessment"], name="adjustment_once_per_learner"
            ),
            models.CheckConstraint(
                condition=models.Q(extra_minutes__gte=0), name="adjustment_extra_minutes_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(extra_attempts__gte=0),
                name="adjustment_extra_attempts_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(no_time_limit=False) | models.Q(extra_minutes=0),
                name="adjustment_no_limit_or_extra_minutes",
                violation_error_message="Leave extra time at 0 when the learner has no time limit.",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="adjustment_reason_given"),
        ]

    def __str__(self):
        return f"{self.learner} — {self.assessment}"

    @property
    def for_learner(self) -> str:
        """What the learner is told about it, without the reason: "You have 30 extra minutes"."""
        parts = []
        if self.no_time_limit:
            parts.append("no time limit")
        elif self.extra_minutes:
            unit = "minute" if self.extra_minutes == 1 else "minutes"
            parts.append(f"{self.extra_minutes} extra {unit}")
        if self.extra_attempts:
            unit = "attempt" if self.extra_attempts == 1 else "attempts"
            parts.append(f"{self.extra_attempts} extra {unit}")
        if not parts:
            return ""
        return "You have " + " and ".join(parts) + " (an adjustment made for you)."


class Mark(models.Model):
    """One assessor's mark for one manually marked answer, at one stage of marking. Written only
    by services.record_mark, which keeps who, when, the old and new mark and why in the audit
    log whenever a mark is changed."""

    class Stage(models.TextChoices):
        FIRST = "first", "First mark"
        SECOND = "second", "Second mark"
        MODERATED = "moderated", "Moderator's mark"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="marks")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    marker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The level chosen for each criterion of the frozen rubric: {criterion key: level key}.
    # Empty for an essay marked without a rubric.
    levels = models.JSONField(default=dict, blank=True)
    # The share of the question's mark earned, from 0 to 1.
    score = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    feedback = models.TextField(blank=True, help_text="Shown to the learner with the result.")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["response", "marked_at"]
        constraints = [
            models.UniqueConstraint(fields=["response", "stage"], name="mark_once_per_stage"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="mark_score_range"
            ),
        ]
        permissions = [
            ("mark_response", "Can mark answers (first and second marking)"),
            ("moderate_marks", "Can moderate marks that disagree"),
            ("release_results", "Can release held results to learners"),
        ]

    def __str__(self):
        return f"{self.response} — {self.get_stage_display()}"


class MarkCorrection(models.Model):
    """A moderator's correction of a mark after its result was released (an appeal upheld, a
    clerical error): who, when, why, the old and new mark and result, and when the learner was
    e-mailed about it. Written only by services.correct_mark, which also writes the audit entry
    "mark.corrected"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="corrections")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    # The answer's final mark (its share of the question's mark, 0 to 1) before and after.
    old_score = models.DecimalField(max_digits=6, decimal_places=3)
    new_score = models.DecimalField(max_digits=6, decimal_places=3)
    # The attempt's result before and after.
    old_percent = models.DecimalField(max_digits=5, decimal_places=2)
    new_percent = models.DecimalField(max_digits=5, decimal_places=2)
    old_passed = models.BooleanField()
    new_passed = models.BooleanField()
    # When the learner was told (tasks.email_mark_corrected); empty until then.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["corrected_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="mark_correction_reason_given"
            ),
        ]
        indexes = [
            # The sweep looks for corrections whose e-mail was never sent.
            models.Index(
                fields=["corrected_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="mark_correction_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.response} — corrected {self.corrected_at:%Y-%m-%d %H:%M}"
