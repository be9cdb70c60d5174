"""A Sphinx extension that makes the HTML book readable with no network.

Three things would otherwise reach for the internet:

* **Vega.** Altair's HTML output loads Vega, Vega-Lite and vega-embed from a CDN unless
  ``window.VEGA_DEBUG`` already names the versions Altair expects and ``vegaEmbed`` is global. At
  build time this extension writes the bundle that ``vl-convert-python`` ships to ``_static`` (so it
  always matches the installed libraries), declares the versions read from Altair itself, and adds
  the bundle once to every page that has a chart. The bundle (880 KiB) loads ``async``, so the page
  paints without waiting for it: a small inline script in ``<head>`` declares the versions and a
  ``vegaEmbed`` that queues the charts met before the bundle has run; the bundle then draws them one
  after the other, in page order, so the first chart does not wait for the others (see
  ``QUEUE_CHARTS`` and ``DRAW_QUEUED_CHARTS``).
* **Thebe.** Jupyter Book always loads sphinx-thebe, which names a script on another host even when
  ``launch_buttons.thebe`` is false. Its assets and per-page configuration are removed.
* **MathJax.** Sphinx loads MathJax from a CDN on any page with math. The book has no math, and this
  extension turns a page that gains some into a build warning (an error under ``-W``) instead of a
  page that breaks offline.

It also fixes what axe-core finds in the theme and in vega-embed's output (see ``templates/``
and ``LABEL_ACTIONS``), so every page passes the browser tests' accessibility check.

For the printed edition (the LaTeX/PDF builder), where Altair's HTML cannot be drawn, each chart
prints as the PNG its display bundle carries (``review_evidence/static_image.py``); a chart without
one falls back to its placeholder text ("alt.LayerChart(...)"), which becomes a sentence pointing to
the table that follows it and to the HTML edition.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The bundle's file name in ``_static``; tests look for exactly this.
BUNDLE_NAME = "vega-offline.js"
#: Every Altair chart rendered by the "html" renderer calls this, so a page needs the bundle iff its body does.
CHART_MARKER = "vegaEmbed"
#: Theme components overridden for accessibility; searched before the theme's own.
TEMPLATES = Path(__file__).parent / "templates"
#: Style fixes for accessibility (contrast), added to every page after the theme's own stylesheets.
STATIC = Path(__file__).parent / "static"
STYLESHEET = "review-book.css"
#: Re-measures a chart laid out for its container when the container's width changes (see the file).
CHART_LAYOUT_SCRIPT = "chart-layout.js"

#: Three things in vega-embed's output that screen readers cannot use, fixed by wrapping the global vegaEmbed:
#: a chart without a ``description`` is announced only as "Vega visualization" (it gets its title
#: instead; a chart's own description always wins); the actions menu is a <summary> holding only an
#: icon (it gets the name the menu shows as a tooltip); and a layer with no data (say, the range
#: whiskers of a chart without ranges) is an empty role="graphics-symbol" group with no name (it is
#: hidden: there is nothing in it to announce).
LABEL_ACTIONS = """
(function () {
  var embed = window.vegaEmbed;
  function titleOf(spec) {
    if (!spec || typeof spec !== "object") return "";
    var title = spec.title;
    if (title && typeof title === "object" && !Array.isArray(title)) title = title.text;
    if (Array.isArray(title)) title = title.join(" ");
    if (typeof title === "string" && title.trim()) return title.trim();
    var parts = [].concat(spec.layer || [], spec.hconcat || [], spec.vconcat || [], spec.concat || [],
                          spec.spec ? [spec.spec] : []);
    for (var i = 0; i < parts.length; i++) {
      var found = titleOf(parts[i]);
      if (found) return found;
    }
    return "";
  }
  function vegaEmbedLabelled(element, spec, options) {
    if (spec && typeof spec === "object" && !spec.description && titleOf(spec)) {
      spec = Object.assign({}, spec, {description: "Chart: " + titleOf(spec) + ". The table after the chart lists its values."});
    }
    return embed(element, spec, options).then(function (result) {
      var container = typeof element === "string" ? document.querySelector(element) : element;
      container.querySelectorAll("details > summary").forEach(function (summary) {
        if (!summary.hasAttribute("aria-label")) {
          summary.setAttribute("aria-label", summary.parentElement.title || "Chart actions");
        }
      });
      container.querySelectorAll("svg g[role='graphics-symbol']:empty:not([aria-label])").forEach(function (layer) {
        layer.setAttribute("aria-hidden", "true");
      });
      return result;
    });
  }
  Object.assign(vegaEmbedLabelled, embed);
  window.vegaEmbed = vegaEmbedLabelled;
})();
"""


#: Inline in <head>, before the async bundle: Altair's embed code, run as the page is parsed, finds the
#: versions it checks and a vegaEmbed to call; each call waits in a queue until the bundle has run.
QUEUE_CHARTS = """
window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {}, %(versions)s);
if (!window.vegaEmbed) {
  (function () {
    // the queue is the stub's own array, set before the stub is published, so a script that wraps
    // window.vegaEmbed (and copies its properties) still shares the one queue
    var pending = [];
    var vegaEmbedQueued = function (element, spec, options) {
      return new Promise(function (resolve, reject) {
        pending.push([element, spec, options, resolve, reject]);
      });
    };
    vegaEmbedQueued.pending = pending;
    window.vegaEmbed = vegaEmbedQueued;
  })();
}
"""

#: At the end of the bundle: the queued charts, drawn one after the other (all at once, each would
#: finish only when all do), each settling the promise Altair's code holds.
DRAW_QUEUED_CHARTS = """
  queued.reduce(function (previous, call) {
    return previous.then(function () {
      return window.vegaEmbed(call[0], call[1], call[2]).then(call[3], call[4]);
    });
  }, Promise.resolve());
