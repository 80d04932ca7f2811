"""Reading and writing the files the bank commands name, with errors a trainer can act on."""

from pathlib import Path

from django.core.management.base import CommandError

from assessments.importing import ImportRefused, decode_text


def read_text(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
    try:
        return decode_text(data)
    except ImportRefused as error:
        raise CommandError(f"{path}: {error.problems[0]}") from error


def write_text(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from error
