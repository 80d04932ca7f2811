"""HTML and Markdown read as the plain text our questions hold (assessments.texts): one set of
rules for GIFT's and Moodle XML's texts. Each rule is tested here once; test_importing.py and
test_moodle_importing.py test it through each import."""

import pytest

from assessments.texts import plain_text, problem


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p>\n  <p>Two<br>lines</p>", "One\n\nTwo\nlines"),
        ("One<br>Two<br/><br />Three", "One\nTwo\n\nThree"),
        ("  <p>What is <strong>first</strong>\n   &amp; <em>why</em>?</p>", "What is first & why?"),
        ("<h2>Stage 1</h2>Listen", "Stage 1\n\nListen"),
        (
            "<ol><li>First</li><li>Second<ul><li>now</li></ul></li></ol><ul><li>Any</li></ul>",
            "1. First\n2. Second\n  - now\n\n- Any",
        ),
        (
            "<table><tr><th>Day</th><th>Step</th></tr><tr><td>3</td><td>Reply</td></tr></table>",
            "Day | Step\n3 | Reply",
        ),
        (
            '<a href="https://example.org/a">the guide</a>, '
            '<a href="mailto:x@example.org">x@example.org</a>, '
            '<a href="https://example.org">https://example.org</a>, <a href="#top">top</a>',
            "the guide (https://example.org/a), x@example.org, https://example.org, top",
        ),
        ('<font color="red">Unknown</font> <center>tags</center>', "Unknown\ntags"),
        ("Keep a &lt;tag&gt; as text", "Keep a <tag> as text"),
    ],
)  # fmt: skip
def test_html_is_read_as_the_text_a_reader_sees(html, text):
    assert plain_text(html, "html") == (text, [])


def test_html_is_sanitised_before_it_is_read():
    html = (
        '<script>alert(1)</script><style>p{}</style><!-- note --><p onclick="steal()">Safe '
        '&amp; sound&nbsp;here</p><a href="javascript:alert(1)" onmouseover="alert(2)">Click</a>'
    )
    assert plain_text(html, "html") == ("Safe & sound here\n\nClick", [])


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("The room is 12 m<sup>2</sup>", "The room is 12 m²"),
        ("H<sub>2</sub>O and CO<sub>2</sub>", "H₂O and CO₂"),
        ("10<sup>-3</sup> and x<sup>(n+1)</sup>", "10⁻³ and x⁽ⁿ⁺¹⁾"),
        ("the 1<sup>st</sup> and 2<sup>nd</sup> stage", "the 1st and 2nd stage"),
    ],
)
def test_superscripts_and_subscripts_that_unicode_writes_stay_so(html, text):
    assert plain_text(html, "html") == (text, [])


def test_what_would_change_the_question_on_one_line_is_reported_once_each():
    # "x<sup>y</sup>" would read "xy", and struck-out words would read as meant.
    html = "x<sup>y</sup>, a<sub>ij</sub> and <s>10</s> 20 days; x<sup>y</sup> and <del>10</del>"
    assert plain_text(html, "html")[1] == [
        "a superscript (“y”)",
        "a subscript (“ij”)",
        "struck-out text (“10”)",
    ]


def test_pictures_and_media_are_reported_never_dropped():
    text, things = plain_text(
        'See <img src="@@PLUGINFILE@@/chart.png" alt="Chart"> and <video src="clip.mp4">'
        "fallback</video>, <sup><img src=https://example.org/x.png>2</sup>.",
        "html",
    )
    assert text == "See and , ²."
    assert things == [
        "an image (“chart.png”) described as “Chart”",
        "a video (“clip.mp4”)",
        "an image (“https://example.org/x.png”)",
    ]


def test_markdown_is_rendered_then_read_as_html():
    markdown = "A **bold** [link](https://example.org)\n\n* one\n* two\n\n<b>x</b><sup>2</sup>"
    assert plain_text(markdown, "markdown") == (
        "A bold link (https://example.org)\n\n- one\n- two\n\nx²",
        [],
    )
    assert plain_text("![Chart](chart.png)", "markdown") == (
        "",
        ["an image (“chart.png”) described as “Chart”"],
    )


@pytest.mark.parametrize("text_format", ["plain", "moodle", "plain_text", "moodle_auto_format"])
def test_other_formats_are_kept_as_typed(text_format):
    assert plain_text("<b>kept</b> **as typed**", text_format) == ("<b>kept</b> **as typed**", [])


def test_a_problem_says_which_text_holds_what():
    assert problem("option 2", "an image (“chart.png”)") == (
        "option 2 has an image (“chart.png”), which can't be imported because questions here "
        "are plain text: remove it, or say it in words"
    )


def test_many_pictures_are_each_listed_once_in_the_order_found():
    # 20,000 pictures, half of them repeats (found with a dict, not by searching a list).
    html = "".join(f'<img src="{n % 10_000}.png">' for n in range(20_000))
    text, things = plain_text(html, "html")
    assert (text, len(things), things[0], things[-1]) == (
        "",
        10_000,
        "an image (“0.png”)",
        "an image (“9999.png”)",
    )
