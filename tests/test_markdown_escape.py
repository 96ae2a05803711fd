"""The one Markdown escaper (render.tabular.md_escape) and its code-span sibling (md_code), used by
every Markdown output: query tables, the report and the lint job summary."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ngocoord.render.tabular import md_code, md_escape


@pytest.mark.parametrize("text, escaped", [
    ("plain text", "plain text"),
    ("a|b", "a\\|b"),
    ("line\nbreak\r\nend", "line break  end"),
    ("<script>", "&lt;script&gt;"),
    ("B & <Partners>", "B &amp; &lt;Partners&gt;"),
    ("&lt;", "&amp;lt;"),
    ("[fix it here](https://example.org)", "\\[fix it here\\](https\\://example.org)"),
    ("*bold* `code` ~strike~ back\\slash", "\\*bold\\* \\`code\\` \\~strike\\~ back\\\\slash"),
    ("_emphasis_ and __strong__", "\\_emphasis\\_ and \\_\\_strong\\_\\_"),
    ("last_reviewed and partner_in", "last_reviewed and partner_in"),  # intraword: never emphasis
    ("trailing_ _leading", "trailing\\_ \\_leading"),
    (2024, "2024"),
])
def test_md_escape(text, escaped):
    assert md_escape(text) == escaped


@pytest.mark.parametrize("text, span", [
    ("data/activities/act-1.yaml", "`data/activities/act-1.yaml`"),
    ("a_[b]*c", "`a_[b]*c`"),  # nothing but backticks means anything in a code span
    ("a|b", "`a\\|b`"),
    ("one`tick", "``one`tick``"),
    ("`edge", "`` `edge ``"),
    ("two\nlines", "`two lines`"),
])
def test_md_code(text, span):
    assert md_code(text) == span


@given(st.text())
def test_escaped_text_holds_no_raw_markup(text):
    out = md_escape(text)
    assert "\n" not in out and "\r" not in out and "<" not in out and ">" not in out
    unescaped = out.replace("\\\\", "")
    for ch in "`*[]|~":
        assert unescaped.count(ch) == unescaped.count("\\" + ch)
