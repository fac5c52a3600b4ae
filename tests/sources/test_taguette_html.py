"""Taguette's byte offsets over an HTML document, as code point positions in trustkg's text.

A property over generated documents (paragraphs, inline markup, entities, any unicode): for every
span Taguette could place (on character boundaries of its text nodes), the words trustkg keeps
are the words Taguette shows, apart from the line breaks trustkg puts between blocks."""

from __future__ import annotations

import html
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from trustkg.sources.taguette_html import DocumentText, html_text

WORDS = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"),
    min_size=0,
    max_size=12,
)
INLINE = st.sampled_from(["{}", "<em>{}</em>", "<b>{}</b>", "<q>{}</q>"])
BLOCK = st.sampled_from(["<p>{}</p>", "<li>{}</li>", "<h2>{}</h2>", "{}<br>"])


@st.composite
def documents(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        runs = draw(st.lists(st.tuples(INLINE, WORDS), min_size=1, max_size=4))
        inner = "".join(form.format(html.escape(words, quote=False)) for form, words in runs)
        blocks.append(draw(BLOCK).format(inner))
    return "".join(blocks)


@settings(
    max_examples=int(150 * float(os.environ.get("TRUSTKG_PROPERTY_SCALE", "1"))),
    derandomize=os.environ.get("TRUSTKG_PROPERTY_RANDOM") != "1",
    database=None,
    deadline=None,
)
@given(documents(), st.data())
def test_every_taguette_span_maps_to_the_same_words(doc, data):
    text = DocumentText(doc)
    raw = html_text(doc)
    assert text.text.replace("\n", "") == raw.replace("\n", "")
    cut = [len(raw[:i].encode("utf-8")) for i in range(len(raw) + 1)]  # character boundaries
    start = data.draw(st.sampled_from(cut))
    end = data.draw(st.sampled_from([c for c in cut if c >= start]))
    words = text.raw_slice(start, end)
    first, last = text.span(start, end)
    assert text.text[first:last].replace("\n", "") == words.replace("\n", "")
    if words and not words.startswith("\n"):
        assert not text.text[first:last].startswith("\n")  # no inserted break at the start
