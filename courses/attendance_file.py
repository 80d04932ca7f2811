"""Reading the attendance report a meeting platform exports, with no database: who was there, by
e-mail address, for how long, or what is wrong with the file in words a trainer can act on.

Two layouts are read, found by their header rows wherever they are in the file:

- Microsoft Teams' attendance report: a summary block ("1. Summary", the meeting's title and
  times), then "2. Participants" with one row a person (Name, First Join, Last Leave, In-Meeting
  Duration such as "1h 3m 48s", Email, Participant ID (UPN), Role), then "3. In-Meeting
  Activities" (one row a join), which is not needed. Teams saves it as UTF-16 with tabs; opened
  and saved again in Excel it becomes UTF-8 with commas.
- Zoom's meeting participants report: an optional meeting block (Meeting ID, Topic, ...), then
  one row a join (Name (Original Name), User Email, Join Time, Leave Time, Duration (Minutes),
  Guest, ...). Someone who left and came back has a row each time: their minutes are added up.
  With "show unique users" Zoom has added them up already (Total Duration (Minutes)).

The file is taken whole or not at all: any line that cannot be read makes the whole file
refused, with every such line named (the first `problems_listed`, and a count of the rest).
"""

import csv
import io
import re
from dataclasses import dataclass

from academy.line_problems import LineProblems, LineProblemsError

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection). Such a cell
# is refused rather than cleaned, as for the organisations' staff files. A lone "-" is how some
# exports write "nothing" and runs nothing, so it is let through.
FORMULA_STARTS = ("=", "+", "-", "@")
EMAIL_MAX_LENGTH = 254
SNIPPET_LENGTH = 60
# Longer than any session may last (ten hours): a bigger figure is a mistake in the file.
LONGEST_ROW_SECONDS = 24 * 60 * 60

TEAMS = "Microsoft Teams"
ZOOM = "Zoom"

# Magic numbers of the files people pick by mistake, with what they are.
NOT_CSV = (
    (b"PK\x03\x04", "an Excel workbook or another zipped file"),
    (b"\xd0\xcf\x11\xe0", "an older Excel workbook (.xls)"),
    (b"%PDF", "a PDF"),
)
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}

# The header names each layout's columns go by, in lower case with runs of spaces made one.
TEAMS_COLUMNS = {
    "name": {"name", "full name"},
    "email": {"email", "e-mail"},
    "upn": {"participant id (upn)"},
    "duration": {"in-meeting duration", "in meeting duration"},
    "role": {"role"},
}
TEAMS_REQUIRED = ("name", "email", "duration")
ZOOM_COLUMNS = {
    "name": {"name (original name)", "name", "user name (original name)"},
    "email": {"user email", "email"},
    "join": {"join time"},
    "leave": {"leave time"},
    "duration": {"duration (minutes)", "total duration (minutes)"},
}
ZOOM_REQUIRED = ("name", "email", "duration")
COLUMN_WORDS = {
    "name": "Name",
    "email": "E-mail",
    "duration": "the time each person was there",
}
LAYOUTS_IN_WORDS = (
    "Upload the attendance report as Microsoft Teams or Zoom saves it: from Teams, the "
    "meeting's Attendance tab, Download; from Zoom, Reports, Usage, the meeting's Participants, "
    "Export."
)

_TEAMS_DURATION = re.compile(
    r"^(?:(?P<h>\d{1,3})\s*h)?\s*(?:(?P<m>\d{1,5})\s*m(?:in)?)?\s*(?:(?P<s>\d{1,7})\s*s)?$"
)
_CLOCK_DURATION = re.compile(r"^(?P<h>\d{1,3}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)$")
_SECTION_HEADING = re.compile(r"^\d+\.\s")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Participant:
    """One person in the report: their rows added up. `email` is in lower case ("" when the
    report gives none); `role` is Teams' (Organiser, Presenter, Attendee), "" from Zoom."""

    email: str
    name: str
    seconds: int
    lines: tuple[int, ...]
    role: str = ""

    @property
    def minutes(self) -> int:
        return self.seconds // 60

    @property
    def runs_the_meeting(self) -> bool:
        """An organiser or presenter in Teams' report: there to run it, not to attend it."""
        return self.role.strip().lower() not in {"", "attendee"}


