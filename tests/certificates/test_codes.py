"""Verification codes: 100 random bits that survive being read aloud and copied by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates import codes

canonical_codes = st.text(alphabet=codes.ALPHABET, min_size=codes.LENGTH, max_size=codes.LENGTH)


def as_number(code: str) -> int:
    value = 0
    for symbol in code:
        value = value * 32 + codes.ALPHABET.index(symbol)
    return value


@given(canonical_codes)
def test_a_printed_code_reads_back_as_itself(code):
    printed = codes.display(code)
    assert printed.count("-") == 3
    assert all(len(group) == 5 for group in printed.split("-"))
    assert codes.normalise(printed) == code
    assert codes.normalise(code) == code


@given(canonical_codes, st.sampled_from(["-", " ", "", " - ", "\t"]), st.booleans())
def test_case_and_separators_do_not_matter(code, separator, lower):
    typed = separator.join(codes.display(code).split("-"))
    typed = typed.lower() if lower else typed
    assert codes.normalise(f" {typed} ") == code


@given(canonical_codes, st.data())
def test_letters_mistaken_for_digits_are_read_as_the_digits(code, data):
    """I, L (either case) are read as 1 and O as 0, the confusions of handwriting and fonts."""
    misreadings = {"1": "IiLl1", "0": "Oo0"}
    confused = "".join(
        data.draw(st.sampled_from(misreadings[symbol])) if symbol in misreadings else symbol
        for symbol in code
    )
    assert codes.normalise(confused) == code


def test_a_handwritten_code_with_every_confusion_matches():
    assert codes.normalise("ioLl0-11111-22222-33333") == "10110111112222233333"


@given(st.text(alphabet=codes.ALPHABET, min_size=0, max_size=40).filter(lambda t: len(t) != 20))
def test_a_code_of_the_wrong_length_is_not_a_code(text):
    assert codes.normalise(text) is None


@given(canonical_codes, st.integers(min_value=0, max_value=19), st.sampled_from("UuÉ!?./#*_"))
def test_a_code_with_a_symbol_outside_the_alphabet_is_not_a_code(code, position, bad):
    assert codes.normalise(code[:position] + bad + code[position + 1 :]) is None


@pytest.mark.parametrize("text", ["", "-----", "not a code", "ABCDE-FGHJK-MNPQR", "../../etc/pass"])
def test_malformed_text_is_not_a_code(text):
    assert codes.normalise(text) is None


def test_the_alphabet_is_crockfords_32_symbols_without_i_l_o_u():
    assert len(codes.ALPHABET) == len(set(codes.ALPHABET)) == 32
    assert not set("ILOU") & set(codes.ALPHABET)


def test_new_codes_carry_100_random_bits_in_the_alphabet():
    issued = {codes.new_code() for _ in range(2000)}
    assert len(issued) == 2000
    for code in issued:
        assert len(code) == codes.LENGTH == 20
        assert set(code) <= set(codes.ALPHABET)
        assert codes.normalise(code) == code
        assert as_number(code) < 2**100
    # Every one of the 20 symbols varies, so no part of the code is fixed.
    for position in range(codes.LENGTH):
        assert len({code[position] for code in issued}) > 16


@pytest.mark.parametrize("bits", [0, 1, 2**99, 2**100 - 1, 0x5A5A5A5A5A5A5A5A5A5A5A5A5])
def test_a_new_code_is_the_random_number_written_in_base_32(monkeypatch, bits):
    requested = []

    def randbits(k):
        requested.append(k)
        return bits

    monkeypatch.setattr(codes.secrets, "randbits", randbits)
    code = codes.new_code()
    assert requested == [100]
    assert as_number(code) == bits
    assert len(code) == 20
