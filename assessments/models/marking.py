"""Marks assessors give responses, and corrections made to marks after release."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .attempts import Response


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
    # The feedback for the learner given with the corrected mark (a later correction may change
    # the mark's feedback again; this keeps what each one said).
    feedback = models.TextField(blank=True)
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
