"""Demo content for the sittings of the demo webinar (demo_content.WEBINAR): one that has taken
place, with the people who booked, those who came (matched from the meeting platform's
attendance report) and one who came without booking; and one still to come, with some places
taken and plenty left. The people are the demo learner, who can sign in, and the made-up
learners at the first trust (demo_content.SAMPLE_LEARNERS), so the trust's complaints lead sees
their staff at both sittings.

All days count back (or on) from the day the demo is loaded; both sittings start at the
webinar's usual hour, UK time, and last its usual length."""

# The sitting that has been.
PAST_DAYS_AGO = 16
PAST_CAPACITY = 30
# The trainer put it on the webinar's page this many days before it took place.
PAST_ADDED_DAYS_BEFORE = 42
# And recorded who came, from the platform's report, this many hours after it ended.
PAST_RECORDED_HOURS_AFTER = 3

# Who booked it: (e-mail, days before the session they booked, minutes the attendance report
# gives them, or None for someone who kept their place and did not come).
PAST_BOOKINGS = [
    ("sample01@example.org", 27, 61),
    ("sample02@example.org", 25, 58),
    ("sample03@example.org", 21, 60),
    ("sample04@example.org", 18, None),
    ("sample05@example.org", 15, 44),
    ("sample08@example.org", 12, 60),
    ("learner@example.org", 10, 57),
    ("sample11@example.org", 6, 52),
    ("sample13@example.org", 2, None),
]

# In the report without having booked: a colleague passed the link on.
PAST_WALK_INS = [("sample07@example.org", 48)]

# The sitting to come: it is demo_content.WEBINAR["days_ahead"] days away with
# demo_content.WEBINAR["capacity"] places. The trainer added it this many days ago.
COMING_ADDED_DAYS_AGO = 12

# Who has booked it so far: (e-mail, days ago). Among them the two who missed the last one.
COMING_BOOKINGS = [
    ("sample04@example.org", 11),
    ("sample16@example.org", 9),
    ("sample13@example.org", 8),
    ("sample19@example.org", 6),
    ("sample22@example.org", 4),
    ("learner@example.org", 3),
    ("sample25@example.org", 1),
]

# The recording of the sitting that has been, published by the trainer this many days after it.
RECORDING_PUBLISHED_DAYS_AFTER = 2
# example.org is reserved for examples: the link goes nowhere real.
RECORDING_URL = "https://video.example.org/academy/complaint-standards-in-practice"
RECORDING_MINUTES = 56
RECORDING_CPD_HOURS = "1.0"

# What was said, by whom, from when to when (seconds into the recording): written out as the
# transcript on the page and as the captions file.
RECORDING_SPEECH = [
    (2, 9, "Nia Okafor", "Good afternoon, and thank you for joining us."),
    (
        9,
        18,
        "Nia Okafor",
        "Today we take the questions you sent in about applying the Complaint Standards.",
    ),
    (
        19,
        30,
        "Daniel Brennan",
        "The first one we hear a lot: does a concern raised on the phone count as a complaint?",
    ),
    (
        30,
        44,
        "Nia Okafor",
        "If the person wants it looked into and answered, treat it as one, however it reached "
        "you. Ask them what they would like to happen.",
    ),
    (
        45,
        58,
        "Daniel Brennan",
        "Next: how often should we update someone while we investigate?",
    ),
    (
        58,
        74,
        "Nia Okafor",
        "Agree it with them at the start, then keep to it. If something slips, tell them "
        "before the date passes, and say why.",
    ),
]

# The slides shown, as (heading, points), made into a PDF when the demo is loaded.
RECORDING_SLIDES = [
    (
        "The Complaint Standards in practice",
        ["Questions answered live", "Nia Okafor and Daniel Brennan, PHSO Academy"],
    ),
    (
        "Is it a complaint?",
        [
            "It is if the person wants it looked into and answered",
            "However it reaches you: in person, on the phone, in writing",
            "Ask what they would like to happen",
        ],
    ),
    (
        "Keeping people updated",
        [
            "Agree how often at the start",
            "Keep to it, even when there is little news",
            "Tell them before a date slips, and why",
        ],
    ),
]


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02}:{seconds % 3600 // 60:02}:{seconds % 60:02}.000"


def recording_transcript() -> str:
    return "\n\n".join(f"{speaker}: {text}" for _start, _end, speaker, text in RECORDING_SPEECH)


def recording_captions() -> bytes:
    cues = [
        f"{_clock(start)} --> {_clock(end)}\n<v {speaker}>{text}"
        for start, end, speaker, text in RECORDING_SPEECH
    ]
    return ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode()
