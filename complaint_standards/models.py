from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class Framework(ClusterableModel):
    """A published set of Complaint Standards, for example the NHS Complaint Standards."""

    class Sector(models.TextChoices):
        NHS = "nhs", "NHS"
        GOVERNMENT = "government", "UK central government"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    version = models.CharField(max_length=40, help_text="For example the year it was published.")
    summary = models.TextField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("sector"),
        FieldPanel("version"),
        FieldPanel("summary"),
        InlinePanel("principles", label="Principles"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="framework_name_version")
        ]

    def __str__(self):
        return f"{self.name} ({self.version})"


class Principle(ClusterableModel, Orderable):
    framework = ParentalKey(Framework, on_delete=models.CASCADE, related_name="principles")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    panels = [
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("summary"),
        InlinePanel("expectations", label="Expectations"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="principle_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Expectation(Orderable):
    """One numbered expectation under a principle: what content in the Academy is tagged with."""

    principle = ParentalKey(Principle, on_delete=models.CASCADE, related_name="expectations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    panels = [FieldPanel("number"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["principle__framework", "principle__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["principle", "number"], name="expectation_number")
        ]

    @property
    def code(self) -> str:
        return f"{self.principle.number}.{self.number}"

    @property
    def anchor(self) -> str:
        """Its id on the framework page. Credentials link to it, so it must stay stable: it is
        built from the numbers, never the text, and starts with a letter to be a valid HTML id."""
        return f"expectation-{self.principle.number}-{self.number}"

    def get_absolute_url(self):
        framework_url = reverse("complaint_standards:detail", args=[self.principle.framework.slug])
        return f"{framework_url}#{self.anchor}"

    def __str__(self):
        return f"{self.principle.framework.name} {self.code}: {self.text[:80]}"
