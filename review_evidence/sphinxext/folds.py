"""Folded cells (the ``hide-input`` / ``hide-output`` tags) named by the words they show.

myst-nb writes each fold as ``<summary aria-label="Toggle hidden content">`` around the visible
words "Show code cell source". A screen reader then announces a name the reader cannot see, which
axe-core reports as a serious violation (label-content-name-mismatch). Without the label, the
summary is named by its visible text, so what is heard is what is shown.
"""

from __future__ import annotations

MYST_NB_SUMMARY = '<summary aria-label="Toggle hidden content">'


def name_folds_by_their_text(body: str) -> str:
    return body.replace(MYST_NB_SUMMARY, "<summary>")


def _on_page(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = name_folds_by_their_text(context["body"])


def setup(app):
    app.connect("html-page-context", _on_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
