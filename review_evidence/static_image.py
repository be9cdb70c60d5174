"""The static image of a chart, rendered from the chart's own Vega-Lite specification.

A chart is specified once, in Altair. The HTML book shows it interactively; the printed edition
(LaTeX picks ``image/png`` from a cell's display bundle) and any reader of the notebook without
JavaScript get this PNG, drawn by ``vl-convert-python`` from the same specification, offline. The
book's chart renderer (``theme.py``) adds :func:`static_image_bundle` to each chart's bundle.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

#: The width a chart laid out for its container ("container") gets in the static image, in px:
#: about the text column of the printed page.
STATIC_WIDTH = 560
#: Pixel density of the PNG: 2 keeps 11 px text sharp on paper and on high-density screens.
STATIC_SCALE = 2


def fixed_width_spec(spec: dict[str, Any], width: int = STATIC_WIDTH) -> dict[str, Any]:
    """A copy of ``spec`` in which every ``"width": "container"`` is ``width`` pixels.

    A static renderer has no container to measure, so a container-wide chart would collapse.
    """

    def fix(node):
        if isinstance(node, dict):
            return {
                key: (width if key == "width" and value == "container" else fix(value)) for key, value in node.items()
            }
        if isinstance(node, list):
            return [fix(item) for item in node]
        return node

    return fix(copy.deepcopy(spec))


def static_png(spec: dict[str, Any], *, width: int = STATIC_WIDTH, scale: float = STATIC_SCALE) -> bytes:
    """The chart as PNG bytes, drawn by vl-convert from its Vega-Lite specification (no network)."""
    import vl_convert as vlc

    png = vlc.vegalite_to_png(fixed_width_spec(spec, width), scale=scale)
    if not png.startswith(b"\x89PNG"):
        raise ValueError("vl-convert returned something that is not a PNG image")
    return png


def static_image_bundle(spec: dict[str, Any]) -> dict[str, str]:
    """The display-bundle entry for the chart's static image: ``{"image/png": <base64>}``.

    Merged into the chart's own bundle next to its ``text/html``: myst-nb shows the HTML in the
    HTML book and the PNG in the LaTeX one (its default priority per builder), so no figure is drawn twice.
    """
    return {"image/png": base64.b64encode(static_png(spec)).decode("ascii")}
