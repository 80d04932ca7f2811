from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse

from . import codes


def private_storage():
    return storages["private"]


class Award(models.Model):
    """What can be earned. Each course has one completion award, created when first needed."""

    class Kind(models.TextChoices):
        COURSE_COMPLETION = "course_completion", "Course completion"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=255, help_text="Printed on the certificate.")
    course = models.OneToOneField(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award",
    )
    cpd_hours = models.DecimalField("CPD hours", max_digits=4, decimal_places=1, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="course_completion") | models.Q(course__isnull=False),
                name="award_course_completion_has_course",
            )
        ]

    def __str__(self):
        return self.title


class Certificate(models.Model):
    """An issued certificate. What it says is fixed at issue and never changes afterwards."""

    code = models.CharField(max_length=codes.LENGTH, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="certificates")
    cycle = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the first certificate; renewals count up."
    )
    name_on_certificate = models.CharField(max_length=150)
    title_on_certificate = models.CharField(max_length=255)
    cpd_hours = models.DecimalField("CPD hours", max_digits=4, decimal_places=1)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when issued automatically on completion.",
    )
    pdf = models.FileField(storage=private_storage, upload_to="certificates/", blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "award", "cycle"], name="certificate_once_per_cycle"
            ),
            models.CheckConstraint(condition=models.Q(cycle__gte=1), name="certificate_cycle"),
        ]

    def __str__(self):
        return f"{self.title_on_certificate} — {self.name_on_certificate} ({self.display_code})"

    def get_absolute_url(self):
        return reverse("certificates:verify", args=[self.display_code])

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    @property
    def verify_url(self) -> str:
        return settings.ACADEMY_SITE_URL + self.get_absolute_url()
