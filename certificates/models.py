from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import codes, status_list, validity


def private_storage():
    return storages["private"]


class Award(models.Model):
    """What can be earned. Each course has one completion award, created when first needed.

    Only course completion is issued automatically today; the other kinds are ready for webinar
    attendance and accreditation.
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


class Certificate(models.Model):
    """An issued certificate. What it says is fixed at issue and never changes afterwards.

    Its status (suspended, revoked) and whether a corrected certificate superseded it are the only
    things that change, and only through services, which audit each change.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    # Certificates are written by the thousand; Wagtail's usage index of them (their award and
    # design) would cost queries on every issue and nobody reads it (docs/decisions.md).
    wagtail_reference_index_ignore = True

    code = models.CharField(max_length=codes.LENGTH, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="certificates")
    cycle = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the first certificate; renewals count up."
    )
    # What the certificate prints, copied at issue.
    name_on_certificate = models.CharField(max_length=150)
    title_on_certificate = models.CharField(max_length=255)
    wording_on_certificate = models.TextField(blank=True)
    cpd_hours = models.DecimalField("CPD hours", max_digits=4, decimal_places=1)
    signatory_name = models.CharField(max_length=150, blank=True)
    signatory_role = models.CharField(max_length=150, blank=True)
    design = models.ForeignKey(
        CertificateDesign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The design chosen at issue; its images go on the PDF rendered then.",
    )
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(
        null=True, blank=True, help_text="Empty when the certificate does not expire."
    )
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
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the learner was e-mailed the PDF; empty until then.",
    )
    # Lifecycle.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    public_reason = models.TextField(
        blank=True,
        help_text="Shown on the verification page of a revoked or suspended certificate.",
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    # The signed Open Badges 3.0 credential, made once (at issue, or on first request for a
    # certificate issued before credentials existed) and never changed: see docs/credentials.md.
    credential = models.JSONField(null=True, blank=True, editable=False)
    signing_key = models.ForeignKey(
        "SigningKey",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="certificates",
        help_text="The key whose proof the stored credential carries.",
    )

    class Meta:
        ordering = ["-issued_at"]
        permissions = [
            ("manage_certificate", "Can suspend, reinstate, revoke and correct certificates"),
        ]
        constraints = [
            # Only the current (not superseded) certificate counts: a name correction issues a
            # replacement with the same learner, award and cycle. See docs/decisions.md.
            models.UniqueConstraint(
                fields=["learner", "award", "cycle"],
                condition=models.Q(superseded_at__isnull=True),
                name="certificate_once_per_cycle",
            ),
            models.CheckConstraint(condition=models.Q(cycle__gte=1), name="certificate_cycle"),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "suspended", "revoked"]),
                name="certificate_status",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active") | models.Q(status_changed_at__isnull=False),
                name="certificate_status_change_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(superseded_by__isnull=True)
                | models.Q(superseded_at__isnull=False),
                name="certificate_superseded_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(superseded_by__isnull=True)
                | ~models.Q(superseded_by=models.F("pk")),
                name="certificate_not_superseded_by_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("issued_at")),
                name="certificate_valid_after_issue",
            ),
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

    @property
    def linkedin_add_url(self) -> str:
        """LinkedIn's "Add to profile" link, filled in as a licence or certification."""
        issued = timezone.localtime(self.issued_at)
        parameters = {
            "startTask": "CERTIFICATION_NAME",
            "name": self.title_on_certificate,
            "organizationName": settings.ACADEMY_ISSUER_NAME,
            "issueYear": issued.year,
            "issueMonth": issued.month,
        }
        if self.valid_until is not None:
            expires = timezone.localtime(self.valid_until)
            parameters |= {"expirationYear": expires.year, "expirationMonth": expires.month}
        parameters |= {"certUrl": self.verify_url, "certId": self.display_code}
        return "https://www.linkedin.com/profile/add?" + urlencode(parameters)

    def state_at(self, when) -> str:
        """What the certificate is at a moment, in the order a verifier needs to know it."""
        if self.superseded_at is not None:
            return "superseded"
        if self.status == self.Status.REVOKED:
            return "revoked"
        if self.status == self.Status.SUSPENDED:
            return "suspended"
        if self.valid_until is not None and when >= self.valid_until:
            return "expired"
        return "valid"

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())


class SigningKey(models.Model):
    """A public key the Academy signs credentials with; the private key is never stored here.

    Keys are never deleted: a retired key stays in the DID document so the credentials it signed
    still verify. The key in use is the one the private key file or environment variable holds.
    """

    public_key = models.CharField(
        max_length=64, unique=True, editable=False, help_text="Ed25519 Multikey (z6Mk...)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a newer key replaced it. It still verifies what it signed.",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retired_at__isnull=True)
                | models.Q(retired_at__gte=models.F("created_at")),
                name="signing_key_retired_after_created",
            ),
        ]

    def __str__(self):
        return self.public_key + (" (retired)" if self.retired_at else "")


class ExpiryReminder(models.Model):
    """A reminder e-mailed to the learner before their certificate expires; one per threshold."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="expiry_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.days_before}-day reminder for {self.certificate_id}"


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


class StatusList(models.Model):
    """One published Bitstring Status List: which of its certificates are revoked.

    The signed status list credential is kept here and signed again only after a status on the
    list changed, so a wallet checking a credential costs one query. `changes` counts status
    changes and is bumped in the same transaction as the change (which locks this row until it
    commits), so a publisher that locks the row always sees every change it records as published.
    """

    number = models.PositiveIntegerField(unique=True)
    size = models.PositiveIntegerField(default=status_list.MIN_ENTRIES)
    changes = models.PositiveIntegerField(default=0)
    published_changes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    credential = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gte=status_list.MIN_ENTRIES), name="status_list_size"
            ),
        ]

    def __str__(self):
        return f"Status list {self.number}"

    @property
    def is_stale(self) -> bool:
        return self.published_changes != self.changes

    @property
    def url(self) -> str:
        return settings.ACADEMY_SITE_URL + reverse("certificates:status_list", args=[self.number])


class StatusListEntry(models.Model):
    """A certificate's place in a status list, chosen at random so places say nothing of order."""

    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="status_entry"
    )
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status_list", "index"], name="status_list_index_once"),
        ]

    def __str__(self):
        return f"{self.certificate_id} at {self.status_list_id}#{self.index}"
