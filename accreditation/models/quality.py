"""Checks on decisions: internal quality assurance samples, appeals, and casework reviews."""

from django.conf import settings
from django.db import models

from .candidates import Candidacy, Decision
from .programmes import Requirement


class QualitySample(models.Model):
    """A decision chosen for internal quality assurance, and what the IQA found."""

    class Reason(models.TextChoices):
        SHARE = "share", "Chosen at random"
        FIRST_DECISION = "first_decision", "A new assessor's first decision"
        CHOSEN = "chosen", "Chosen by the IQA"

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        OVERTURNED = "overturned", "Overturned"

    wagtail_reference_index_ignore = True

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="sample")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    sampled_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the candidate was e-mailed that an overturn changed their decision.",
    )

    class Meta:
        ordering = ["sampled_at", "pk"]

    def __str__(self):
        return f"IQA sample of {self.decision}"


class Appeal(models.Model):
    """A candidate's appeal against a decision, and the panel's answer."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        DISMISSED = "dismissed", "Dismissed"

    wagtail_reference_index_ignore = True

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="appeal")
    grounds = models.TextField()
    lodged_at = models.DateTimeField(auto_now_add=True)
    panel_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the candidate was e-mailed that the panel decided their appeal.",
    )

    class Meta:
        ordering = ["lodged_at", "pk"]

    def __str__(self):
        return f"Appeal against {self.decision}"


class CaseworkReview(models.Model):
    """An assessor's review of a real case file the candidate handled, against a checklist."""

    class Outcome(models.TextChoices):
        COMPETENT = "competent", "Competent"
        NOT_YET_COMPETENT = "not_yet_competent", "Not yet competent"

    wagtail_reference_index_ignore = True

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, related_name="casework_reviews"
    )
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    case_reference = models.CharField(
        max_length=60, help_text="The case file's reference, never the complainant's name."
    )
    results = models.JSONField(
        default=list, help_text="Each checklist item as it read, whether it was met, a comment."
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    summary = models.TextField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"Casework review {self.case_reference} for {self.candidacy}"
