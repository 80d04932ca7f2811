from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


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

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


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
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"


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
