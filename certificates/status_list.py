"""Bitstring Status List v1.0 (W3C): one bit a credential, compressed and multibase-encoded.

Pure: no Django. Bit 0 is the most significant bit of the first byte, as the specification says;
`encodedList` is the GZIP-compressed bitstring in base64url without padding, behind the multibase
prefix "u".
"""

import base64
import gzip
import zlib
from collections.abc import Iterable

from .errors import StatusListError

# The specification's minimum (16 KiB of bits), so that one credential hides among many.
MIN_ENTRIES = 131_072
# A decompressed list larger than this is refused: a hostile file must not exhaust memory.
MAX_ENTRIES = 8 * 1024 * 1024 * 8


def encode(set_indexes: Iterable[int], *, size: int = MIN_ENTRIES) -> str:
    """The `encodedList` of a list of `size` bits with the given indexes set."""
    if size < MIN_ENTRIES or size % 8:
        raise StatusListError(f"A status list has at least {MIN_ENTRIES} entries, in whole bytes.")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise StatusListError(f"Index {index} is outside a list of {size} entries.")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 so the same bits always give the same text (and the same signature input).
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded_list: str) -> bytes:
    """The bitstring behind an `encodedList`."""
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise StatusListError("The encoded list is not multibase base64url (it must start with u).")
    body = encoded_list[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        bits = inflater.decompress(compressed, MAX_ENTRIES // 8 + 1)
    except (ValueError, zlib.error) as exc:
        raise StatusListError("The encoded list is not GZIP-compressed base64url.") from exc
    if len(bits) * 8 > MAX_ENTRIES or inflater.unconsumed_tail:
        raise StatusListError("The encoded list is too large.")
    if len(bits) * 8 < MIN_ENTRIES:
        raise StatusListError(f"The status list has fewer than {MIN_ENTRIES} entries.")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    """Whether entry `index` of a decoded bitstring is set."""
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"Index {index} is outside a list of {len(bits) * 8} entries.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
