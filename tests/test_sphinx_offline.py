"""Unit tests for the Sphinx extension that makes the HTML book read offline (the built result is in test_html.py)."""

import json
import re

import altair as alt
import pytest
from docutils import nodes
from docutils.utils import new_document
from sphinx.errors import ExtensionError

from review_evidence.sphinxext import offline as sphinx_offline


def test_expected_versions_are_the_strings_altairs_template_compares():
    # Altair 6's universal HTML template checks VEGA_DEBUG.vega_version == "6" and so on.
    versions = sphinx_offline.expected_versions()
    assert set(versions) == {"vega_version", "vegalite_version", "vegaembed_version"}
    assert versions["vega_version"] == alt.VEGA_VERSION
    assert versions["vegalite_version"] == alt.VEGALITE_VERSION
    assert versions["vegaembed_version"] == alt.VEGAEMBED_VERSION


def test_the_bundle_declares_versions_first_and_keeps_the_libraries_in_their_own_scope():
    bundle = sphinx_offline.vega_bundle()
    declared = re.search(r"window\.VEGA_DEBUG = Object\.assign\(window\.VEGA_DEBUG \|\| \{\}, (\{.*?\})\);", bundle)
    assert declared and json.loads(declared.group(1)) == sphinx_offline.expected_versions()
    libraries = bundle[declared.end() :]
    assert libraries.lstrip().startswith("(function () {"), "the libraries must not define globals such as `_`"
    assert "window.vegaEmbed=" in libraries.replace(" ", "")


def test_a_vega_lite_version_vl_convert_does_not_bundle_is_refused(monkeypatch):
    monkeypatch.setattr(alt, "VEGALITE_VERSION", "4.2.0")
    with pytest.raises(ExtensionError, match="pin altair and vl-convert-python"):
        sphinx_offline.vega_bundle()


def test_a_vega_major_version_mismatch_is_refused(monkeypatch):
    monkeypatch.setattr(alt, "VEGA_VERSION", "5")
    with pytest.raises(ExtensionError, match="Vega"):
        sphinx_offline.vega_bundle()


def test_thebes_per_page_configuration_is_removed_and_other_raw_html_kept():
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser

    document = new_document("page", get_default_settings(Parser))
    document += nodes.raw(text='<script type="text/x-thebe-config">{}</script>', format="html")
    document += nodes.raw(text="<script>kernelName = 'python3'</script>", format="html")
    document += nodes.raw(text="<p>kept</p>", format="html")
    sphinx_offline.drop_thebe_config(None, document, "page")
    assert [raw.astext() for raw in document.findall(nodes.raw)] == ["<p>kept</p>"]


def test_in_print_only_an_altair_placeholder_becomes_a_pointer_to_the_html_edition():
    from types import SimpleNamespace

    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser

    document = new_document("page", get_default_settings(Parser))
    document += nodes.literal_block(text="alt.LayerChart(...)")
    document += nodes.literal_block(text='alt.Chart(data).mark_bar().encode(x="value")')
    latex = SimpleNamespace(builder=SimpleNamespace(format="latex"))
    sphinx_offline.replace_charts_in_print(latex, document, "page")
    assert [p.astext() for p in document.findall(nodes.paragraph)] == [sphinx_offline.PRINT_NOTE]
    assert [b.astext() for b in document.findall(nodes.literal_block)] == [
        'alt.Chart(data).mark_bar().encode(x="value")'
    ]
