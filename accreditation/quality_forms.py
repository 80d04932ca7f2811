"""Forms of quality assurance and appeals: an IQA's review of a sampled decision, an appeal
panel's answer, and a candidate's appeal. They check what was typed; the services enforce the
rules."""

from django import forms

from .models import Decision
from .services.appeals import GROUNDS_MAX
from .services.quality import REASONS_MAX, CriterionFinding

COMMENT_MAX = 2000


class JudgementForm(forms.Form):
    """A verdict on a decision with reasons; the verdict `replaces` asks for the new decision
    as well: its outcome, feedback, what to resubmit, and optionally each criterion judged."""

    VERDICTS: list[tuple[str, str]] = []
    REPLACES = ""

    verdict = forms.ChoiceField(widget=forms.RadioSelect)
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASONS_MAX,
        error_messages={"required": "Give your reasons."},
    )
    outcome = forms.ChoiceField(
        label="The new decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    feedback = forms.CharField(
        label="Feedback for the candidate",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REASONS_MAX,
        required=False,
    )
    to_resubmit = forms.CharField(
        label="What to do and resubmit (for not yet competent)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASONS_MAX,
        required=False,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = self.VERDICTS
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.statement,
                choices=[("", "Not judged"), ("met", "Met"), ("not_met", "Not met")],
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label="Comment", max_length=COMMENT_MAX, required=False
            )

    def criterion_fields(self):
        """Each criterion with its two fields, for the template."""
        return [
            (criterion, self[f"criterion_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    @property
    def replacing(self) -> bool:
        return self.cleaned_data.get("verdict") == self.REPLACES

    def clean(self):
        data = super().clean()
        if data.get("verdict") == self.REPLACES:
            if not data.get("outcome"):
                self.add_error("outcome", "Choose the new decision.")
            if not data.get("feedback", "").strip():
                self.add_error("feedback", "Write feedback for the candidate.")
            if (
                data.get("outcome") == Decision.Outcome.NOT_YET_COMPETENT
                and not data.get("to_resubmit", "").strip()
            ):
                self.add_error("to_resubmit", "Say what the candidate should do and resubmit.")
        return data

    def findings(self) -> dict[int, CriterionFinding]:
        found = {}
        for criterion in self.criteria:
            judged = self.cleaned_data.get(f"criterion_{criterion.pk}")
            if judged:
                found[criterion.pk] = CriterionFinding(
                    met=judged == "met",
                    comment=self.cleaned_data.get(f"comment_{criterion.pk}", ""),
                )
        return found

    def new_decision(self) -> dict:
        """What the decision that replaces the one judged says, for the services."""
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "feedback": data["feedback"],
            "to_resubmit": data["to_resubmit"],
            "findings": self.findings(),
        }


class ReviewForm(JudgementForm):
    VERDICTS = [
        ("confirm", "Confirm: the decision stands"),
        ("overturn", "Overturn: record a new decision"),
    ]
    REPLACES = "overturn"


class PanelForm(JudgementForm):
    VERDICTS = [
        ("dismiss", "Dismiss: the decision stands"),
        ("uphold", "Uphold: record the panel's decision"),
    ]
    REPLACES = "uphold"


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label="Why you are appealing",
        help_text="Say which parts of the decision you think are wrong and why, pointing to "
        f"your evidence or statement where you can. Up to {GROUNDS_MAX:,} characters.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=GROUNDS_MAX,
        error_messages={
            "required": "Enter why you are appealing.",
            "max_length": f"Your grounds must be {GROUNDS_MAX:,} characters or fewer.",
        },
    )
