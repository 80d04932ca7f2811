"""Question banks and questions, and the frozen versions attempts are scored against."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from ..blocks import CriterionBlock


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single", "Single choice"
    MULTIPLE_RESPONSE = "multiple", "Multiple response"
    TRUE_FALSE = "truefalse", "True or false"
    SHORT_ANSWER = "short", "Short answer"
    NUMERICAL = "numerical", "Numerical"
    MATCHING = "matching", "Matching"
    ORDERING = "ordering", "Ordering"
    ESSAY = "essay", "Essay (marked by an assessor)"


# Kinds whose learner picks options by key (radios or checkboxes).
CHOICE_KINDS = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_RESPONSE, QuestionKind.TRUE_FALSE}
)
# Kinds a person marks after submission; the rest are scored by assessments.scoring.
MANUAL_KINDS = frozenset({QuestionKind.ESSAY})
# The most questions one row of an assessment may draw from a bank.
MAX_DRAW = 200

# Which option fields each kind uses. services.check_question refuses a value in any other, and
# the admin's question form shows a field only while a kind that uses it is chosen.
OPTION_FIELDS_USED = {
    QuestionKind.SINGLE_CHOICE: {"text", "is_correct", "fraction", "feedback"},
    QuestionKind.MULTIPLE_RESPONSE: {"text", "is_correct", "fraction", "feedback"},
    QuestionKind.TRUE_FALSE: {"text", "is_correct", "feedback"},
    QuestionKind.SHORT_ANSWER: {"text", "is_correct", "fraction", "feedback"},
    QuestionKind.NUMERICAL: {"is_correct", "fraction", "value", "tolerance", "feedback"},
    QuestionKind.MATCHING: {"text", "match_text", "feedback"},
    QuestionKind.ORDERING: {"text", "feedback"},
    QuestionKind.ESSAY: set(),
}


def for_kinds(*kinds) -> dict[str, str]:
    """The admin panel attributes that show a field only for these kinds (static/academy/
    question_form.js; without the script every field shows)."""
    return {"data-question-kinds": " ".join(sorted(kinds))}


def _option_field(name: str) -> FieldPanel:
    kinds = [kind for kind, used in OPTION_FIELDS_USED.items() if name in used]
    return FieldPanel(name, attrs=for_kinds(*kinds))


class QuestionBank(models.Model):
    """A named collection trainers organise questions in (and import into or export from)."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="part of",
        help_text="Optional: the bank this one sits under, to group banks by topic.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("parent"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="question_bank_not_own_parent"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # Walk up from the chosen parent: meeting this bank again would make a loop.
        seen, bank = set(), self.parent
        while bank is not None and bank.pk not in seen:
            if self.pk and bank.pk == self.pk:
                raise ValidationError(
                    {"parent": "A bank cannot sit under itself or its own sub-bank."}
                )
            seen.add(bank.pk)
            bank = bank.parent


