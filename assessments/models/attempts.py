"""A learner's attempts and responses, and adjustments that change an assessment for one learner."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from .assessments import Assessment
from .questions import QuestionVersion


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
    # The marks the attempt's questions are worth together (each response's `marks`).
    max_points = models.PositiveIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0, editable=False)
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
        return max(1, -(-self.question_count // per_page))

    def positions_on(self, page: int) -> range:
        """The positions of the questions on a page of the attempt (all of them without pages)."""
        per_page = self.questions_per_page
        if not per_page:
            return range(1, self.question_count + 1)
        first = (page - 1) * per_page + 1
        return range(first, first + per_page)

    def page_of(self, position: int) -> int:
        """The page the question at this position is on."""
        if not self.questions_per_page:
            return 1
        return (position - 1) // self.questions_per_page + 1


class Response(models.Model):
    """One question as given in one attempt: the frozen version, option order and the answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    # Where the learner sees the question (1, 2, ...), after any shuffle.
    position = models.PositiveSmallIntegerField()
    # The place in the assessment the question fills, before any shuffle: each fixed question
    # and each question a draw gives, numbered 1, 2, ... in the order of the assessment's rows.
    # Item analysis takes each slot as one item of the test, whichever question filled it.
    slot = models.PositiveSmallIntegerField(editable=False)
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    option_order = models.JSONField(help_text="Option keys in the order this learner sees them.")
    # The answer: option keys (choice kinds), [text] (short answer, numerical), {left key: right
    # key} (matching), item keys in the learner's order (ordering); empty when unanswered.
    selected = models.JSONField(default=list, blank=True)
    # Scored by the machine at submission, or by a person (see Mark), as the share of the
    # question's marks earned (0 to 1); empty until then.
    score = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    # What the question is worth in this attempt: its row's marks when the attempt started,
    # kept so a later change to the assessment never rescales a started or submitted attempt.
    max_marks = models.PositiveSmallIntegerField(default=1, editable=False)
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
            models.CheckConstraint(condition=models.Q(max_marks__gte=1), name="response_max_marks"),
        ]
        indexes = [
            # The marking queue lists answers waiting at each stage.
            models.Index(
                fields=["marking"], condition=~models.Q(marking=""), name="response_marking"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} Q{self.position}"

    @property
    def points(self) -> Decimal | None:
        """The marks this answer earned (its share of the question's marks, times them)."""
        return None if self.score is None else self.score * self.max_marks


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
