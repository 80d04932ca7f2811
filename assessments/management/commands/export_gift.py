"""python manage.py export_gift --bank NAME [--output FILE]: a bank's questions as GIFT."""

from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.formatting import plural
from assessments.models import QuestionBank

from ._files import write_text


class Command(BaseCommand):
    help = (
        "Write a question bank as Moodle GIFT (to standard output unless --output is given). "
        "Questions GIFT cannot express are left out with a warning each; essays are written "
        "without their rubric, with a note each."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True, help="the name of the question bank")
        parser.add_argument("--output", help="the file to write (UTF-8); standard output if absent")

    def handle(self, *args, bank, output, **options):
        question_bank = QuestionBank.objects.filter(name=bank).first()
        if question_bank is None:
            raise CommandError(f"There is no question bank called “{bank}”.")
        exported = services.export_gift(bank=question_bank)
        for title, reason in exported.skipped:
            self.stderr.write(f"Warning: left out “{title}”: {reason}.")
        for title, note in exported.notes:
            self.stderr.write(f"Note: “{title}” is {note}.")
        if output:
            write_text(output, exported.text)
            self.stdout.write(f"Wrote {plural(exported.count, 'question')} to {output}.")
        else:
            self.stdout.write(exported.text, ending="")
