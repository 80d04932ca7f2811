from django.core.management.base import BaseCommand, CommandError

from academy import selectors as people
from certificates import services
from courses.models import CoursePage


class Command(BaseCommand):
    help = "Issue a course certificate to a learner by hand and print its code."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The learner's e-mail address")
        parser.add_argument("--course", required=True, help="The course page's slug")
        parser.add_argument(
            "--reason", default="Issued from the command line", help="Kept in the audit log"
        )

    def handle(self, *args, email, course, reason, **options):
        learner = people.users_with_email(email=email.strip()).first()
        if learner is None:
            raise CommandError(f"No learner has the e-mail address {email!r}.")
        course_page = CoursePage.objects.live().filter(slug=course).first()
        if course_page is None:
            raise CommandError(f"No published course has the slug {course!r}.")
        try:
            certificate = services.issue_for_course(
                learner=learner, course=course_page, reason=reason
            )
        except services.RefusedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(certificate.display_code)
        self.stderr.write(f"Verify at {certificate.verify_url}")