@dataclass(frozen=True)
class Report:
    platform: str
    participants: list[Participant]  # with an e-mail address, in the order they first appear
    without_email: list[Participant]  # guests the report names but gives no address for


class AttendanceFileError(LineProblemsError):
    """The file, or some of its lines, cannot be used; nothing was recorded."""


def snippet(value: str) -> str:
    """A cell as a problem quotes it: shortened, so a huge cell cannot flood the page."""
    if len(value) > SNIPPET_LENGTH:
        return value[: SNIPPET_LENGTH - 1] + "…"
    return value


def _refuse(message: str) -> AttendanceFileError:
    return AttendanceFileError([message])


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 saved without its byte order mark: every other byte of plain text is zero."""
    sample = data[:400]
    if len(sample) < 4 or len(data) % 2:
        return None
    if not any(sample[1::2]) and all(sample[0::2]):
        return "utf-16-le"
    if not any(sample[0::2]) and all(sample[1::2]):
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte order mark) or UTF-16 (as Teams saves
    it). AttendanceFileError for an empty file, one that is plainly not text, or bytes that
    are not what the file says it is."""
    for magic, kind in NOT_CSV:
        if data.startswith(magic):
            raise _refuse(
                f"This is not a CSV file: it looks like {kind}. {LAYOUTS_IN_WORDS} If you opened "
                "it in Excel, save it as “CSV UTF-8 (Comma delimited)” before uploading."
            )
    encoding = next((name for bom, name in UTF16_BOMS.items() if data.startswith(bom)), None)
    if encoding:
        body = data[2:]
    elif b"\x00" in data:
        encoding = _looks_like_utf16(data)
        if encoding is None:
            raise _refuse(f"This is not a CSV file: it holds binary data. {LAYOUTS_IN_WORDS}")
        body = data
    if encoding:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as error:
            line = body[: error.start].decode(encoding, errors="replace").count("\n") + 1
            raise _refuse(
                f"The file says it is UTF-16 but line {line} cannot be read as UTF-16: it may "
                "be cut short or damaged. Download the report again."
            ) from None
    else:
        body = data.removeprefix(UTF8_BOM)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            line = body[: error.start].count(b"\n") + 1
            raise _refuse(
                f"The file is not in UTF-8: line {line} has a character that cannot be read "
                f"(byte 0x{body[error.start]:02x}). If you opened it in Excel, save it as “CSV "
                "UTF-8 (Comma delimited)”, or upload the file as Teams or Zoom saved it."
            ) from None
    if not text.strip():
        raise _refuse(f"The file is empty. {LAYOUTS_IN_WORDS}")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _refuse(f"Line {line}: the file holds binary data, so it is not a CSV file.")
    if "\ufeff" in text:
        line = text[: text.index("\ufeff")].count("\n") + 1
        raise _refuse(
            f"Line {line}: a byte order mark (the invisible mark that starts a file) is in the "
            "middle of the file, as when two files are joined into one. Upload each report on "
            "its own."
        )
    return text


def _key(cell: str) -> str:
    return " ".join(cell.strip().lower().split())


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


@dataclass(frozen=True)
class _Table:
    """Where the participants are: the layout, the delimiter, which cell holds each column, and
    the header row (its number among the rows, and its line in the file)."""

    platform: str
    delimiter: str
    columns: dict[str, int]
    width: int
    header_row: int
    header_line: int


