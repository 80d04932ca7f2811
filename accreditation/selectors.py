"""Reads for pages and reports, each in a fixed number of queries whatever the rows."""

from .models import Programme, ProgrammeVersion


def current_version(programme: Programme) -> ProgrammeVersion | None:
    """The published version new candidates enrol on, or None."""
    return programme.versions.filter(status=ProgrammeVersion.Status.PUBLISHED).first()
