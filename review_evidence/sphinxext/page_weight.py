"""A Sphinx extension that keeps every HTML page light: each page loads only what the book uses.

Out of the box every page loads about 2.3 MiB of theme assets, most of which the book never uses:

* **Icons.** pydata-sphinx-theme's ``fontawesome.js`` carries the drawing of every Font Awesome icon
  (1.4 MiB); the book shows about a dozen. The icon packs are cut down to the icons named by a
  ``fa-<name>`` anywhere in the built HTML or its JavaScript; the library code is left as it is.
* **Styles.** ``pydata-sphinx-theme.css`` holds all of Bootstrap and a rule per Font Awesome icon. A
  rule is dropped only when its selector needs a class or id that appears in no page and in no script
  (Bootstrap and the theme add classes at run time, so any word in a script counts as used).
* **sphinx-design.** Its stylesheet and tab script load on every page; a page without any of its
  components (``sd-`` classes) no longer loads them.
* **Search.** The theme loads the search index on every page for search-as-you-type, which the book
  leaves off; the index stays on the search page, the only one that reads it then.

Everything but sphinx-design's assets is rewritten in the output folder at ``build-finished``, after
every page is written, because the icons and classes in use are only known then. A build that writes
pages first re-copies the theme's files from the installed packages; a build with nothing to write
does not, so each step also leaves its own output unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

FONTAWESOME = Path("_static") / "scripts" / "fontawesome.js"
ICON_CLASS = re.compile(r"fa-([a-z0-9]+(?:-[a-z0-9]+)*)")
WORD = re.compile(r"[\w-]+")
# Only class and id attributes: a page's prose would otherwise "use" Bootstrap classes such as
# "small" or "table". Inline scripts are read whole, like the script files.
HTML_NAMES = re.compile(r"""\s(?:class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
DESIGN_ASSETS = {"sphinx-design.min.css", "design-tabs.js"}
DESIGN_CLASS = re.compile(r"""class=["'][^"']*\bsd-""")
SEARCH_TOOLS = re.compile(
    r"""[ \t]*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>\n?"""
)


# --- Font Awesome -------------------------------------------------------------------------------

#: The start of an icon pack: `={name:[width,height,[` where name is bare, quoted or a number.
PACK_START = re.compile(r"""=\{(?=(?:[A-Za-z_$][\w$]*|"[^"\\]*"|\d+):\[\d+,\d+,\[)""")
PACK_KEY = re.compile(r"""([A-Za-z_$][\w$]*|"[^"\\]*"|\d+):""")


def _array_end(text: str, start: int) -> int:
    """The index just past the JSON-like array that opens at ``text[start]``."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unterminated array")


def _subset_pack(text: str, start: int, used: set[str]) -> tuple[str, int]:
    """The pack whose entries start at ``text[start]`` with only the used icons, and where it ends."""
    kept, i = [], start
    while True:
        key = PACK_KEY.match(text, i)
        if not key or text[key.end()] != "[":
            raise ValueError(f"expected an icon entry at offset {i}: {text[i : i + 60]!r}")
        end = _array_end(text, key.end())
        width, height, aliases, _unicode, _paths = json.loads(text[key.end() : end])
        if not (isinstance(width, int) and isinstance(height, int) and isinstance(aliases, list)):
            raise ValueError(f"unexpected icon definition at offset {i}: {text[i : i + 60]!r}")
        names = {key.group(1).strip('"'), *(str(alias) for alias in aliases)}  # aliases include old names
        if names & used:
            kept.append(text[i:end])
        if text[end] == "}":
            return ",".join(kept), end
        if text[end] != ",":
            raise ValueError(f"expected ',' or '}}' after the icon at offset {i}")
        i = end + 1


def subset_fontawesome(script: str, used: set[str]) -> str:
    """Font Awesome's JS with each icon pack reduced to the icons named in ``used`` (or their aliases)."""
    parts, position = [], 0
    for match in PACK_START.finditer(script):
        if match.start() < position:
            continue  # a look-alike inside a pack already rewritten
        try:
            pack, end = _subset_pack(script, match.end(), used)
        except (ValueError, IndexError, TypeError) as error:
            raise ExtensionError(
                f"page_weight: cannot read the Font Awesome icon pack at offset "
                f"{match.start()} ({error}); has the theme changed its Font Awesome build?"
            ) from error
        parts += [script[position : match.end()], pack]
        position = end
    if not parts:
        raise ExtensionError(
            "page_weight: found no Font Awesome icon pack (`={name:[width,height,[aliases],...`) "
            "in fontawesome.js; has the theme changed its Font Awesome build?"
        )
    return "".join(parts) + script[position:]


# --- CSS ----------------------------------------------------------------------------------------

#: At-rules whose blocks hold ordinary rules, purged like the top level; any other block is kept whole.
GROUPING_AT_RULES = {"media", "supports", "layer", "container", "document", "-moz-document", "scope"}


def _skip(css: str, i: int) -> int:
    """If a string, comment or escape starts at ``css[i]``, the index just past it; else ``i``."""
    if css.startswith("/*", i):
        end = css.find("*/", i + 2)
        return len(css) if end < 0 else end + 2
    if css[i] in "\"'":
        quote, i = css[i], i + 1
        while i < len(css) and css[i] != quote:
            i += 2 if css[i] == "\\" else 1
        return i + 1
    if css[i] == "\\":
        return i + 2
    return i


def _block_end(css: str, i: int) -> int:
    """The index of the '}' that closes the block opened just before ``css[i]``."""
    depth = 1
    while i < len(css):
        after = _skip(css, i)
        if after != i:
            i = after
            continue
        if css[i] == "{":
            depth += 1
        elif css[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unclosed block")


def _top_level(text: str):
    """(index, character) of each character outside strings, comments, escapes, brackets and parentheses."""
    depth, i = 0, 0
    while i < len(text):
        after = _skip(text, i)
        if after != i:
            i = after
            continue
        char = text[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0:
            yield i, char
        i += 1


def _split_top_level(selector_list: str) -> list[str]:
    """The selectors of a list, split at commas outside parentheses, brackets and strings."""
    parts, start = [], 0
    for i, char in _top_level(selector_list):
        if char == ",":
            parts.append(selector_list[start:i])
            start = i + 1
    return [part.strip() for part in [*parts, selector_list[start:]]]


def _unescape(name: str) -> str:
    name = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m.group(1), 16)), name)
    return re.sub(r"\\(.)", r"\1", name)


