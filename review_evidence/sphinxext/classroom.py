"""Sphinx extension: the classroom kit, built with the book.

At the end of an HTML build it writes, under ``_downloads/classroom/`` of the output:

* ``course-pack.zip``: the chapters' notebooks, the analysis library (``review_evidence`` without
  this build machinery), the data, ``references.bib``, the pinned ``requirements.txt`` and a README
  with the one install command. Unpacked anywhere, the notebooks run: each one's setup cell
  (``SETUP_CELL``) finds the package and the data beside it.
* ``data-package.zip`` and ``data/``: the data package (CSV tables, schemas, ``datapackage.json``,
  its README) as one archive and as single files.
* ``student/`` and ``autograder/``: the student notebooks and the autograders (otter-grader) that
  ``review_evidence.sphinxext.student_versions`` generates from the chapters.

Every chapter page gets a short "Run this chapter" box linking the course pack and the CSV tables
the chapter reads (from the ``review_evidence.tables`` declaration in its metadata, the one
``data_deps`` uses). ``{classroom-file}`` links a file of the kit from a Markdown page (the teaching
page), and launch buttons are dropped when ``repository.url`` is unset (see ``_launch_buttons_need_a_repository``).

Nothing here is fetched from the network: the archives are made from the files being built.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

#: Where the kit goes in the HTML output; links are made relative to each page.
KIT_DIR = "_downloads/classroom"
COURSE_PACK = "course-pack.zip"
DATA_PACKAGE = "data-package.zip"
#: The top folder inside both archives, so unzipping never scatters files into the current folder.
PACK_ROOT = "personalization-review-course-pack"
DATA_ROOT = "personalization-review-data"
#: The repository URL jupyter-book uses when a book's _config.yml names none (its own repository).
JUPYTER_BOOK_DEFAULT_REPOSITORY = "https://github.com/executablebooks/jupyter-book"
#: Fixed zip timestamps, so rebuilding unchanged sources gives a byte-identical archive.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)

PACK_README = """\
# Course pack: AI-driven personalization in e-commerce, an executable review

This folder holds everything the book's chapters need to run, without the book's repository:

- `notebooks/`: the chapters, one notebook each, with their outputs;
- `review_evidence/`: the analysis library the notebooks import (loading and checking the data,
  statistics, charts);
- `data/`: the data tables (CSV), their schemas and `datapackage.json` (see `data/README.md`);
- `references.bib`: the bibliography;
- `requirements.txt`: the exact versions the book was built and tested with.

Install once, from this folder, with Python 3.11:

    python3.11 -m venv .venv && .venv/bin/pip install -r requirements.txt

Then open any notebook in `notebooks/` with the environment's kernel (JupyterLab, Jupyter Notebook
or VS Code; the pins include the kernel, not an editor) and run it from the top. Its first cell
finds `review_evidence/` and `data/` in this folder; if you move a notebook out of the folder, that
cell says what is missing.

Google Colab: upload `course-pack.zip` itself to the session's files, then run the notebook: its
first cell unpacks the archive and installs the pinned versions of any library Colab lacks.

The requirements file is the book's full lock without its last line (`-e .`, which installs the
repository's package and the book's build machinery). It therefore also pins the book's build and
test tools; they are unused here but keep every version identical to the book's.
"""


# ---- what goes into the archives ------------------------------------------------------------------


def chapter_notebooks(root: Path) -> list[Path]:
    """The chapters' notebooks (every ``notebooks/*.ipynb``)."""
    return sorted((root / "notebooks").glob("*.ipynb"))


def _library_files(root: Path) -> list[Path]:
    package = root / "review_evidence"
    return sorted(
        p
        for p in package.rglob("*.py")
        if "sphinxext" not in p.relative_to(package).parts and "__pycache__" not in p.parts
    )


def _data_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def pack_requirements(root: Path) -> str:
    """The lock without the line that installs the repository itself (``-e .``), which the pack is not."""
    lines = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.strip() not in {"-e .", "."}]
    if len(kept) == len(lines):
        raise ExtensionError(f"{root / 'requirements.txt'}: expected a '-e .' line to leave out of the course pack")
    return "\n".join(kept).rstrip() + "\n"


