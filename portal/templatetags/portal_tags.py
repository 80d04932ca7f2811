from django import template

from portal import selectors

register = template.Library()


@register.inclusion_tag("portal/includes/footer_links.html")
def footer_links():
    return {"links": selectors.footer_links()}
