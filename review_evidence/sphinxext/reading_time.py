"""Sphinx extension: reading times computed from the pages' word counts at build time.

``{reading-time}`preface ../notebooks/method``` (page names relative to the current page, as in
``{doc}``) becomes "about 25 minutes, 4,512 words". The words are those a reader sees on the built
pages: the prose, headings, captions, exercises, and the text of the tables printed under the charts
(HTML output, read without its markup, scripts and styles), but not code (``literal_block``), which
a reader of the lesson does not read as text. The minutes assume ``reading_time_words_per_minute``
(default 200: careful study reading of expository text; a teacher who plans with another speed sets
it in ``_config.yml``) and are rounded up to the next 5 minutes.

The page holding the role depends on the pages it names, so editing one of them rebuilds it and
the time changes (``tests/test_reading_time.py`` edits a copy and sees it).
"""

from __future__ import annotations

import math
import posixpath
from html.parser import HTMLParser

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
ROUND_TO_MINUTES = 5


class reading_time(nodes.Inline, nodes.TextElement):
    """Placeholder for a reading time, filled in once every page has been read."""


class _VisibleText(HTMLParser):
    """The words of an HTML fragment a browser shows: no tags, no script or style content."""

    def __init__(self):
        super().__init__()
        self.words, self._hidden = 0, 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in {"script", "style"}

    def handle_endtag(self, tag):
        self._hidden -= tag in {"script", "style"} and self._hidden > 0

    def handle_data(self, data):
        if not self._hidden:
            self.words += len(data.split())


def count_words(doctree: nodes.Node) -> int:
    """Words a reader sees on a page: text outside code, and the visible text of HTML output (tables)."""
    skipped = (nodes.literal_block, nodes.raw, nodes.comment, nodes.system_message)
    words = 0
    for raw in doctree.findall(nodes.raw):
        if "html" in raw.get("format", "").split():
            parser = _VisibleText()
            parser.feed(raw.astext())
            words += parser.words
    for text in doctree.findall(nodes.Text):
        parent, inside_skipped = text.parent, False
        while parent is not None:
            if isinstance(parent, skipped):
                inside_skipped = True
                break
            parent = parent.parent
        if not inside_skipped:
            words += len(text.astext().split())
    return words


def minutes_for(words: int, words_per_minute: int) -> int:
    """Reading minutes, rounded up to the next ``ROUND_TO_MINUTES`` (at least that many)."""
    minutes = words / words_per_minute
    return max(ROUND_TO_MINUTES, math.ceil(minutes / ROUND_TO_MINUTES) * ROUND_TO_MINUTES)


def reading_time_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    base = posixpath.dirname(env.docname)
    docnames = [posixpath.normpath(posixpath.join(base, name)) for name in text.split()]
    node = reading_time(rawtext, "", docnames=docnames)
    for docname in docnames:
        if docname in env.found_docs:
            env.note_dependency(env.doc2path(docname))
    return [node], []


def _fill_in(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    speed = app.config.reading_time_words_per_minute
    for node in list(doctree.findall(reading_time)):
        unknown = [d for d in node["docnames"] if d not in app.env.all_docs]
        if unknown:
            logger.warning(f"reading-time: no page named {', '.join(unknown)}", location=node)
            node.replace_self(nodes.Text("(unknown page)"))
            continue
        words = sum(count_words(app.env.get_doctree(d)) for d in node["docnames"])
        node.replace_self(nodes.Text(f"about {minutes_for(words, speed)} minutes, {words:,} words"))


def setup(app: Sphinx) -> dict:
    app.add_config_value("reading_time_words_per_minute", 200, "env")
    app.add_node(reading_time, override=True)
    app.add_role("reading-time", reading_time_role)
    app.connect("doctree-resolved", _fill_in)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
