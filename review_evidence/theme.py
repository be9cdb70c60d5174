"""One visual theme and one colour-blind-safe palette for every chart in the book.

The palette is Okabe & Ito's (2008) eight colours, which stay distinguishable under the common
forms of colour-vision deficiency. Evidence levels are never told apart by colour alone: estimated
values are also hatched (matplotlib) or drawn with a dashed outline and lighter fill (Altair), and
every chart is followed by its data table.
"""

from __future__ import annotations

import json
import textwrap

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
PALETTE = [
    OKABE_ITO[n]
    for n in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue", "black", "yellow")
]

#: How each evidence level is drawn. Reported numbers are solid; anything the book estimated is
#: lighter and outlined so that a reader never mistakes it for a number the source printed.
EVIDENCE_STYLE = {
    "reported": {"opacity": 1.0, "hatch": "", "dash": [], "label": "reported by the source"},
    "range": {"opacity": 0.75, "hatch": "", "dash": [], "label": "range stated for a group"},
    "derived": {"opacity": 0.9, "hatch": "..", "dash": [2, 2], "label": "derived by this book"},
    "estimated": {
        "opacity": 0.35,
        "hatch": "///",
        "dash": [4, 3],
        "label": "estimated by this book (source only ranks)",
    },
    "unknown": {"opacity": 0.0, "hatch": "", "dash": [1, 3], "label": "not printed by the source"},
}
EVIDENCE_ORDER = list(EVIDENCE_STYLE)


def evidence_label(level: str) -> str:
    """The words a reader sees for an evidence level (legends, tooltips, tables)."""
    return EVIDENCE_STYLE[level]["label"]


def colour_name(colour: str) -> str:
    """The palette's name for a colour ("#0072B2" -> "blue"), for a chart's description; white is "white"."""
    names = {value.lower(): name for name, value in OKABE_ITO.items()} | {"#ffffff": "white", "#fff": "white"}
    return names.get(colour.lower(), colour)


def evidence_note(levels, marks: str = "bars") -> str:
    """The sentence that tells a listener (a chart's description) how its ``marks`` show the evidence
    levels other than reported, as ``evidence_encoding`` draws them; empty when all are reported."""
    present = [level for level in EVIDENCE_ORDER if level in set(levels) and level != "reported"]
    told = []
    for level in present:
        style = EVIDENCE_STYLE[level]
        look = "no fill" if style["opacity"] == 0 else "lighter"
        look += ", with a dashed outline" if style["dash"] else ""
        told.append(f"{marks} {evidence_label(level)}: {look}")
    text = "; ".join(told)
    return f"{text[:1].upper()}{text[1:]}." if told else ""


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
            # Transparent, so the page (white, or the dark-mode card in review-book.css) shows through.
            "background": "transparent",
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            # No text below 12 px: charts are laid out for their container, never scaled down (a
            # phone shows them at their own size), so these are the sizes a reader sees.
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 160},
            # Legends below the chart, one under the other, so several never widen it past a phone.
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelLimit": 250,
                "orient": "bottom",
                "direction": "vertical",
                "layout": {"bottom": {"anchor": "start", "direction": "vertical"}},
            },
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "text": {"fontSize": 12},
            "title": {"fontSize": 14, "anchor": "start", "subtitleFontSize": 12},
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
        Figure, lambda figure: print_figure(figure, "png", bbox_inches="tight")
    )


def static_image_metadata(spec: dict) -> dict:
    """The output metadata of a chart's static PNG: its alt text, the chart's generated ``description``.

    The description is what a screen reader announces for the interactive chart (Vega's aria-label);
    the PNG, which the printed edition and the slide decks show instead, gets the same words, so no
    alt text is typed by hand and none can keep an old number (``sphinxext/figure_alt.py`` reads it).
    A chart without a description gets no entry: the cell's own ``mystnb.image.alt`` applies.
    """
    description = spec.get("description")
    if not isinstance(description, str) or not description.strip():
        return {}
    return {"image/png": {"alt": description}}


def _script_safe_renderer_with_static_image():
    """The script-safe HTML (what the page shows) plus the chart's static PNG (what the printed
    edition shows) with the chart's description as its alt text, all from the one specification;
    myst-nb picks one per builder."""
    html = _script_safe_html_renderer()

    def render(spec: dict, **metadata):
        from .static_image import static_image_bundle

        bundle = html(spec, **metadata)
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, {})
        meta = {**meta, **static_image_metadata(spec)}
        data = {**data, **static_image_bundle(spec)}
        return (data, meta) if meta else data

    return render


