from django import forms


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Reason for erasing",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the person asked us to erase their data (our reference …). "
        "Kept in the audit log with your name and the time.",
        error_messages={"required": "Give the reason for erasing this person's data."},
    )
