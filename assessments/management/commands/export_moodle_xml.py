"""python manage.py export_moodle_xml --bank NAME [FILE]: a bank and its sub-banks as Moodle
XML."""

from django.core.management.base import CommandError

from assessments import services

from ._files import ExportCommand


class Command(ExportCommand):
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
        self.write(services.export_moodle_xml(bank=self.bank(bank)), file or output)
