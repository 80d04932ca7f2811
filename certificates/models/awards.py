"""What a certificate is for (an award) and how it looks (a design)."""

from django.db import models

from academy import storage

from .. import validity


def private_storage():
    # Named in the migrations; the storage itself is looked up when first used.
    return storage.private_storage


class Award(models.Model):
    """What can be earned. Each course has one completion award, each webinar that gives a
    certificate one attendance award, and each accreditation programme one accreditation award,
    created when first needed. All three are issued automatically; an administrator may also
    make a webinar attendance award of their own to issue by hand (for a webinar held before
    the Academy recorded attendance), which names no webinar.
    """

    class Kind(models.TextChoices):
        COURSE_COMPLETION = "course_completion", "Course completion"
        WEBINAR_ATTENDANCE = "webinar_attendance", "Webinar attendance"
        ACCREDITATION = "accreditation", "Accreditation"

    class ValidityUnit(models.TextChoices):
        NONE = "none", "Does not expire"
        MONTHS = "months", "Months"
        YEARS = "years", "Years"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=255, help_text="Printed on the certificate.")
    wording = models.TextField(
        blank=True,
        help_text="Printed on the certificate under the title, for example what the learner "
        "showed they can do.",
    )
    course = models.OneToOneField(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award",
    )
    webinar = models.OneToOneField(
        "courses.WebinarPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award",
    )
    programme = models.OneToOneField(
        "accreditation.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award",
    )
    cpd_hours = models.DecimalField("CPD hours", max_digits=4, decimal_places=1, default=0)
    validity_unit = models.CharField(
        "valid for",
        max_length=10,
        choices=ValidityUnit.choices,
        default=ValidityUnit.NONE,
        help_text="How long a certificate stays valid after it is issued.",
    )
    validity_length = models.PositiveSmallIntegerField(
        "number of months or years",
        null=True,
        blank=True,
        help_text="Leave empty when certificates do not expire.",
    )
    expectations = models.ManyToManyField(
        "complaint_standards.Expectation",
        blank=True,
        related_name="awards",
        help_text="The Complaint Standards expectations this award evidences.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="course_completion") | models.Q(course__isnull=False),
                name="award_course_completion_has_course",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="accreditation") | models.Q(programme__isnull=False),
                name="award_accreditation_has_programme",
            ),
            models.CheckConstraint(
                condition=models.Q(webinar__isnull=True) | models.Q(kind="webinar_attendance"),
                name="award_webinar_only_for_attendance",
            ),
            models.CheckConstraint(
                condition=models.Q(validity_unit="none", validity_length__isnull=True)
                | models.Q(
                    validity_unit__in=["months", "years"],
                    validity_length__isnull=False,
                    validity_length__gte=1,
                ),
                name="award_validity",
                violation_error_message="Give a number of months or years, or choose "
                "'Does not expire' and leave the number empty.",
            ),
        ]

    def __str__(self):
        return self.title

    def valid_until(self, issued_at):
        """When a certificate issued at this moment stops being valid, or None."""
        if self.validity_unit == self.ValidityUnit.NONE or not self.validity_length:
            return None
        months = self.validity_length * (12 if self.validity_unit == self.ValidityUnit.YEARS else 1)
        return validity.add_months(issued_at, months)

    @property
    def validity_display(self) -> str:
        if self.validity_unit == self.ValidityUnit.NONE or not self.validity_length:
            return "Does not expire"
        unit = "year" if self.validity_unit == self.ValidityUnit.YEARS else "month"
        return f"{self.validity_length} {unit}{'' if self.validity_length == 1 else 's'}"


class CertificateDesign(models.Model):
    """How a certificate looks: signatory, signature, logo and extra wording.

    A design applies to one award, to every award of a kind, or (with neither) to every award.
    The PDF uses the most specific design that exists: award, then kind, then default.
    """

    name = models.CharField(max_length=120, help_text="For administrators; not printed.")
    award = models.ForeignKey(
        Award,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="designs",
        help_text="Use this design for one award only.",
    )
    kind = models.CharField(
        "kind of award",
        max_length=30,
        choices=Award.Kind.choices,
        blank=True,
        help_text="Or use it for every award of this kind. Leave both empty for the default "
        "design.",
    )
    signatory_name = models.CharField(max_length=150, help_text="Printed under the signature.")
    signatory_role = models.CharField(
        max_length=150, blank=True, help_text="For example, Director of Learning."
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extra_wording = models.TextField(
        blank=True, help_text="Printed after the award's own wording, on every certificate."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award__isnull=True) | models.Q(kind=""),
                name="design_award_or_kind",
                violation_error_message="Choose an award or a kind of award, not both.",
            ),
            models.UniqueConstraint(
                fields=["award"],
                condition=models.Q(award__isnull=False),
                name="design_one_per_award",
                violation_error_message="This award already has a design.",
            ),
            # With award empty, kind "" is the default design: one of those, one per kind.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(award__isnull=True),
                name="design_one_per_kind_or_default",
                violation_error_message="There is already a design for this kind of award "
                "(or a default design).",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def applies_to(self) -> str:
        if self.award_id:
            return f"Award: {self.award}"
        if self.kind:
            return f"Every {self.get_kind_display().lower()} award"
        return "Default for every award"
