"""The repeated parts of a question's fields, for templates/assessments/includes/question.html:
the radios or checkboxes of a choice question and the options of an item's select. They are
written here rather than in the template because an attempt page shows fifty questions and a few
hundred options, and the template engine spends microseconds on every value it prints: these
loops were most of the page's cost (docs/decisions.md, "Where the time goes on exam day"). The
markup is what the template wrote, NHS.UK frontend's radios and checkboxes. Every value is
escaped, with the standard library's html.escape, which is what Django's escape calls."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# One radio or checkbox with its label, laid out as the template's loop laid it out; {block}
# is NHS.UK frontend's component, the other fields are escaped values.
_CHOICE = (
    '\n      <div class="{block}__item">'
    '\n        <input class="{block}__input" id="{id}" name="{name}" type="{type}" '
    'value="{key}"{checked}>'
    '\n        <label class="nhsuk-label {block}__label" for="{id}">{text}</label>'
    "\n      </div>\n      "
)


@register.simple_tag
def choice_items(question) -> SafeString:
    """The options of a choice question (a selectors.QuestionView: single choice, true or false,
    multiple response) as radios or checkboxes, q<response id>-1, -2, ..., the chosen ones
    ticked."""
    multiple = question.multiple
    block = "nhsuk-checkboxes" if multiple else "nhsuk-radios"
    kind = "checkbox" if multiple else "radio"
    name = escape(question.field_name)
    chosen = question.selected
    return mark_safe(  # noqa: S308 - every value in it is escaped
        "".join(
            _CHOICE.format(
                block=block,
                type=kind,
                id=f"{name}-{number}",
                name=name,
                key=escape(option.key),
                checked=" checked" if option.key in chosen else "",
                text=escape(option.text),
            )
            for number, option in enumerate(question.options, start=1)
        )
    )


@register.simple_tag
def select_options(options, chosen: str) -> SafeString:
    """The <option>s of one item's select (matching's matches, ordering's positions), the chosen
    one selected."""
    return mark_safe(  # noqa: S308 - every value in it is escaped
        "".join(
            f'<option value="{escape(option.key)}"'
            f"{' selected' if option.key == chosen else ''}>{escape(option.text)}</option>"
            for option in options
        )
    )
