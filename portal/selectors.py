from django.core.cache import cache

from academy import page_cache
from academy import selectors as people
from accreditation import selectors as accreditation_selectors
from assessments import selectors as assessment_selectors
from certificates import selectors as certificate_selectors
from courses import selectors as course_selectors
from feedback import selectors as feedback_selectors
from organisations import selectors as organisation_selectors

from .pages import InformationPage

FOOTER_LINKS_KEY = "portal:footer-links"


def dashboard(*, user) -> dict:
    """Everything the learner's dashboard shows, in a fixed number of queries."""
    certificates = list(certificate_selectors.for_learner(user=user))
    return {
        "assignments": organisation_selectors.learner_assignments(user=user),
        "enrolments": list(course_selectors.enrolments_for_dashboard(user=user)),
        "webinar_registrations": course_selectors.coming_registrations(user=user),
        "recordings_to_watch": course_selectors.recordings_to_watch(user=user),
        "certificates": [certificate for certificate in certificates if not certificate.renewed],
        "earlier_certificates": [
            certificate for certificate in certificates if certificate.renewed
        ],
        "memberships": list(people.current_memberships(user=user)),
        "attempts": assessment_selectors.attempt_record(user=user),
        "cpd": accreditation_selectors.cpd_overview(user=user),
        "candidacies": accreditation_selectors.my_candidacies(person=user),
        "feedback_offers": feedback_selectors.open_offers(user=user),
    }


def footer_links() -> list[tuple[str, str]]:
    """(title, URL) of each information page editors show in menus, in tree order. Every page
    shows the footer, so it is kept in the cache until an information page or the home page is
    published, unpublished, moved or deleted (PortalConfig.ready)."""
    links = page_cache.read_many([FOOTER_LINKS_KEY]).get(FOOTER_LINKS_KEY)
    if links is None:
        pages = InformationPage.objects.live().in_menu().order_by("path")
        links = [(page.title, page.url) for page in pages.only("title", "url_path", "path")]
        cache.set(FOOTER_LINKS_KEY, links, timeout=None)
    return links


def forget_footer_links(**kwargs) -> None:
    page_cache.delete(FOOTER_LINKS_KEY)
