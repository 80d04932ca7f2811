"""Every accreditation page a candidate sees, in Chromium, by keyboard alone and axe-clean at
desktop and phone widths: the programmes and enrolling, the candidacy dashboard in its states
and once awarded, a portfolio unit from its first file to handing it in and withdrawing it, the
page after a "not yet competent" decision, the back button after a form, and names in several
scripts."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accreditation import services
from accreditation.models import (
    Candidacy,
    Decision,
    Evidence,
    Programme,
    Requirement,
    Submission,
)
from certificates.models import Certificate
from tests.academy.factories import PASSWORD, MembershipFactory, UserFactory
from tests.accreditation.factories import (
    CPDEntryFactory,
    DecisionFactory,
    PortfolioUnitFactory,
    VersionFactory,
    decide,
)
from tests.accreditation.files import image_bytes, pdf_bytes, upload
from tests.browser.support import BROWSER_TEST, expect, signed_in_page
from tests.courses.factories import build_course

pytestmark = BROWSER_TEST

WIDTHS = (1280, 390)
# NHS.UK frontend's breakpoint: below it a breadcrumb shows only a link back to the last step.
PHONE_LAYOUT = 640
STATEMENT = (
    "I planned the investigation around the three questions the complainant asked, checked each "
    "answer against the records, and would now agree the plan with them before starting."
)


def _press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


# The elements reaching past the window's right edge, outermost first, to say what overflows.
WIDER_THAN_WINDOW = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className}`
        + ` (${Math.round(e.getBoundingClientRect().right)}px)`)"""


def _no_overflow(page, width):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, (
        f"{page.url} is {overflow}px wider than the {width}px window: "
        f"{page.evaluate(WIDER_THAN_WINDOW)}"
    )


def _seen(page, a11y, screenshot, name, width, label):
    """The checks every page gets: no sideways scrolling, a screenshot, and axe."""
    screenshot(page, f"accreditation-{name}-{width}")
    a11y.check(page, f"{label} at {width}px")
    _no_overflow(page, width)


def _unit_url(candidacy, requirement):
    return reverse("accreditation:unit", args=[candidacy.pk, requirement.pk])


def _ready_unit(candidacy, requirement):
    """A file and a long enough statement in the unit, put there through the services."""
    person = candidacy.candidate
    services.add_evidence(
        candidacy=candidacy,
        requirement=requirement,
        uploaded_file=upload("plan.pdf", pdf_bytes()),
        name="plan.pdf",
        description="Investigation plan",
        by=person,
    )
    services.save_statement(
        candidacy=candidacy, requirement=requirement, statement=STATEMENT, by=person
    )


# The programmes and enrolling -------------------------------------------------------------------


