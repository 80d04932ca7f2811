from django import forms, template

from academy.forms import NewConfirmationLinkForm

register = template.Library()


@register.filter
def widget_kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.MultiWidget):
        return "parts"  # a date as day, month and year boxes: ids end _0, _1, _2
    return "input"


@register.filter
def add_class(field, css_class: str):
    """Render the field's widget with our CSS class and links to its hint and error."""
    # No placeholders: allauth repeats the label there, and placeholder text vanishes as people
    # type (NHS.UK and GOV.UK guidance both advise against it).
    attrs = {
        "class": f"{css_class}{' nhsuk-input--error' if field.errors else ''}",
        "placeholder": False,
    }
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def new_confirmation_link_form():
    """An empty form to ask for a new confirmation link, for pages whose view has none (allauth's
    page for a link that no longer works)."""
    return NewConfirmationLinkForm()
