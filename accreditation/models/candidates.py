"""Candidates' work: their enrolment on a programme version, their portfolio (evidence and
reflective statements), what they submit, and the decisions made about it."""

from django.conf import settings
from django.db import models

from academy import storage

from .programmes import Programme, ProgrammeVersion, Requirement


def private_storage():
    # Named in the migrations; the storage itself is looked up when first used.
    return storage.private_storage


class Candidacy(models.Model):
    """A person working towards (or holding) a programme's accreditation, on the version they
    enrolled on."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Working towards it"
        AWARDED = "awarded", "Awarded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Rows by the thousand, read by reports; Wagtail's usage index of them is not needed.
    wagtail_reference_index_ignore = True

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidacies"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="candidacies")
    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.PROTECT, related_name="candidacies"
    )
    reference = models.CharField(
        max_length=12,
        unique=True,
        editable=False,
        help_text="What assessors see instead of the name when assessment is anonymous.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the candidate enrolled themselves.",
    )
    awarded_at = models.DateTimeField(null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(
        default=1, help_text="1 until the accreditation is first renewed; renewals count up."
    )
    cycle_started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the current period of the accreditation began: its award, or its "
        "latest renewal.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    lapsed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the current period ended without renewal; cleared when it is renewed.",
    )

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name_plural = "candidacies"
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "programme"],
                condition=~models.Q(status="withdrawn"),
                name="one_candidacy_per_programme",
                violation_error_message="This person is already enrolled on this programme.",
            )
        ]

    def __str__(self):
        return f"{self.candidate} on {self.programme}"


class UnitWork(models.Model):
    """A candidate's portfolio for one unit: the evidence gathered and the reflective statement
    being written, between submissions."""

    wagtail_reference_index_ignore = True

    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="unit_work")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField("reflective statement", blank=True)
    statement_saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "requirement"], name="unit_work_unique")
        ]

    def __str__(self):
        return f"{self.candidacy}: {self.requirement}"


class Evidence(models.Model):
    """One file of evidence. Its type was checked from its content and it was scanned before it
    was stored; it lives in private storage and is served only to those allowed to see it."""

    wagtail_reference_index_ignore = True

    work = models.ForeignKey(UnitWork, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    description = models.CharField(
        max_length=200, blank=True, help_text="What this file shows, in a few words."
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scanned = models.BooleanField(
        default=False, help_text="Whether a virus scanner passed it (no scanner is configured)."
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.original_name


class Submission(models.Model):
    """A unit handed in for assessment: a frozen copy of the statement and the evidence files as
    they were when submitted. A resubmission is a new Submission with the next number."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        IN_ASSESSMENT = "in_assessment", "Being assessed"
        DECIDED = "decided", "Decided"

    wagtail_reference_index_ignore = True

    work = models.ForeignKey(UnitWork, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveSmallIntegerField(help_text="1 for the first submission.")
    statement = models.TextField()
    evidence = models.ManyToManyField(Evidence, related_name="submissions")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The assessor who opened it; from then on it cannot be withdrawn.",
    )
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "number"], name="submission_number_unique"),
            models.UniqueConstraint(
                fields=["work"],
                condition=models.Q(status__in=["submitted", "in_assessment"]),
                name="one_open_submission_per_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(status="submitted", assessor__isnull=True)
                | models.Q(status="withdrawn", assessor__isnull=True)
                | models.Q(status__in=["in_assessment", "decided"], assessor__isnull=False),
                name="submission_assessor_from_opening",
            ),
        ]

    def __str__(self):
        return f"{self.work} (submission {self.number})"


class Decision(models.Model):
    """A judgement on a submission. Decisions are never edited: an IQA overturn or an upheld
    appeal records a new decision that supersedes the one before it."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "Assessor's decision"
        IQA_OVERTURN = "iqa_overturn", "Overturned by internal quality assurance"
        APPEAL = "appeal", "Decided on appeal"

    class Outcome(models.TextChoices):
        COMPETENT = "competent", "Competent"
        NOT_YET_COMPETENT = "not_yet_competent", "Not yet competent"

    wagtail_reference_index_ignore = True

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.ASSESSMENT)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    feedback = models.TextField()
    to_resubmit = models.TextField(
        "what to resubmit", blank=True, help_text="With 'not yet competent': what to do next."
    )
    criteria = models.JSONField(
        default=list,
        help_text="Each rubric criterion as it read when decided, whether it was met and the "
        "assessor's comment.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True, db_index=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the candidate was e-mailed that this decision was made.",
    )

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=models.Q(kind="assessment"),
                name="one_assessor_decision_per_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="assessment", supersedes__isnull=True)
                | (~models.Q(kind="assessment") & models.Q(supersedes__isnull=False)),
                name="decision_supersedes_unless_first",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.submission}"
