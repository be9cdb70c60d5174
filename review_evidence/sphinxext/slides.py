"""Sphinx extension: one reveal.js slide deck per chapter, built with the book and read offline.

At the end of an HTML build it writes, under ``_downloads/classroom/slides/`` of the output, one deck per
chapter (``<chapter>.html``, made by nbconvert's ``SlidesExporter``), the shared ``slides.css`` and the
reveal.js files the decks load (``reveal/``, copied from the vendored copy in ``vendor/reveal.js/``,
see its README), and beside them ``slides.zip`` with all of it. Every deck refers to them by a relative
path, so a deck opens from disk (``file://``, also unzipped anywhere) or from any web server, with no
network: nothing in it names another host.

The chapter notebook stays the only source. Each deck is made from a copy, changed on the way:

* cells the book removes (``remove-cell``, the exercises' checks, raw cells) are left out; cells whose
  input the book folds (``hide-input``) show only their output; folded outputs (``hide-output``, long
  tables) are shown, on a slide that scrolls;
* **solutions are removed** (``{solution}`` blocks and ``{solution-start}`` ... ``{solution-end}`` spans,
  read as ``student_versions`` reads them): students must not get them through the slides;
* MyST markup, which nbconvert's Markdown does not know, becomes plain Markdown: admonitions and
  exercises become a bold title and their text, citations become author-year labels from
  ``references.bib``, glossary and page references their words (or, without words, the page's or
  section's title), ``{numref}`` the figure's number in the book, ``{glue:text}`` the value the chapter
  glued. Every inserted text is HTML-escaped. An unknown
  directive or role stops the build, naming the chapter, rather than showing raw markup;
* a chart's interactive HTML output (Altair's, which carries a script) is replaced by the static PNG its
  display bundle carries (written as a file beside the deck), with the figure's alt text and, below it,
  its number and caption; an output with a script and no image stops the build;
* slide boundaries (``_mark_slides``): each ``#`` or ``##`` heading starts a slide; a ``###`` heading,
  text after an output, and a chart that would crowd the slide start a vertical sub-slide; a slide
  longer than the screen scrolls.

The template (``slide_deck/deck.html.j2``) extends nbconvert's ``reveal`` template and drops everything
it would fetch from a CDN (jQuery, require.js, MathJax, Mermaid, widgets): the only scripts in a deck are
``reveal.js``, the few lines that start it and nbconvert's print-to-PDF switch (``tests/test_slides.py``).
Decks are cached in ``_build/.classroom-cache/slides/``, keyed on everything they are made from.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import posixpath
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .classroom import KIT_DIR, _kit_link, chapter_notebooks, write_zip
from .figure_alt import generated_alt
from .glued import glued_text, glued_values
from .student_versions import CHECKS_KEY, _solutions

logger = logging.getLogger(__name__)

SLIDES_DIR = f"{KIT_DIR}/slides"
#: Every deck with reveal.js and its images in one archive (in the kit), to show the slides from a laptop.
SLIDES_ZIP = "slides.zip"
SLIDES_ROOT = "personalization-review-slides"
HERE = Path(__file__).parent
REVEAL_SOURCE = HERE / "vendor" / "reveal.js"
#: The files of the npm package ``reveal.js`` the decks use (relative to the package root), vendored as is.
REVEAL_FILES = ("LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/theme/serif.css")
REVEAL_PREFIX = "reveal"  # relative to the decks (not "reveal.js": page_weight globs *.js), so they open from disk and from any server
REVEAL_THEME = (
    "serif"  # 5 kB, system fonts: no Google Fonts @import, no 500 kB of embedded fonts (slides.css restyles it)
)
TEMPLATE = HERE / "slide_deck" / "deck.html.j2"
STYLESHEET = HERE / "slide_deck" / "slides.css"

#: More Markdown than this on a slide, and a chart goes on the next sub-slide (a heading and a question stay with it).
SLIDE_TEXT_BEFORE_CHART = 250
HEADING = re.compile(r"^(#{1,6}) ", re.MULTILINE)
FENCED_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<argument>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.DOTALL | re.MULTILINE,
)
DIRECTIVE_OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>[^\n]*)\n", re.MULTILINE)
#: A role, or a code span (whose text is left alone: ``role = {reviewed}`` in backticks is code, not a role).
ROLE_OR_CODE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<text>[^`]*)`|(?P<ticks>`+)(?P<code>.*?)(?P=ticks)", re.DOTALL)
SECTION_LABEL = re.compile(r"^\(([\w-]+)\)=[ \t]*\n+#+ ([^\n]+)$", re.MULTILINE)
PAGE_TITLE = re.compile(r"^# ([^\n]+)$", re.MULTILINE)
TARGET_LINE = re.compile(r"^\([\w-]+\)=[ \t]*\n", re.MULTILINE)
#: Markup that would run code: a script, an embedded frame or object, an event handler or a javascript: URL.
#: Only inside tags: escaped text from the data (``&lt;script&gt;``, "javascript:" in a cell) is not markup.
ACTIVE_HTML = re.compile(
    r"<(?:script|iframe|object|embed)\b|<[^>]*\son\w+\s*=|<[^>]*=\s*[\"']?\s*javascript:", re.IGNORECASE
)
ADMONITIONS = {"note", "tip", "warning", "important", "caution", "attention", "hint", "seealso", "danger", "error"}


class SlidesError(Exception):
    """A chapter the slides cannot show faithfully; the message names the chapter and the construct."""


# ---- MyST to the Markdown nbconvert knows ---------------------------------------------------------


def _escaped(text: str) -> str:
    return html.escape(text, quote=False)


def _title_and_target(text: str) -> tuple[str, str]:
    match = re.fullmatch(r"(?P<title>.*?)\s*<(?P<target>[^<>]+)>", text.strip(), re.DOTALL)
    return (match["title"], match["target"]) if match else (text.strip(), text.strip())


def _citation(keys: str, textual: bool, chapter: str) -> str:
    from ..bibliography import citation_label

    labels = []
    for key in (k.strip() for k in keys.split(",")):
        try:
            labels.append(citation_label(key))
        except KeyError:
            raise SlidesError(f"{chapter}: citation key {key!r} is not in references.bib") from None
    if textual:
        return "; ".join(labels)
    return "(" + "; ".join(label.replace(" (", ", ").removesuffix(")") for label in labels) + ")"


def _glued(glue: dict[str, str], text: str, chapter: str) -> str:
    try:
        return glued_text(glue, text, chapter)
    except LookupError as error:
        raise SlidesError(str(error)) from None


def _linked_title(role: str, target: str, chapter: str, titles: dict[str, str] | None) -> str:
    """What the book shows for a ``{doc}`` or ``{ref}`` without its own text: the page's or section's title."""
    key = f"ref:{target}" if role == "ref" else posixpath.normpath(posixpath.join("notebooks", target.lstrip("/")))
    if role == "doc" and target.startswith("/"):
        key = target.lstrip("/")
    if titles is None:  # outside a book build: the name is the best there is
        return posixpath.basename(target)
    if key not in titles:
        raise SlidesError(f"{chapter}: {{{role}}}`{target}` names no page or section of the book")
    return titles[key]


def inline_markup(
    text: str, chapter: str, numbers: dict[str, str], glue: dict[str, str], titles: dict[str, str] | None = None
) -> str:
    """MyST roles as plain, HTML-escaped words; code spans untouched."""

    def replace(match: re.Match) -> str:
        if match["ticks"]:
            return match.group(0)
        role, body = match["role"], match["text"]
        if role in {"term", "doc", "ref"}:
            title, target = _title_and_target(body)
            if title == target and role != "term":
                title = _linked_title(role, target, chapter, titles)
            return _escaped(title)
        if role in {"cite:t", "cite:p", "cite"}:
            return _escaped(_citation(body, role == "cite:t", chapter))
        if role == "numref":
            if body not in numbers:
                raise SlidesError(f"{chapter}: {{numref}}`{body}` names no numbered figure of the book")
            return _escaped(numbers[body])
        if role == "glue:text":
            return _escaped(_glued(glue, body, chapter))
        raise SlidesError(f"{chapter}: the slides do not know the role {{{role}}} (in {match.group(0)!r})")

    return ROLE_OR_CODE.sub(replace, text)


def block_markup(text: str, chapter: str, numbers: dict[str, str]) -> str:
    """MyST directives as Markdown: a bold title, then the body (solutions are already gone)."""

    def replace(match: re.Match) -> str:
        name, argument = match["name"], match["argument"].strip()
        options = dict((m["key"], m["value"]) for m in DIRECTIVE_OPTION.finditer(match["body"]))
        body = DIRECTIVE_OPTION.sub("", match["body"]).strip("\n")
        body = block_markup(body, chapter, numbers)
        if name == "exercise":
            title = numbers.get(options.get("label", ""), "Exercise")
            title = f"{title}: {argument}" if argument else title
        elif name == "admonition":
            title = argument
        elif name in ADMONITIONS:
            title = argument or name.capitalize()
        else:
            raise SlidesError(f"{chapter}: the slides do not know the directive {{{name}}}")
        return f"**{title}.** {body}\n" if title else f"{body}\n"

    return FENCED_DIRECTIVE.sub(replace, text)


def split_at_headings(text: str) -> list[str]:
    """A Markdown cell cut before each heading (outside code fences), so each heading can start a slide."""
    pieces, current, fence = [], [], None
    for line in text.splitlines(keepends=True):
        opening = re.match(r"^(`{3,}|:{3,})", line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None and HEADING.match(line) and "".join(current).strip():
            pieces.append("".join(current))
            current = []
        current.append(line)
    if "".join(current).strip():
        pieces.append("".join(current))
    return pieces


# ---- the deck's notebook ------------------------------------------------------------------------


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _slide_outputs(
    cell: dict, chapter: str, numbers: dict[str, str], glue: dict[str, str] | None = None
) -> tuple[list[dict], str | None]:
    """The outputs a slide shows, and the figure caption to put under them (None for a non-figure).

    An image's alt text is the one its output carries (a chart's generated description, as the book's
    printed edition uses it: ``figure_alt.py``), else the cell's ``mystnb.image.alt``, else the caption's text.
    """
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
    alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt", "")
    if not alt and figure.get("caption"):
        # the caption as text (its glued numbers filled in); the template escapes it once
        alt = html.unescape(inline_markup(figure["caption"], chapter, numbers, glue or {}))
    outputs = []
    for output in cell.get("outputs", []):
        if "scrapbook" in output.get("metadata", {}):
            continue  # a glued value: shown where the text cites it
        output = copy.deepcopy(output)
        data = output.get("data", {})
        active = [
            mimetype
            for mimetype, value in data.items()
            if mimetype == "application/javascript"
            or (mimetype in {"text/html", "text/markdown"} and ACTIVE_HTML.search("".join(value)))
        ]
        if active and "image/png" not in data:
            raise SlidesError(
                f"{chapter}: an output's {', '.join(active)} would run a script in the slides, and it has no "
                "static image to show instead"
            )
        for mimetype in active:
            del data[mimetype]  # a chart: its static PNG instead of the interactive chart and its script
        if "image/png" in data:
            output.setdefault("metadata", {})["slides_alt"] = generated_alt(output.get("metadata", {})) or alt
        outputs.append(output)
    caption = None
    if figure and any("image/png" in o.get("data", {}) for o in outputs):
        number = numbers.get(figure.get("name", ""), "Figure")
        caption = f"**{number}.** {figure.get('caption', '')}"
    return outputs, caption


def slide_notebook(
    notebook: dict, chapter: str, numbers: dict[str, str] | None = None, titles: dict[str, str] | None = None
) -> dict:
    """The chapter as nbconvert's slides should see it (see the module docstring); the input is not changed.

    ``numbers`` maps figure and exercise labels to their numbers in the book (``book_numbers``); without
    it (outside a Sphinx build) they are numbered within the chapter. ``titles`` (``page_titles``) gives
    the text of a ``{doc}`` or ``{ref}`` that has none of its own; without it, the target's name.
    """
    numbers = chapter_numbers(notebook) if numbers is None else numbers
    glue = glued_values(notebook)
    items, _ = _solutions(copy.deepcopy(notebook), chapter)  # solution dropdowns and spans removed
    cells: list[dict] = []
    for kind, cell in items:
        if kind != "cell" or cell["cell_type"] == "raw" or "remove-cell" in _tags(cell):
            continue
        if CHECKS_KEY in cell.get("metadata", {}).get("review_evidence", {}):
            continue
        if cell["cell_type"] == "markdown":
            text = TARGET_LINE.sub("", _source(cell))
            text = inline_markup(block_markup(text, chapter, numbers), chapter, numbers, glue, titles)
            cells += [{"cell_type": "markdown", "metadata": {}, "source": piece} for piece in split_at_headings(text)]
            continue
        tags = _tags(cell)
        # A folded output (hide-output, a long table) is shown: the slide scrolls, and its code alone says nothing.
        outputs, caption = ([], None) if "remove-output" in tags else _slide_outputs(cell, chapter, numbers, glue)
        hide_input = bool(tags & {"hide-input", "remove-input"})
        if hide_input and not outputs:
            continue
        metadata = {"transient": {"remove_source": True}} if hide_input else {}
        metadata["slides_figure"] = caption is not None
        cells.append(dict(copy.deepcopy(cell), source=_source(cell), metadata=metadata, outputs=outputs))
        if caption:
            cells.append(
                {
                    "cell_type": "markdown",
                    "metadata": {"slides_caption": True},
                    "source": inline_markup(caption, chapter, numbers, glue, titles),
                }
            )
    _mark_slides(cells)
    for index, cell in enumerate(cells):
        cell["id"] = f"slide-cell-{index}"
    deck = dict(copy.deepcopy(notebook), cells=cells)
    deck["metadata"] = {**deck.get("metadata", {}), "title": chapter_title(notebook, chapter)}
    return deck


def chapter_numbers(notebook: dict) -> dict[str, str]:
    """Figures and exercises numbered in the chapter's order, for decks made outside a book build."""
    figures = [
        c["metadata"]["mystnb"]["figure"].get("name")
        for c in notebook["cells"]
        if "figure" in c.get("metadata", {}).get("mystnb", {})
    ]
    text = "\n".join(_source(c) for c in notebook["cells"] if c["cell_type"] == "markdown")
    exercises = re.findall(r"\{exercise\}[^\n]*\n:label: ([\w-]+)", text)
    numbers = {label: f"Figure {index}" for index, label in enumerate(figures, 1) if label}
    numbers.update({label: f"Exercise {index}" for index, label in enumerate(exercises, 1)})
    return numbers


