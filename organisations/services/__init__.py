"""Every state change of the organisations app, one module per part, re-exported here.

- privacy: the organisations app's part of erasing a person
"""

from .privacy import erase_personal_data

__all__ = ["erase_personal_data"]
