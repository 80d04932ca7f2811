"""What a programme asks of its candidates: its versions and their requirements, the portfolio
units with their rubrics against the competency framework, and casework review checklists."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Competency(ClusterableModel):
    """One area of the competency framework that portfolio units are assessed against, with the
    Complaint Standards expectations it draws on."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(help_text="What someone competent in this area does.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Competencies are listed in this order, lowest first."
    )
    expectations = ParentalManyToManyField(
        "complaint_standards.Expectation",
        blank=True,
        related_name="competencies",
        help_text="The Complaint Standards expectations this competency is aligned to.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("position"),
        FieldPanel("expectations"),
    ]

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "competencies"

    def __str__(self):
        return self.name

    @property
    def anchor(self) -> str:
        """Its id on a programme's page, where credentials link to it: from its key, never its
        name, so a renamed competency keeps its links."""
        return f"competency-{self.pk}"


class Programme(models.Model):
    """An accreditation or certification programme: who may join it and how it is run. What it
    asks of candidates lives in its versions."""

    class Level(models.TextChoices):
        INTAKE_CASEWORKER = "intake_caseworker", "Intake caseworker"
        SENIOR_CASEWORKER = "senior_caseworker", "Casework — senior caseworker"
        COMPLAINT_HANDLER = "complaint_handler", "Complaint handler"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Used in the programme's web address."
    )
    level = models.CharField(max_length=30, choices=Level.choices)
    summary = models.TextField(help_text="What the programme recognises, for candidates.")
    is_open = models.BooleanField(
        "open for enrolment",
        default=False,
        help_text="Candidates can only enrol, or be enrolled, while this is ticked.",
    )
    invitation_only = models.BooleanField(
        default=False,
        help_text="Only programme managers enrol candidates; nobody can enrol themselves.",
    )
    organisation_kinds = models.JSONField(
        "open to organisations of these kinds",
        default=list,
        blank=True,
        help_text="Leave all unticked to open it to every kind of organisation.",
    )
    role_tiers = models.JSONField(
        "open to these roles",
        default=list,
        blank=True,
        help_text="Leave all unticked to open it to every role.",
    )
    anonymous_assessment = models.BooleanField(
        default=False,
        help_text="Assessors see a candidate reference instead of the candidate's name.",
    )
    iqa_sample_percent = models.PositiveSmallIntegerField(
        "IQA sample (%)",
        default=10,
        validators=[MaxValueValidator(100)],
        help_text="The share of assessors' decisions internal quality assurance checks, chosen "
        "at random. Every first decision of a new assessor is checked as well.",
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        "days to appeal",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How long after a decision a candidate may appeal it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("level"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("is_open"),
                FieldPanel("invitation_only"),
                FieldPanel("organisation_kinds"),
                FieldPanel("role_tiers"),
            ],
            "Who may enrol",
        ),
        MultiFieldPanel(
            [
                FieldPanel("anonymous_assessment"),
                FieldPanel("iqa_sample_percent"),
                FieldPanel("appeal_window_days"),
            ],
            "Assessment and quality assurance",
        ),
    ]

    class Meta:
        ordering = ["name"]
        permissions = [
            ("manage_programmes", "Can run programmes: publish versions, enrol candidates"),
            ("assess_portfolios", "Can assess portfolio units and review case files"),
            ("quality_assure", "Can sample and confirm or overturn decisions (IQA)"),
            ("external_quality_assure", "Can read sampled decisions without names (EQA)"),
            ("decide_appeals", "Can sit on an appeal panel"),
        ]

    def __str__(self):
        return self.name


class PortfolioUnit(ClusterableModel):
    """A unit of the portfolio: the evidence a candidate gathers from their own work, the
    reflective statement they write about it, and the rubric an assessor judges it by."""

    code = models.CharField(
        max_length=20, unique=True, help_text="A short reference, for example IC1 or SC3."
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What the unit asks the candidate to show.")
    evidence_requirements = models.TextField(
        help_text="The evidence the candidate must upload, for example two anonymised "
        "investigation plans and the final responses that followed them."
    )
    min_evidence_files = models.PositiveSmallIntegerField(
        "evidence files needed",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    reflection_prompt = models.TextField(
        "reflective statement prompt", help_text="The question the reflective statement answers."
    )
    reflection_min_words = models.PositiveSmallIntegerField(
        "reflective statement: fewest words",
        default=150,
        validators=[MaxValueValidator(5000)],
    )
    resubmission_limit = models.PositiveSmallIntegerField(
        "resubmissions allowed",
        default=2,
        validators=[MaxValueValidator(10)],
        help_text="How many times a candidate may resubmit after a 'not yet competent' decision.",
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("title"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("evidence_requirements"), FieldPanel("min_evidence_files")], "Evidence"
        ),
        MultiFieldPanel(
            [FieldPanel("reflection_prompt"), FieldPanel("reflection_min_words")],
            "Reflective statement",
        ),
        FieldPanel("resubmission_limit"),
        InlinePanel("criteria", heading="Rubric", label="Criterion", min_num=1),
    ]

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class RubricCriterion(Orderable):
    """One thing an assessor looks for in a unit, under one competency."""

    unit = ParentalKey(PortfolioUnit, on_delete=models.CASCADE, related_name="criteria")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="criteria")
    statement = models.TextField(help_text="What the evidence and statement must show.")

    panels = [FieldPanel("competency"), FieldPanel("statement")]

    def __str__(self):
        return self.statement