def _mark_slides(cells: list[dict]) -> None:
    """Each ``#``/``##`` heading starts a slide; a ``###`` heading, text after an output, and a chart on a
    slide that already shows an output or a paragraph or two start a vertical sub-slide."""
    previous = None  # the cell before, a figure's caption not counted
    shows_output, text_chars = False, 0  # what the current (sub-)slide already holds
    for index, cell in enumerate(cells):
        heading = HEADING.match(cell["source"]) if cell["cell_type"] == "markdown" else None
        is_caption = cell["metadata"].pop("slides_caption", False)
        is_figure = cell["metadata"].pop("slides_figure", False)
        if index == 0 or (heading and len(heading.group(1)) <= 2):
            kind = "slide"
        elif heading and len(heading.group(1)) == 3:
            kind = "subslide"
        elif is_caption:
            kind = "-"
        elif (is_figure and (shows_output or text_chars > SLIDE_TEXT_BEFORE_CHART)) or (
            cell["cell_type"] == "markdown" and previous is not None and previous["cell_type"] == "code"
        ):
            kind = "subslide"
        else:
            kind = "-"
        cell["metadata"]["slideshow"] = {"slide_type": kind}
        if kind != "-":
            shows_output, text_chars = False, 0
        shows_output = shows_output or bool(cell.get("outputs"))
        text_chars += len(cell["source"]) if cell["cell_type"] == "markdown" else 0
        if not is_caption:
            previous = cell