def course_pack_members(root: Path) -> dict[str, bytes | Path]:
    """Archive name -> file (or generated bytes) for the course pack."""
    root = Path(root)
    members: dict[str, bytes | Path] = {}
    for path in [*chapter_notebooks(root), *_library_files(root), *_data_files(root), root / "references.bib"]:
        members[path.relative_to(root).as_posix()] = path
    members["requirements.txt"] = pack_requirements(root).encode()
    members["README.md"] = PACK_README.encode()
    return {f"{PACK_ROOT}/{name}": content for name, content in sorted(members.items())}


def data_package_members(root: Path) -> dict[str, bytes | Path]:
    root = Path(root)
    return {f"{DATA_ROOT}/{p.relative_to(root / 'data').as_posix()}": p for p in _data_files(root)}


def write_zip(target: Path, members: dict[str, bytes | Path]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content.read_bytes() if isinstance(content, Path) else content)
    return target


def build_kit(root: Path, outdir: Path, cache: Path | None = None, workers: int = 1) -> Path:
    """Write the course pack, the data package and the single data files under ``outdir/KIT_DIR``."""
    kit = Path(outdir) / KIT_DIR
    write_zip(kit / COURSE_PACK, course_pack_members(root))
    write_zip(kit / DATA_PACKAGE, data_package_members(root))
    if (kit / "data").exists():
        shutil.rmtree(kit / "data")
    shutil.copytree(Path(root) / "data", kit / "data", ignore=shutil.ignore_patterns("__pycache__"))
    from .student_versions import generate_all  # from the chapters' single source, with otter-grader

    for folder in ("student", "autograder"):
        if (kit / folder).exists():
            shutil.rmtree(kit / folder)
    generate_all(root, kit, cache=cache, workers=workers)
    return kit


# ---- the notebooks' setup cell --------------------------------------------------------------------

SETUP_CELL_ID = "classroom-setup"
#: The first code cell of every chapter (inserted by ``scripts/student_versions.py --setup-cells``;
#: ``tests/test_classroom.py`` checks every notebook carries exactly this text). Hidden in the book.
SETUP_CELL = """\
# Setup: find the book's package (review_evidence/) and data (data/) beside this notebook.
import importlib.util
import pathlib
import subprocess
import sys
import zipfile


def _book_folder(start):
    candidates = (start, *start.parents, start / "personalization-review-course-pack")
    for archive in [None, *sorted(start.glob("course-pack*.zip"))]:  # a zip: e.g. uploaded to Google Colab
        if archive is not None:
            with zipfile.ZipFile(archive) as pack:
                pack.extractall(start)
        for folder in candidates:
            if (folder / "review_evidence" / "__init__.py").is_file() and (folder / "data" / "datapackage.json").is_file():
                return folder
    return None


_folder = _book_folder(pathlib.Path.cwd().resolve())
if _folder is not None and str(_folder) not in sys.path:
    sys.path.insert(0, str(_folder))
if _folder is None and importlib.util.find_spec("review_evidence") is None:
    raise ModuleNotFoundError(
        "This notebook needs the book's review_evidence/ package and data/ folder, and neither is in "
        f"{pathlib.Path.cwd()} or a folder above it. Download course-pack.zip from the book's teaching page, "
        "unzip it and open the notebook from its notebooks/ folder (or, in Google Colab, upload the zip "
        "to the session's files and run this cell again).")
if _folder is not None and "google.colab" in sys.modules:  # Colab: install the pinned libraries it lacks
    _pins = dict(line.split("==", 1) for line in (_folder / "requirements.txt").read_text().splitlines() if "==" in line)
    _needed = {"bibtexparser": "bibtexparser", "frictionless": "frictionless", "vl_convert": "vl-convert-python", "altair": "altair"}
    _missing = [f"{name}=={_pins[name]}" for module, name in _needed.items() if importlib.util.find_spec(module) is None]
    if _missing:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", *_missing])"""


