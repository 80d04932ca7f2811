"""State changes of the organisations app, one module per job; this facade re-exports their
public names, so callers write `from organisations import services`.

- people: a manager's view of a person's record (audited), their tier, and people leaving
"""

from .people import change_tier, leave, leaving_moment, record_leaving, record_viewing

__all__ = ["change_tier", "leave", "leaving_moment", "record_leaving", "record_viewing"]
