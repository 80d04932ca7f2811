"""python manage.py export_bank NAME [--output FILE]: a lossless JSON copy of a whole bank."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.models import QuestionBank

from ._files import write_text


class Command(BaseCommand):
    help = "Write a question bank as JSON that import_bank reads back without losing anything."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the name of the question bank")
        parser.add_argument("--output", help="the file to write; standard output if absent")

    def handle(self, *args, name, output, **options):
        bank = QuestionBank.objects.filter(name=name).first()
        if bank is None:
            raise CommandError(f"There is no question bank called “{name}”.")
        text = json.dumps(services.export_bank_json(bank=bank), indent=2, ensure_ascii=False)
        if output:
            write_text(output, text + "\n")
            self.stdout.write(f"Wrote “{bank}” to {output}.")
        else:
            self.stdout.write(text)