def test_a_learner_finds_a_programme_signs_in_and_enrols_by_keyboard(
    live_server, new_context, a11y, screenshot
):
    open_version = VersionFactory(
        programme__name="Senior caseworker accreditation",
        programme__slug="senior-caseworker",
        programme__summary="For senior caseworkers who investigate complaints.",
        units=[PortfolioUnitFactory(code="SC1", title="Planning an investigation")],
    )
    closed_to_them = VersionFactory(
        programme__name="Intake caseworker certification",
        programme__slug="intake-caseworker",
        programme__level=Programme.Level.INTAKE_CASEWORKER,
        programme__summary="For caseworkers who assess new complaints.",
        programme__invitation_only=True,
    )
    for width in WIDTHS:
        person = UserFactory()
        page = new_context(width=width).new_page()
        page.goto(live_server.url + reverse("accreditation:programmes"))
        expect(
            page.get_by_role("heading", name="Accreditation programmes", level=1)
        ).to_be_visible()
        expect(page.get_by_text("By invitation")).to_be_visible()
        _seen(page, a11y, screenshot, "programmes-signed-out", width, "the programmes, signed out")

        _press(page, page.get_by_role("link", name="Senior caseworker accreditation"))
        expect(
            page.get_by_role("heading", name="Senior caseworker accreditation", level=1)
        ).to_be_visible()
        expect(page.get_by_role("button", name="Enrol on this programme")).to_have_count(0)
        _seen(page, a11y, screenshot, "programme-signed-out", width, "a programme, signed out")

        _press(page, page.get_by_role("link", name="Sign in to enrol"))
        page.get_by_label("Email").focus()
        page.keyboard.type(person.email)
        page.get_by_label("Password").focus()
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        enrol = page.get_by_role("button", name="Enrol on this programme")
        expect(enrol).to_be_visible()
        expect(page).to_have_url(
            live_server.url + reverse("accreditation:programme", args=["senior-caseworker"])
        )
        _seen(page, a11y, screenshot, "programme-eligible", width, "a programme one may enrol on")

        _press(page, enrol)
        expect(page.get_by_role("status")).to_contain_text(
            "You are enrolled on Senior caseworker accreditation."
        )
        candidacy = Candidacy.objects.get(candidate=person, programme=open_version.programme)
        expect(page).to_have_url(
            live_server.url + reverse("accreditation:candidacy", args=[candidacy.pk])
        )
        expect(page.get_by_text(candidacy.reference)).to_be_visible()
        expect(page.get_by_text("You have met 0 of 1 requirement.")).to_be_visible()
        _seen(page, a11y, screenshot, "enrolled", width, "the candidacy just after enrolling")

        _press(page, page.get_by_role("link", name="Accreditation", exact=True))
        mine = page.get_by_role("heading", name="Your programmes")
        expect(mine).to_be_visible()
        _press(
            page,
            page.get_by_role("listitem")
            .filter(has_text="Working towards it")
            .get_by_role("link", name="Senior caseworker accreditation"),
        )
        expect(page).to_have_url(
            live_server.url + reverse("accreditation:candidacy", args=[candidacy.pk])
        )
        page.go_back()
        _seen(page, a11y, screenshot, "programmes-signed-in", width, "the programmes, enrolled")

        _press(page, page.get_by_role("link", name="Intake caseworker certification"))
        expect(page.get_by_text("is by invitation only")).to_be_visible()
        expect(page.get_by_role("button", name="Enrol on this programme")).to_have_count(0)
        _seen(page, a11y, screenshot, "programme-not-eligible", width, "a programme not open to me")
    assert not Candidacy.objects.filter(programme=closed_to_them.programme).exists()
    a11y.assert_clean()


# The candidacy dashboard ------------------------------------------------------------------------


def test_the_dashboard_shows_each_requirement_where_it_stands(
    live_server, new_context, a11y, screenshot, catalogue
):
    course = build_course(catalogue=catalogue, title="Investigating complaints well").course
    started, done = PortfolioUnitFactory(code="SC1"), PortfolioUnitFactory(code="SC2")
    version = VersionFactory(units=[started, done], programme__name="Senior caseworker")
    Requirement.objects.create(
        version=version, sort_order=9, kind=Requirement.Kind.COURSE, course=course
    )
    for width in WIDTHS:
        person = UserFactory()
        candidacy = services.enrol(candidate=person, programme=version.programme)
        requirements = {r.unit_id: r for r in version.requirements.filter(kind="unit")}
        services.save_statement(
            candidacy=candidacy,
            requirement=requirements[started.pk],
            statement="A start.",
            by=person,
        )
        _ready_unit(candidacy, requirements[done.pk])
        submission = services.submit_unit(
            candidacy=candidacy, requirement=requirements[done.pk], by=person
        )
        decide(submission, outcome=Decision.Outcome.COMPETENT)

        page = signed_in_page(live_server, new_context, person, width=width)
        page.goto(live_server.url + reverse("accreditation:candidacy", args=[candidacy.pk]))
        expect(page.get_by_role("heading", name="Senior caseworker", level=1)).to_be_visible()
        table = page.get_by_role("table", name="Requirements to be awarded")
        rows = table.get_by_role("row")
        expect(rows.filter(has_text="Portfolio unit SC1")).to_contain_text("In progress")
        expect(rows.filter(has_text="Portfolio unit SC2")).to_contain_text("Competent on")
        expect(rows.filter(has_text="Investigating complaints well")).to_contain_text("Not started")
        expect(page.get_by_text("You have met 1 of 3 requirements.")).to_be_visible()
        _seen(page, a11y, screenshot, "candidacy", width, "a candidacy under way")

        _press(page, table.get_by_role("link", name=f"Portfolio unit SC2: {done.title}"))
        expect(page.get_by_role("heading", name=f"SC2 {done.title}", level=1)).to_be_visible()
        expect(page.get_by_text("This unit is complete")).to_be_visible()
        _seen(page, a11y, screenshot, "unit-competent", width, "a unit judged competent")
    a11y.assert_clean()


