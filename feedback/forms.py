"""The learner's answer form: one field per question the survey asks, in its order."""

from django import forms

from .models import RATINGS
from .services import MAX_TEXT_LENGTH


def _rating_choices(question) -> list[tuple[int, str]]:
    ends = {1: question.low_label, 5: question.high_label}
    return [(r, f"{r} – {ends[r]}" if r in ends else str(r)) for r in RATINGS]


class AnswerForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.is_rating:
                self.fields[self.name_for(question)] = forms.TypedChoiceField(
                    label=question.text,
                    choices=_rating_choices(question),
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose a rating from 1 to 5."},
                )
            else:
                self.fields[self.name_for(question)] = forms.CharField(
                    label=f"{question.text} (optional)",
                    required=False,
                    max_length=MAX_TEXT_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={
                        "max_length": f"Keep your answer to {MAX_TEXT_LENGTH} characters or "
                        "fewer (it has %(show_value)d)."
                    },
                )

    @staticmethod
    def name_for(question) -> str:
        return f"question_{question.pk}"

    def answers(self) -> dict[int, int | str]:
        """The cleaned answers by question id, as the answer service takes them."""
        return {q.pk: self.cleaned_data[self.name_for(q)] for q in self.questions}
