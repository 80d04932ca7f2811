"""Load the demo: frameworks, organisations, courses, a webinar with a sitting held and one to
come, one account per role and learner feedback.

People, questions, enrolments, attempts and the certificate they lead to go through the services
the site uses; pages through Wagtail's page API; frameworks, banks, rubrics and assessments are
saved as rows after the checks the admin forms make. Each is looked up before it is created, so
running the command again changes nothing.
"""

import io
import random
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest.mock import patch

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from xhtml2pdf import pisa

from academy import services as people
from academy.models import Organisation, User
from accreditation import services as accreditation_services
from accreditation.models import (
    Candidacy,
    CaseworkChecklist,
    ChecklistItem,
    Competency,
    Decision,
    PortfolioUnit,
    Programme,
    ProgrammeVersion,
    Requirement,
    RubricCriterion,
)
from assessments import services as assessment_services
from assessments.models import (
    Assessment,
    AssessmentQuestion,
    Attempt,
    Choice,
    Question,
    QuestionBank,
    QuestionKind,
    Rubric,
)
from certificates import services as certificate_services
from certificates.models import BulkIssue, Certificate, CertificateDesign
from complaint_standards.models import Expectation, Framework, Principle
from courses import services as course_services
from courses.models import (
    Attendance,
    CatalogueIndexPage,
    CoursePage,
    LessonPage,
    WebinarPage,
    WebinarRecording,
)
from courses.uk_time import uk_moment
from organisations import services as organisation_services
from organisations.models import Assignment, Invitation
from portal import (
    demo_accreditation,
    demo_feedback,
    demo_images,
    demo_organisations,
    demo_webinars,
)
from portal import demo_content as demo
from portal.demo_pages import INFORMATION_PAGES
from portal.pages import HomePage, InformationPage
from portal.services import ensure_staff_groups

# The review options as a new assessment has them (feedback and right answers wait until the
# learner cannot try again).
_REVIEW_DEFAULTS = {
    field.name: field.default
    for field in Assessment._meta.get_fields()
    if field.name.startswith("review_")
}


def _demo_pdf(number: int) -> bytes:
    """A one-page PDF, different for each number (a unit refuses the same file twice)."""
    out = io.BytesIO()
    pisa.CreatePDF(f"<p>Anonymised case record {number}: notes of the investigation.</p>", out)
    return out.getvalue()


def _slides_pdf(slides) -> bytes:
    """Slides as a PDF: one landscape page each, a heading and its points."""
    pages = "".join(
        f"<h1>{escape(heading)}</h1><ul>{''.join(f'<li>{escape(p)}</li>' for p in points)}</ul>"
        + ("<pdf:nextpage />" if number < len(slides) else "")
        for number, (heading, points) in enumerate(slides, start=1)
    )
    out = io.BytesIO()
    pisa.CreatePDF(
        "<html lang='en'><head><style>@page { size: a4 landscape; margin: 2cm; } "
        "h1 { font-size: 32pt; color: #005eb8; } li { font-size: 22pt; }</style></head>"
        f"<body>{pages}</body></html>",
        out,
    )
    return out.getvalue()


@contextmanager
def _as_of(moment):
    """Build demo history as of a past moment: everything that asks the time (records' dates,
    certificates, signed credentials) is told that moment, so the history reads as if made
    then. Only the demo does this; the site never changes the time."""
    with patch("django.utils.timezone.now", return_value=moment):
        yield