class Rubric(models.Model):
    """How assessors mark an essay: criteria, each with levels worth points. Questions freeze a
    copy of it in their version, so editing a rubric never changes an essay already given."""

    name = models.CharField(max_length=200, unique=True)
    guidance = models.TextField(
        blank=True, help_text="Shown to markers above the criteria: what a good answer covers."
    )
    criteria = StreamField([("criterion", CriterionBlock())], min_num=1)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("name"), FieldPanel("guidance"), FieldPanel("criteria")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Scenario(models.Model):
    """A case study several questions share: its text is shown once, above them, and they are
    kept together in an attempt. Questions freeze a copy of it in their version."""

    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The situation the questions ask about, in plain text.")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("title"), FieldPanel("text")]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Question(ClusterableModel):
    """A question as trainers edit it. Learners only ever see frozen QuestionVersions of it."""

    title = models.CharField(max_length=200, help_text="A short name trainers search by.")
    # Nullable only so questions made before banks existed migrate; the admin requires one.
    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        help_text="The question bank this question belongs to.",
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    difficulty = models.CharField(
        max_length=10,
        choices=Difficulty.choices,
        blank=True,
        help_text="How hard trainers expect it to be; compare with its facility in item analysis.",
    )
    stem = models.TextField("question")
    case_sensitive = models.BooleanField(
        default=False,
        help_text="Short answer only: tick if 'NHS' and 'nhs' are different answers. Spaces at "
        "the ends and doubled spaces never count; every other character must match as typed "
        "('ß' is not 'ss').",
    )
    general_feedback = models.TextField(
        blank=True, help_text="Shown to every learner after the attempt is submitted."
    )
    scenario = models.ForeignKey(
        Scenario,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name="case study",
        help_text="Optional: the case study this question is about; its text is shown above "
        "the questions that share it.",
    )
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        help_text="Essay only: the rubric assessors mark it against. Without one, the marker "
        "gives one overall mark as a percentage.",
    )
    expectations = ParentalManyToManyField(
        "complaint_standards.Expectation", blank=True, related_name="questions"
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("bank"),
        FieldPanel("kind"),
        FieldPanel("difficulty"),
        FieldPanel("scenario"),
        FieldPanel("stem"),
        FieldPanel("case_sensitive", attrs=for_kinds(QuestionKind.SHORT_ANSWER)),
        FieldPanel("rubric", attrs=for_kinds(QuestionKind.ESSAY)),
        InlinePanel(
            "choices",
            label="Options and answers",
            help_text="Single choice, multiple response, true or false: the options, with the "
            "correct one(s) ticked (several ticked in a single choice: any one earns the full "
            "mark). Short answer: each accepted answer (ticked, or with a fraction for part "
            "marks), where * stands for any run of characters and \\* for a star. Numerical: "
            "each accepted value and tolerance. Matching: "
            "each pair as text and its match (a match with no text is an extra wrong match). "
            "Ordering: the items in the right order. Essay: none. At most "
            f"{settings.ACADEMY_QUESTION_MAX_OPTIONS} in one question.",
            max_num=settings.ACADEMY_QUESTION_MAX_OPTIONS,
            attrs=for_kinds(*(kind for kind, used in OPTION_FIELDS_USED.items() if used)),
        ),
        FieldPanel("general_feedback"),
        FieldPanel("expectations"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Choice(Orderable):
    """One option, accepted answer, matching pair or ordering item of a question.

    Which fields a kind uses is checked by services.check_question (with a message per field).
    """

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(
        max_length=500,
        blank=True,
        help_text="The option, accepted answer, left-hand item of a pair, or item to order. In a "
        "short answer, * stands for any run of characters, none included (Par* accepts 'Paris' "
        "and 'Par'; *ombudsman* accepts 'the Ombudsman service') and \\* is a star itself. "
        "An answer of * alone accepts anything: with a fraction of 0, its feedback goes to every "
        "answer nothing else accepts. Where several accepted answers match, the best mark counts.",
    )
    is_correct = models.BooleanField("correct", default=False)
    fraction = models.DecimalField(
        "fraction of the mark",
        max_digits=6,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
        help_text="Multiple response: the share of the mark this option earns when ticked (e.g. "
        "0.5), or takes away when negative (e.g. -0.25); 0 costs nothing. As in Moodle, the "
        "ticked options' shares are added up and kept between 0 and the full mark, so the correct "
        "options' shares should add up to 1 (0.33333 three times counts as 1; at 0.99 even the "
        "right answer earns 0.99). Left empty, a correct option gets an equal share of the mark "
        "and a wrong one takes one such share away. Single choice, short answer and numerical: "
        "part marks for a nearly right option or answer (0 to 1; leave it unticked).",
    )
    match_text = models.CharField(
        "matches",
        max_length=500,
        blank=True,
        help_text="Matching only: the right-hand answer this item is matched with.",
    )
    value = models.DecimalField(
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Numerical only: an accepted value. Leave it empty (once, unticked) for the "
        "feedback every other answer gets.",
    )
    tolerance = models.DecimalField(
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Numerical only: how far from the value an answer may be (empty for exactly). "
        "For any answer from 10 to 20, enter value 15 and tolerance 5.",
    )
    feedback = models.CharField(max_length=500, blank=True)

    panels = [
        _option_field(name)
        for name in (
            "text",
            "is_correct",
            "fraction",
            "match_text",
            "value",
            "tolerance",
            "feedback",
        )
    ]

    def __str__(self):
        return self.text


class QuestionVersion(models.Model):
    """An immutable snapshot of a question, taken the first time it is given in that form."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    stem = models.TextField()
    general_feedback = models.TextField(blank=True)
    # In authored order, each with an opaque random "key" (see services.current_version):
    # single, multiple, true/false: {"text", "correct", "feedback"} (+ "fraction" when set);
    # short answer: the same, one per accepted answer; numerical: {"value", "tolerance",
    # "correct", "feedback"} (+ "fraction"); ordering: {"text", "feedback"} in the right order;
    # matching: {"side": "left", "text", "match": key of the right-hand item, "feedback"} and
    # {"side": "right", "text"} once per distinct right-hand text.
    options = models.JSONField()
    # Per-kind settings that are not options, e.g. {"case_sensitive": true} for short answers.
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_number"),
            models.UniqueConstraint(
                fields=["question", "content_hash"], name="question_version_content"
            ),
        ]

    def __str__(self):
        return f"{self.question} v{self.number}"

    def correct_keys(self) -> set[str]:
        """The right options of a single-choice, multiple-response or true/false question."""
        return {option["key"] for option in self.options if option.get("correct")}
