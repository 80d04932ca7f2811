"""A link to the survey waiting for the learner on the page of the item it is about (a course
page, an assessment's result page). Those templates load it by name; the apps below feedback
never import it."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("feedback/includes/offer_link.html", takes_context=True)
def feedback_offer_link(context, item):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"offer": None}
    return {"offer": selectors.open_offer_for(user=user, item=item)}
