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
