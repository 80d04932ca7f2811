from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class RoleTier(models.TextChoices):
    """The Complaint Standards' three audiences for training."""

    ALL_STAFF = "all_staff", "All staff"
    COMPLAINTS_STAFF = "complaints_staff", "Complaints staff"
    SENIOR_STAFF = "senior_staff", "Senior staff"


class User(AbstractUser):
    """A person who signs in with their e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(
        max_length=150,
        help_text="Your name as it should appear on certificates.",
    )
    role_tier = models.CharField(
        "role", max_length=20, choices=RoleTier.choices, default=RoleTier.ALL_STAFF
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name", "email"]
        permissions = [
            ("erase_personal_data", "Can erase a learner's personal data"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Region(models.TextChoices):
    """NHS England's seven regions, and national bodies (government departments, the PHSO)."""

    NORTH_EAST_AND_YORKSHIRE = "north_east_yorkshire", "North East and Yorkshire"
    NORTH_WEST = "north_west", "North West"
    MIDLANDS = "midlands", "Midlands"
    EAST_OF_ENGLAND = "east_of_england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    NATIONAL = "national", "National"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        INTEGRATED_CARE_BOARD = "icb", "Integrated care board"
        PRIMARY_CARE = "primary_care", "Primary care"
        INDEPENDENT_PROVIDER = "independent", "Independent provider of NHS-funded care"
        GOVERNMENT_DEPARTMENT = "government", "Government department"
        OTHER_PUBLIC_BODY = "public_body", "Other public body"
        PHSO = "phso", "PHSO"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        blank=True,
        help_text="The NHS Organisation Data Service code, where the organisation has one.",
    )
    region = models.CharField(
        max_length=30,
        choices=Region.choices,
        blank=True,
        help_text="Where the organisation works, for the national figures. Bodies that work "
        "across the country are national.",
    )
    assesses_own_staff = models.BooleanField(
        default=False,
        help_text="Tick when this organisation's assessors assess its own people (as the PHSO "
        "does): then only someone in the same team, or with no team recorded, is too close to "
        "assess. Otherwise nobody assesses anyone in their own organisation.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~models.Q(ods_code=""),
                name="organisation_ods_code_unique",
            )
        ]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships nobody has ended: what managers, figures and eligibility go by."""
        return self.filter(left_at__isnull=True)


class Membership(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        MANAGER = "manager", "Manager"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEARNER)
    team = models.CharField(
        max_length=100,
        blank=True,
        help_text="The person's team in the organisation, for example Intake team 2. Assessors "
        "never assess people in their own team.",
    )
    role_tier = models.CharField(
        "role tier",
        max_length=20,
        choices=RoleTier.choices,
        default=RoleTier.ALL_STAFF,
        help_text="The person's Complaint Standards audience in this organisation: what "
        "training the organisation assigns to them by tier follows it.",
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person left the organisation. From then on its managers and figures "
        "no longer see them; the person keeps their learning and certificates.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            # One current membership per person and organisation; ended ones stay as history, so
            # a person who leaves and comes back has two rows.
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(left_at__isnull=True),
                name="membership_unique_current",
            ),
            models.CheckConstraint(
                condition=models.Q(left_at__isnull=True)
                | models.Q(left_at__gte=models.F("joined_at")),
                name="membership_leaves_after_joining",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "left_at"])]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class AuditEntry(models.Model):
    """Who did what to which record, when and why: kept for every high-stakes change."""

    # One row per change across the Academy: kept out of Wagtail's usage index, as certificates.
    wagtail_reference_index_ignore = True

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system acted on its own (for example on course completion).",
    )
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"
