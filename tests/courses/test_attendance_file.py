"""Reading Teams' and Zoom's attendance reports (courses/attendance_file.py, no database): the
layouts as the platforms save them, and every hostile file refused whole with its lines named."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.attendance_file import (
    TEAMS,
    ZOOM,
    AttendanceFileError,
    read_report,
    teams_seconds,
)

MAX_ROWS = 1000

TEAMS_HEAD = (
    "1. Summary\n"
    "Meeting title\tLearning from complaints\n"
    "Attended participants\t3\n"
    "Start time\t3/30/27, 9:58:12 AM\n"
    "End time\t3/30/27, 11:01:40 AM\n"
    "Meeting duration\t1h 3m 28s\n"
    "Average attendance time\t49m 2s\n"
    "\n"
    "2. Participants\n"
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
)
TEAMS_TAIL = (
    "\n3. In-Meeting Activities\n"
    "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
    "Okafor, Nia\t3/30/27, 9:58:12 AM\t3/30/27, 11:01:40 AM\t1h 3m 28s\tnia@phso.example\t"
    "Organiser\n"
)


def teams_row(name, duration, email, upn="", role="Attendee"):
    return (
        f"{name}\t3/30/27, 10:00:01 AM\t3/30/27, 11:00:00 AM\t{duration}\t{email}\t{upn}\t{role}\n"
    )


def teams_file(*rows: str, tail=TEAMS_TAIL) -> bytes:
    """As Teams saves it: UTF-16 with its byte order mark, tabs between cells."""
    return "\ufeff".encode("utf-16-le") + (TEAMS_HEAD + "".join(rows) + tail).encode("utf-16-le")


ZOOM_MEETING = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    "81234567890,Learning from complaints,03/30/2027 10:00:00 AM,03/30/2027 11:00:00 AM,"
    "host@phso.example,60,3\n"
    "\n"
)
ZOOM_HEADER = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
    "Recording Consent,In Waiting Room\n"
)


def zoom_row(name, email, minutes, join="10:00:00 AM", leave="11:00:00 AM"):
    return f"{name},{email},03/30/2027 {join},03/30/2027 {leave},{minutes},No,Y,No\n"


def zoom_file(*rows: str, meeting=True, bom=False) -> bytes:
    text = (ZOOM_MEETING if meeting else "") + ZOOM_HEADER + "".join(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def read(data: bytes, **limits):
    return read_report(data, max_rows=limits.get("max_rows", MAX_ROWS), problems_listed=20)


def refused(data: bytes, **limits) -> AttendanceFileError:
    with pytest.raises(AttendanceFileError) as caught:
        read(data, **limits)
    return caught.value


# The layouts ------------------------------------------------------------------------------------


def test_teams_report_as_teams_saves_it():
    report = read(
        teams_file(
            teams_row("Okafor, Nia", "1h 3m 28s", "Nia@PHSO.example", role="Organiser"),
            teams_row("Priya Sharma", "58m 14s", "priya@example.org"),
            teams_row("Guest caller", "12m 5s", ""),
        )
    )
    assert report.platform == TEAMS
    by_email = {p.email: p for p in report.participants}
    assert set(by_email) == {"nia@phso.example", "priya@example.org"}
    assert by_email["priya@example.org"].seconds == 58 * 60 + 14
    assert by_email["priya@example.org"].minutes == 58
    assert by_email["priya@example.org"].lines == (12,)
    assert by_email["nia@phso.example"].runs_the_meeting
    assert not by_email["priya@example.org"].runs_the_meeting
    # The In-Meeting Activities section after the table is not read as more participants.
    assert [(g.name, g.seconds) for g in report.without_email] == [("Guest caller", 725)]


def test_teams_report_saved_again_by_excel_as_utf8_with_commas():
    text = (
        "1. Summary\r\n"
        "Meeting title,Learning from complaints\r\n"
        ",\r\n"
        "2. Participants\r\n"
        "Name,First Join,Last Leave,In-Meeting Duration,Email,Participant ID (UPN),Role\r\n"
        '"Hilton, Andrew","3/30/27, 10:00:01 AM","3/30/27, 11:00:00 AM",45m,'
        "andrew@example.org,,Attendee\r\n"
        ",,,,,,\r\n"
        "3. In-Meeting Activities,,,,,,\r\n"
    )
    report = read(b"\xef\xbb\xbf" + text.encode())
    assert [(p.email, p.name, p.seconds) for p in report.participants] == [
        ("andrew@example.org", "Hilton, Andrew", 45 * 60)
    ]


def test_teams_without_an_email_uses_the_sign_in_name():
    report = read(teams_file(teams_row("Ext", "30m 0s", "", upn="Ext.Person@Partner.example")))
    assert [p.email for p in report.participants] == ["ext.person@partner.example"]


def test_zoom_rejoins_are_added_up_and_guests_without_email_are_listed():
    report = read(
        zoom_file(
            zoom_row("Priya Sharma", "priya@example.org", 20, leave="10:20:00 AM"),
            zoom_row("Tom Hughes (Tom H)", "TOM@example.org", 55),
            zoom_row("Priya Sharma", "Priya@Example.org", 25, join="10:30:00 AM"),
            zoom_row("Caller 0207", "", 40),
        )
    )
    assert report.platform == ZOOM
    minutes = {p.email: (p.minutes, p.lines) for p in report.participants}
    assert minutes == {"priya@example.org": (45, (5, 7)), "tom@example.org": (55, (6,))}
    assert [g.name for g in report.without_email] == ["Caller 0207"]


def test_zoom_without_the_meeting_block_and_with_unique_users():
    data = (
        b"Name (Original Name),User Email,Total Duration (Minutes),Guest\n"
        b"Priya Sharma,priya@example.org,75,No\n"
        b"Tom Hughes,tom@example.org,12,No\n"
    )
    report = read(data)
    assert {p.email: p.minutes for p in report.participants} == {
        "priya@example.org": 75,
        "tom@example.org": 12,
    }


def test_a_lone_dash_is_not_a_formula():
    report = read(zoom_file(zoom_row("Priya", "priya@example.org", 50).replace(",Y,", ",-,")))
    assert report.participants[0].minutes == 50


# Hostile files: each refused whole, with its lines named ----------------------------------------


def test_an_empty_file_and_one_of_blank_lines():
    assert "empty" in refused(b"").problems[0]
    assert "empty" in refused(b"\xef\xbb\xbf \r\n\r\n").problems[0]
    assert "empty" in refused("\ufeff".encode("utf-16-le")).problems[0]


def test_a_workbook_a_pdf_and_binary_data_are_not_csv():
    assert "Excel workbook" in refused(b"PK\x03\x04\x14\x00rest").problems[0]
    assert "PDF" in refused(b"%PDF-1.7\n").problems[0]
    assert "binary data" in refused(b"Name,Email\x00\x01\x02\xff,x\n").problems[0]


def test_invalid_utf8_names_its_line():
    data = zoom_file(zoom_row("Priya", "priya@example.org", 50)).replace(b"Priya", b"Pr\xe9ya")
    [problem] = refused(data).problems
    assert "not in UTF-8" in problem and "line 5" in problem and "0xe9" in problem


def test_utf16_big_endian_and_without_its_mark_are_read_too():
    text = TEAMS_HEAD + teams_row("Priya", "50m 0s", "priya@example.org")
    for data in ("\ufeff" + text).encode("utf-16-be"), text.encode("utf-16-le"):
        assert [p.email for p in read(data).participants] == ["priya@example.org"]


def test_utf16_cut_short_is_refused():
    data = teams_file(teams_row("Priya", "50m", "priya@example.org"))[:-1]
    assert "UTF-16" in refused(data).problems[0]


def test_a_byte_order_mark_in_the_middle_of_the_file_names_its_line():
    joined = zoom_file(zoom_row("Priya", "priya@example.org", 50), bom=True) + zoom_file(
        zoom_row("Tom", "tom@example.org", 50), bom=True
    )
    [problem] = refused(joined).problems
    assert problem.startswith("Line 6:") and "byte order mark" in problem


def test_wrong_columns_say_which_are_missing():
    problem = refused(b"Name,Email,Minutes attended\nPriya,priya@example.org,40\n").problems[0]
    assert problem.startswith("Line 1:") and "the time each person was there" in problem
    assert "no list of participants" in refused(b"a,b,c\n1,2,3\n").problems[0]


def test_teams_older_join_and_leave_list_is_explained():
    data = "Full Name\tUser Action\tTimestamp\nPriya\tJoined\t3/30/2027, 10:00:01\n"
    assert "older attendance list" in refused(data.encode("utf-16")).problems[0]


def test_formula_cells_are_refused_with_their_lines():
    error = refused(
        zoom_file(
            zoom_row("Priya", "priya@example.org", 50),
            zoom_row('=HYPERLINK("http://x")', "tom@example.org", 50),
            zoom_row("Ann", "ann@example.org", 50),
            zoom_row("@SUM(1)", "bo@example.org", 50),
        )
    )
    assert error.count == 2
    assert error.problems[0].startswith("Line 6:") and "formula" in error.problems[0]
    assert error.problems[1].startswith("Line 8:")


def test_duplicate_rows_name_the_line_they_repeat():
    row = zoom_row("Priya", "priya@example.org", 50)
    error = refused(zoom_file(row, zoom_row("Tom", "tom@example.org", 5), row))
    assert error.problems == ["Line 7: It repeats line 5 (priya@example.org)."]
    teams = refused(
        teams_file(
            teams_row("Priya", "50m", "priya@example.org"),
            teams_row("Priya S", "10m", "PRIYA@example.org"),
        )
    )
    assert teams.problems == ["Line 12: It repeats line 11 (priya@example.org)."]


def test_bad_cells_are_each_named_and_all_lines_counted():
    error = refused(
        zoom_file(
            zoom_row("Priya", "not-an-address", 50),
            zoom_row("Tom", "tom@example.org", "fifty"),
            zoom_row("Ann", "ann@example.org", ""),
            zoom_row("Bo", "bo@example.org", 99999),
            zoom_row("Cy", "cy@example.org", 10).rstrip() + ",extra,cells\n",
        )
    )
    assert error.count == 5
    joined = "\n".join(error.problems)
    assert "Line 5: “not-an-address” is not an e-mail address." in joined
    assert "Line 6: The time in the meeting “fifty” is not a whole number of minutes." in joined
    assert "Line 7: The time in the meeting is empty." in joined
    assert "Line 8: The time in the meeting “99999” is longer than a day." in joined
    assert "Line 9: The line has 10 cells but the header row (line 4) names 8 columns." in joined


def test_problems_listed_are_capped_but_all_counted():
    rows = [zoom_row(f"P{n}", f"p{n}@example.org", "x") for n in range(30)]
    error = refused(zoom_file(*rows))
    assert error.count == 30 and len(error.problems) == 20 and error.unlisted == 10


def test_too_many_rows_is_a_clear_limit():
    rows = "".join(zoom_row(f"P{n}", f"p{n}@example.org", 50) for n in range(50_000))
    [problem] = refused(zoom_file(rows), max_rows=10_000).problems
    assert "more than 10,000 rows" in problem


def test_a_header_with_nobody_under_it():
    assert "nobody under it" in refused(zoom_file()).problems[0]


def test_an_unclosed_quote_names_its_line():
    data = zoom_file(zoom_row("Priya", "priya@example.org", 50)) + b'"Tom,tom@example.org\n'
    [problem] = refused(data).problems
    assert "cannot be read as CSV" in problem


# Properties -------------------------------------------------------------------------------------

emails = st.from_regex(r"[a-z][a-z0-9.]{0,10}@[a-z]{1,8}\.(org|uk|example)", fullmatch=True)
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\t\r\n\x00\ufeff\"'"),
    min_size=1,
    max_size=30,
).filter(lambda name: name.strip() and not name.strip().startswith(("=", "+", "-", "@")))
people = st.dictionaries(emails, st.tuples(names, st.integers(0, 600)), min_size=1, max_size=15)


@given(people=people, splits=st.lists(st.integers(1, 3), min_size=15, max_size=15))
def test_zoom_minutes_add_up_however_the_joins_are_split(people, splits):
    rows, expected = [], {}
    for index, (email, (name, minutes)) in enumerate(people.items()):
        parts = splits[index]
        shares = [minutes // parts] * (parts - 1) + [minutes - (minutes // parts) * (parts - 1)]
        for part, share in enumerate(shares):
            quoted = '"' + name.replace('"', '""') + '"'
            rows.append(zoom_row(quoted, email.upper(), share, join=f"10:0{part}:00 AM"))
        expected[email] = minutes
    report = read(zoom_file(*rows, bom=True))
    assert {p.email: p.minutes for p in report.participants} == expected
    assert [p.name for p in report.participants] == [name.strip() for name, _ in people.values()]


@given(people=people)
def test_teams_utf16_report_reads_back_what_was_written(people):
    rows = []
    for email, (name, minutes) in people.items():
        duration = f"{minutes // 60}h {minutes % 60}m 7s" if minutes >= 60 else f"{minutes}m 7s"
        rows.append(teams_row(name.strip(), duration, email))
    report = read(teams_file(*rows))
    assert {p.email: p.seconds for p in report.participants} == {
        email: minutes * 60 + 7 for email, (_, minutes) in people.items()
    }


@given(hours=st.integers(0, 23), minutes=st.integers(0, 59), seconds=st.integers(0, 59))
def test_teams_durations_in_either_spelling(hours, minutes, seconds):
    total = hours * 3600 + minutes * 60 + seconds
    assert teams_seconds(f"{hours}h {minutes}m {seconds}s") == total
    assert teams_seconds(f"{hours}:{minutes:02}:{seconds:02}") == total
    if hours == 0:
        assert teams_seconds(f"{minutes}m {seconds}s") == total


@given(data=st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_in_words(data):
    try:
        read(data)
    except AttendanceFileError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)


@given(
    people=people,
    victim=st.integers(0, 14),
    start=st.sampled_from(["=", "+", "-", "@"]),
    column=st.sampled_from(["name", "minutes"]),
)
def test_a_formula_anywhere_refuses_the_file_and_names_its_line(people, victim, start, column):
    rows = [
        zoom_row(f"P{n}", email, minutes) for n, (email, (_, minutes)) in enumerate(people.items())
    ]
    victim %= len(rows)
    email = list(people)[victim]
    name, minutes = (f"{start}cmd", 5) if column == "name" else (f"P{victim}", f"{start}5")
    rows[victim] = zoom_row(name, email, minutes)
    error = refused(zoom_file(*rows))
    assert error.count == 1
    assert error.problems[0].startswith(f"Line {5 + victim}:")
    assert "formula" in error.problems[0]