# ---- writing the decks ----------------------------------------------------------------------------


def _exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.reveal_url_prefix = REVEAL_PREFIX
    config.SlidesExporter.reveal_theme = REVEAL_THEME
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    config.SlidesExporter.template_file = str(TEMPLATE)
    # Charts as image files beside the deck, not base64 in it: the deck's text loads fast, images once.
    config.ExtractOutputPreprocessor.enabled = True
    config.ExtractOutputPreprocessor.extract_output_types = {"image/png"}
    return SlidesExporter(config=config)


def copy_reveal(target: Path) -> None:
    for name in REVEAL_FILES:
        source = REVEAL_SOURCE / name
        if not source.is_file():
            raise SlidesError(f"{source}: missing from the vendored reveal.js (see {REVEAL_SOURCE / 'README.md'})")
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)


def _deck_fingerprint(chapter_path: Path, numbers: dict[str, str] | None, titles: dict[str, str]) -> str:
    """A hash of what a deck depends on: the chapter, the book's numbers and titles, this code, the template, nbconvert."""
    from importlib.metadata import version

    from ..paths import BIBLIOGRAPHY

    names = json.dumps([numbers, titles], sort_keys=True)
    digest = hashlib.sha256(f"nbconvert {version('nbconvert')}\0{names}\0".encode())
    sources = (
        chapter_path,
        Path(__file__),
        HERE / "student_versions.py",
        HERE / "figure_alt.py",
        TEMPLATE,
        BIBLIOGRAPHY,
    )
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def write_decks(
    root: Path, target: Path, numbers: dict[str, str] | None = None, cache: Path | None = None
) -> dict[str, Path]:
    """Write every chapter's deck (and its images), the stylesheet and reveal.js into ``target``.

    Returns chapter -> deck. With ``cache``, a deck whose inputs are unchanged since the last build is
    copied from there, not made again.
    """
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    copy_reveal(target / REVEAL_PREFIX)
    shutil.copy2(STYLESHEET, target / STYLESHEET.name)
    exporter = None
    decks = {}
    titles = page_titles(root)
    for path in chapter_notebooks(root):
        entry = Path(cache) / f"{path.stem}-{_deck_fingerprint(path, numbers, titles)}" if cache else None
        if entry is None or not (entry / "done").is_file():
            exporter = exporter or _exporter()
            files = render_deck(path, exporter, numbers, titles)
            if entry is not None:
                for stale in Path(cache).glob(f"{path.stem}-*"):
                    if stale.name.rsplit("-", 1)[0] == path.stem:
                        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
                _write_files(entry, files)
                (entry / "done").write_text("")
        else:
            files = {f.relative_to(entry).as_posix(): f.read_bytes() for f in entry.rglob("*") if f.is_file()}
            files.pop("done")
        _write_files(target, files)
        decks[path.stem] = target / f"{path.stem}.html"
    return decks


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)


