"""The checks on a recording's files before anything is stored (courses/recording_files.py):
types told by content, names that hide things, sizes, and captions that are not WebVTT."""

import contextlib
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses import recording_files as files
from tests.courses.recordings import CAPTIONS, MP4, PDF, WEBM

LIMIT = 10_000_000


def video(name, data=MP4, limit=LIMIT):
    return files.check_video(name=name, stream=io.BytesIO(data), size=len(data), max_bytes=limit)


def captions(data, name="talk.vtt", limit=LIMIT):
    return files.check_captions(name=name, data=data, max_bytes=limit)


def slides(name, data=PDF):
    return files.check_slides(name=name, stream=io.BytesIO(data), size=len(data), max_bytes=LIMIT)


def test_mp4_and_webm_are_told_by_their_content():
    assert video("talk.mp4") == "video/mp4"
    assert video("talk.M4V") == "video/mp4"
    assert video("talk.webm", WEBM) == "video/webm"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("talk.webm", MP4, "Rename it to end in .mp4"),
        ("talk.mp4", PDF, "it is a PDF file"),
        ("talk.mp4", b"just some text that is not a video", "not a video we could recognise"),
        ("talk.mov", MP4, "must end in .mp4 or .m4v or .webm"),
        ("talk.mp4", b"", "is empty"),
        ("talk\u202e4pm.exe", MP4, "hidden characters"),
        ("../talk.mp4", MP4, "hidden characters or folders"),
        ("x" * 300 + ".mp4", MP4, "longer than 200 characters"),
    ],
)
def test_a_video_that_is_not_what_it_says_is_refused_with_why(name, data, words):
    with pytest.raises(files.Refused, match=words):
        video(name, data)


def test_a_video_over_the_limit_is_refused_with_both_sizes():
    with pytest.raises(files.Refused, match="is 10 KB: the largest this file can be is 5 KB"):
        video("talk.mp4", MP4, limit=5 * 1024)


def test_captions_with_a_byte_order_mark_and_voices_are_read():
    found = captions(b"\xef\xbb\xbf" + CAPTIONS)
    assert found.cues == 2
    assert found.last_ends_seconds == 9


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"1\n00:00:01,000 --> 00:00:02,000\nHello\n", "Is it an SRT file?"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xff\xfe broken\n", "not UTF-8 text"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nBackwards\n", "caption 1 .* ends before"),
        (
            b"WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nB\n\n00:00:01.000 --> 00:00:02.000\nA\n",
            "caption 2 starts at 00:00:01.000, before the caption above it",
        ),
        (b"WEBVTT\n", "holds no captions"),
        (b"", "is empty"),
    ],
)
def test_captions_that_are_not_good_webvtt_are_refused_with_why(data, words):
    with pytest.raises(files.Refused, match=words):
        captions(data)


def test_captions_must_be_named_vtt_and_fit_the_limit():
    with pytest.raises(files.Refused, match="must end in .vtt"):
        captions(CAPTIONS, name="talk.srt")
    with pytest.raises(files.Refused, match="the largest this file can be"):
        captions(CAPTIONS, limit=50)


@given(st.binary(max_size=400))
def test_any_bytes_as_captions_are_read_or_refused_never_crash(data):
    with contextlib.suppress(files.Refused):
        captions(b"WEBVTT\n\n" + data)


def test_slides_are_a_pdf():
    slides("Slides.pdf")
    with pytest.raises(files.Refused, match="it is not a PDF"):
        slides("Slides.pdf", b"PK\x03\x04 a PowerPoint file renamed")
    with pytest.raises(files.Refused, match="must end in .pdf"):
        slides("Slides.pptx")
