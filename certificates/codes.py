"""Verification codes: 100 random bits written in Crockford's base 32, grouped for reading aloud.

Pure: no Django. Crockford's alphabet leaves out I, L, O and U, and reading treats I and L as 1
and O as 0, so a code copied by hand from paper still matches.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # 20 symbols x 5 bits = 100 bits
GROUP = 5
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    """A fresh code in its canonical form (no separators)."""
    value = secrets.randbits(LENGTH * 5)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH)))


def display(code: str) -> str:
    """The code as printed: groups of five joined by hyphens."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(text: str) -> str | None:
    """The canonical code a person meant, or None when the text cannot be a code."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t").translate(_READ_AS)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned
