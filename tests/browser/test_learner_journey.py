"""A new learner's whole journey through the Academy in headless Chromium, with axe-core checks.

Sign up, confirm the e-mail address, enrol on "Welcoming complaints", work through the lessons
(leaving half-way and coming back), pass the final assessment, download the certificate and have
a stranger verify it. Every page on the way is checked with axe-core (WCAG 2.2 A/AA and axe's
best-practice rules), and one question is answered with the keyboard alone.
"""

import io
import re
import time
from urllib.parse import urlsplit

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.dateformat import format as date_format
from wagtail.models import Site

from assessments.models import Assessment
from certificates.models import Certificate
from tests.browser.support import BROWSER_TEST, expect
from tests.certificates.pdfs import check_certificate_pdf

pytestmark = BROWSER_TEST

LEARNER = {
    "email": "sam.learner@example.org",
    # A name the standard PDF fonts cannot draw: it must print as typed (issue 12).
    "name": "Łukasz Wiśniewski-Șerban Nguyễn Rhŷs",
    "organisation": "Northfield Hospitals NHS Foundation Trust",
    "role": "All staff",
    "password": "Tea-and-biscuits-2026",
}
COURSE = "Welcoming complaints"
LESSONS = [
    "Why complaints matter",
    "Making it easy to complain",
    "Responding at the first point of contact",
]


def _correct_answers() -> dict[str, set[str]]:
    """The final assessment's right answers, by question text (keys are random per attempt)."""
    assessment = Assessment.objects.get(title=f"{COURSE}: final assessment")
    answers = {}
    for link in assessment.assessment_questions.select_related("question"):
        question = link.question
        answers[question.stem] = {c.text for c in question.choices.all() if c.is_correct}
    return answers


def _expect_heading(page, text):
    expect(page.locator("h1")).to_contain_text(text)


