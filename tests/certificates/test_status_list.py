"""The Bitstring Status List encoding: what a wallet decodes is exactly what we set."""

import base64
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates import status_list

# The all-clear list of 131,072 entries printed in the Bitstring Status List specification's
# examples: decoding it proves we read the format other issuers write.
SPEC_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

indexes = st.sets(st.integers(min_value=0, max_value=status_list.MIN_ENTRIES - 1), max_size=50)


def test_the_specifications_empty_list_decodes_to_131072_clear_entries():
    bits = status_list.decode(SPEC_EMPTY_LIST)
    assert len(bits) * 8 == status_list.MIN_ENTRIES
    assert not any(bits)


@given(indexes)
def test_exactly_the_set_entries_read_back_as_set(chosen):
    bits = status_list.decode(status_list.encode(chosen))
    for index in chosen:
        assert status_list.is_set(bits, index)
    assert sum(bin(byte).count("1") for byte in bits) == len(chosen)


def test_entry_zero_is_the_leftmost_bit_of_the_first_byte():
    bits = status_list.decode(status_list.encode([0, 9]))
    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000


@given(indexes)
def test_the_same_entries_always_give_the_same_text(chosen):
    assert status_list.encode(chosen) == status_list.encode(sorted(chosen, reverse=True))


@pytest.mark.parametrize("index", [-1, status_list.MIN_ENTRIES])
def test_an_index_outside_the_list_is_refused(index):
    with pytest.raises(status_list.StatusListError, match="outside"):
        status_list.encode([index])
    with pytest.raises(status_list.StatusListError, match="outside"):
        status_list.is_set(status_list.decode(SPEC_EMPTY_LIST), index)


def _encoded(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(raw, mtime=0)).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("zSomethingElse", "must start with u"),
        ("u!!!not base64", "not GZIP"),
        ("u" + base64.urlsafe_b64encode(b"plain bytes").decode(), "not GZIP"),
        (_encoded(bytes(100)), "fewer than"),
        (_encoded(bytes(status_list.MAX_ENTRIES // 8 + 1)), "too large"),
    ],
)
def test_an_unreadable_list_is_refused_with_the_reason(encoded, message):
    with pytest.raises(status_list.StatusListError, match=message):
        status_list.decode(encoded)


def test_a_list_smaller_than_the_minimum_is_never_written():
    with pytest.raises(status_list.StatusListError, match="at least"):
        status_list.encode([], size=1024)
