"""python manage.py export_moodle_xml --bank NAME [FILE]: a bank and its sub-banks as Moodle
XML."""

from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.formatting import plural
from assessments.models import QuestionBank

from ._files import write_text


class Command(BaseCommand):
    help = (
        "Write a question bank and its sub-banks as Moodle XML (to standard output unless a "
        "file is given), which Moodle, Totara and import_moodle_xml read. Questions that cannot "
        "be written are left out with a warning each; questions written as another Moodle type "
        "get a note each."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True, help="the name of the question bank")
        parser.add_argument("file", nargs="?", help="the file to write; standard output if absent")
        parser.add_argument("--output", help="the file to write, as export_gift takes it")

    def handle(self, *args, bank, file, output, **options):
        if file and output and file != output:
            raise CommandError("Give the file to write once: as FILE or as --output.")
        path = file or output
        question_bank = QuestionBank.objects.filter(name=bank).first()
        if question_bank is None:
            raise CommandError(f"There is no question bank called “{bank}”.")
        exported = services.export_moodle_xml(bank=question_bank)
        for title, reason in exported.skipped:
            self.stderr.write(f"Warning: left out “{title}”: {reason}.")
        for title, note in exported.notes:
            self.stderr.write(f"Note: “{title}” is {note}.")
        if path:
            write_text(path, exported.text)
            self.stdout.write(f"Wrote {plural(exported.count, 'question')} to {path}.")
        else:
            self.stdout.write(exported.text, ending="")