"""


def queue_charts_script() -> str:
    return QUEUE_CHARTS % {"versions": json.dumps(expected_versions(), sort_keys=True)}


def expected_versions() -> dict[str, str]:
    """The exact strings Altair's HTML template compares ``VEGA_DEBUG`` against."""
    import altair as alt

    return {
        "vega_version": str(alt.VEGA_VERSION),
        "vegalite_version": str(alt.VEGALITE_VERSION),
        "vegaembed_version": str(alt.VEGAEMBED_VERSION),
    }


def _major(version: str) -> str:
    return version.lstrip("v").split(".")[0]


def _bundled_vegalite(vegalite_version: str) -> str:
    """The Vega-Lite release vl-convert bundles for Altair's version, e.g. "6.4" for "6.4.1"."""
    import vl_convert as vlc

    wanted = ".".join(vegalite_version.split(".")[:2])
    available = list(vlc.get_vegalite_versions())
    if wanted not in available:
        raise ExtensionError(
            f"vl-convert-python bundles Vega-Lite {available}, but Altair expects {vegalite_version}: "
            "pin altair and vl-convert-python to releases that match"
        )
    return wanted


def vega_bundle() -> str:
    """The script that makes Altair's charts render offline: versions, then the libraries, in their own scope."""
    import vl_convert as vlc

    versions = expected_versions()
    for library, bundled, expected in (
        ("Vega", vlc.get_vega_version(), versions["vega_version"]),
        ("vega-embed", vlc.get_vega_embed_version(), versions["vegaembed_version"]),
    ):
        if _major(bundled) != _major(expected):
            raise ExtensionError(
                f"vl-convert-python bundles {library} {bundled}, but Altair expects {expected}: "
                "pin altair and vl-convert-python to releases that match"
            )
    libraries = vlc.javascript_bundle(vl_version=_bundled_vegalite(versions["vegalite_version"]))
    header = (
        "/* Vega, Vega-Lite and vega-embed from vl-convert-python, written at build time by\n"
        "   review_evidence/sphinxext/offline.py so that charts render with no network. */\n"
        f"window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {{}}, {json.dumps(versions, sort_keys=True)});\n"
    )
    # The bundle's top-level names (one is `_`) would clash with Sphinx's global `_`. The charts queued
    # before it ran are taken before the libraries replace the queuing vegaEmbed, and drawn after.
    return (
        f"{header}(function () {{\nvar queued = (window.vegaEmbed && window.vegaEmbed.pending) || [];\n"
        f"(function () {{\n{libraries}\n}})();\n{LABEL_ACTIONS}{DRAW_QUEUED_CHARTS}}})();\n"
    )


def write_bundle(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / BUNDLE_NAME
    content = vega_bundle()
    if not target.exists() or target.read_text(encoding="utf-8") != content:
        target.write_text(content, encoding="utf-8")


def _is_thebe(asset) -> bool:
    filename = str(getattr(asset, "filename", "") or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in filename.lower() or "THEBE_JS_URL" in body


def localise_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Per page: drop thebe's assets, add the Vega bundle where there is a chart, refuse math."""
    if app.builder.format != "html":
        return
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [asset for asset in context[key] if not _is_thebe(asset)]
    body = context.get("body", "")
    if CHART_MARKER in body:
        app.add_js_file(None, body=queue_charts_script())
        app.add_js_file(BUNDLE_NAME, loading_method="async")
    # docutils marks each bibliography entry doc-biblioentry (deprecated in DPUB-ARIA 1.1) inside a
    # role="list", which axe-core reports as a list without list items (aria-required-children).
    if "body" in context:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')
    math = app.env.get_domain("math")
    if doctree is not None and math.has_equations(pagename):
        logger.warning(
            "%s contains math, which would load MathJax from another host and break offline reading; "
            "write the formula in words or Unicode (r², √n, ≤) instead",
            pagename,
            location=pagename,
            type="offline",
            subtype="math",
        )


def drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Remove the per-page kernel configuration sphinx-thebe appends (it names a Binder repository)."""
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "x-thebe-config" in text or text.startswith("<script>kernelName ="):
            raw.parent.remove(raw)


def use_accessible_theme(app: Sphinx, config) -> None:
    config.templates_path.insert(0, str(TEMPLATES))
    config.html_static_path.append(str(STATIC))


#: The text/plain form of an Altair chart, which is all a non-HTML builder can show of it.
ALTAIR_REPR = re.compile(r"^alt\.[A-Za-z]*Chart\(\.\.\.\)$")  # exactly Altair's repr, never code
PRINT_NOTE = "Interactive chart: see the HTML edition of this book. The table below gives its data."


def replace_charts_in_print(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format == "html":
        return
    for block in list(doctree.findall(nodes.literal_block)):
        if ALTAIR_REPR.match(block.astext().strip()):
            block.replace_self(nodes.paragraph(text=PRINT_NOTE, classes=["chart-in-print"]))


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", use_accessible_theme)
    app.add_css_file(STYLESHEET, priority=900)
    app.add_js_file(CHART_LAYOUT_SCRIPT, loading_method="defer")
    app.connect("builder-inited", write_bundle)
    app.connect("html-page-context", localise_page)
    # After sphinx-thebe's own doctree-resolved handler (default priority 500) has appended its nodes.
    app.connect("doctree-resolved", drop_thebe_config, priority=900)
    app.connect("doctree-resolved", replace_charts_in_print)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
