"""One visual theme and one colour-blind-safe palette for every chart in the book.

The palette is Okabe & Ito's (2008) eight colours, which stay distinguishable under the common
forms of colour-vision deficiency. Evidence levels are never told apart by colour alone: estimated
values are also hatched (matplotlib) or drawn with a dashed outline and lighter fill (Altair), and
every chart is followed by its data table.
"""

from __future__ import annotations

import json

import altair as alt
import matplotlib as mpl
from matplotlib.figure import Figure

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
#: The categorical colour cycle, most legible first (yellow last: weak contrast on white).
PALETTE = [OKABE_ITO[n] for n in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue", "black", "yellow")]

#: How each evidence level is drawn. Reported numbers are solid; anything the book estimated is
#: lighter and outlined so that a reader never mistakes it for a number the source printed.
EVIDENCE_STYLE = {
    "reported": {"opacity": 1.0, "hatch": "", "dash": [], "label": "reported by the source"},
    "range": {"opacity": 0.75, "hatch": "", "dash": [], "label": "range stated for a group"},
    "derived": {"opacity": 0.9, "hatch": "..", "dash": [2, 2], "label": "derived by this book"},
    "estimated": {"opacity": 0.35, "hatch": "///", "dash": [4, 3], "label": "estimated by this book (source only ranks)"},
    "unknown": {"opacity": 0.0, "hatch": "", "dash": [1, 3], "label": "not printed by the source"},
}
FONT = "DejaVu Sans"  # ships with matplotlib, so figures look the same on every machine, offline


#: Characters that must never appear raw in JSON written inside an HTML <script> element: "<" and ">"
#: could close the script or open a comment ("</script>", "<!--"), "&" could start an entity in an
#: XHTML reading, and U+2028/U+2029 end a line in older JavaScript. The JSON escapes (Django's
#: ``json_script`` uses the same) decode to the same strings, so the chart still shows the text as it is.
SCRIPT_SAFE_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
#: The chart's "..." menu: save the picture (SVG, PNG), but no "Open in Vega Editor" (a site on another
#: host) and no view of the spec's source or compiled Vega (a wall of JSON, no use to a reader).
CHART_ACTIONS = {"export": True, "source": False, "compiled": False, "editor": False}
RENDERER_NAME = "review_book_html"


class ScriptSafeJSONEncoder(json.JSONEncoder):
    """JSON that is safe to place inside an HTML ``<script>`` element, whatever strings it holds.

    Outside strings JSON has none of these characters, so escaping them in the whole text escapes
    exactly the occurrences inside strings, where ``\\u003c`` means the same as ``<``.
    """

    def encode(self, o) -> str:
        return super().encode(o).translate(SCRIPT_SAFE_ESCAPES)


def _script_safe_html_renderer():
    """Altair's "html" renderer (the universal template that finds the locally bundled Vega through
    ``window.VEGA_DEBUG``), with the chart's spec serialised by ``ScriptSafeJSONEncoder``.

    Altair's own "html" renderer writes the spec with plain ``json.dumps`` into an inline script, so a
    data cell holding ``</script><script>...`` would run as script on the page (DESIGN.md, Known traps).
    """
    from altair.utils.display import HTMLRenderer
    from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

    return HTMLRenderer(
        mode="vega-lite",
        template="universal",
        vega_version=VEGA_VERSION,
        vegaembed_version=VEGAEMBED_VERSION,
        vegalite_version=VEGALITE_VERSION,
        json_kwds={"cls": ScriptSafeJSONEncoder},
    )


def _altair_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320, "orient": "bottom"},
            "title": {"fontSize": 14, "anchor": "start"},
        }
    }


def show_figures_as_images() -> None:
    """Let a notebook display a bare ``Figure`` (made outside pyplot) as a PNG image.

    The book's figures are made without pyplot, so that a cell shows each exactly once; IPython only
    knows how to render pyplot-managed figures until a PNG formatter is registered for the class.
    """
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import print_figure
    except ImportError:  # outside IPython there is nothing to register
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.formatters["image/png"].for_type(
        Figure, lambda figure: print_figure(figure, "png", bbox_inches="tight"))


def use_book_theme() -> None:
    """Apply the book's theme to Altair and matplotlib; idempotent, called on import of charts."""
    show_figures_as_images()
    alt.theme.register("review_book", enable=True)(_altair_theme)
    # Plain HTML that Jupyter Book keeps (myst-nb does not render the "mimetype" renderer's
    # vega-lite JSON); its loader finds the locally bundled Vega (see _static) and so never asks a
    # CDN for it; and no data value can close its script (see _script_safe_html_renderer).
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, _script_safe_html_renderer())
    alt.renderers.enable(RENDERER_NAME, embed_options={"actions": CHART_ACTIONS})
    mpl.rcParams.update(
        {
            "font.family": FONT,
            "font.size": 11,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (8, 4.5),
            "hatch.linewidth": 0.8,
            "svg.hashsalt": "review-book",  # stable ids in SVG output
        }
    )


def new_figure(width: float = 8, height: float = 4.5) -> tuple[Figure, "mpl.axes.Axes"]:
    """A figure outside pyplot's state machine, so a notebook shows it exactly once (as its result)."""
    figure = Figure(figsize=(width, height), layout="tight")
    return figure, figure.subplots()
