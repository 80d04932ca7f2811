"""Reading a manager's CSV of staff to invite, and checking one person's details, with no
database: what is wrong with the file, or with each line, in words a manager can act on.

The organisation's own checks (already a member) need the database and live in
services/invitations.py; both end in the same list of problems, by line."""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from academy.line_problems import LineProblems, LineProblemsError
from academy.models import RoleTier

from .errors import OrganisationError

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection). We refuse
# such a cell rather than change it, so that what is stored is what the manager wrote.
FORMULA_STARTS = ("=", "+", "-", "@")
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 150
SNIPPET_LENGTH = 60

# The header's names for each column, in lower case with "_" read as a space.
COLUMN_NAMES = {
    "email": {"email", "e-mail", "email address", "e-mail address"},
    "full_name": {"name", "full name"},
    "role_tier": {"role tier", "tier"},
}
COLUMN_WORDS = {"email": "E-mail", "full_name": "Name", "role_tier": "Role tier"}

# Magic numbers of the files people pick by mistake, with what to do instead.
NOT_CSV = (
    (b"PK\x03\x04", "an Excel workbook or another zipped file"),
    (b"\xd0\xcf\x11\xe0", "an older Excel workbook (.xls)"),
    (b"%PDF", "a PDF"),
)


class _EmailValidator(EmailValidator):
    """Django's check of an address, with its patterns compiled once rather than reached
    through the lazy objects Django keeps them in: a tenth of the time of a 50,000-row file."""

    user_regex = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)
    domain_regex = re.compile(
        EmailValidator.domain_regex.pattern, EmailValidator.domain_regex.flags
    )
    literal_regex = re.compile(
        EmailValidator.literal_regex.pattern, EmailValidator.literal_regex.flags
    )


validate_email = _EmailValidator()


def tier_names() -> str:
    labels = [label for _, label in RoleTier.choices]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


_TIERS = {label.lower(): value for value, label in RoleTier.choices} | {
    value: value for value in RoleTier.values
}


def snippet(value: str) -> str:
    """A cell as a problem quotes it: shortened, so a huge cell cannot flood the page."""
    if len(value) > SNIPPET_LENGTH:
        return value[: SNIPPET_LENGTH - 1] + "…"
    return value


@dataclass(frozen=True)
class Person:
    """One person to invite, as checked: address in lower case, name trimmed, tier's value."""

    line: int
    email: str
    full_name: str
    role_tier: str


class InvitationFileError(LineProblemsError, OrganisationError):
    """The file, or some of its lines, cannot be used; nothing was invited."""


class Problems(LineProblems):
    """The invitation file's problems, raised together once every line is read."""

    def raise_any(self) -> None:
        if self.count:
            raise InvitationFileError(self.listed, self.count)


def check_person(
    *, email: str, full_name: str, role_tier: str
) -> tuple[dict, list[tuple[str, str]]]:
    """One person's details as a manager typed them: the cleaned values (`email`, `full_name`,
    `role_tier`) and what is wrong with them, as (field, problem) pairs (none if nothing). A
    role tier is read from its label or its value, in any letter case."""
    problems = []
    cells = {
        "email": ("e-mail address", email),
        "full_name": ("name", full_name),
        "role_tier": ("role tier", role_tier),
    }
    for name, (what, value) in cells.items():
        stripped = value.strip()
        if stripped.startswith(FORMULA_STARTS):
            problems.append(
                (
                    name,
                    f"the {what} “{snippet(stripped)}” starts with “{stripped[0]}”, which a "
                    "spreadsheet would run as a formula: remove that character",
                )
            )
    email, full_name, role_tier = email.strip().lower(), full_name.strip(), role_tier.strip()
    if not email:
        problems.append(("email", "the e-mail address is empty"))
    elif len(email) > EMAIL_MAX_LENGTH:
        problems.append(
            ("email", f"the e-mail address is longer than {EMAIL_MAX_LENGTH} characters")
        )
    elif not email.startswith(FORMULA_STARTS):
        try:
            validate_email(email)
        except ValidationError:
            problems.append(("email", f"“{snippet(email)}” is not an e-mail address"))
    if not full_name:
        problems.append(("full_name", "the name is empty"))
    elif len(full_name) > NAME_MAX_LENGTH:
        problems.append(("full_name", f"the name is longer than {NAME_MAX_LENGTH} characters"))
    tier = _TIERS.get(role_tier.lower())
    if not role_tier:
        problems.append(("role_tier", f"the role tier is empty: give {tier_names()}"))
    elif tier is None and not role_tier.startswith(FORMULA_STARTS):
        problems.append(
            ("role_tier", f"the role tier “{snippet(role_tier)}” is not one of {tier_names()}")
        )
    return {"email": email, "full_name": full_name, "role_tier": tier or ""}, problems