class Command(BaseCommand):
    help = "Load the demo content and accounts (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = self._home()
            catalogue = self._catalogue(home)
            for spec in INFORMATION_PAGES:
                self._information_page(home, spec)
            ensure_staff_groups(catalogue=catalogue)
            frameworks = [self._framework(spec) for spec in demo.FRAMEWORKS]
            nhs = frameworks[0]
            organisations = [self._organisation(spec) for spec in demo.ORGANISATIONS]
            users = {spec[0]: self._person(spec, organisations) for spec in demo.PEOPLE}
            checks = self._knowledge_checks(nhs)
            courses = [self._course(catalogue, spec, nhs, checks) for spec in demo.COURSES]
            practice = demo.PRACTICE_ASSESSMENT
            self._assessment(practice, nhs, practice["expectations"])
            marked = demo.MARKED_ASSESSMENT
            marked_assessment = self._assessment(marked, nhs, marked["expectations"])
            self._handed_in(marked_assessment, marked["handed_in"], users)
            webinar = self._webinar(catalogue)
            sampled = next(c for c in courses if c.slug == demo.SAMPLE_ATTEMPTS_COURSE)
            self._sample_attempts(sampled.final_assessment, organisations[0])
            # Before the accreditation candidates and the certified learner finish their
            # courses, so they are offered the courses' surveys as any learner would be.
            demo_feedback.ensure_surveys()
            demo_feedback.answer_sampled(assessment=sampled.final_assessment, as_of=_as_of)
            self._certificate_design()
            by_slug = {course.slug: course for course in courses}
            self._organisation_staff(by_slug)
            self._assignments(by_slug, users["manager@example.org"])
            # After the assignments were made: joining the first trust gives Omar his own.
            self._mover(demo_organisations.MOVER, by_slug)
            self._invitations(users["manager@example.org"])
            # Once the made-up learners, the webinar's survey and the certificate design exist,
            # so that attending sets off everything it does on the site.
            self._webinar_sittings(webinar, users)
            self._recording(webinar, users)
            self._accreditation(nhs, users)
        certificate = self._certified_learner(users["certified@example.org"], courses[1])
        self._print_summary(certificate)

    # Site structure -----------------------------------------------------------------------------

    def _home(self) -> HomePage:
        home = HomePage.objects.first()
        if home:
            return home
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a placeholder page at the site root; replace it.
        placeholder = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
        if placeholder:
            placeholder.slug = "wagtail-placeholder"
            placeholder.save()
        home = root.add_child(
            instance=HomePage(title="PHSO Academy", slug="home", intro=demo.HOME_INTRO)
        )
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname, site.port, site.root_page = "localhost", 80, home
        site.site_name = "PHSO Academy"
        site.save()
        if placeholder:
            placeholder.delete()
        return home

    def _catalogue(self, home) -> CatalogueIndexPage:
        catalogue = CatalogueIndexPage.objects.child_of(home).first()
        if catalogue:
            return catalogue
        catalogue = home.add_child(
            instance=CatalogueIndexPage(title="Courses", slug="courses", intro=demo.CATALOGUE_INTRO)
        )
        catalogue.save_revision().publish()
        return catalogue

    def _information_page(self, home, spec) -> InformationPage:
        page = InformationPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page:
            return page
        page = home.add_child(
            instance=InformationPage(**spec, show_in_menus=True, last_reviewed=timezone.localdate())
        )
        page.save_revision().publish()
        return page

    # Complaint Standards ------------------------------------------------------------------------

    def _framework(self, spec) -> Framework:
        framework, created = Framework.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "sector": spec["sector"],
                "version": spec["version"],
                "summary": spec["summary"],
            },
        )
        if not created:
            return framework
        for number, (title, summary, expectations) in enumerate(demo.PRINCIPLES, start=1):
            if number == 4:
                title = spec["learning_title"]
            principle = Principle.objects.create(
                framework=framework, number=number, title=title, summary=summary, sort_order=number
            )
            for index, text in enumerate(expectations, start=1):
                Expectation.objects.create(
                    principle=principle, number=index, text=text, sort_order=index
                )
        return framework

    # People -------------------------------------------------------------------------------------

    def _organisation(self, spec) -> Organisation:
        organisation, _ = Organisation.objects.update_or_create(
            name=spec["name"],
            defaults={
                "kind": spec["kind"],
                "ods_code": spec["ods_code"],
                "region": spec["region"],
                "assesses_own_staff": spec.get("assesses_own_staff", False),
            },
        )
        return organisation

    def _person(self, spec, organisations) -> User:
        email, name, tier, org_index, role, group = spec
        user = User.objects.filter(email=email).first()
        if user is None:
            # Everyone has been a member for a while, so that organisations' figures have a past.
            with _as_of(timezone.now() - timedelta(days=demo_organisations.JOINED_DAYS_AGO)):
                user = User.objects.create_user(email=email, password=demo.PASSWORD, full_name=name)
                people.complete_signup(
                    user=user,
                    full_name=name,
                    role_tier=tier,
                    organisation=organisations[org_index],
                )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        # Also for a demo loaded before teams existed: its assessors would otherwise be too
        # close to every candidate at the Ombudsman.
        people.add_member(
            user=user,
            organisation=organisations[org_index],
            role=role,
            team=demo.TEAMS.get(email, ""),
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    # Courses ------------------------------------------------------------------------------------

    def _expectations(self, framework, pairs):
        return [
            Expectation.objects.get(principle__framework=framework, principle__number=p, number=e)
            for p, e in pairs
        ]

    def _assessment(self, spec, framework, expectation_pairs) -> Assessment:
        assessment = Assessment.objects.filter(title=spec["title"]).first()
        if assessment:
            # A demo loaded before its settings changed (issue 13: answers shown at once with
            # unlimited attempts) gets them now; nothing else about it changes.
            settings = {**_REVIEW_DEFAULTS, **spec.get("settings", {})}
            Assessment.objects.filter(pk=assessment.pk).update(**settings)
            assessment.refresh_from_db()
            return assessment
        assessment = Assessment.objects.create(
            title=spec["title"],
            pass_mark=spec["pass_mark"],
            instructions=spec.get("instructions", ""),
            time_limit_minutes=spec.get("time_limit_minutes"),
            **spec.get("settings", {}),
        )
        rubric = self._rubric(spec["rubric"]) if "rubric" in spec else None
        tags = self._expectations(framework, expectation_pairs)
        bank, _ = QuestionBank.objects.get_or_create(
            name=spec["bank"], defaults={"description": "Questions for the demo course."}
        )
        questions = {}
        for order, q in enumerate(spec["questions"]):
            tag = tags[order % len(tags)]
            if "expectation" in q:
                (tag,) = self._expectations(framework, [q["expectation"]])
            questions[q["title"]] = self._question(bank, q, tag, rubric)
        if "slots" in spec:
            slots = [
                self._slot(assessment, bank, slot, framework, questions) for slot in spec["slots"]
            ]
        else:
            slots = [
                AssessmentQuestion(assessment=assessment, question=q) for q in questions.values()
            ]
        for order, slot in enumerate(slots):
            slot.sort_order = order
        assessment_services.check_slots(slots=slots)
        AssessmentQuestion.objects.bulk_create(slots)
        return assessment

    def _slot(self, assessment, bank, spec, framework, questions) -> AssessmentQuestion:
        """A row of an assessment: ("fixed", question title) or ("draw", count, expectation)."""
        if spec[0] == "fixed":
            return AssessmentQuestion(assessment=assessment, question=questions[spec[1]])
        _draw, count, pair = spec
        (expectation,) = self._expectations(framework, [pair])
        return AssessmentQuestion(
            assessment=assessment, bank=bank, expectation=expectation, draw_count=count
        )

    def _question(self, bank, q, tag, rubric=None) -> Question:
        question = Question(
            bank=bank,
            title=q["title"],
            kind=q["kind"],
            stem=q["stem"],
            general_feedback=q["general_feedback"],
            case_sensitive=q.get("case_sensitive", False),
            rubric=rubric if q["kind"] == QuestionKind.ESSAY else None,
            expectations=[tag],
        )
        for index, (text, correct, feedback, *extra) in enumerate(q["options"]):
            # Only fraction, match_text, value and tolerance may come in the extra dict.
            fields = {
                k: extra[0][k]
                for k in ("fraction", "match_text", "value", "tolerance")
                if extra and k in extra[0]
            }
            for name in ("fraction", "value", "tolerance"):
                if name in fields:
                    fields[name] = Decimal(fields[name])
            question.choices.add(
                Choice(text=text, is_correct=correct, feedback=feedback, sort_order=index, **fields)
            )
        return assessment_services.create_question(question=question)

    def _knowledge_checks(self, framework) -> dict[str, Question]:
        """The questions lessons ask as knowledge checks, by title."""
        bank, created = QuestionBank.objects.get_or_create(
            name=demo.KNOWLEDGE_CHECK_BANK,
            defaults={"description": "Questions that lessons ask learners as they read."},
        )
        if not created:
            return {q.title: q for q in bank.questions.all()}
        return {
            q["title"]: self._question(bank, q, *self._expectations(framework, [q["expectation"]]))
            for q in demo.KNOWLEDGE_CHECKS
        }

    def _rubric(self, spec) -> Rubric:
        levels = [
            {"label": label, "points": points, "descriptor": descriptor}
            for label, points, descriptor in spec["levels"]
        ]
        criteria = [
            {"title": title, "description": description, "levels": levels}
            for title, description in spec["criteria"]
        ]
        assessment_services.check_rubric(criteria)
        rubric, _ = Rubric.objects.get_or_create(
            name=spec["name"],
            defaults={
                "guidance": spec["guidance"],
                "criteria": [{"type": "criterion", "value": c} for c in criteria],
            },
        )
        return rubric

    def _handed_in(self, assessment, answers, users) -> None:
        """Learners' attempts at a marked assessment, handed in and waiting for the assessors."""
        for email, essay in answers:
            learner = users[email]
            if Attempt.objects.filter(user=learner, assessment=assessment).exists():
                continue
            attempt = assessment_services.start_attempt(user=learner, assessment=assessment)
            given = {}
            for response in attempt.responses.select_related("version"):
                if response.version.kind == QuestionKind.ESSAY:
                    given[response.pk] = [essay]
                else:
                    given[response.pk] = sorted(response.version.correct_keys())
            assessment_services.save_answers(attempt=attempt, answers=given)
            assessment_services.submit_attempt(attempt=attempt)

    def _course(self, catalogue, spec, framework, checks) -> CoursePage:
        course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
        assessment = self._assessment(spec["assessment"], framework, spec["expectations"])
        if course:
            return course
        outcomes = "".join(f"<li>{item}</li>" for item in spec["outcomes"])
        course = catalogue.add_child(
            instance=CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                audience=spec["audience"],
                learning_outcomes=f"<ul>{outcomes}</ul>",
                estimated_minutes=spec["minutes"],
                cpd_hours=Decimal(spec["cpd"]),
                final_assessment=assessment,
            )
        )
        course.expectations.set(self._expectations(framework, spec["expectations"]))
        course.save_revision().publish()
        for lesson_spec in spec["lessons"]:
            lesson = course.add_child(
                instance=LessonPage(
                    title=lesson_spec["title"],
                    slug=lesson_spec["slug"],
                    intro=lesson_spec["intro"],
                    body=[
                        (kind, {**value, "question": checks[value["question"]]})
                        if kind == "knowledge_check"
                        else (kind, value)
                        for kind, value in lesson_spec["body"]
                    ],
                )
            )
            lesson.expectations.set(self._expectations(framework, lesson_spec["expectations"]))
            lesson.save_revision().publish()
        return course

    def _sample_attempts(self, assessment, organisation) -> None:
        """Made-up learners who have each submitted one attempt, right and wrong answers mixed
        so that item analysis has something to show: stronger learners and easier questions
        get more right. Skipped for a learner who already has an attempt."""
        done = set(
            Attempt.objects.filter(assessment=assessment).values_list("user__email", flat=True)
        )
        # The assessment's later questions count as harder: fewer learners get them right.
        order = {
            question_id: index
            for index, question_id in enumerate(
                assessment.assessment_questions.order_by("sort_order").values_list(
                    "question_id", flat=True
                )
            )
        }
        for number, (email, name) in enumerate(demo.SAMPLE_LEARNERS, start=1):
            if email in done:
                continue
            learner = User.objects.filter(email=email).first()
            if learner is None:
                # No password: these accounts exist for the reports, not to sign in with. Members
                # for a while, as the demo's other staff.
                with _as_of(timezone.now() - timedelta(days=demo_organisations.JOINED_DAYS_AGO)):
                    learner = User.objects.create_user(email=email, password=None, full_name=name)
                    people.complete_signup(
                        user=learner,
                        full_name=name,
                        role_tier="all_staff",
                        organisation=organisation,
                    )
            rng = random.Random(email)  # noqa: S311 - made-up answers, repeatable on purpose
            ability = number / (len(demo.SAMPLE_LEARNERS) + 1)
            attempt = assessment_services.start_attempt(user=learner, assessment=assessment)
            answers = {}
            for response in attempt.responses.select_related("version").order_by("pk"):
                ease = 1 - order[response.version.question_id] * 0.08
                right = rng.random() < ability * 0.6 + ease * 0.4
                answers[response.pk] = self._sample_answer(response.version, right, rng)
            assessment_services.save_answers(attempt=attempt, answers=answers)
            assessment_services.submit_attempt(attempt=attempt)

    def _sample_answer(self, version, right, rng) -> list[str]:
        """A right answer, or a plausible wrong one: a wrong option, or for multiple response
        one right option missed and sometimes a wrong one ticked."""
        correct = sorted(version.correct_keys())
        if right:
            return correct
        wrong = sorted(o["key"] for o in version.options if not o.get("correct"))
        if version.kind != QuestionKind.MULTIPLE_RESPONSE:
            return [rng.choice(wrong)]
        given = correct[1:]
        if rng.random() < 0.5:
            given.append(rng.choice(wrong))
        return sorted(given)

    def _webinar(self, catalogue) -> WebinarPage:
        """The webinar's page; its sittings come later (_webinar_sittings)."""
        spec = demo.WEBINAR
        webinar = WebinarPage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
        if webinar:
            return webinar
        webinar = catalogue.add_child(
            instance=WebinarPage(
                title=spec["title"],
                slug=spec["slug"],
                description=spec["description"],
                audience=spec["audience"],
                cpd_hours=spec["cpd_hours"],
                issues_certificate=True,
            )
        )
        webinar.save_revision().publish()
        return webinar

    # Webinar sittings ---------------------------------------------------------------------------

    def _webinar_sittings(self, webinar, users) -> None:
        """A sitting that has been, with who booked and who came, and one to come with places
        booked (portal/demo_webinars.py). Whoever an earlier load booked, or marked as there, is
        left as they are."""
        spec = demo_webinars
        emails = {email for email, *_rest in spec.PAST_BOOKINGS + spec.PAST_WALK_INS}
        emails |= {email for email, _days in spec.COMING_BOOKINGS}
        people = {person.email: person for person in User.objects.filter(email__in=emails)}

        past = self._past_sitting(webinar)
        self._book(
            past,
            [
                (people[email], past.starts_at - timedelta(days=days))
                for email, days, _minutes in spec.PAST_BOOKINGS
            ],
        )
        report = {email: minutes for email, _days, minutes in spec.PAST_BOOKINGS if minutes}
        report.update(spec.PAST_WALK_INS)
        self._attended(past, {people[email]: minutes for email, minutes in report.items()}, users)

        coming = self._coming_sitting(webinar)
        now = timezone.now()
        self._book(
            coming,
            [(people[email], now - timedelta(days=days)) for email, days in spec.COMING_BOOKINGS],
        )

    def _sitting_starts(self, days_from_today: int) -> datetime:
        """That many days from today, moved on to the next Tuesday, Wednesday or Thursday: a
        trainer would not run one at a weekend, nor on the Mondays and Fridays that most bank
        holidays fall on."""
        day = timezone.localdate() + timedelta(days=days_from_today)
        while day.weekday() not in (1, 2, 3):
            day += timedelta(days=1)
        return uk_moment(day, time(demo.WEBINAR["hour"]))

    def _add_sitting(self, webinar, *, starts_at, capacity, added_at):
        spec = demo.WEBINAR
        # As of the day the trainer added it: the service takes only sittings still to come.
        with _as_of(added_at):
            return course_services.create_session(
                webinar=webinar,
                starts_at=starts_at,
                duration_minutes=spec["minutes"],
                capacity=capacity,
                meeting_url=spec["meeting_url"],
                presenters=spec["presenters"],
            )

    def _past_sitting(self, webinar):
        held = webinar.sessions.filter(starts_at__lt=timezone.now(), cancelled_at__isnull=True)
        session = held.order_by("-starts_at").first()
        if session:
            return session
        starts = self._sitting_starts(-demo_webinars.PAST_DAYS_AGO)
        return self._add_sitting(
            webinar,
            starts_at=starts,
            capacity=demo_webinars.PAST_CAPACITY,
            added_at=starts - timedelta(days=demo_webinars.PAST_ADDED_DAYS_BEFORE),
        )

    def _coming_sitting(self, webinar):
        now = timezone.now()
        coming = webinar.sessions.filter(starts_at__gt=now, cancelled_at__isnull=True)
        session = coming.order_by("starts_at").first()
        if session:
            return session
        return self._add_sitting(
            webinar,
            starts_at=self._sitting_starts(demo.WEBINAR["days_ahead"]),
            capacity=demo.WEBINAR["capacity"],
            added_at=now - timedelta(days=demo_webinars.COMING_ADDED_DAYS_AGO),
        )

    def _book(self, session, bookings) -> None:
        """Register each (person, moment) for the session as of that moment, skipping anyone
        with a registration already (one they cancelled included).

        `register` refuses a session that has begun, as it must on the site; booked as of a day
        before the start, the past sitting's bookings pass the same checks as anyone's, with no
        row written by hand."""
        booked = set(session.registrations.values_list("user_id", flat=True))
        for person, moment in bookings:
            if person.pk in booked:
                continue
            with _as_of(moment):
                registration = course_services.register(session=session, user=person)
                if settings.CELERY_TASK_ALWAYS_EAGER:
                    # Where tasks run in-process anyway (development, the tests), the
                    # confirmation goes now, on the day they booked, rather than from the task
                    # `register` queued for after the load commits, which would confirm a place
                    # at a sitting long over; that task then finds it sent. With a broker the
                    # task is left to send it: the demo opens no mail connection of its own.
                    course_services.send_confirmation(registration_id=registration.pk)

    def _attended(self, session, minutes_by_person, users) -> None:
        """Attendance from the meeting platform's report, recorded by the trainer a few hours
        after the sitting; the listeners put it in the CPD log, offer the survey, meet
        assignments and start the certificates' bulk issue."""
        trainer = users["trainer@example.org"]
        recorded_at = session.ends_at + timedelta(hours=demo_webinars.PAST_RECORDED_HOURS_AFTER)
        with _as_of(recorded_at):
            recorded = course_services.record_attendance(
                session=session,
                users=list(minutes_by_person),
                by=trainer,
                source=Attendance.Source.REPORT,
                minutes={person.pk: minutes for person, minutes in minutes_by_person.items()},
            )
            if recorded:
                self._issue_attendance_certificates(session)

    def _recording(self, webinar, users) -> None:
        """The recording of the sitting that has been, at a link, with captions, a transcript
        and slides, published by the trainer two days after it: everyone who booked is told.
        Watching it counts as completing the webinar and earns its hours for those who missed
        the sitting. Left alone once made."""
        if WebinarRecording.objects.filter(webinar=webinar).exists():
            return
        spec = demo_webinars
        trainer = users["trainer@example.org"]
        past = webinar.sessions.filter(starts_at__lt=timezone.now()).order_by("-starts_at").first()
        published_at = past.ends_at + timedelta(days=spec.RECORDING_PUBLISHED_DAYS_AFTER)
        with _as_of(published_at):
            recording = course_services.save_recording(
                webinar=webinar,
                by=trainer,
                details={
                    "session": past,
                    "video_url": spec.RECORDING_URL,
                    "transcript": spec.recording_transcript(),
                    "duration_minutes": spec.RECORDING_MINUTES,
                    "open_to": WebinarRecording.OpenTo.REGISTERED,
                    "counts_as_attending": True,
                    "watching_cpd_hours": Decimal(spec.RECORDING_CPD_HOURS),
                },
                captions=ContentFile(spec.recording_captions(), name="questions-answered.vtt"),
                slides=ContentFile(_slides_pdf(spec.RECORDING_SLIDES), name="Slides.pdf"),
            )
            course_services.publish_recording(recording=recording, by=trainer)

    def _issue_attendance_certificates(self, session) -> None:
        """Issue the bulk issue that recording attendance started, here and now (as of the
        recording), rather than by the Celery task it queued for after the load commits: the
        certificates then carry the day they would have had, and exist in the tests too, where
        nothing commits. The task finds no one left to issue to."""
        queued = BulkIssue.objects.filter(
            award__webinar=session.webinar, status=BulkIssue.Status.QUEUED
        ).select_related("award", "requested_by")
        for bulk_issue in queued:
            learner_ids = list(bulk_issue.learners.values_list("learner_id", flat=True))
            certificate_services.issue_bulk_chunk(bulk_issue=bulk_issue, learner_ids=learner_ids)

    # Certificates --------------------------------------------------------------------------------

    def _certificate_design(self) -> CertificateDesign:
        spec = demo.CERTIFICATE_DESIGN
        design = CertificateDesign.objects.filter(name=spec["name"]).first()
        if design:
            return design
        design = CertificateDesign(
            name=spec["name"],
            signatory_name=spec["signatory_name"],
            signatory_role=spec["signatory_role"],
            logo=self._image(spec["logo_title"], "academy-logo.png", demo_images.logo_png()),
            signature_image=self._image(
                spec["signature_title"], "signature.png", demo_images.signature_png()
            ),
        )
        design.full_clean()
        design.save()
        return design

    def _image(self, title, filename, content):
        Image = get_image_model()  # noqa: N806 - a model class
        image = Image.objects.filter(title=title).first()
        if image is None:
            image = Image(title=title, file=ImageFile(io.BytesIO(content), name=filename))
            image.save()
        return image

    # A learner who has finished a course --------------------------------------------------------

    def _certified_learner(self, user, course) -> Certificate:
        self._complete_course(user, course)
        return Certificate.objects.get(learner=user, award__course=course)

    # Organisations' staff -----------------------------------------------------------------------

    def _organisation_staff(self, courses) -> None:
        """More bodies, the staff of the first trust and theirs, each joined and finishing their
        courses as of the days the demo gives."""
        spec = demo_organisations
        for organisation_spec in spec.MORE_ORGANISATIONS:
            self._organisation(organisation_spec)
        now = timezone.now()
        for email, name, organisation_name, tier, team, finished in spec.STAFF:
            if User.objects.filter(email=email).exists():
                continue
            with _as_of(now - timedelta(days=spec.JOINED_DAYS_AGO)):
                person = User.objects.create_user(email=email, password=None, full_name=name)
                people.complete_signup(
                    user=person,
                    full_name=name,
                    role_tier=tier,
                    organisation=Organisation.objects.get(name=organisation_name),
                )
                people.add_member(
                    user=person,
                    organisation=Organisation.objects.get(name=organisation_name),
                    role="learner",
                    team=team,
                )
            for slug, days_ago in finished:
                with _as_of(now - timedelta(days=days_ago)):
                    self._complete_course(person, courses[slug])

    def _assignments(self, courses, manager) -> None:
        trust = Organisation.objects.get(name=demo_organisations.FIRST_TRUST)
        if Assignment.objects.filter(organisation=trust).exists():
            return
        now = timezone.now()
        for slug, audience, tier, days_ago, due_in, repeat in demo_organisations.ASSIGNMENTS:
            with _as_of(now - timedelta(days=days_ago)):
                organisation_services.create_assignment(
                    organisation=trust,
                    by=manager,
                    item=organisation_services.Item(kind="course", obj=courses[slug]),
                    audience=audience,
                    role_tier=tier,
                    due_on=timezone.localdate() + timedelta(days=due_in),
                    repeat_every_months=repeat,
                )

    def _invitations(self, manager) -> None:
        trust = Organisation.objects.get(name=demo_organisations.FIRST_TRUST)
        if Invitation.objects.filter(organisation=trust).exists():
            return
        now = timezone.now()
        for email, name, tier, days_ago in demo_organisations.INVITATIONS:
            with _as_of(now - timedelta(days=days_ago)):
                organisation_services.invite(
                    organisation=trust, by=manager, email=email, full_name=name, role_tier=tier
                )

    def _mover(self, mover, courses) -> None:
        if User.objects.filter(email=mover["email"]).exists():
            return
        now = timezone.now()
        old = Organisation.objects.get(name=mover["from"])
        new = Organisation.objects.get(name=mover["to"])
        with _as_of(now - timedelta(days=mover["joined_days_ago"])):
            person = User.objects.create_user(
                email=mover["email"], password=demo.PASSWORD, full_name=mover["name"]
            )
            EmailAddress.objects.create(
                user=person, email=mover["email"], verified=True, primary=True
            )
            people.complete_signup(
                user=person, full_name=mover["name"], role_tier=mover["tier"], organisation=old
            )
            membership = people.add_member(
                user=person, organisation=old, role="learner", team=mover["from_team"]
            )
        for slug, days_ago in mover["finished"]:
            with _as_of(now - timedelta(days=days_ago)):
                self._complete_course(person, courses[slug])
        with _as_of(now - timedelta(days=mover["moved_days_ago"])):
            people.add_member(user=person, organisation=new, role="learner", team=mover["to_team"])
            people.end_membership(
                membership=membership,
                left_at=now - timedelta(days=mover["left_days_ago"]),
                reason="Moved to another trust (demo).",
            )

    # Accreditation ------------------------------------------------------------------------------

    def _accreditation(self, framework, users) -> None:
        """The competency framework, units, checklist and the two programmes, each version
        published through the service; the two demo candidates enrolled."""
        spec = demo_accreditation
        competencies = {}
        for position, (name, description, pairs) in enumerate(spec.COMPETENCIES):
            competency, created = Competency.objects.get_or_create(
                name=name, defaults={"description": description, "position": position}
            )
            if created:
                # A parental relation: set in memory, written when the competency is saved.
                competency.expectations.set(self._expectations(framework, pairs))
                competency.save()
            competencies[name] = competency
        units = {unit["code"]: self._unit(unit, competencies) for unit in spec.UNITS}
        checklist = self._checklist(spec.CHECKLIST, competencies)
        manager = users["programmes@example.org"]
        for programme_spec in spec.PROGRAMMES:
            self._programme(programme_spec, units, checklist, manager)
        for email, slug, stage in spec.CANDIDATES:
            self._candidate(users, users[email], Programme.objects.get(slug=slug), stage)

    # The demo candidates, each through the services to their stage --------------------------

    def _candidate(self, users, person, programme, stage) -> None:
        """Take one candidate to their stage, unless an earlier load already did."""
        if Candidacy.objects.filter(candidate=person, programme=programme).exists():
            return
        manager = users["programmes@example.org"]
        if stage in ("lapsed", "renewing"):
            # Awarded years ago: built as of then, so every record and signed credential
            # carries the day it would have been made.
            years_ago = {"lapsed": 3 * 365 + 30, "renewing": 3 * 365 - 60}[stage]
            with _as_of(timezone.now() - timedelta(days=years_ago)):
                candidacy = self._enrol(person, programme, manager)
                self._meet_everything(users, candidacy)
            if stage == "renewing":
                self._log_cpd(candidacy, hours_each_year=(32, 30, 12))
            return
        candidacy = self._enrol(person, programme, manager)
        requirements = list(candidacy.version.requirements.order_by("sort_order"))
        units = [r for r in requirements if r.kind == Requirement.Kind.UNIT]
        courses = [r.course for r in requirements if r.kind == Requirement.Kind.COURSE]
        assessor, second = users["assessor@example.org"], users["assessor2@example.org"]
        if stage == "in_progress":
            self._complete_course(person, courses[0])
            self._portfolio(candidacy, units[0], files=1, submit=False)
        elif stage == "submitted":
            for course in courses:
                self._complete_course(person, course)
            self._portfolio(candidacy, units[0])
        elif stage == "appealed":
            decision = self._decide(self._portfolio(candidacy, units[0]), second, competent=False)
            accreditation_services.lodge_appeal(
                decision=decision, candidate=person, grounds=demo_accreditation.APPEAL_GROUNDS
            )
        elif stage == "awarded":
            self._meet_everything(users, candidacy)
        elif stage == "being_assessed":
            self._complete_course(person, courses[0])
            submission = self._portfolio(candidacy, units[0])
            accreditation_services.open_submission(submission=submission, assessor=assessor)
            self._decide(self._portfolio(candidacy, units[1]), second, competent=True)
            self._portfolio(candidacy, units[2], files=0, submit=False)

    def _enrol(self, person, programme, manager) -> Candidacy:
        by = manager if programme.invitation_only else None
        return accreditation_services.enrol(candidate=person, programme=programme, enrolled_by=by)

    def _complete_course(self, user, course) -> None:
        enrolment = course_services.enrol(user=user, course=course)
        for lesson in LessonPage.objects.child_of(course).live().order_by("path"):
            course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
        if not course_services.has_passed_final_assessment(enrolment=enrolment):
            attempt = course_services.start_final_assessment(enrolment=enrolment)
            answers = {
                response.pk: sorted(response.version.correct_keys())
                for response in attempt.responses.select_related("version")
            }
            assessment_services.save_answers(attempt=attempt, answers=answers)
            assessment_services.submit_attempt(attempt=attempt)

    def _portfolio(self, candidacy, requirement, *, files=2, submit=True):
        """Evidence files and the reflective statement for a unit; handed in unless not."""
        person = candidacy.candidate
        for number in range(1, files + 1):
            accreditation_services.add_evidence(
                candidacy=candidacy,
                requirement=requirement,
                uploaded_file=ContentFile(_demo_pdf(number), name=f"case-record-{number}.pdf"),
                description=f"Anonymised case record {number}",
                by=person,
            )
        accreditation_services.save_statement(
            candidacy=candidacy,
            requirement=requirement,
            statement=demo_accreditation.STATEMENT,
            by=person,
        )
        if submit:
            return accreditation_services.submit_unit(
                candidacy=candidacy, requirement=requirement, by=person
            )
        return None

    def _decide(self, submission, assessor, *, competent: bool) -> Decision:
        accreditation_services.open_submission(submission=submission, assessor=assessor)
        criteria = list(submission.work.requirement.unit.criteria.order_by("sort_order"))
        judgements = {
            criterion.pk: accreditation_services.Judgement(
                met=competent or index > 0, comment="" if competent or index else "Not shown."
            )
            for index, criterion in enumerate(criteria)
        }
        return accreditation_services.record_decision(
            submission=submission,
            assessor=assessor,
            outcome=Decision.Outcome.COMPETENT if competent else Decision.Outcome.NOT_YET_COMPETENT,
            judgements=judgements,
            feedback=(
                demo_accreditation.COMPETENT_FEEDBACK
                if competent
                else demo_accreditation.NOT_YET_FEEDBACK
            ),
            to_resubmit="" if competent else demo_accreditation.TO_RESUBMIT,
            # The demo chooses nothing at random: only each assessor's first decision is sampled.
            draw=lambda: 99,
        )

    def _meet_everything(self, users, candidacy) -> None:
        """Every requirement met, so the candidacy is awarded (through the services)."""
        assessor = users["assessor@example.org"]
        for requirement in candidacy.version.requirements.order_by("sort_order"):
            if requirement.kind == Requirement.Kind.COURSE:
                self._complete_course(candidacy.candidate, requirement.course)
            elif requirement.kind == Requirement.Kind.UNIT:
                self._decide(self._portfolio(candidacy, requirement), assessor, competent=True)
            elif requirement.kind == Requirement.Kind.CASEWORK_REVIEW:
                items = requirement.checklist.items.all()
                accreditation_services.record_casework_review(
                    candidacy=candidacy,
                    requirement=requirement,
                    reviewer=users["moderator@example.org"],
                    case_reference="CAS-2024-0417",
                    judgements={
                        item.pk: accreditation_services.Judgement(met=True, comment="")
                        for item in items
                    },
                    summary="A proportionate investigation, clearly explained to the family.",
                )

    def _log_cpd(self, candidacy, *, hours_each_year) -> None:
        """Reflective CPD entries in each year since the award, as the candidate logged them."""
        candidacy.refresh_from_db()  # awarded (by the services, on a row of their own)
        awarded = timezone.localdate(candidacy.awarded_at)
        for year, hours in enumerate(hours_each_year):
            day = awarded + timedelta(days=365 * year + 40)
            accreditation_services.add_reflective_entry(
                learner=candidacy.candidate,
                activity=f"Peer review of casework, year {year + 1}",
                activity_date=min(day, timezone.localdate()),
                hours=Decimal(hours),
                learned="How others weigh conflicting accounts, and how I explain a finding.",
                expectations=[],
            )

    def _unit(self, spec, competencies) -> PortfolioUnit:
        unit = PortfolioUnit.objects.filter(code=spec["code"]).first()
        if unit:
            return unit
        fields = {key: value for key, value in spec.items() if key != "criteria"}
        unit = PortfolioUnit.objects.create(**fields)
        for position, (competency, statement) in enumerate(spec["criteria"]):
            RubricCriterion.objects.create(
                unit=unit,
                sort_order=position,
                competency=competencies[competency],
                statement=statement,
            )
        return unit

    def _checklist(self, spec, competencies) -> CaseworkChecklist:
        checklist = CaseworkChecklist.objects.filter(title=spec["title"]).first()
        if checklist:
            return checklist
        checklist = CaseworkChecklist.objects.create(title=spec["title"], guidance=spec["guidance"])
        for position, (text, competency) in enumerate(spec["items"]):
            ChecklistItem.objects.create(
                checklist=checklist,
                sort_order=position,
                text=text,
                competency=competencies[competency] if competency else None,
            )
        return checklist

    def _programme(self, spec, units, checklist, manager) -> Programme:
        programme = Programme.objects.filter(slug=spec["slug"]).first()
        if programme:
            return programme
        fields = ("slug", "name", "level", "summary", "invitation_only", "organisation_kinds")
        fields += ("role_tiers", "anonymous_assessment", "iqa_sample_percent")
        programme = Programme.objects.create(is_open=True, **{key: spec[key] for key in fields})
        version = accreditation_services.create_version(
            version=ProgrammeVersion(
                programme=programme,
                validity_years=spec["validity_years"],
                cpd_hours_per_year=spec["cpd_hours_per_year"],
            ),
            by=manager,
        )
        for position, (kind, name, stage) in enumerate(spec["requirements"]):
            if kind == "course":
                chosen = {"course": CoursePage.objects.get(slug=name)}
            elif kind == "unit":
                chosen = {"unit": units[name]}
            else:
                chosen = {"checklist": checklist}
            Requirement.objects.create(
                version=version, sort_order=position, kind=kind, stage=stage, **chosen
            )
        accreditation_services.publish_version(version=version, by=manager)
        return programme

    def _print_summary(self, certificate) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("\nThe PHSO Academy demo is ready."))
        out.write(f"Sign in at http://127.0.0.1:8000/accounts/login/ (password: {demo.PASSWORD})")
        for email, name, _tier, _org, role, group in demo.PEOPLE:
            out.write(f"  {email:<24} {name:<16} {group or role}")
        mover = demo_organisations.MOVER
        out.write(f"  {mover['email']:<24} {mover['name']:<16} learner who moved between trusts")
        out.write("The Wagtail admin is at http://127.0.0.1:8000/admin/")
        out.write(f"Daniel Price's certificate: {certificate.verify_url}\n")
