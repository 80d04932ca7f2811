"""Read paths of the organisations app, one module per part, re-exported here.

- privacy: a person's invitations and assignments for their download of their data
"""

from .privacy import personal_data

__all__ = ["personal_data"]
