"""myst-nb renderer plugin: a chart's static image takes its alt text from the chart itself.

The book's chart renderer (``review_evidence.theme``) writes each chart's generated ``description``
(the text a screen reader announces for the interactive chart) into the output metadata of its PNG,
``metadata["image/png"]["alt"]``. myst-nb reads image options only from the cell's metadata
(``mystnb.image``) and takes nothing but width and height from an output's metadata, so without this
plugin the PNG (what the printed edition shows) would carry a hand-typed alt text that can keep an old
number after a data edit.

:class:`GeneratedAltRenderer` is myst-nb's renderer with one change: an image whose output metadata
carries an alt text gets that text, in preference to the cell's ``mystnb.image.alt`` (which stays the
alt text of figures that describe nothing themselves, such as the matplotlib figures). It is
registered as the entry point ``review_book`` of the group ``myst_nb.renderers`` (``pyproject.toml``)
and selected by ``nb_render_plugin`` in ``_config.yml``. The slide decks read the same metadata
(``slides.py``).
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.core.render import MimeData, NbElementRenderer

#: The entry-point name ``_config.yml`` selects with ``nb_render_plugin``.
RENDERER_NAME = "review_book"


def generated_alt(output_metadata: dict, mime_type: str = "image/png") -> str:
    """The alt text an output carries for its image (empty when it carries none)."""
    entry = (output_metadata or {}).get(mime_type)
    alt = entry.get("alt") if isinstance(entry, dict) else None
    return alt.strip() if isinstance(alt, str) else ""


class GeneratedAltRenderer(NbElementRenderer):
    """myst-nb's element renderer; an image's alt text comes from its output when the output has one."""

    def render_image(self, data: MimeData) -> list[nodes.Element]:
        rendered = super().render_image(data)
        alt = generated_alt(data.output_metadata, data.mime_type)
        if alt:
            for node in rendered:
                if isinstance(node, nodes.image):
                    node["alt"] = alt
        return rendered
