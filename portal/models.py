from django.db import models

from .pages import HomePage, InformationPage  # noqa: F401  (Wagtail finds page models in models)

# The national figures' aggregate (docs/decisions.md, "The national view's aggregate"): rebuilt
# whole by portal.national_refresh every quarter of an hour, read by portal.national. A key of ""
# means every value (no filter); "none" means no organisation (kind, region) or a course tagged
# with no framework.
ALL = ""
NONE = "none"


class NationalRefresh(models.Model):
    """The one row that says when the national figures were last rebuilt. The rebuild locks it,
    so two rebuilds never interleave."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    took_ms = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"National figures as at {self.refreshed_at}"


class NationalFigure(models.Model):
    """One month's counts for one cell of the national view's filters: an organisation kind and
    a region (of a learner's current memberships; each cell counts a person once) and a
    framework (of the course's expectations). Rows with an assessment hold its released
    attempts; the others (assessment 0) hold the learning."""

    month = models.DateField(help_text="The first day of the month (UK time).")
    kind = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=30, blank=True)
    framework = models.CharField(max_length=20, blank=True)
    assessment_id = models.IntegerField(default=0, help_text="0 on the learning's rows.")
    learners = models.PositiveIntegerField(default=0, help_text="First enrolment in the cell.")
    enrolments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    certificates = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0, help_text="Released attempts.")
    passed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind", "region", "framework", "assessment_id"],
                name="national_figure_once_per_cell",
            )
        ]
        indexes = [models.Index(fields=["kind", "region", "framework", "month"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.kind or 'all'}/{self.region or 'all'}"


class NationalCoverage(models.Model):
    """For one organisation kind and region: how many learners (people with an enrolment) there
    are, and how many completed a course tagged with each expectation. The row with expectation
    0 holds the learners."""

    kind = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=30, blank=True)
    expectation_id = models.IntegerField(default=0, help_text="0 on the learners' row.")
    learners = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "expectation_id"],
                name="national_coverage_once_per_cell",
            )
        ]

    def __str__(self):
        return f"{self.kind or 'all'}/{self.region or 'all'} {self.expectation_id}"
