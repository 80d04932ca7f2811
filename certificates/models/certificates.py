"""Certificates learners hold, and the expiry reminders sent about them."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .. import codes
from .awards import Award, CertificateDesign, private_storage


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


class StatusNotice(models.Model):
    """The e-mail that tells a learner their certificate was revoked, suspended or reinstated.

    One row per change of status, made in the same transaction as the change; `emailed_at` is set
    when the e-mail has gone, so a retried or swept task never sends it twice.
    """

    class Change(models.TextChoices):
        REVOKED = "revoked", "Revoked"
        SUSPENDED = "suspended", "Suspended"
        REINSTATED = "reinstated", "Reinstated"

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="status_notices"
    )
    change = models.CharField(max_length=10, choices=Change.choices)
    public_reason = models.TextField(blank=True)
    changed_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.get_change_display()} notice for {self.certificate_id}"