def _columns(header: list[str], names: dict[str, set[str]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _key(cell)
        for column, accepted in names.items():
            if key in accepted and column not in found:
                found[column] = index
    return found


LAYOUTS = ((TEAMS, TEAMS_COLUMNS, TEAMS_REQUIRED), (ZOOM, ZOOM_COLUMNS, ZOOM_REQUIRED))
KNOWN_HEADERS = set().union(*TEAMS_COLUMNS.values(), *ZOOM_COLUMNS.values())


def _header_columns(row: list[str]) -> tuple[str, dict[str, int]] | None:
    """The layout and its columns if `row` is the header of a participants table."""
    if "meeting id" in {_key(cell) for cell in row}:
        return None  # Zoom's meeting block, which names the host's e-mail and the length
    for platform, names, required in LAYOUTS:
        columns = _columns(row, names)
        if all(column in columns for column in required):
            return platform, columns
    return None


def _near_miss(row: list[str]) -> str | None:
    """What is wrong with a row that looks meant as a header (it names two of the columns we
    read, or is Teams' older list) but is not one we can read; None for any other row."""
    keys = {_key(cell) for cell in row}
    if "meeting id" in keys:
        return None
    if "user action" in keys:
        return (
            "this is Teams' older attendance list, one row for each time someone joined or "
            "left. Download the attendance report from the meeting's Attendance tab instead"
        )
    if len(keys & KNOWN_HEADERS) < 2:
        return None
    missing = min(
        (
            [COLUMN_WORDS[c] for c in required if c not in _columns(row, names)]
            for _, names, required in LAYOUTS
        ),
        key=len,
    )
    return (
        f"the header row has no column for {' and '.join(missing)}. {LAYOUTS_IN_WORDS} Leave "
        "its columns as they are"
    )


def _find_table(text: str) -> _Table:
    """The participants table's header, trying tabs and then commas (Teams saves tabs; Zoom,
    and Excel when it saves a report again, commas)."""
    near_misses = []
    for delimiter in ("\t", ","):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            for index, row in enumerate(reader):
                if _blank(row):
                    continue
                found = _header_columns(row)
                if found is not None:
                    platform, columns = found
                    return _Table(platform, delimiter, columns, len(row), index, reader.line_num)
                miss = _near_miss(row)
                if miss:
                    near_misses.append((reader.line_num, miss))
        except csv.Error:
            continue  # not this delimiter: a quote where it cannot be
    if near_misses:
        line, miss = min(near_misses)
        raise _refuse(f"Line {line}: {miss}.")
    raise _refuse(
        "The file has no list of participants: no row names the columns Name, E-mail and the "
        f"time each person was there. {LAYOUTS_IN_WORDS}"
    )


def _formula_cells(row: list[str]) -> list[str]:
    messages = []
    for cell in row:
        value = cell.strip()
        if value.startswith(FORMULA_STARTS) and value != "-":
            messages.append(
                f"the cell “{snippet(value)}” starts with “{value[0]}”, which a spreadsheet "
                "would run as a formula"
            )
    return messages


def teams_seconds(value: str) -> int | None:
    """Teams' time in the meeting ("1h 3m 48s", "59m 35s", "45s", or "1:03:48") in seconds;
    None if it is not one."""
    value = value.strip().lower()
    match = _TEAMS_DURATION.match(value) or _CLOCK_DURATION.match(value)
    if not value or match is None:
        return None
    hours, minutes, seconds = (int(match.group(part) or 0) for part in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def zoom_seconds(value: str) -> int | None:
    """Zoom's whole minutes in seconds; None if the cell is not a whole number."""
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 7:
        return None
    return int(value) * 60


def _email_problem(email: str) -> str | None:
    if len(email) > EMAIL_MAX_LENGTH:
        return f"the e-mail address is longer than {EMAIL_MAX_LENGTH} characters"
    if not _EMAIL.match(email):
        return f"“{snippet(email)}” is not an e-mail address"
    return None


def _cell(row: list[str], table: _Table, column: str) -> str:
    index = table.columns.get(column)
    return row[index].strip() if index is not None and index < len(row) else ""


def _duration(raw: str, platform: str) -> tuple[int | None, str | None]:
    """(seconds, None) or (None, what is wrong with the cell)."""
    if not raw:
        return None, "the time in the meeting is empty"
    if platform == TEAMS:
        seconds, shape = teams_seconds(raw), "hours, minutes and seconds such as “1h 3m 48s”"
    else:
        seconds, shape = zoom_seconds(raw), "a whole number of minutes"
    if seconds is None:
        # A formula cell is named once, by the check of every cell.
        if raw.startswith(FORMULA_STARTS):
            return None, None
        return None, f"the time in the meeting “{snippet(raw)}” is not {shape}"
    if seconds > LONGEST_ROW_SECONDS:
        return None, f"the time in the meeting “{snippet(raw)}” is longer than a day"
    return seconds, None


def _row_key(row: list[str], table: _Table, email: str) -> tuple:
    """What makes a row the same as another: in Teams' table (one row a person) and Zoom's
    unique users, the person; in Zoom's one row a join, the person and that join's times."""
    if table.platform == TEAMS or "join" not in table.columns:
        return ("person", email) if email else ("row", tuple(cell.strip() for cell in row))
    return (
        email or _cell(row, table, "name"),
        _cell(row, table, "join"),
        _cell(row, table, "leave"),
        _cell(row, table, "duration"),
    )


def read_report(data: bytes, *, max_rows: int, problems_listed: int = 100) -> Report:
    """Everyone the report lists, by e-mail address, with their time added up; or
    AttendanceFileError listing every line that cannot be used. Line numbers are the file's
    own, counting from 1; blank lines are skipped."""
    text = decode(data)
    table = _find_table(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter, strict=True)
    problems = LineProblems(limit=problems_listed)
    people: dict[str, dict] = {}
    guests: list[Participant] = []
    seen: dict[tuple, int] = {}
    rows = 0
    try:
        for _ in range(table.header_row + 1):
            next(reader)
        line = reader.line_num + 1
        for row in reader:
            start, line = line, reader.line_num + 1
            if _blank(row):
                continue
            if table.platform == TEAMS and _SECTION_HEADING.match(row[0].strip()):
                break  # "3. In-Meeting Activities": the participants are all read
            rows += 1
            if rows > max_rows:
                raise _refuse(
                    f"The report lists more than {max_rows:,} rows of participants, the most "
                    "one upload may hold. Check that it is the report of one session."
                )
            messages = _formula_cells(row)
            if len(row) > table.width:
                messages.insert(
                    0,
                    f"the line has {len(row)} cells but the header row (line "
                    f"{table.header_line}) names {table.width} columns",
                )
            email = _cell(row, table, "email").lower()
            upn = _cell(row, table, "upn").lower()
            if not email and "@" in upn:
                email = upn  # a Teams account's sign-in name when it shows no address
            if email and not email.startswith(FORMULA_STARTS):
                problem = _email_problem(email)
                if problem:
                    messages.append(problem)
            seconds, problem = _duration(_cell(row, table, "duration"), table.platform)
            if problem:
                messages.append(problem)
            first = seen.setdefault(_row_key(row, table, email), start)
            if first != start:
                messages.append(f"it repeats line {first}" + (f" ({email})" if email else ""))
            if messages:
                problems.add(start, messages)
                continue
            name = _cell(row, table, "name")
            if not email:
                guests.append(Participant(email="", name=name, seconds=seconds, lines=(start,)))
                continue
            person = people.setdefault(
                email, {"name": name, "seconds": 0, "lines": [], "role": _cell(row, table, "role")}
            )
            person["seconds"] += seconds
            person["lines"].append(start)
    except csv.Error as error:
        raise _refuse(
            f"Line {reader.line_num}: this line cannot be read as CSV ({error})."
        ) from None
    if problems.count:
        raise AttendanceFileError(problems.listed, problems.count)
    if not people and not guests:
        raise _refuse(
            f"Line {table.header_line}: the participants table has its header row but nobody "
            "under it."
        )
    return Report(
        platform=table.platform,
        participants=[
            Participant(
                email=email,
                name=person["name"],
                seconds=person["seconds"],
                lines=tuple(person["lines"]),
                role=person["role"],
            )
            for email, person in people.items()
        ],
        without_email=guests,
    )
