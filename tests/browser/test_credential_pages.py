"""The credential a learner downloads, checked by a stranger on the public page, in Chromium.

The learner's dashboard offers the credential file; the verification page links it; the checking
page takes the downloaded file (and, pasted, a tampered copy) and says what each is. Every page
on the way passes axe-core; the pages have no script of their own, so they work without it.
"""

import json
import re
from datetime import timedelta

from django.utils import timezone

from certificates import services
from tests.academy.factories import PASSWORD
from tests.browser.support import BROWSER_TEST, expect
from tests.certificates.factories import AwardFactory, CertificateFactory
from tests.courses.factories import CourseFactory

pytestmark = BROWSER_TEST


def _dashboard(live_server, new_context, learner, width=1280):
    page = new_context(width=width).new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(live_server.url + "/dashboard/")
    return page


def test_a_downloaded_credential_checked_by_a_stranger(
    live_server, new_context, a11y, screenshot, learner, course, tmp_path
):
    award = AwardFactory(course=course, validity_unit="years", validity_length=3)
    certificate = services.issue_certificate(learner=learner, award=award)

    # The learner downloads the credential file from their dashboard.
    page = _dashboard(live_server, new_context, learner)
    expect(page.get_by_role("link", name="Add to LinkedIn profile")).to_be_visible()
    a11y.check(page, "dashboard with a certificate")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download credential file").click()
    assert download.value.suggested_filename == f"credential-{certificate.display_code}.json"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert json.loads(path.read_text()) == certificate.credential

    # A stranger on a phone goes from the verification page to the checking page.
    page = new_context(width=390, height=844).new_page()
    page.goto(live_server.url + certificate.get_absolute_url())
    expect(page.get_by_role("link", name="Download the credential file")).to_be_visible()
    a11y.check(page, "verification page")
    page.get_by_role("link", name="Check a credential file someone gave you").click()
    expect(page.locator("h1")).to_have_text("Check a credential file")
    a11y.check(page, "credential checking page")

    # Sent empty, the form says what to do, and the summary takes focus.
    page.get_by_role("button", name="Check the credential").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Error: ")
    assert page.evaluate("() => document.activeElement.classList.contains('nhsuk-error-summary')")
    a11y.check(page, "credential checking page with an error")

    page.get_by_label("Upload a credential file").set_input_files(str(path))
    page.get_by_role("button", name="Check the credential").click()
    expect(page.locator(".nhsuk-card")).to_contain_text(
        "Valid: this credential was issued by the PHSO Academy"
    )
    expect(page.locator(".nhsuk-card")).to_contain_text("Priya Sharma")
    a11y.check(page, "credential checked: valid")
    screenshot(page, "credential-valid")

    tampered = {**certificate.credential, "name": "Investigating complaints"}
    page.get_by_label("Or paste the credential").fill(json.dumps(tampered))
    page.get_by_role("button", name="Check the credential").click()
    expect(page.locator(".nhsuk-card")).to_contain_text("Altered: this credential was changed")
    expect(page.locator(".nhsuk-card")).not_to_contain_text("Priya Sharma")
    a11y.check(page, "credential checked: altered")
    screenshot(page, "credential-altered")

    a11y.assert_clean()


def test_a_renewed_certificate_is_listed_apart_on_the_dashboard(
    live_server, new_context, a11y, learner, course
):
    award = AwardFactory(course=course, validity_unit="years", validity_length=1)
    now = timezone.now()
    first, renewal = (
        CertificateFactory(
            learner=learner,
            award=award,
            cycle=cycle,
            issued_at=issued_at,
            valid_until=issued_at + timedelta(days=365),
        )
        for cycle, issued_at in [(1, now - timedelta(days=350)), (2, now - timedelta(days=5))]
    )

    page = _dashboard(live_server, new_context, learner)
    expect(page.get_by_role("heading", name="Earlier certificates")).to_be_visible()
    expect(page.get_by_role("list", name="Certificates you hold")).to_contain_text(
        renewal.display_code
    )
    earlier = page.get_by_role("list", name=re.compile("Certificates from earlier periods"))
    expect(earlier).to_contain_text(first.display_code)
    a11y.check(page, "dashboard with a renewed certificate")
    link = page.get_by_role("link", name=f"Verification page of certificate {first.display_code}")
    assert link.get_attribute("href").endswith(first.get_absolute_url())  # the site's own URL


def test_the_dashboard_on_a_phone_with_a_revoked_certificate(
    live_server, new_context, a11y, screenshot, learner, course, catalogue, administrator
):
    award = AwardFactory(course=course, validity_unit="years", validity_length=3)
    kept = services.issue_certificate(learner=learner, award=award)
    other = AwardFactory(course=CourseFactory(parent=catalogue, title="Responding well"))
    withdrawn = services.issue_certificate(learner=learner, award=other)
    services.revoke(
        certificate=withdrawn, by=administrator, reason="Checked", public_reason="Issued in error"
    )

    page = _dashboard(live_server, new_context, learner, width=390)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the dashboard is {overflow}px wider than a 390px phone"
    held = page.get_by_role("list", name="Certificates you hold")
    expect(held.get_by_role("link", name=re.compile("Link to share"))).to_have_count(1)
    expect(held.get_by_role("link", name=re.compile("Add to LinkedIn"))).to_have_count(1)
    expect(held).to_contain_text(kept.display_code)
    expect(held).to_contain_text(withdrawn.display_code)
    expect(held).to_contain_text("cannot be shared")
    screenshot(page, "dashboard-phone-revoked")
    a11y.check(page, "dashboard on a phone, one certificate revoked")

    # The keyboard reaches the revoked certificate's verification page, which says why.
    link = page.get_by_role(
        "link", name=f"Verification page of certificate {withdrawn.display_code}"
    )
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Issued in error")).to_be_visible()
    a11y.check(page, "verification page of a revoked certificate on a phone")
    a11y.assert_clean()


def test_a_pasted_credential_too_large_to_read_is_told_so_on_the_page(
    live_server, new_context, a11y, screenshot
):
    page = new_context().new_page()
    page.goto(live_server.url + "/verify/credential/")
    page.get_by_label("Or paste the credential").fill('{"a": "' + "x" * 3_000_000 + '"}')
    page.get_by_role("button", name="Check the credential").press("Enter")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("The credential is larger than 256 KB")
    screenshot(page, "credential-too-large", full_page=False)
    a11y.check(page, "credential check, pasted credential too large")
    a11y.assert_clean()