def required_names(selector: str) -> set[str]:
    """The classes and ids an element must have for ``selector`` to match anything.

    Names inside :not(), :is(), :has() and attribute brackets are left out: a selector such as
    ``.btn:not(.active)`` matches even where no page has "active".
    """
    names = set()
    for i, char in _top_level(selector):
        if char in ".#":
            name = re.match(r"(?:[\w-]|\\[0-9a-fA-F]{1,6}\s?|\\.)+", selector[i + 1 :])
            if name:
                names.add(_unescape(name.group()))
    return names


def purge_css(css: str, used: set[str]) -> str:
    """``css`` without the selectors that need a class or id not in ``used``, and without emptied rules."""
    out, i = [], 0
    while True:
        while i < len(css) and (css[i].isspace() or css.startswith("/*", i)):
            after = max(_skip(css, i), i + 1)
            if css.startswith("/*!", i):  # licence banners stay; other comments (source maps) go
                out.append(css[i:after])
            i = after
        if i >= len(css):
            return "".join(out)
        start = i
        while i < len(css) and css[i] not in "{};":
            i = max(_skip(css, i), i + 1)
        prelude = css[start:i].strip()
        if i >= len(css) or css[i] == "}":
            raise ValueError(f"unexpected end of rule at offset {i}: {prelude[:60]!r}")
        if css[i] == ";":  # a statement such as @import or @charset
            out.append(prelude + ";")
            i += 1
            continue
        end = _block_end(css, i + 1)
        body = css[i + 1 : end]
        i = end + 1
        if prelude.startswith("@"):
            name = re.match(r"@([\w-]+)", prelude)
            if name and name.group(1).lower() in GROUPING_AT_RULES:
                inner = purge_css(body, used)
                if inner.strip():
                    out.append(f"{prelude}{{{inner}}}")
            else:  # @font-face, @keyframes, @page, @property...: kept whole
                out.append(f"{prelude}{{{body}}}")
            continue
        selectors = [s for s in _split_top_level(prelude) if required_names(s) <= used]
        if selectors:
            out.append(f"{','.join(selectors)}{{{body}}}")


# --- The build ----------------------------------------------------------------------------------


def _texts(outdir: Path, pattern: str):
    for path in sorted(outdir.rglob(pattern)):
        yield path, path.read_text(encoding="utf-8", errors="replace")


def used_icons(outdir: Path) -> set[str]:
    texts = [text for _, text in _texts(outdir, "*.html")]
    texts += [text for path, text in _texts(outdir / "_static", "*.js") if path != outdir / FONTAWESOME]
    return {name for text in texts for name in ICON_CLASS.findall(text)}


def used_names(outdir: Path) -> set[str]:
    names = set()
    for _, html in _texts(outdir, "*.html"):
        for values in HTML_NAMES.findall(html):
            names.update("".join(values).split())
        for script in INLINE_SCRIPT.findall(html):
            names.update(WORD.findall(script))
    for path, script in _texts(outdir, "*.js"):
        if path.name != "searchindex.js":  # the book's words, not code that adds classes
            names.update(WORD.findall(script))
    return names


def drop_unused_design_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    # Per page, before it is written: sphinx-design's files only style and drive its own components.
    if DESIGN_CLASS.search(context.get("body", "")):
        return
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [
                asset
                for asset in context[key]
                if Path(str(getattr(asset, "filename", asset))).name not in DESIGN_ASSETS
            ]


def lighten(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    before = _asset_kib(outdir)
    fontawesome = outdir / FONTAWESOME
    if fontawesome.is_file():
        lighten_fontawesome(fontawesome, used_icons(outdir))
    # With search-as-you-type off (the theme's default) only the search page reads the index.
    options = app.builder.theme.get_options(app.builder.theme_options)
    if str(options.get("search_as_you_type", False)).lower() != "true":
        for page, html in _texts(outdir, "*.html"):
            if page != outdir / "search.html":
                _write(page, SEARCH_TOOLS.sub("", html))
    # After the icons: the full icon packs would make every icon's rule look used.
    used = used_names(outdir)
    for stylesheet, _ in _texts(outdir / "_static", "*.css"):
        lighten_stylesheet(stylesheet, used)
    logger.info("page_weight: JS and CSS in _static, %d KiB -> %d KiB", before, _asset_kib(outdir))


# An upstream file this extension cannot read is left as the theme wrote it, with a warning (an error
# under -W, so CI notices); tests/test_page_weight.py reads the installed theme's own files, so a
# theme upgrade that changes their format fails a test before any build.


def lighten_fontawesome(path: Path, used: set[str]) -> bool:
    """Subset Font Awesome's script in place; False, with a warning and the file untouched, if unreadable."""
    try:
        subset = subset_fontawesome(path.read_text(encoding="utf-8"), used)
    except ExtensionError as error:
        logger.warning(f"{error}; {path.name} is left whole", type="page_weight", subtype="fontawesome")
        return False
    # The source map describes the full file, not this one.
    _write(path, re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", subset))
    return True


def lighten_stylesheet(path: Path, used: set[str]) -> bool:
    """Purge unused rules from a stylesheet in place; False, with a warning and the file untouched, if unreadable."""
    try:
        purged = purge_css(path.read_text(encoding="utf-8", errors="replace"), used)
    except ValueError as error:
        logger.warning(
            f"page_weight: cannot parse {path.name} ({error}); it is left whole", type="page_weight", subtype="css"
        )
        return False
    _write(path, purged)
    return True


def _write(path: Path, text: str) -> None:
    if path.read_text(encoding="utf-8", errors="replace") != text:
        path.write_text(text, encoding="utf-8")


def _asset_kib(outdir: Path) -> int:
    return sum(p.stat().st_size for pattern in ("*.js", "*.css") for p in (outdir / "_static").rglob(pattern)) // 1024


def setup(app: Sphinx) -> dict:
    # Late, after myst-nb, pydata-sphinx-theme and sphinx-exercise have copied their files at build-finished.
    app.connect("html-page-context", drop_unused_design_assets)
    app.connect("build-finished", lighten, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
