"""The CPD log: what someone did to keep their practice up, with its hours."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .candidates import private_storage


class CPDEntry(models.Model):
    """One CPD activity. The Academy adds an entry for each completed course, passed assessment
    and attended webinar (with `source` naming it, so it is added once); people add their own
    reflective entries."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", "Recorded by the Academy"
        REFLECTIVE = "reflective", "Added by you"

    wagtail_reference_index_ignore = True

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_entries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    activity = models.CharField(max_length=255)
    activity_date = models.DateField("date")
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    learned = models.TextField("what I learned", blank=True)
    expectations = models.ManyToManyField(
        "complaint_standards.Expectation", blank=True, related_name="+"
    )
    evidence = models.FileField(storage=private_storage, upload_to="cpd/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    source = models.CharField(
        max_length=100,
        blank=True,
        help_text="For entries the Academy adds: what they record, for example "
        "'course-completion:12'.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-activity_date", "-pk"]
        verbose_name = "CPD entry"
        verbose_name_plural = "CPD entries"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "source"],
                condition=~models.Q(source=""),
                name="cpd_recorded_once",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="recorded") & ~models.Q(source="")
                | models.Q(kind="reflective", source=""),
                name="cpd_source_only_when_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.activity} ({self.hours} h)"

    # What each kind of source the Academy records is, for the person reading their log.
    SOURCE_LABELS = {
        "course-completion": "Course completed",
        "assessment-pass": "Assessment passed",
        "webinar-attendance": "Webinar attended",
    }

    @property
    def recorded_as(self) -> str:
        if self.kind == self.Kind.REFLECTIVE:
            return "Added by you"
        return self.SOURCE_LABELS.get(self.source.partition(":")[0], self.get_kind_display())