def page_titles(root: Path) -> dict[str, str]:
    """Each page's title (``notebooks/method``, ``book/glossary``) and each labelled section's (``ref:<label>``)."""
    titles = {}
    pages = [
        (p, [_source(c) for c in json.loads(p.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown"])
        for p in chapter_notebooks(root)
    ]
    pages += [(p, [p.read_text(encoding="utf-8")]) for p in sorted((Path(root) / "book").glob("*.md"))]
    for path, texts in pages:
        page = path.relative_to(root).with_suffix("").as_posix()
        for text in texts:
            titles.update({f"ref:{m[1]}": m[2].strip() for m in SECTION_LABEL.finditer(text)})
            first = PAGE_TITLE.search(text)
            if first and page not in titles:
                titles[page] = first[1].strip()
    return titles


def render_deck(
    chapter_path: Path, exporter=None, numbers: dict[str, str] | None = None, titles: dict[str, str] | None = None
) -> dict[str, bytes]:
    """One chapter's deck: ``{"<chapter>.html": ..., "<chapter>_files/<image>.png": ...}``."""
    import nbformat

    chapter = Path(chapter_path).stem
    deck = slide_notebook(json.loads(Path(chapter_path).read_text(encoding="utf-8")), chapter, numbers, titles)
    node = nbformat.reads(json.dumps(deck), as_version=4)  # joins the multi-line strings, as reading a file does
    resources = {"metadata": {"name": chapter}, "output_files_dir": f"{chapter}_files", "unique_key": chapter}
    body, resources = (exporter or _exporter()).from_notebook_node(node, resources=resources)
    return {f"{chapter}.html": body.encode("utf-8"), **resources.get("outputs", {})}


def book_numbers(app: Sphinx) -> dict[str, str]:
    """Each numbered figure's and exercise's label -> its number as the book prints it ("Fig. 12")."""
    formats = {"figure": app.config.numfig_format.get("figure", "Fig. %s"), "exercise": "Exercise %s"}
    numbers = {}
    for by_type in app.env.toc_fignumbers.values():
        for kind, fmt in formats.items():
            for label, number in by_type.get(kind, {}).items():
                numbers[label] = fmt % ".".join(map(str, number))
    return numbers


def _build_decks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not app.config.classroom_slides:
        return
    cache = Path(app.outdir).parent / ".classroom-cache" / "slides"
    target = Path(app.outdir) / SLIDES_DIR
    decks = write_decks(Path(app.srcdir), target, book_numbers(app), cache=cache)
    files = sorted(p for p in target.rglob("*") if p.is_file())
    write_zip(target.parent / SLIDES_ZIP, {f"{SLIDES_ROOT}/{p.relative_to(target).as_posix()}": p for p in files})
    logger.info(f"{len(decks)} slide decks written to {Path(app.outdir) / SLIDES_DIR}")


def chapter_title(notebook: dict, chapter: str) -> str:
    for cell in notebook["cells"]:
        source = _source(cell)
        if cell["cell_type"] == "markdown" and source.startswith("# "):
            return source.splitlines()[0][2:].strip()
    raise SlidesError(f"{chapter}: no '# ' title in its first Markdown cells")


class SlideDecks(SphinxDirective):
    """A list of every chapter with a link to its slide deck (in the classroom kit)."""

    def run(self) -> list[nodes.Node]:
        items = nodes.bullet_list()
        for path in chapter_notebooks(Path(self.env.srcdir)):
            self.env.note_dependency(str(path))
            paragraph = nodes.paragraph()
            paragraph += nodes.Text(chapter_title(json.loads(path.read_text(encoding="utf-8")), path.stem) + ": ")
            paragraph += _kit_link("slides", f"slides/{path.stem}.html")
            items += nodes.list_item("", paragraph)
        return [items]


def setup(app: Sphinx) -> dict:
    app.add_config_value("classroom_slides", True, "html")
    app.add_directive("slide-decks", SlideDecks)
    app.connect("build-finished", _build_decks)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
