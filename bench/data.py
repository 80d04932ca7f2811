"""The bench database: create and drop it, load the demo, and add more data.

Rows are created the way the Academy creates them (load_demo, the services, Wagtail's page API).
Django is imported inside the functions because this module is imported before django.setup().
"""

import io
from dataclasses import dataclass
from urllib.parse import urlsplit

LEARNER_EMAIL = "learner@example.org"
CERTIFIED_EMAIL = "certified@example.org"


def reset_database(url: str, *, create: bool) -> str:
    """Drop the database named by `url` (and create it again if asked); the server's version.

    It is dropped by force, so refuse anything but a PostgreSQL database on 127.0.0.1 with "bench"
    in its name: a mistyped URL must not be able to destroy a real database.
    """
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not (
        parts.scheme in {"postgres", "postgresql"}
        and parts.hostname == "127.0.0.1"
        and "bench" in name
    ):
        raise SystemExit(f"Refusing {url!r}: want a PostgreSQL *bench* database on 127.0.0.1.")
    # Connect to the maintenance database: one cannot drop the database one is connected to.
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return conn.execute("SHOW server_version").fetchone()[0]


@dataclass
class Demo:
    learner_id: int
    course_id: int
    lesson_id: int
    # (name, path, logged in as the learner?) for each page measured.
    pages: list[tuple[str, str, bool]]


def load_demo() -> Demo:
    """Migrate, load the demo and enrol the learner on the first course, as a learner would."""
    from django.core.management import call_command
    from django.urls import reverse

    from academy.models import User
    from certificates.models import Certificate
    from complaint_standards.models import Framework
    from courses import services
    from courses.models import CatalogueIndexPage, CoursePage, LessonPage

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=io.StringIO())  # its summary is for people, not the bench
    learner = User.objects.get(email=LEARNER_EMAIL)
    catalogue = CatalogueIndexPage.objects.live().get()
    course = CoursePage.objects.child_of(catalogue).live().order_by("path").first()
    services.enrol(user=learner, course=course)
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    certificate = Certificate.objects.get(learner__email=CERTIFIED_EMAIL)
    framework = Framework.objects.order_by("name").first()
    return Demo(
        learner_id=learner.pk,
        course_id=course.pk,
        lesson_id=lesson.pk,
        pages=[
            ("bare", "/bench/bare/", False),
            ("home", "/", False),
            ("catalogue", catalogue.get_url(), False),
            ("course", course.get_url(), False),
            ("standards", reverse("complaint_standards:detail", args=[framework.slug]), False),
            ("verify", certificate.get_absolute_url(), False),
            ("course, enrolled", course.get_url(), True),
            ("lesson", lesson.get_url(), True),
            ("dashboard", "/dashboard/", True),
        ],
    )


def session_cookie(user_id: int) -> str:
    """A Cookie header for a logged-in session, stored as a real login stores it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from academy.models import User

    user = User.objects.get(pk=user_id)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def grow(demo: Demo) -> None:
    """More of every kind of row the measured pages read, for the learner and for others.

    5 more lessons in the learner's course (the course and lesson pages list them); 10 more live
    courses of 2 lessons each, the learner enrolled on all (the catalogue and dashboard list
    them); the learner's first lesson completed; 20 more learners enrolled on the learner's course,
    each with a certificate for it.
    """
    from django.db import transaction

    from academy import services as people
    from academy.models import Organisation, User
    from certificates import services as certificates
    from courses import services as courses
    from courses.models import CatalogueIndexPage, CoursePage, LessonPage

    learner = User.objects.get(pk=demo.learner_id)
    course = CoursePage.objects.get(pk=demo.course_id)

    def add_lesson(parent, slug: str) -> None:
        lesson = parent.add_child(
            instance=LessonPage(
                title=f"Bench {slug}",
                slug=slug,
                intro="Added by the benchmark.",
                body=[("text", "<p>Added by the benchmark.</p>")],
            )
        )
        lesson.save_revision().publish()

    with transaction.atomic():
        for i in range(5):
            add_lesson(course, f"bench-lesson-{i}")
        catalogue = CatalogueIndexPage.objects.live().get()
        for i in range(10):
            extra = catalogue.add_child(
                instance=CoursePage(
                    title=f"Bench course {i:02d}",
                    slug=f"bench-course-{i:02d}",
                    summary="Added by the benchmark.",
                    audience="all_staff",
                    learning_outcomes="<ul><li>Nothing new</li></ul>",
                    estimated_minutes=10,
                    cpd_hours=1,
                )
            )
            extra.save_revision().publish()
            for j in range(2):
                add_lesson(extra, f"bench-lesson-{j}")
            courses.enrol(user=learner, course=extra)

    enrolment = courses.enrol(user=learner, course=course)
    courses.complete_lesson(enrolment=enrolment, lesson=LessonPage.objects.get(pk=demo.lesson_id))

    organisation = Organisation.objects.order_by("pk").first()
    for i in range(20):
        other = User.objects.create_user(email=f"bench-learner-{i:02d}@example.org")
        people.complete_signup(
            user=other,
            full_name=f"Bench Learner {i:02d}",
            role_tier="all_staff",
            organisation=organisation,
        )
        courses.enrol(user=other, course=course)
        certificates.issue_for_course(learner=other, course=course, reason="Added by the bench")


def add_learners(*, prefix: str, count: int) -> list[int]:
    """`count` learners with names, as sign-up leaves them (rows bulk-created, passwords
    unusable: nobody signs in as them), e-mailed at bench-<prefix>-00001@example.org and on; their
    ids, in that order."""
    from django.contrib.auth.hashers import make_password

    from academy.models import User

    unusable = make_password(None)
    users = User.objects.bulk_create(
        (
            User(
                email=f"bench-{prefix}-{i:05d}@example.org",
                full_name=f"Bench {prefix.title()} {i:05d}",
                password=unusable,
            )
            for i in range(1, count + 1)
        ),
        batch_size=2000,
    )
    return [user.pk for user in users]


def certificate_design():
    """The default certificate design, with a logo and a signature (PNG images drawn here,
    uploaded as Wagtail images), so every PDF draws two images as a real design's does."""
    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from PIL import ImageDraw
    from wagtail.images.models import Image

    from certificates.models import CertificateDesign

    def image(title: str, size: tuple[int, int]) -> Image:
        picture = Picture.new("RGB", size, "white")
        draw = ImageDraw.Draw(picture)
        draw.rectangle([8, 8, size[0] - 9, size[1] - 9], outline="#1d3557", width=12)
        draw.line([40, size[1] // 2, size[0] - 40, size[1] // 3], fill="#005eb8", width=10)
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        slug = title.lower().replace(" ", "-")
        return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{slug}.png"))

    return CertificateDesign.objects.create(
        name="Bench design",
        signatory_name="Rob Behrens",
        signatory_role="Parliamentary and Health Service Ombudsman",
        logo=image("Bench logo", (800, 320)),
        signature_image=image("Bench signature", (800, 240)),
    )