def decode(data: bytes) -> str:
    """The file's text, from UTF-8 with or without a byte order mark; InvitationFileError for
    an empty file, a file that is plainly not text, or bytes that are not UTF-8."""
    if not data.strip().removeprefix(b"\xef\xbb\xbf").strip():
        raise InvitationFileError(["The file is empty. Add a header row and one row a person."])
    for magic, kind in NOT_CSV:
        if data.startswith(magic):
            raise InvitationFileError(
                [
                    f"This is not a CSV file: it looks like {kind}. In Excel, use Save as and "
                    "choose “CSV UTF-8 (Comma delimited)”, then upload that file."
                ]
            )
    if b"\x00" in data:
        raise InvitationFileError(
            ["This is not a CSV file: it holds binary data. Upload a CSV file saved as UTF-8."]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvitationFileError(
            [
                f"The file is not in UTF-8: line {line} has a character that cannot be read "
                f"(byte 0x{data[error.start]:02x}). In Excel, use Save as and choose “CSV "
                "UTF-8 (Comma delimited)”, then upload that file."
            ]
        ) from None


def _columns(header: list[str]) -> dict[str, int]:
    """Which cell of each row holds each column, from the header row."""
    found: dict[str, int] = {}
    problems = []
    for index, name in enumerate(header):
        key = " ".join(name.strip().lower().replace("_", " ").split())
        for column, names in COLUMN_NAMES.items():
            if key in names:
                if column in found:
                    problems.append(
                        f"Line 1: the column {COLUMN_WORDS[column]} is named twice "
                        f"(cells {found[column] + 1} and {index + 1})."
                    )
                found[column] = index
    missing = [COLUMN_WORDS[column] for column in COLUMN_NAMES if column not in found]
    if missing:
        hint = ""
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            hint = " The columns seem to be separated by semicolons or tabs: use commas."
        elif any("@" in cell for cell in header):
            hint = " The first row looks like a person: add a header row above it."
        problems.append(
            "Line 1: the first row must name the columns E-mail, Name and Role tier, in any "
            f"order; it has no {' or '.join(missing)} column.{hint}"
        )
    if problems:
        raise InvitationFileError(problems)
    return found


def read_people(data: bytes, *, max_rows: int, problems_listed: int) -> list[Person]:
    """Everyone the file invites, each checked; InvitationFileError listing every problem if
    anything in it is wrong. Blank lines are skipped; line numbers are the file's own, counting
    the header as line 1."""
    reader = csv.reader(io.StringIO(decode(data), newline=""), strict=True)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise InvitationFileError(["The file is empty. Add a header row and one row a person."])
        columns = _columns(header)
        people: list[Person] = []
        problems = Problems(limit=problems_listed)
        seen: dict[str, int] = {}
        width = len(header)
        rows = 0
        line = reader.line_num + 1
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > max_rows:
                raise InvitationFileError(
                    [
                        f"The file has more than {max_rows:,} people, the most one upload may "
                        "invite. Split it into smaller files and upload each."
                    ]
                )
            cells = {
                column: row[index] if index < len(row) else "" for column, index in columns.items()
            }
            values, found = check_person(**cells)
            messages = [message for _, message in found]
            if len(row) > width:
                messages.insert(
                    0,
                    f"the line has {len(row)} cells but the first row names {width} columns "
                    "(put a name with a comma in double quotes)",
                )
            if values["email"]:
                first = seen.setdefault(values["email"], start)
                if first != start:
                    messages.append(f"duplicate of line {first} ({snippet(values['email'])})")
            if messages:
                problems.add(start, messages)
            else:
                people.append(Person(line=start, **values))
    except csv.Error as error:
        raise InvitationFileError(
            [f"Line {reader.line_num}: this line cannot be read as CSV ({error})."]
        ) from None
    problems.raise_any()
    if not people:
        raise InvitationFileError(["The file has a header row but nobody to invite under it."])
    return people