def setup_cell() -> dict:
    return {
        "cell_type": "code",
        "id": SETUP_CELL_ID,
        "metadata": {"tags": ["remove-cell"]},
        "execution_count": None,
        "outputs": [],
        "source": SETUP_CELL,
    }


# ---- links in the pages ---------------------------------------------------------------------------


def _kit_uri(app: Sphinx, docname: str, name: str) -> str:
    return relative_uri(app.builder.get_target_uri(docname), f"{KIT_DIR}/{name}")


def _is_html(app: Sphinx) -> bool:
    return app.builder.format == "html"


def classroom_file_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{classroom-file}`Course pack <course-pack.zip>``: a link to a file of the kit (HTML), its title elsewhere."""
    title, _, target = text.partition(" <")
    target = target.rstrip(">") if target else title
    return [_kit_link(title.strip(), target.strip())], []  # resolved per builder in _resolve_links


def tables_read(notebook_path: Path) -> list[str]:
    """The CSV files (``data/...``) a chapter declares it reads, from its ``review_evidence.tables`` metadata."""
    from ..notebook_data import declared_tables
    from ..tables import read_package

    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    tables = declared_tables(notebook) or []
    package = read_package()
    paths = {r["name"]: r["path"] for r in package["resources"]}
    return [f"data/{paths[name]}" for name in tables]


def _run_box(app: Sphinx, docname: str, csv_files: list[str]) -> nodes.Element:
    notebook = Path(docname).name + ".ipynb"
    box = nodes.admonition(classes=["tip", "classroom-run"])
    box += nodes.title("", "Run this chapter")
    first = nodes.paragraph()
    first += nodes.Text("Download the ")
    first += nodes.reference("", "course pack (zip)", refuri=_kit_uri(app, docname, COURSE_PACK))
    first += nodes.Text(
        f", unzip it, install once (its README has the command) and open notebooks/{notebook}. "
        "The notebook alone cannot run: it needs the package and data in the pack."
    )
    box += first
    if csv_files:
        second = nodes.paragraph()
        second += nodes.Text("Data this chapter reads: ")
        for index, csv in enumerate(csv_files):
            if index:
                second += nodes.Text(", ")
            second += nodes.reference("", Path(csv).name, refuri=_kit_uri(app, docname, csv))
        second += nodes.Text(" (all tables: ")
        second += nodes.reference("", "the data package", refuri=_kit_uri(app, docname, DATA_PACKAGE))
        second += nodes.Text(").")
        box += second
    return box


def _resolve_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(nodes.reference)):
        if "classroom_target" not in node:
            continue
        if _is_html(app):
            node["refuri"] = _kit_uri(app, docname, node["classroom_target"])
        else:
            node.replace_self(nodes.Text(node.astext()))
    if not _is_html(app) or not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = next(iter(section.findall(nodes.title)), None)
    box = _run_box(app, docname, tables_read(app.env.doc2path(docname)))
    position = section.index(title) + 1 if title is not None else 0
    # the chapter's main finding comes first: the box goes after an opening "In brief" box
    if position < len(section.children) and _is_in_brief(section.children[position]):
        position += 1
    section.insert(position, box)


def _is_in_brief(node: nodes.Node) -> bool:
    heading = node.next_node(nodes.title) if isinstance(node, nodes.admonition) else None
    return heading is not None and heading.astext() == "In brief"


def student_version_cache(app: Sphinx) -> Path:
    """Where the student versions are cached beside the build, keyed on their inputs."""
    return Path(app.outdir).parent / ".classroom-cache"


def wants_kit(app: Sphinx) -> bool:
    return _is_html(app) and bool(app.config.classroom_kit)


def _build_kit(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not wants_kit(app):
        return
    from .preexecute import worker_count
    from .student_versions import wait_for_background

    cache = student_version_cache(app)
    wait_for_background(cache)  # started by the pre-executor, beside the notebooks it executes
    kit = build_kit(Path(app.srcdir), Path(app.outdir), cache=cache, workers=worker_count())
    logger.info(f"classroom kit written to {kit}")


# ---- the reviewed papers, from references.bib ----------------------------------------------------


class ReviewedPapers(SphinxDirective):
    """A list of the five reviewed papers with a DOI link where ``references.bib`` has one.

    Only DOIs the bibliography records (taken from the papers' own text) are linked; a paper without
    one says so. Titles are inserted as text, never parsed as markup.
    """

    def run(self) -> list[nodes.Node]:
        from ..bibliography import citation_label, reviewed_papers
        from ..paths import BIBLIOGRAPHY

        self.env.note_dependency(str(BIBLIOGRAPHY))
        items = nodes.bullet_list()
        for entry in reviewed_papers():
            paragraph = nodes.paragraph()
            paragraph += nodes.strong("", citation_label(entry.key))
            title = entry.get("title").replace("{", "").replace("}", "")
            paragraph += nodes.Text(f": {title}. ")
            doi = entry.get("doi")
            if doi:
                paragraph += nodes.Text("DOI: ")
                paragraph += nodes.reference("", doi, refuri=f"https://doi.org/{doi}")
            else:
                paragraph += nodes.Text("No DOI: the paper prints none, so the book links none.")
            items += nodes.list_item("", paragraph)
        return [items]


class StudentVersions(SphinxDirective):
    """A list of every chapter's student notebook and, where it has code exercises, its autograder."""

    def run(self) -> list[nodes.Node]:
        from .student_versions import code_exercises

        items = nodes.bullet_list()
        for path in chapter_notebooks(Path(self.env.srcdir)):
            self.env.note_dependency(str(path))
            notebook = json.loads(path.read_text(encoding="utf-8"))
            labels = [e.label for e in code_exercises(notebook, str(path))]
            paragraph = nodes.paragraph()
            paragraph += nodes.literal("", path.stem)
            paragraph += nodes.Text(": ")
            paragraph += _kit_link("student notebook", f"student/{path.stem}.ipynb")
            if labels:
                paragraph += nodes.Text(", ")
                paragraph += _kit_link("autograder notebook", f"autograder/{path.stem}.ipynb")
                paragraph += nodes.Text(", ")
                paragraph += _kit_link("autograder zip", f"autograder/{path.stem}-autograder.zip")
                paragraph += nodes.Text(f" (autograded: {', '.join(labels)})")
            else:
                paragraph += nodes.Text(" (written answers only: no autograder)")
            items += nodes.list_item("", paragraph)
        return [items]


def _kit_link(title: str, target: str) -> nodes.reference:
    node = nodes.reference("", title, internal=False, classes=["classroom-file"])
    node["classroom_target"] = target
    node["refuri"] = "#"
    return node


# ---- launch buttons -------------------------------------------------------------------------------


def repository_is_set(url: str | None) -> bool:
    return bool(url and url.strip() and url.strip().rstrip("/") != JUPYTER_BOOK_DEFAULT_REPOSITORY)


def _launch_buttons_need_a_repository(app: Sphinx, config) -> None:
    """No repository, no launch buttons: a Binder or Colab link needs a repository to open.

    With ``repository.url`` unset, jupyter-book falls back to its own repository (and the theme,
    given an empty URL, fails on the launch buttons), so the buttons are removed here instead.
    """
    options = dict(config.html_theme_options or {})
    if "launch_buttons" in options and not repository_is_set(options.get("repository_url")):
        options["launch_buttons"] = {}
        options.pop("repository_url", None)
        config.html_theme_options = options


def setup(app: Sphinx) -> dict:
    app.add_config_value("classroom_kit", True, "html")
    app.add_role("classroom-file", classroom_file_role)
    app.add_directive("reviewed-papers", ReviewedPapers)
    app.add_directive("student-versions", StudentVersions)
    app.connect("config-inited", _launch_buttons_need_a_repository)
    app.connect("doctree-resolved", _resolve_links)
    app.connect("build-finished", _build_kit)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
