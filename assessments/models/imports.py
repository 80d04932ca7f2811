from django.conf import settings
from django.db import models

from .questions import QuestionBank


class BankImport(models.Model):
    """A file of questions imported into a bank, and what came of it. A large file waits here,
    its text kept in the database (which every web node and worker sees), until a Celery worker
    reads and writes it; the text is dropped once the import has finished."""

    class Format(models.TextChoices):
        GIFT = "gift", "Moodle GIFT"
        MOODLE_XML = "moodle_xml", "Moodle XML"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Nothing imported: the file has problems"
        FAILED = "failed", "Nothing imported: the import stopped with an error"

    FINISHED = (Status.IMPORTED, Status.REFUSED, Status.FAILED)

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="imports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=20, choices=Format.choices)
    text = models.TextField(blank=True, help_text="The file's text, until the import finishes.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    question_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many questions the file holds, once it is read."
    )
    imported = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list, blank=True, help_text="The first problems of a refused file."
    )
    problem_count = models.PositiveIntegerField(
        default=0, help_text="How many problems a refused file has, listed or not."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imported=0)
                | models.Q(status="imported", imported=models.F("question_count")),
                name="bank_import_all_or_nothing",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} into {self.bank} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED
