"""The extension that keeps pages light: its icon subsetter and CSS purger, and the weight of the built pages."""

import importlib.util

import pytest
from sphinx.errors import ExtensionError

from review_evidence.paths import REPO_ROOT
from review_evidence.sphinxext.page_weight import purge_css, subset_fontawesome, used_names

#: The issue's target: the heaviest page, HTML plus the JS and CSS it loads, without the shared Vega bundle.
MAX_PAGE_KIB = 600

# Two packs shaped like the minified fontawesome.js: bare, quoted and numeric keys, aliases (names
# and code points), one icon drawn with several paths.
FONTAWESOME = (
    "(()=>{function d(c,l){L.styles[c]=l}"
    'var p={monero:[496,512,[],"f3d0","M1 1z"],"trash-can":[448,512,[61460,"trash-alt"],"f2ed","M2 2z"]};d("far",p);'
    'var p={0:[320,512,[],"30","M3 3z"],'
    '"circle-half-stroke":[512,512,[9680,"adjust"],"f042",["M4 4z","M5 5z"]]};d("fas",p)})();'
)


def test_icons_named_by_their_alias_are_kept_and_the_others_dropped():
    subset = subset_fontawesome(FONTAWESOME, {"trash-alt", "circle-half-stroke"})
    assert '"trash-can":[448,512,[61460,"trash-alt"],"f2ed","M2 2z"]' in subset
    assert '"circle-half-stroke":[512,512,[9680,"adjust"],"f042",["M4 4z","M5 5z"]]' in subset
    assert "monero" not in subset and '"M3 3z"' not in subset
    # The library code around the packs is untouched, so each pack is still registered.
    assert subset.startswith("(()=>{function d(c,l){L.styles[c]=l}var p={")
    assert subset.count('d("far",p);') == 1 and subset.endswith('d("fas",p)})();')


def test_a_pack_with_no_used_icon_becomes_empty_and_numeric_names_count():
    subset = subset_fontawesome(FONTAWESOME, {"0"})
    assert 'var p={};d("far",p)' in subset
    assert 'var p={0:[320,512,[],"30","M3 3z"]};d("fas",p)' in subset


@pytest.mark.parametrize(
    "script",
    [
        "(()=>{var icons=new Map();})();",  # no pack at all
        '(()=>{var p={monero:[496,512,[],"f3d0","M1 1z"]x;})();',  # a pack that does not close
        '(()=>{var p={monero:[496,512,[],"f3d0","M1 1z"],"bad key":[1,2,[]};})();',  # a broken entry
    ],
)
def test_an_unrecognised_fontawesome_build_is_refused_not_written(script):
    with pytest.raises(ExtensionError, match="Font Awesome"):
        subset_fontawesome(script, {"monero"})


def test_css_rules_are_kept_only_when_their_classes_and_ids_are_used():
    css = ".used{color:red}.unused{color:blue}#main .used{margin:0}#gone{margin:1px}"
    assert purge_css(css, {"used", "main"}) == ".used{color:red}#main .used{margin:0}"


def test_a_selector_list_keeps_only_its_used_selectors():
    assert purge_css(".used,.unused>p,div.also-unused,td{padding:0}", {"used"}) == ".used,td{padding:0}"


def test_element_attribute_and_root_rules_font_faces_and_keyframes_are_kept():
    css = (
        ':root{--pst-x:1px}p,a:hover{margin:0}[data-theme="dark"] img{opacity:.9}'
        '@font-face{font-family:"Icons";src:url(icons.woff2)}@keyframes unused-spin{0%{opacity:0}to{opacity:1}}'
        '@import "../basic.css";'
    )
    assert purge_css(css, set()) == css


def test_rules_inside_media_are_purged_and_an_emptied_media_block_dropped():
    css = "@media (min-width:960px){.used{display:flex}.unused{display:none}}@supports (gap:1px){.unused{gap:1px}}"
    assert purge_css(css, {"used"}) == "@media (min-width:960px){.used{display:flex}}"


def test_names_under_not_strings_comments_and_escapes_are_read_correctly():
    css = (
        ".btn:not(.never-used){x:1}"  # matches without "never-used" anywhere
        '.used::after{content:"}.unused{"}'  # braces in a string are not rules
        "/* .unused{} */.sm\\:flex{display:flex}"  # a comment, and the class "sm:flex"
        "/*! licence */"
    )
    assert purge_css(css, {"btn", "used", "sm:flex"}) == (
        '.btn:not(.never-used){x:1}.used::after{content:"}.unused{"}.sm\\:flex{display:flex}/*! licence */'
    )


def test_classes_in_pages_and_words_in_scripts_count_as_used(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "page.html").write_text(
        '<div class="card  show" id="main">table row</div><script>el.classList.add("is-open")</script>',
        encoding="utf-8",
    )
    (tmp_path / "_static" / "theme.js").write_text('e.classList.toggle("dropdown-menu")', encoding="utf-8")
    names = used_names(tmp_path)
    assert {"card", "show", "main", "is-open", "dropdown-menu"} <= names
    assert "table" not in names, "prose is not a class: Bootstrap's .table would be kept for the word"


def test_the_heaviest_page_stays_under_the_target(built_book):
    spec = importlib.util.spec_from_file_location("benchmark", REPO_ROOT / "scripts" / "benchmark.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    heaviest = max(benchmark.page_weights(built_book), key=lambda row: row["kib"])
    assert heaviest["kib"] <= MAX_PAGE_KIB, (
        f"{heaviest['page']} weighs {heaviest['kib']} KiB with its JS and CSS (the Vega bundle apart), over "
        f"{MAX_PAGE_KIB} KiB: is review_evidence.sphinxext.page_weight in _config.yml, and what did the page gain?"
    )


# --- The theme's own files: a theme upgrade that changes their format fails here, before any build ---


def _installed(package: str, pattern: str) -> list:
    from pathlib import Path

    root = Path(importlib.util.find_spec(package).origin).parent
    return sorted(p for p in root.rglob(pattern) if "static" in p.parts)


def test_the_installed_themes_font_awesome_is_in_the_format_the_subsetter_reads():
    (script,) = _installed("pydata_sphinx_theme", "fontawesome.js")
    full = script.read_text(encoding="utf-8")
    subset = subset_fontawesome(full, {"magnifying-glass"})  # raises ExtensionError if the format changed
    assert len(subset) < len(full) / 4, "the subset kept most of the icons: the pack format may have changed"
    assert "magnifying-glass" in subset


@pytest.mark.parametrize(
    "stylesheet",
    [p for package in ("pydata_sphinx_theme", "sphinx_book_theme") for p in _installed(package, "*.css")],
    ids=lambda p: p.name,
)
def test_the_installed_themes_stylesheets_are_in_the_format_the_purger_reads(stylesheet):
    css = stylesheet.read_text(encoding="utf-8", errors="replace")
    purged = purge_css(css, set())  # raises ValueError if the purger cannot parse it
    assert len(purged) <= len(css)


def test_at_build_time_an_unreadable_file_is_left_whole_with_a_warning(tmp_path, caplog):
    from review_evidence.sphinxext.page_weight import lighten_fontawesome, lighten_stylesheet

    script = tmp_path / "fontawesome.js"
    script.write_text("(()=>{var icons=new Map();})();", encoding="utf-8")
    stylesheet = tmp_path / "theme.css"
    stylesheet.write_text(".a{color:red", encoding="utf-8")  # a block that never closes
    with caplog.at_level("WARNING"):
        assert lighten_fontawesome(script, {"monero"}) is False
        assert lighten_stylesheet(stylesheet, set()) is False
    assert script.read_text(encoding="utf-8") == "(()=>{var icons=new Map();})();"
    assert stylesheet.read_text(encoding="utf-8") == ".a{color:red"
    assert "fontawesome.js is left whole" in caplog.text and "theme.css" in caplog.text
