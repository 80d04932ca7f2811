"""Properties of carrying a corrected answer key over onto an older version's options
(assessments.remapping): scoring an old answer against the carried-over key is the same as
translating the answer into the new version and scoring it there."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.remapping import Unmappable, can_map, corrected_key
from assessments.scoring import score_response

CHOICE_KINDS = ("single", "multiple", "truefalse")
keys = st.text(alphabet="0123456789abcdef", min_size=8, max_size=8)


def fresh_keys(count: int, taken: set[str] | None = None) -> list[str]:
    """Keys unlike each other (and unlike those taken), as a new version's random keys are."""
    taken = set(taken or ())
    out = []
    n = 0
    while len(out) < count:
        key = f"{n:08x}"[::-1]
        n += 1
        if key not in taken:
            taken.add(key)
            out.append(key)
    return out


@st.composite
def choice_versions(draw, same_count=True):
    """(kind, old version, new version) of a choice question: any right options in each."""
    kind = draw(st.sampled_from(CHOICE_KINDS))
    count = 2 if kind == "truefalse" else draw(st.integers(2, 6))
    new_count = count if same_count or kind == "truefalse" else draw(st.integers(2, 6))

    def options(n, prefix):
        right = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        if kind != "multiple":
            right = [False] * n
            right[draw(st.integers(0, n - 1))] = True
        elif not any(right):
            right[0] = True
        return [
            {"key": key, "text": f"Option {i}", "correct": r, "feedback": f"{prefix} {i}"}
            for i, (key, r) in enumerate(zip(fresh_keys(n), right, strict=True))
        ]

    old = {"kind": kind, "options": options(count, "old"), "settings": {}}
    new = {"kind": kind, "options": options(new_count, "new"), "settings": {}}
    # The new version's keys must not be the old one's: rename them.
    renamed = fresh_keys(new_count, {o["key"] for o in old["options"]})
    new["options"] = [{**o, "key": k} for o, k in zip(new["options"], renamed, strict=True)]
    return kind, old, new


def score(version: dict, answer, options=None) -> object:
    return score_response(version["kind"], options or version["options"], answer)


@given(choice_versions(), st.data())
def test_a_choice_answer_scores_as_if_given_the_same_positions_in_the_new_version(versions, data):
    kind, old, new = versions
    old_keys = [o["key"] for o in old["options"]]
    if kind == "multiple":
        answer = data.draw(st.lists(st.sampled_from(old_keys), unique=True))
    else:
        answer = data.draw(st.lists(st.sampled_from(old_keys), max_size=1))
    options, _case = corrected_key(old, new)
    by_position = dict(zip(old_keys, (o["key"] for o in new["options"]), strict=True))
    assert score(old, answer, options) == score(new, [by_position[k] for k in answer])
    # The learner's view is unchanged: the old keys and texts, in the old order.
    assert [(o["key"], o["text"]) for o in options] == [
        (o["key"], o["text"]) for o in old["options"]
    ]


@given(choice_versions(), st.data())
def test_carrying_a_version_onto_an_identical_one_never_changes_a_mark(versions, data):
    _kind, old, _new = versions
    same = {**old, "options": [{**o, "key": o["key"][::-1] + "x"} for o in old["options"]]}
    answer = data.draw(st.lists(st.sampled_from([o["key"] for o in old["options"]]), unique=True))
    options, _case = corrected_key(old, same)
    assert score(old, answer, options) == score(old, answer)


@given(choice_versions(same_count=False))
def test_choice_versions_map_exactly_when_they_have_as_many_options(versions):
    _kind, old, new = versions
    problem = can_map(old, new)
    assert (problem == "") == (len(old["options"]) == len(new["options"]))


@given(st.permutations(range(5)), st.permutations(range(5)))
def test_an_ordering_answer_is_scored_against_the_corrected_order_by_item(right_order, given):
    texts = ["Acknowledge", "Investigate", "Respond", "Apologise", "Learn"]
    old_keys, new_keys = fresh_keys(5), fresh_keys(5, set(fresh_keys(5)))
    old = {
        "kind": "ordering",
        "options": [
            {"key": k, "text": t, "feedback": ""} for k, t in zip(old_keys, texts, strict=True)
        ],
        "settings": {},
    }
    new_texts = [texts[i] for i in right_order]
    new = {
        "kind": "ordering",
        "options": [
            {"key": k, "text": t, "feedback": ""} for k, t in zip(new_keys, new_texts, strict=True)
        ],
        "settings": {},
    }
    answer = [old_keys[i] for i in given]
    options, _case = corrected_key(old, new)
    new_key_of = {t: k for k, t in zip(new_keys, new_texts, strict=True)}
    translated = [new_key_of[texts[old_keys.index(k)]] for k in answer]
    assert score(old, answer, options) == score(new, translated)