def _sign_up(page, audit, base_url, screenshot):
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Create an account"
    ).click()
    _expect_heading(page, "Create an account")
    audit.check(page, "sign-up")

    # Sent empty, the form comes back with an error summary linking to each field.
    page.get_by_role("button", name="Create account").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # It takes focus (autofocus, no JavaScript needed), the title says there is an error and
    # every link names its field; the radios' link goes to the first radio.
    assert page.evaluate("() => document.activeElement.classList.contains('nhsuk-error-summary')")
    assert page.title().startswith("Error: ")
    expect(summary.get_by_role("link", name="Email: This field is required.")).to_be_visible()
    role_link = summary.get_by_role("link", name="Your role: This field is required.")
    assert role_link.get_attribute("href") == "#id_role_tier_0"
    audit.check(page, "sign-up with errors")
    screenshot(page, "sign-up-errors")

    page.get_by_label("Email").fill(LEARNER["email"])
    page.get_by_label("Full name").fill(LEARNER["name"])
    page.get_by_label("Organisation").select_option(label=LEARNER["organisation"])
    page.get_by_role("group", name="Your role").get_by_label(LEARNER["role"], exact=True).check()
    page.get_by_label("Password", exact=True).fill(LEARNER["password"])
    page.get_by_label("Password (again)").fill(LEARNER["password"])
    page.get_by_role("button", name="Create account").click()
    _expect_heading(page, "Check your e-mail")
    audit.check(page, "verification e-mail sent")

    # The live server runs in this process, so the locmem backend's outbox holds the e-mail.
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [LEARNER["email"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    assert link.group(0).startswith(base_url), (link.group(0), base_url)
    page.goto(link.group(0))
    _expect_heading(page, "Confirm")
    expect(page.get_by_text(LEARNER["email"])).to_be_visible()
    audit.check(page, "confirm e-mail address")
    screenshot(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()


def _sign_in(page, audit):
    if page.get_by_role("button", name="Sign out").count():
        return
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    _expect_heading(page, "Sign in")
    audit.check(page, "sign in")
    page.get_by_label("Email").fill(LEARNER["email"])
    page.get_by_label("Password").fill(LEARNER["password"])
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _do_lesson(page, audit, number):
    _expect_heading(page, LESSONS[number - 1])
    expect(page.get_by_text(f"Lesson {number} of {len(LESSONS)}")).to_be_visible()
    audit.check(page, f"lesson {number}")
    button = "Mark as done and continue" if number < len(LESSONS) else "Mark as done"
    page.get_by_role("button", name=button, exact=True).click()


def _answer_first_question_with_keyboard(page, answers, screenshot):
    """Skip link, then Tab/Arrow/Space to answer question 1, then Enter on "Save"."""

    def focused():
        return page.evaluate(
            """() => {
                const el = document.activeElement;
                const box = el.getBoundingClientRect();
                const style = getComputedStyle(el);
                return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "",
                        text: (el.innerText || el.value || "").trim(),
                        checked: !!el.checked, visible: box.width > 1 && box.height > 1
                          && box.top >= 0 && box.bottom <= window.innerHeight,
                        background: style.backgroundColor,
                        // NHS.UK radios and checkboxes draw focus on the label's ::before box.
                        ring: !!el.labels && el.labels.length > 0 && getComputedStyle(
                          el.labels[0], "::before").boxShadow !== "none"};
            }"""
        )

    page.goto(page.url)  # a fresh document: the first Tab starts from the top
    page.keyboard.press("Tab")
    skip = focused()
    assert skip["text"] == "Skip to main content", skip
    assert skip["visible"], f"the skip link is not visible when focused: {skip}"
    screenshot(page, "keyboard-skip-link", full_page=False)
    page.keyboard.press("Enter")
    assert focused()["id"] == "maincontent", "the skip link did not move focus to <main>"

    first = page.locator("fieldset").first
    stem = next(s for s in answers if s in first.locator("legend").inner_text())
    labels = [label.inner_text().strip() for label in first.locator("label").all()]
    right = [i for i, text in enumerate(labels) if text in answers[stem]]
    multiple = first.locator("input[type=checkbox]").count() > 0

    # From <main>, the next Tab lands on question 1's first option, and its ring shows.
    page.keyboard.press("Tab")
    state = focused()
    assert state["id"] == first.locator("input").first.get_attribute("id"), state
    assert state["ring"], f"no visible focus indicator on the first option: {state}"
    screenshot(page, "keyboard-first-option", full_page=False)

    if multiple:
        for index in range(len(labels)):
            if index:
                page.keyboard.press("Tab")
            if index in right:
                page.keyboard.press("Space")
                assert focused()["checked"]
        page.keyboard.press("Tab")
    else:
        for _ in range(right[0]):
            page.keyboard.press("ArrowDown")
        if not focused()["checked"]:
            page.keyboard.press("Space")
        assert focused()["checked"]
        page.keyboard.press("Tab")  # leaves the radio group for question 2

    # Keep tabbing to the save button, checking the focus is drawn on the way.
    for _ in range(60):
        state = focused()
        if state["tag"] == "button":
            break
        page.keyboard.press("Tab")
    assert state["text"] == "Save and finish later", state
    # NHS.UK's focus state: the button turns yellow (#ffeb3b), unlike any unfocused button.
    assert state["background"] == "rgb(255, 235, 59)", (
        f"focus is not visible on the button: {state}"
    )
    screenshot(page, "keyboard-save-button", full_page=False)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your answers have been saved.")).to_be_visible()

    first = page.locator("fieldset").first
    for index, label in enumerate(first.locator("input").all()):
        assert label.is_checked() == (index in right), (stem, index, right)


def _answer_all(page, answers):
    fieldsets = page.locator("fieldset").all()
    assert len(fieldsets) == len(answers)
    for fieldset in fieldsets:
        legend = fieldset.locator("legend").inner_text()
        stem = next(s for s in answers if s in legend)
        for option in fieldset.locator(".nhsuk-radios__item, .nhsuk-checkboxes__item").all():
            text = option.locator("label").inner_text().strip()
            box = option.locator("input")
            if text in answers[stem]:
                box.check()
            elif box.get_attribute("type") == "checkbox":
                box.uncheck()


def test_new_learner_signs_up_learns_passes_and_shares_a_certificate(
    live_server, new_context, a11y, screenshot
):
    started = time.monotonic()
    call_command("load_demo", stdout=io.StringIO())
    # The demo's Site is localhost:80; being the default site, it also answers the live server's
    # own port. Check that assumption instead of silently relying on it.
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific.title == "PHSO Academy"
    mail.outbox.clear()
    answers = _correct_answers()
    base = live_server.url
    audit = a11y

    page = new_context().new_page()

    # Home page.
    response = page.goto(base + "/")
    assert response.status == 200
    _expect_heading(page, "PHSO Academy")
    expect(
        page.locator("header").get_by_role("link", name=re.compile("PHSO Academy"))
    ).to_be_visible()
    assert page.locator("img[alt*='NHS' i], .nhsuk-logo").count() == 0, "no NHS logo on the Academy"
    audit.check(page, "home")
    screenshot(page, "home")

    # Sign up and confirm the e-mail address; confirming signs the new learner in.
    _sign_up(page, audit, base, screenshot)
    screenshot(page, "after-confirm")
    _sign_in(page, audit)

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Account security").click()
    audit.check(page, "account security")
    screenshot(page, "account-security")
    nav.get_by_role("link", name="Complaint Standards").click()
    audit.check(page, "complaint standards")
    page.get_by_role("main").get_by_role("link", name="NHS Complaint Standards").click()
    _expect_heading(page, "NHS Complaint Standards")
    audit.check(page, "complaint standards framework")

    # Catalogue (filtered to the learner's audience) -> course -> enrol.
    nav.get_by_role("link", name="Courses").click()
    _expect_heading(page, "Courses")
    audit.check(page, "catalogue")
    screenshot(page, "catalogue")
    page.get_by_label("Show courses for").select_option(label=LEARNER["role"])
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Investigating complaints fairly")).to_have_count(0)
    audit.check(page, "catalogue, filtered")
    page.get_by_role("link", name=COURSE, exact=True).click()
    _expect_heading(page, COURSE)
    audit.check(page, "course, not enrolled")
    page.get_by_role("button", name="Enrol on this course").click()
    expect(page.get_by_text(f"You are enrolled on {COURSE}.")).to_be_visible()

    # Two lessons, then leave.
    _do_lesson(page, audit, 1)
    screenshot(page, "lesson-2")
    _do_lesson(page, audit, 2)
    _expect_heading(page, LESSONS[2])
    page.get_by_role("button", name="Sign out").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    ).to_be_visible()

    # Come back: sign in, find the course on "My learning" and resume where we left off.
    _sign_in(page, audit)
    _expect_heading(page, "My learning")
    expect(page.get_by_text("2 of 3 lessons done")).to_be_visible()
    audit.check(page, "dashboard, course in progress")
    # The course is also under "Assigned to me": the trust assigns it to everyone who joins.
    expect(
        page.get_by_role("list", name="Training your organisation asks you to do")
    ).to_contain_text(COURSE)
    my_courses = page.get_by_role("list", name="Courses you are enrolled on")
    my_courses.get_by_role("link", name=COURSE, exact=True).click()
    _expect_heading(page, COURSE)
    expect(page.get_by_text("You have done 2 of 3 lessons.")).to_be_visible()
    expect(page.get_by_text("Complete every lesson to unlock the assessment.")).to_be_visible()
    audit.check(page, "course, in progress")
    screenshot(page, "course-in-progress")
    page.get_by_role("link", name=f"Continue: {LESSONS[2]}").click()
    _do_lesson(page, audit, 3)

    # All lessons done: the course page offers the assessment.
    _expect_heading(page, COURSE)
    expect(page.get_by_text("You have done 3 of 3 lessons.")).to_be_visible()
    audit.check(page, "course, lessons done")
    page.get_by_role("button", name="Start the assessment").click()
    _expect_heading(page, f"{COURSE}: final assessment")
    audit.check(page, "attempt")
    screenshot(page, "attempt")

    _answer_first_question_with_keyboard(page, answers, screenshot)
    audit.check(page, "attempt, answers saved")

    _answer_all(page, answers)
    page.get_by_role("button", name="Submit my answers").click()
    _expect_heading(page, "Your result")
    expect(page.get_by_text("You scored 100% – you passed.")).to_be_visible()
    audit.check(page, "result")
    screenshot(page, "result")

    # My learning shows the certificate; its PDF may take a moment to render.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    _expect_heading(page, "My learning")
    certificates = page.get_by_role("list", name="Certificates you hold")
    expect(certificates).to_contain_text(COURSE)
    download = certificates.get_by_role("link", name=re.compile("Download PDF"))
    for _ in range(20):
        if download.count():
            break
        time.sleep(0.5)
        page.reload()
    audit.check(page, "dashboard with certificate")
    screenshot(page, "dashboard")
    with page.expect_download() as pending:
        download.click()
    pdf = pending.value
    assert pdf.suggested_filename.endswith(".pdf")
    certificate = Certificate.objects.get(learner__email=LEARNER["email"])
    with open(pdf.path(), "rb") as handle:
        downloaded = handle.read()
    assert downloaded.startswith(b"%PDF-")
    check_certificate_pdf(downloaded, certificate)
    assert certificate.name_on_certificate == LEARNER["name"]
    issued = date_format(timezone.localtime(certificate.issued_at), "j F Y")
    share_href = certificates.get_by_role("link", name=re.compile("Link to share")).get_attribute(
        "href"
    )
    # The link to share is absolute (it is pasted elsewhere); visit its path on the live server.
    assert share_href == certificate.verify_url, share_href
    verify_href = urlsplit(share_href).path

    # A stranger (no session) checks the certificate.
    stranger = new_context().new_page()
    stranger.goto(base + verify_href)
    _expect_heading(stranger, "Certificate verification")
    details = stranger.locator("main")
    expect(details).to_contain_text("Valid: this certificate was issued by the PHSO Academy.")
    expect(details).to_contain_text(LEARNER["name"])
    expect(details).to_contain_text(COURSE)
    expect(details).to_contain_text(issued)
    expect(details).to_contain_text(certificate.display_code)
    assert stranger.get_by_role("button", name="Sign out").count() == 0
    audit.check(stranger, "verify, valid certificate")
    screenshot(stranger, "verify")

    # The lookup form: a malformed code is explained, a real one leads to the same page.
    stranger.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Verify a certificate"
    ).click()
    _expect_heading(stranger, "Verify a certificate")
    audit.check(stranger, "verify lookup")
    stranger.get_by_label("Certificate code").fill("not a code")
    stranger.get_by_role("button", name="Check").click()
    expect(stranger.locator(".nhsuk-error-summary")).to_be_visible()
    audit.check(stranger, "verify lookup with error")
    screenshot(stranger, "lookup-error")
    stranger.get_by_label("Certificate code").fill(certificate.display_code.lower())
    stranger.get_by_role("button", name="Check").click()
    _expect_heading(stranger, "Certificate verification")

    response = stranger.goto(base + "/verify/NOT-A-CODE/")
    assert response.status == 404
    _expect_heading(stranger, "No certificate with this code")
    audit.check(stranger, "verify, unknown code")
    screenshot(stranger, "not-found")

    # Reflow (WCAG 1.4.10): at 320 CSS pixels wide nothing needs scrolling sideways.
    phone = new_context(width=320, height=640).new_page()
    for path in ["/", verify_href, "/courses/"]:
        phone.goto(base + path)
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"
    screenshot(phone, "phone-courses")

    print(
        f"\nlearner journey: {len(audit.pages)} pages checked in {time.monotonic() - started:.1f}s"
    )
    audit.assert_clean()
