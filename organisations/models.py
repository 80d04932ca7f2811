"""What organisation managers do: invite staff and assign them training with due dates; and the
spans in which each member was trained, which the compliance figures count."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from academy.models import RoleTier


class InvitationQuerySet(models.QuerySet):
    """Invitations by where they stand: open (can still be accepted), expired (not accepted or
    withdrawn, but past their date), accepted and withdrawn."""

    def unanswered(self):
        """Neither accepted nor withdrawn: open or expired. At most one per address and
        organisation (the constraint `invitation_open_once`)."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)

    def open(self, now=None):
        return self.unanswered().filter(expires_at__gt=now or timezone.now())

    def expired(self, now=None):
        return self.unanswered().filter(expires_at__lte=now or timezone.now())

    def accepted(self):
        return self.filter(accepted_at__isnull=False)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False, accepted_at__isnull=True)


class Invitation(models.Model):
    """An organisation's invitation to one person, by e-mail, to join it in a role tier.

    The link carries a random token; only its SHA-256 is stored, so the table alone lets nobody
    in. Accepting joins the organisation with the account the person has or makes."""

    organisation = models.ForeignKey(
        "academy.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("e-mail address", help_text="Stored in lower case.")
    full_name = models.CharField(max_length=150)
    role_tier = models.CharField("role tier", max_length=20, choices=RoleTier.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class State(models.TextChoices):
        OPEN = "open", "Open"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and organisation: inviting again renews it.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_open_once",
            ),
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="invitation_email_lower_case",
            ),
        ]

    def __str__(self):
        return f"{self.email} to {self.organisation}"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.withdrawn_at is not None:
            return self.State.WITHDRAWN
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.OPEN


class Assignment(models.Model):
    """An organisation's decision that some of its staff must complete a course, attend a
    webinar or hold an accreditation by a date, once or again every so many months."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        WEBINAR = "webinar", "Webinar"
        PROGRAMME = "programme", "Accreditation programme"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone in the organisation"
        TIER = "tier", "Everyone in a role tier"
        PEOPLE = "people", "Chosen people"

    organisation = models.ForeignKey(
        "academy.Organisation", on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    webinar = models.ForeignKey(
        "courses.WebinarPage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        "accreditation.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    role_tier = models.CharField("role tier", max_length=20, choices=RoleTier.choices, blank=True)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", help_text="For chosen people."
    )
    due_on = models.DateField(help_text="When the people assigned now must have met it.")
    new_starters_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="Days people who join later (or move into the tier) have from that day.",
    )
    repeat_every_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For a refresher: how long each completion lasts before it is due again.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        permissions = [
            ("view_national_figures", "Can see every organisation's figures (national view)")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="course",
                        course__isnull=False,
                        webinar__isnull=True,
                        programme__isnull=True,
                    )
                    | Q(
                        kind="webinar",
                        course__isnull=True,
                        webinar__isnull=False,
                        programme__isnull=True,
                    )
                    | Q(
                        kind="programme",
                        course__isnull=True,
                        webinar__isnull=True,
                        programme__isnull=False,
                    )
                ),
                name="assignment_names_one_item_of_its_kind",
            ),
            models.CheckConstraint(
                condition=Q(audience="tier", role_tier__gt="")
                | (~Q(audience="tier") & Q(role_tier="")),
                name="assignment_tier_only_for_tier_audience",
            ),
            models.CheckConstraint(
                condition=Q(repeat_every_months__isnull=True) | Q(repeat_every_months__gte=1),
                name="assignment_repeats_after_a_month_or_more",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "withdrawn_at"])]

    def __str__(self):
        return f"{self.item} for {self.audience_text}"

    @property
    def item(self):
        return {"course": self.course, "webinar": self.webinar, "programme": self.programme}[
            self.kind
        ]

    @property
    def audience_text(self) -> str:
        if self.audience == self.Audience.TIER:
            return RoleTier(self.role_tier).label.lower()
        if self.audience == self.Audience.PEOPLE:
            return "chosen people"
        return "everyone"


class PersonalAssignment(models.Model):
    """One person's part of an assignment, for one cycle: when it is due, and when they met it.

    A recurring assignment gets a new cycle when the person meets the current one, due
    `repeat_every_months` after that. Reminders are sent once each: the timestamps are set in
    the transaction that sends them (organisations.services.reminders)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="personal_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    cycle = models.PositiveSmallIntegerField(default=1)
    due_on = models.DateField()
    counts_from = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Learning finished after this moment meets it; empty means any time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    met_at = models.DateTimeField(null=True, blank=True)
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it stopped applying: the person left, moved tier or the assignment was "
        "withdrawn before they met it.",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user", "cycle"], name="personal_assignment_once_per_cycle"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "ended_at"]),
            models.Index(fields=["due_on", "met_at", "ended_at"]),
        ]

    def __str__(self):
        return f"{self.assignment} – {self.user} (cycle {self.cycle})"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.ended_at is None


class TrainedSpan(models.Model):
    """A stretch of a membership in which its person counted as trained to the Standards
    (organisations.training). Kept by organisations.services.compliance whenever a certificate,
    a cycle of an assignment or a membership changes, and rebuilt nightly, so the compliance view
    counts these rows rather than working every person out again (docs/decisions.md)."""

    membership = models.ForeignKey(
        "academy.Membership", on_delete=models.CASCADE, related_name="trained_spans"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: still trained.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="trained_span_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["membership", "starts_at"])]

    def __str__(self):
        return f"{self.membership} trained from {self.starts_at}"