@given(
    st.lists(st.integers(0, 2), min_size=3, max_size=3),
    st.lists(st.integers(0, 2), min_size=3, max_size=3),
    st.lists(st.integers(0, 2), min_size=3, max_size=3),
)
def test_a_matching_answer_is_scored_against_the_corrected_matches(old_match, new_match, given):
    items, answers = ["First", "Second", "Third"], ["Locally", "By us", "In court"]

    def version(matches, salt):
        lefts = fresh_keys(3, {salt})
        rights = fresh_keys(3, set(lefts) | {salt})
        return {
            "kind": "matching",
            "options": [
                {"key": lk, "side": "left", "text": t, "match": rights[m], "feedback": ""}
                for lk, t, m in zip(lefts, items, matches, strict=True)
            ]
            + [
                {"key": rk, "side": "right", "text": a}
                for rk, a in zip(rights, answers, strict=True)
            ],
            "settings": {},
        }

    old, new = version(old_match, "a"), version(new_match, "b")
    old_lefts = [o for o in old["options"] if o["side"] == "left"]
    old_rights = [o for o in old["options"] if o["side"] == "right"]
    answer = {left["key"]: old_rights[g]["key"] for left, g in zip(old_lefts, given, strict=True)}
    options, _case = corrected_key(old, new)
    new_lefts = [o for o in new["options"] if o["side"] == "left"]
    new_rights = [o for o in new["options"] if o["side"] == "right"]
    translated = {
        left["key"]: new_rights[g]["key"] for left, g in zip(new_lefts, given, strict=True)
    }
    assert score(old, answer, options) == score(new, translated)


def test_typed_answers_take_the_new_accepted_answers_and_case_sensitivity():
    old = {
        "kind": "short",
        "options": [{"key": "a1", "text": "Apologise", "correct": True, "feedback": ""}],
        "settings": {"case_sensitive": False},
    }
    new = {
        "kind": "short",
        "options": [
            {"key": "b1", "text": "Apologise", "correct": True, "feedback": ""},
            {"key": "b2", "text": "Say sorry", "correct": True, "feedback": ""},
        ],
        "settings": {"case_sensitive": True},
    }
    options, settings = corrected_key(old, new)
    assert settings == {"case_sensitive": True}
    assert score_response("short", options, ["Say sorry"], settings=settings) == 1
    assert score_response("short", options, ["say sorry"], settings=settings) == 0


def test_an_answer_to_a_version_scored_before_issue_13_is_regraded_by_todays_rules():
    """The rules travel with the version regraded against: a corrected version frozen today has
    no "literal_stars" or "scaled_fractions", so its stars are wildcards and its fractions add."""
    old = {
        "kind": "short",
        "options": [{"key": "a1", "text": "Par*", "correct": True, "feedback": ""}],
        "settings": {"case_sensitive": False, "literal_stars": True},
    }
    new = {**old, "options": [{**old["options"][0], "key": "b1"}], "settings": {}}
    assert score(old, ["Paris"]) == 1  # score() leaves settings out: today's rules
    assert score_response("short", old["options"], ["Paris"], settings=old["settings"]) == 0
    options, settings = corrected_key(old, new)
    assert score_response("short", options, ["Paris"], settings=settings) == 1

    fractions = [("A", True, "0.5"), ("B", True, "0.49"), ("C", False, "0")]
    old = {
        "kind": "multiple",
        "options": [
            {"key": f"a{n}", "text": t, "correct": c, "fraction": f, "feedback": ""}
            for n, (t, c, f) in enumerate(fractions)
        ],
        "settings": {"scaled_fractions": True},
    }
    new = {
        "kind": "multiple",
        "options": [{**option, "key": f"b{option['key']}"} for option in old["options"]],
        "settings": {},
    }
    assert score_response("multiple", old["options"], ["a0", "a1"], settings=old["settings"]) == 1
    options, settings = corrected_key(old, new)
    assert score_response("multiple", options, ["a0", "a1"], settings=settings) == Fraction("0.99")


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ({"kind": "essay"}, {"kind": "essay"}, "marked by people"),
        ({"kind": "single"}, {"kind": "multiple"}, "was single choice and is now multiple"),
        (
            {
                "kind": "single",
                "options": [
                    {"key": "a", "text": "X", "correct": True},
                    {"key": "b", "text": "Y", "correct": False},
                ],
            },
            {
                "kind": "single",
                "options": [
                    {"key": "c", "text": "Y", "correct": True},
                    {"key": "d", "text": "X", "correct": False},
                ],
            },
            "options were put in a different order",
        ),
        (
            {"kind": "ordering", "options": [{"key": "a", "text": "X"}, {"key": "b", "text": "Y"}]},
            {"kind": "ordering", "options": [{"key": "c", "text": "X"}, {"key": "d", "text": "Z"}]},
            "items to put in order are not the same",
        ),
    ],
)
def test_what_cannot_be_mapped_says_why(old, new, why):
    old = {"options": [], "settings": {}, **old}
    new = {"options": [], "settings": {}, **new}
    with pytest.raises(Unmappable, match=why):
        corrected_key(old, new)
