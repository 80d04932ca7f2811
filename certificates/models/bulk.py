"""Bulk issues: a batch of certificates an administrator asked for at once."""

from django.conf import settings
from django.db import models

from .awards import Award
from .certificates import Certificate


class BulkIssue(models.Model):
    """One award issued to many learners at once, worked through by Celery in chunks."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Issuing"
        FINISHED = "finished", "Finished"

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="bulk_issues")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0, help_text="Issued, or already held.")
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total") - models.F("failed")),
                name="bulk_issue_progress_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.award} to {self.total} learners ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed


class BulkIssueLearner(models.Model):
    """One learner in a bulk issue and what happened for them."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting"
        ISSUED = "issued", "Issued"
        RENEWED = "renewed", "Renewed (next period)"
        ALREADY_HELD = "already_held", "Already held"
        FAILED = "failed", "Not issued"

    bulk_issue = models.ForeignKey(BulkIssue, on_delete=models.CASCADE, related_name="learners")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulk_issue", "learner"], name="bulk_issue_learner_once"
            ),
        ]
        indexes = [models.Index(fields=["bulk_issue", "outcome"])]

    def __str__(self):
        return f"{self.learner} in bulk issue {self.bulk_issue_id}: {self.outcome}"
