"""Checks on the files of a webinar recording before anything is stored: the video (MP4 or
WebM), its captions (WebVTT) and the slides (PDF). Types are told by content, never by the name
or the browser's word for it. No Django here: the service passes in the name, the bytes and the
size limit, and gets back what the file is, or a `Refused` whose message names the file and says
what to do."""

from dataclasses import dataclass
from typing import BinaryIO

import filetype
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from academy.file_names import extension_of, in_words, is_control, shown

VIDEO_TYPES = {"video/mp4": (".mp4", ".m4v"), "video/webm": (".webm",)}
MAX_NAME_LENGTH = 200


class Refused(Exception):
    """The file was refused; the message says why, for the trainer uploading it."""


@dataclass(frozen=True)
class Captions:
    cues: int
    last_ends_seconds: float


def _check_name(name: str, extensions: tuple[str, ...], kind: str) -> None:
    if not name or not name.strip():
        raise Refused(f"The {kind} file has no name. Give it one ending in {extensions[0]}.")
    if any(is_control(c) for c in name) or "/" in name or "\\" in name:
        raise Refused(
            f"{shown(name)} was not accepted: its name holds hidden characters or folders. "
            "Rename the file and upload it again."
        )
    if len(name) > MAX_NAME_LENGTH:
        raise Refused(
            f"{shown(name)} was not accepted: its name is longer than {MAX_NAME_LENGTH} "
            "characters. Give it a shorter name."
        )
    if extension_of(name) not in extensions:
        raise Refused(
            f"{shown(name)} was not accepted as the {kind}: its name must end in "
            f"{' or '.join(extensions)}."
        )


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size == 0:
        raise Refused(f"{shown(name)} is empty. Choose the file again, or another one.")
    if size > max_bytes:
        raise Refused(
            f"{shown(name)} is {in_words(size)}: the largest this file can be is "
            f"{in_words(max_bytes)}."
        )


def _head(stream: BinaryIO, length: int = 8192) -> bytes:
    stream.seek(0)
    head = stream.read(length)
    stream.seek(0)
    return head


def check_video(*, name: str, stream: BinaryIO, size: int, max_bytes: int) -> str:
    """The video's content type ("video/mp4" or "video/webm") when its name, size and content
    agree; otherwise Refused."""
    extensions = tuple(ext for exts in VIDEO_TYPES.values() for ext in exts)
    _check_name(name, extensions, "video")
    _check_size(name, size, max_bytes)
    kind = filetype.guess(_head(stream))
    found = kind.mime if kind else ""
    if found not in VIDEO_TYPES:
        what = f"a {kind.extension.upper()} file" if kind else "not a video we could recognise"
        raise Refused(
            f"{shown(name)} was not accepted: it is {what}. Upload the recording as an MP4 or "
            "WebM video (most meeting platforms save MP4), or give its link instead."
        )
    if extension_of(name) not in VIDEO_TYPES[found]:
        raise Refused(
            f"{shown(name)} was not accepted: its name says one kind of video but its content "
            f"is {found.removeprefix('video/').upper()}. Rename it to end in "
            f"{VIDEO_TYPES[found][0]}."
        )
    return found


def check_slides(*, name: str, stream: BinaryIO, size: int, max_bytes: int) -> None:
    """Slides are a PDF: what every learner can open, on any device, and read with a screen
    reader when it was saved with its text. Refused otherwise."""
    _check_name(name, (".pdf",), "slides")
    _check_size(name, size, max_bytes)
    if not _head(stream, 1024).lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        raise Refused(
            f"{shown(name)} was not accepted: it is not a PDF. Save the slides as a PDF (in "
            "PowerPoint: File, Save a copy, PDF) and upload that."
        )


def check_captions(*, name: str, data: bytes, max_bytes: int) -> Captions:
    """Captions are a WebVTT file in UTF-8 whose cues each end after they start and come in
    order of their start. Refused otherwise, naming the first bad cue."""
    _check_name(name, (".vtt",), "captions")
    _check_size(name, len(data), max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(
            f"{shown(name)} was not accepted: it is not UTF-8 text (byte {exc.start + 1} is "
            "not). Save it again as UTF-8, which every captioning tool offers."
        ) from None
    if not text.startswith("WEBVTT"):
        raise Refused(
            f"{shown(name)} was not accepted: a WebVTT file starts with the word WEBVTT on its "
            "first line, and this one does not. Is it an SRT file? Convert it to WebVTT first."
        )
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise Refused(
            f"{shown(name)} was not accepted: it is not a valid WebVTT file ({exc})."
        ) from None
    if not captions:
        raise Refused(f"{shown(name)} was not accepted: it holds no captions.")
    previous_start = 0.0
    for number, cue in enumerate(captions, start=1):
        if cue.end_in_seconds <= cue.start_in_seconds:
            raise Refused(
                f"{shown(name)} was not accepted: caption {number} ({cue.start} --> {cue.end}) "
                "ends before it starts."
            )
        if cue.start_in_seconds < previous_start:
            raise Refused(
                f"{shown(name)} was not accepted: caption {number} starts at {cue.start}, "
                "before the caption above it. Captions must be in order of time."
            )
        previous_start = cue.start_in_seconds
    return Captions(cues=len(captions), last_ends_seconds=captions[-1].end_in_seconds)
