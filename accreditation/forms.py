from django import forms
from django.conf import settings

from .services.portfolio import STATEMENT_MAX_CHARACTERS
from .uploads import ACCEPTED_WORDS, MB


class EvidenceForm(forms.Form):
    # Empty files reach the service, whose refusal names the file.
    file = forms.FileField(label="Evidence file", allow_empty_file=True)
    description = forms.CharField(
        label="What this file shows (optional)",
        max_length=200,
        required=False,
        help_text="A few words for the assessor, for example 'Investigation plan, case 2'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        largest = settings.ACADEMY_EVIDENCE_MAX_BYTES / MB
        self.fields["file"].help_text = (
            f"{ACCEPTED_WORDS} files, up to {largest:g} MB each. Remove names and other "
            "details that identify complainants before you upload."
        )


class StatementForm(forms.Form):
    statement = forms.CharField(
        label="Your reflective statement",
        required=False,
        max_length=STATEMENT_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