def use_book_theme() -> None:
    """Apply the book's theme to Altair, matplotlib and IPython's display; idempotent.

    Each chart notebook calls it once, in its first code cell. Importing the library changes no
    global setting.
    """
    show_figures_as_images()
    alt.theme.register("review_book", enable=True)(_altair_theme)
    # Plain HTML that Jupyter Book keeps (myst-nb does not render the "mimetype" renderer's
    # vega-lite JSON); its loader finds the locally bundled Vega (see _static) and so never asks a
    # CDN for it; no data value can close its script (see _script_safe_html_renderer); and the
    # PNG beside it is what the printed edition shows (static_image.py).
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, _script_safe_renderer_with_static_image())
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


def new_figure(width: float = 8, height: float = 4.5) -> tuple[Figure, mpl.axes.Axes]:
    """A figure outside pyplot's state machine, so a notebook shows it exactly once (as its result)."""
    figure = Figure(figsize=(width, height), layout="tight")
    return figure, figure.subplots()


def wrap_lines(label: str, width: int = 16) -> list[str]:
    """``label`` broken at spaces into lines of at most ``width`` characters (a longer word keeps its own line).

    Only at spaces: a hyphenated term ("colour-blind") stays whole, as on an axis a reader expects it.
    """
    words = " ".join(str(label).split())  # textwrap keeps a double space inside a line; a label shows one
    return textwrap.wrap(words, width, break_long_words=False, break_on_hyphens=False) or [""]


def label_lines(labels, width: int = 16) -> int:
    """How many lines the longest of ``labels`` wraps to (to give each band room for it)."""
    return max((len(wrap_lines(label, width)) for label in labels), default=1)


def wrapped_label_axis(labels, width: int = 16, **axis) -> alt.Axis:
    """An axis whose labels wrap onto several lines instead of being cut or widening the chart.

    Vega draws an array as one line per item; the expression maps each label to its lines.
    """
    import json

    lines = {str(label): wrap_lines(label, width) for label in labels}
    expression = f"{json.dumps(lines, ensure_ascii=False)}[datum.label] || datum.label"
    return alt.Axis(labelExpr=expression, **axis)


#: Width and autosize of a chart laid out for its column: Vega-Lite measures the container and fits
#: the whole chart, axis labels included, into it, so a phone gets a narrower chart with the same
#: text size rather than a shrunken picture.
FIT_TO_CONTAINER = {"width": "container", "autosize": {"type": "fit-x", "contains": "padding"}}


def chart_title(text: str, subtitle=None, width: int = 34) -> alt.Title:
    """A title (and subtitle) broken into lines that fit a phone's column; Vega never wraps titles itself."""

    def lines(value, chars):
        if isinstance(value, (list, tuple)):
            return [line for item in value for line in wrap_lines(item, chars)]
        return wrap_lines(value, chars)

    if subtitle is None:
        return alt.Title(lines(text, width))
    return alt.Title(lines(text, width), subtitle=lines(subtitle, width + 10))


def evidence_legend(**legend) -> alt.Legend:
    """The legend of evidence levels: a bar-like swatch, outlined (dashed for estimates) as the marks
    are, its long labels ("estimated by this book (source only ranks)") wrapped rather than cut."""
    options = {
        "symbolType": "square",
        "symbolSize": 200,
        "symbolFillColor": PALETTE[0],
        "symbolStrokeColor": "#000000",
        "symbolStrokeWidth": 1.5,
        "labelExpr": wrapped_label_axis([s["label"] for s in EVIDENCE_STYLE.values()], 26).labelExpr,
    }
    return alt.Legend(**{**options, **legend})


def evidence_encoding(
    levels, *, title: str = "Evidence level", field: str = "evidence_label:N", min_opacity: float = 0.05, **legend
) -> dict[str, alt.Opacity | alt.StrokeDash]:
    """The book's one evidence-level encoding, as ``opacity`` and ``strokeDash`` channels for ``.encode``.

    Only the levels in ``levels`` are listed, in the book's order; opacity and dash share one legend
    (same field and title). The opacity scale is ordinal on purpose: for a nominal field Vega-Lite
    makes a point scale that interpolates between the first two range values and ignores the rest,
    so a third level would be drawn with the wrong opacity. ``min_opacity`` keeps a level with no
    fill (unknown) or a light one (filled, coloured bars) visible.
    """
    present = [level for level in EVIDENCE_ORDER if level in set(levels)]
    labels = [evidence_label(level) for level in present]
    return {
        "opacity": alt.Opacity(
            field,
            title=title,
            scale=alt.Scale(
                type="ordinal",
                domain=labels,
                range=[max(EVIDENCE_STYLE[level]["opacity"], min_opacity) for level in present],
            ),
            legend=evidence_legend(**legend),
        ),
        "strokeDash": alt.StrokeDash(
            field,
            title=title,
            scale=alt.Scale(domain=labels, range=[EVIDENCE_STYLE[level]["dash"] or [1, 0] for level in present]),
            legend=evidence_legend(**legend),
        ),
    }
