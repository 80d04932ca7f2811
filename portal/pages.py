from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from academy.page_cache import OfferedToVisitors


class HomePage(OfferedToVisitors, Page):
    """The site's front page: what the Academy is and where to start."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogueIndexPage", "portal.InformationPage"]
    max_count = 1
    template = "portal/home_page.html"


class InformationPage(OfferedToVisitors, Page):
    """A page of plain information about the service: the accessibility statement, privacy
    notice, cookies and contact pages. Those with "Show in menus" ticked are linked from every
    page's footer."""

    summary = models.CharField(
        max_length=255, blank=True, help_text="One sentence under the title, in larger type."
    )
    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="Shown at the foot of the page; an accessibility statement must give one.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    template = "portal/information_page.html"