class CaseworkChecklist(ClusterableModel):
    """What an assessor checks when reviewing a real case file a candidate handled."""

    title = models.CharField(max_length=200, unique=True)
    guidance = models.TextField(
        blank=True, help_text="Shown to the assessor: how to choose and read the case file."
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("guidance"),
        InlinePanel("items", heading="Checklist", label="Item", min_num=1),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class ChecklistItem(Orderable):
    checklist = ParentalKey(CaseworkChecklist, on_delete=models.CASCADE, related_name="items")
    text = models.TextField(help_text="A question the assessor answers yes or no.")
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="checklist_items"
    )

    panels = [FieldPanel("text"), FieldPanel("competency")]

    def __str__(self):
        return self.text


class ProgrammeVersion(ClusterableModel):
    """What a programme asks of the candidates who enrol on it while this version is current.
    Once published it never changes: candidates stay on the version they enrolled on, and a
    change makes a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    changes = models.TextField(
        "what changed", blank=True, help_text="For programme managers: how this version differs."
    )
    validity_years = models.PositiveSmallIntegerField(
        "valid for (years)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How long the accreditation lasts before it must be renewed.",
    )
    cpd_hours_per_year = models.DecimalField(
        "CPD hours a year",
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
        help_text="The fewest hours of CPD a candidate logs in each year of the accreditation.",
    )

    panels = [
        FieldPanel("programme"),
        FieldPanel("changes"),
        MultiFieldPanel(
            [FieldPanel("validity_years"), FieldPanel("cpd_hours_per_year")], "Keeping it"
        ),
        InlinePanel("requirements", heading="Requirements", label="Requirement"),
    ]

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(status="published"),
                name="one_published_version_per_programme",
            ),
        ]

    def __str__(self):
        return f"{self.programme} (version {self.number})"


class Requirement(Orderable):
    """One thing a candidate must do: complete a course, pass an assessment, be judged competent
    in a portfolio unit, or have a case file reviewed."""

    class Kind(models.TextChoices):
        COURSE = "course", "Complete a course"
        ASSESSMENT = "assessment", "Pass an assessment"
        UNIT = "unit", "Portfolio unit"
        CASEWORK_REVIEW = "casework_review", "Casework quality review"

    class Stage(models.TextChoices):
        AWARD = "award", "To be awarded"
        RENEWAL = "renewal", "To renew"
        BOTH = "both", "To be awarded and to renew"

    version = ParentalKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    stage = models.CharField("needed", max_length=10, choices=Stage.choices, default=Stage.AWARD)
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        PortfolioUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="requirements"
    )
    checklist = models.ForeignKey(
        CaseworkChecklist,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirements",
        help_text="For a casework quality review: the checklist the assessor follows.",
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("stage"),
        FieldPanel("course"),
        FieldPanel("assessment"),
        FieldPanel("unit"),
        FieldPanel("checklist"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="course",
                        course__isnull=False,
                        assessment__isnull=True,
                        unit__isnull=True,
                        checklist__isnull=True,
                    )
                    | models.Q(
                        kind="assessment",
                        course__isnull=True,
                        assessment__isnull=False,
                        unit__isnull=True,
                        checklist__isnull=True,
                    )
                    | models.Q(
                        kind="unit",
                        course__isnull=True,
                        assessment__isnull=True,
                        unit__isnull=False,
                        checklist__isnull=True,
                    )
                    | models.Q(
                        kind="casework_review",
                        course__isnull=True,
                        assessment__isnull=True,
                        unit__isnull=True,
                        checklist__isnull=False,
                    )
                ),
                name="requirement_names_what_its_kind_needs",
                violation_error_message="Choose exactly the one thing this kind of requirement "
                "needs: a course, an assessment, a unit or a checklist.",
            )
        ]

    NEEDS = {
        Kind.COURSE: "course",
        Kind.ASSESSMENT: "assessment",
        Kind.UNIT: "unit",
        Kind.CASEWORK_REVIEW: "checklist",
    }

    def __str__(self):
        return self.title

    def clean(self):
        """Ask by name for what the kind needs, and drop what it does not, so changing the kind
        never leaves a stray course or unit behind."""
        if self.kind not in self.NEEDS:
            return
        needed = self.NEEDS[self.kind]
        for field in self.NEEDS.values():
            if field != needed:
                setattr(self, field, None)
        if getattr(self, f"{needed}_id") is None:
            raise ValidationError(
                {
                    needed: f"Choose the {needed} for this “{self.get_kind_display().lower()}” "
                    "requirement."
                }
            )

    @property
    def title(self) -> str:
        thing = self.course or self.assessment or self.unit or self.checklist
        return f"{self.get_kind_display()}: {thing}" if thing else self.get_kind_display()