def test_an_accredited_candidate_sees_how_to_keep_it(live_server, new_context, a11y, screenshot):
    version = VersionFactory(
        programme__name="Senior caseworker", validity_years=3, cpd_hours_per_year=10
    )
    requirement = version.requirements.get()
    for width in WIDTHS:
        person = UserFactory()
        candidacy = services.enrol(candidate=person, programme=version.programme)
        _ready_unit(candidacy, requirement)
        submission = services.submit_unit(candidacy=candidacy, requirement=requirement, by=person)
        decide(submission, outcome=Decision.Outcome.COMPETENT)
        assert services.check_award(candidacy=candidacy)
        # Awarded 400 days ago: a first year with its CPD logged and a second one under way.
        awarded = timezone.now() - timedelta(days=400)
        Candidacy.objects.filter(pk=candidacy.pk).update(
            awarded_at=awarded, cycle_started_at=awarded
        )
        Certificate.objects.filter(learner=person).update(
            issued_at=awarded, valid_until=awarded + timedelta(days=3 * 365)
        )
        CPDEntryFactory(
            learner=person, activity_date=(awarded + timedelta(days=30)).date(), hours=Decimal(10)
        )
        CPDEntryFactory(learner=person, activity_date=timezone.localdate(), hours=Decimal(2))

        page = signed_in_page(live_server, new_context, person, width=width)
        page.goto(live_server.url + reverse("accreditation:candidacy", args=[candidacy.pk]))
        expect(page.get_by_role("heading", name="Awarded", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Keeping your accreditation")).to_be_visible()
        years = page.get_by_role("table", name="CPD in this period")
        first = years.get_by_role("row").filter(has_text="Year 1 of your accreditation")
        expect(first.get_by_role("cell").nth(1)).to_have_accessible_name("10")
        expect(first).to_contain_text("Met")
        second = years.get_by_role("row").filter(has_text="Year 2 of your accreditation")
        expect(second.get_by_role("cell").nth(1)).to_have_accessible_name("2")
        expect(second).not_to_contain_text("Met")
        expect(page.get_by_role("heading", name="Still to do")).to_be_visible()
        expect(page.get_by_text("Log 8 more hours of CPD")).to_be_visible()
        _seen(page, a11y, screenshot, "candidacy-awarded", width, "an awarded candidacy")

        _press(page, page.get_by_role("link", name="Your CPD log"))
        expect(page.get_by_role("heading", name="My CPD log", level=1)).to_be_visible()
    a11y.assert_clean()


# A portfolio unit -------------------------------------------------------------------------------


def _upload_by_keyboard(page, *, name, content, description):
    """Choose the file (the browser's own file picker cannot be driven), then describe it and
    tab from the description to the upload button."""
    page.get_by_label("Evidence file").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": content}
    )
    page.get_by_label("What this file shows (optional)").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(description)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Upload the file")).to_be_focused()
    page.keyboard.press("Enter")


def _posts_while(page, action) -> list[str]:
    """The POST requests the browser sends while `action` runs."""
    posts = []

    def note(request):
        if request.method == "POST":
            posts.append(request.url)

    page.on("request", note)
    try:
        action()
    finally:
        page.remove_listener("request", note)
    return posts


def test_a_candidate_builds_hands_in_and_withdraws_a_unit_by_keyboard(
    live_server, new_context, a11y, screenshot
):
    unit = PortfolioUnitFactory(code="SC1", title="Planning an investigation")
    version = VersionFactory(units=[unit], programme__name="Senior caseworker")
    for width in WIDTHS:
        person = UserFactory()
        candidacy = services.enrol(candidate=person, programme=version.programme)
        requirement = version.requirements.get()
        unit_url = live_server.url + _unit_url(candidacy, requirement)

        page = signed_in_page(live_server, new_context, person, width=width)
        page.goto(live_server.url + reverse("accreditation:candidacy", args=[candidacy.pk]))
        _press(page, page.get_by_role("link", name="Portfolio unit SC1: Planning an investigation"))
        expect(
            page.get_by_role("heading", name="SC1 Planning an investigation", level=1)
        ).to_be_visible()
        expect(page.get_by_text("Upload at least 1 evidence file (you have 0).")).to_be_visible()
        _seen(page, a11y, screenshot, "unit-not-started", width, "a unit not started")

        # A PNG under a PDF's name is refused, and the summary says why and takes the focus.
        _upload_by_keyboard(
            page, name="plan.pdf", content=image_bytes("PNG"), description="Plan for case 2"
        )
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("its content is a PNG image")
        expect(summary).to_be_focused()
        expect(page).to_have_title("Error: SC1 Planning an investigation – PHSO Academy")
        _seen(page, a11y, screenshot, "unit-upload-refused", width, "a refused upload")
        assert not Evidence.objects.filter(work__candidacy=candidacy).exists()
        _press(page, summary.get_by_role("link"))
        expect(page.get_by_label("Evidence file")).to_be_focused()

        _upload_by_keyboard(
            page, name="investigation-plan.pdf", content=pdf_bytes(), description="Plan, case 2"
        )
        expect(page.get_by_role("status")).to_contain_text("“investigation-plan.pdf” was added.")
        expect(page).to_have_url(unit_url + "#evidence")
        files = page.get_by_role("table", name="Your evidence files")
        expect(files).to_contain_text("Plan, case 2")
        _seen(page, a11y, screenshot, "unit-evidence-added", width, "a unit with a file")

        statement = page.get_by_label("Your reflective statement")
        statement.focus()
        page.keyboard.type(STATEMENT)
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Save the statement")).to_be_focused()
        page.keyboard.press("Enter")
        words = len(STATEMENT.split())
        expect(page.get_by_role("status")).to_contain_text(
            f"Your statement was saved: {words} words."
        )
        expect(page).to_have_url(unit_url + "#statement")
        _seen(page, a11y, screenshot, "unit-ready", width, "a unit ready to hand in")

        # Back from the page the statement's form led to: the page before it (after the
        # upload), asked for again with a GET, never the form sent a second time.
        posts = _posts_while(page, page.go_back)
        assert posts == [], f"going back sent {posts}"
        expect(page).to_have_url(unit_url + "#evidence")
        expect(page.get_by_text(f"Your saved statement has {words} words")).to_be_visible()
        page.go_forward()
        expect(page.get_by_label("Your reflective statement")).to_have_value(STATEMENT)

        # A second tab left on the confirmation, as a browser may also restore it on "back".
        stale = page.context.new_page()
        stale.goto(
            live_server.url
            + reverse("accreditation:submit_unit", args=[candidacy.pk, requirement.pk])
        )

        _press(page, page.get_by_role("link", name="Hand in SC1 for assessment"))
        expect(
            page.get_by_role("heading", name="Hand in SC1 Planning an investigation", level=1)
        ).to_be_visible()
        expect(page.get_by_text(f"{words} words")).to_be_visible()
        _seen(page, a11y, screenshot, "unit-hand-in", width, "handing a unit in")
        _press(page, page.get_by_role("button", name="Hand it in for assessment"))
        expect(page.get_by_role("status")).to_contain_text("You handed in SC1")
        expect(page).to_have_url(unit_url)
        expect(page.get_by_role("button", name="Withdraw the submission")).to_be_visible()
        _seen(page, a11y, screenshot, "unit-submitted", width, "a unit handed in")

        # Back from the unit's page after handing in: the confirmation's page, asked for again,
        # which now says the unit is handed in and offers nothing to send.
        posts = _posts_while(page, page.go_back)
        assert posts == [], f"going back sent {posts}"
        expect(
            page.get_by_role("heading", name="Hand in SC1 Planning an investigation", level=1)
        ).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text(
            "You cannot hand this unit in now: You have handed this unit in already."
        )
        expect(page.get_by_role("button", name="Hand it in for assessment")).to_have_count(0)
        _seen(page, a11y, screenshot, "unit-hand-in-after-back", width, "handing in, after back")

        # The old confirmation sent again is refused, saying why, and hands in nothing more.
        _press(stale, stale.get_by_role("button", name="Hand it in for assessment"))
        refusal = stale.get_by_role("alert")
        expect(refusal).to_contain_text("You have handed this unit in already.")
        expect(refusal).to_be_focused()
        _seen(stale, a11y, screenshot, "unit-hand-in-twice", width, "handing in twice")
        assert Submission.objects.filter(work__candidacy=candidacy).count() == 1

        page.goto(unit_url)
        _press(page, page.get_by_role("button", name="Withdraw the submission"))
        expect(page.get_by_role("status")).to_contain_text("You withdrew submission 1.")
        expect(page).to_have_url(unit_url)
        expect(
            page.get_by_role("table", name="Your submissions of this unit, latest first")
        ).to_contain_text("Withdrawn")
        expect(page.get_by_role("link", name="Hand in SC1 for assessment")).to_be_visible()
        _seen(page, a11y, screenshot, "unit-withdrawn", width, "a unit withdrawn")

        # Up to the programme: the breadcrumb on a wide screen, its back link on a phone.
        crumbs = page.get_by_role("navigation", name="Breadcrumb")
        _press(
            page,
            crumbs.get_by_role("link", name="Senior caseworker", exact=True)
            if width > PHONE_LAYOUT
            else crumbs.get_by_role("link", name="Back to Senior caseworker"),
        )
        unit_row = page.get_by_role("row").filter(has_text="Portfolio unit SC1")
        expect(unit_row).to_contain_text("In progress")
    a11y.assert_clean()


def test_a_not_yet_competent_decision_shows_its_feedback_criteria_and_appeal(
    live_server, new_context, a11y, screenshot
):
    for width in WIDTHS:
        decision = DecisionFactory()
        work = decision.submission.work
        unit = work.requirement.unit
        page = signed_in_page(live_server, new_context, work.candidacy.candidate, width=width)
        page.goto(live_server.url + _unit_url(work.candidacy, work.requirement))
        expect(page.get_by_role("heading", name="The decision on submission 1")).to_be_visible()
        expect(
            page.get_by_text("The plan names the questions but not the evidence")
        ).to_be_visible()
        criteria = page.get_by_role("table", name="Each criterion")
        expect(criteria.get_by_role("row").nth(1)).to_contain_text("Met")
        expect(criteria.get_by_role("row").nth(2)).to_contain_text("Not met yet")
        expect(page.get_by_text("You can resubmit 2 more times.")).to_be_visible()
        _seen(page, a11y, screenshot, "unit-not-yet-competent", width, "a not yet competent unit")

        _press(page, page.get_by_role("link", name="appeal it"))
        expect(page.get_by_role("heading", name="Appeal a decision", level=1)).to_be_visible()
        expect(page.get_by_text(f"{unit.code} {unit.title}", exact=True)).to_be_visible()
    a11y.assert_clean()


# Names ------------------------------------------------------------------------------------------

NAMES = ["Zoë Ōkubo-Nakamura", "محمد الأحمد", "Łukasz Wiśniewski"]


def test_names_in_any_script_read_back_on_the_dashboard(live_server, new_context, a11y, screenshot):
    version = VersionFactory(programme__name="Senior caseworker")
    for number, name in enumerate(NAMES):
        membership = MembershipFactory(user__full_name=name)
        person = membership.user
        candidacy = services.enrol(candidate=person, programme=version.programme)
        for width in WIDTHS:
            page = signed_in_page(live_server, new_context, person, width=width)
            page.goto(live_server.url + reverse("dashboard"))
            expect(page.get_by_text("Signed in as")).to_have_text(
                f"Signed in as {name}, learner at {membership.organisation.name}."
            )
            _seen(page, a11y, screenshot, f"name-{number}-dashboard", width, f"My learning, {name}")
            page.goto(live_server.url + reverse("accreditation:candidacy", args=[candidacy.pk]))
            expect(page.get_by_text(candidacy.reference)).to_be_visible()
            _seen(page, a11y, screenshot, f"name-{number}-candidacy", width, f"a candidacy, {name}")
    a11y.assert_clean()
