"""Student notebooks and autograders, generated from each chapter's single source with otter-grader.

The chapter notebook is the only source. Its exercises are ``{exercise}`` directives with a
``{solution}`` dropdown; a code exercise's solution holds a ```` ```python ```` block whose last
top-level assignment names the answer. Its checks sit in the same notebook, in a raw cell hidden
from the book (tag ``remove-cell``) whose metadata says which exercise it checks::

    "metadata": {"tags": ["remove-cell"], "review_evidence": {"checks": "segmentation-recompute"}}

Its source is Python ``assert`` statements; the ones before a ``# hidden`` line are public (the
student sees and runs them), the ones after are hidden (only the autograder has them).

``master_notebook`` turns a chapter into otter-grader's assignment format (``# ASSIGNMENT CONFIG``,
``# BEGIN QUESTION`` ... raw cells): the solution dropdowns are removed from the text, and each code
exercise becomes a question whose solution cell keeps the imports and replaces the answer with
``...`` (otter's ``# SOLUTION`` markers), followed by its public and hidden tests. ``otter assign``
then writes ``student/<chapter>.ipynb`` (no solutions, starter code, public checks) and
``autograder/<chapter>.ipynb`` (the solutions and every check); otter's ``run_tests`` proves on the
way that the reference solutions pass. Chapters without a code exercise get a student notebook with
the solutions removed (their exercises are written answers) and no autograder.

``scripts/student_versions.py`` runs this by hand; the classroom extension runs it at build time
into ``_downloads/classroom/student/``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .glued import GLUE_TEXT_ROLE, glued_text, glued_values

FENCE = r"(?P<fence>`{3,}|:{3,})"
SOLUTION_BLOCK = re.compile(FENCE + r"\{solution\} (?P<label>[\w-]+)\n(?P<body>.*?)\n(?P=fence)[ \t]*\n?", re.DOTALL)
SOLUTION_START = re.compile(FENCE + r"\{solution-start\} (?P<label>[\w-]+)\n.*?(?P=fence)[ \t]*\n?", re.DOTALL)
SOLUTION_END = re.compile(r"\{solution-end\}")
EXERCISE_LABEL = re.compile(r"\{exercise\}[^\n]*\n:label: ([\w-]+)")
PYTHON_BLOCK = re.compile(r"```python\n(.*?)\n```", re.DOTALL)
CHECKS_KEY = "checks"
HIDDEN_MARKER = "# hidden"


class StudentVersionError(Exception):
    """A chapter whose exercises or checks cannot become an assignment; the message names the file and exercise."""


@dataclass
class CodeExercise:
    label: str
    solution: str  # the reference solution's code
    public: str  # public checks (assert statements)
    hidden: str  # hidden checks


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def checks_cells(notebook: dict) -> dict[str, dict]:
    return {
        cell["metadata"]["review_evidence"][CHECKS_KEY]: cell
        for cell in notebook["cells"]
        if CHECKS_KEY in cell.get("metadata", {}).get("review_evidence", {})
    }


def _solutions(notebook: dict, name: str) -> tuple[list, dict[str, str]]:
    """The chapter without its solutions, and each code solution's code.

    Returns a list of ``("cell", cell)`` and ``("question", label)`` items (a question goes where its
    solution was) and ``{label: code}``. A solution is either a ``{solution}`` directive inside a
    Markdown cell (its code is a ```` ```python ```` block) or a ``{solution-start}`` ... ``{solution-end}``
    span of cells (its code is the code cells in between).
    """
    items, code, open_label, open_code = [], {}, None, []
    for cell in notebook["cells"]:
        if CHECKS_KEY in cell.get("metadata", {}).get("review_evidence", {}):
            continue
        text = _source(cell)
        if open_label is not None:
            if cell["cell_type"] == "code":
                open_code.append(text)
            elif cell["cell_type"] == "markdown" and SOLUTION_END.search(text):
                if open_code:
                    code[open_label] = "\n\n".join(open_code)
                    items.append(("question", open_label))
                open_label, open_code = None, []
            continue
        if cell["cell_type"] != "markdown":
            items.append(("cell", cell))
            continue
        start = SOLUTION_START.search(text)
        if start:
            text, open_label = text[: start.start()], start["label"]
        inline = [(m["label"], PYTHON_BLOCK.search(m["body"])) for m in SOLUTION_BLOCK.finditer(text)]
        kept = without_solutions(text)
        if kept.strip():
            items.append(("cell", dict(cell, source=kept)))
        for label, block in inline:
            if block:
                code[label] = block.group(1)
                items.append(("question", label))
    if open_label is not None:
        raise StudentVersionError(f"{name}: the solution of '{open_label}' starts but never ends ({{solution-end}})")
    return items, code


def code_exercises(notebook: dict, name: str = "notebook") -> list[CodeExercise]:
    """The chapter's code exercises (a solution with code), each with its checks."""
    checks = checks_cells(notebook)
    _, solutions = _solutions(notebook, name)
    exercises = []
    for label, solution in solutions.items():
        if label not in checks:
            raise StudentVersionError(
                f"{name}: exercise '{label}' has a code solution but no checks cell "
                f"(a raw cell with metadata review_evidence.checks = '{label}')"
            )
        public, _, hidden = _source(checks[label]).partition(HIDDEN_MARKER)
        public = _without_leading_comments(public)
        if not public.strip() or not hidden.strip():
            raise StudentVersionError(
                f"{name}: the checks of '{label}' need public checks and, after '{HIDDEN_MARKER}', hidden ones"
            )
        exercises.append(CodeExercise(label, solution, public.strip(), hidden.strip()))
    unknown = sorted(set(checks) - set(solutions))
    if unknown:
        raise StudentVersionError(f"{name}: checks for {unknown}, which are not code exercises of this chapter")
    return exercises


def _without_leading_comments(checks: str) -> str:
    """The checks without the comment lines before the first one.

    Those lines describe the cell to the book's maintainers. otter reads a test cell's first line,
    if it is a comment, as the case's options, and one that mentions "hidden" hides the whole case:
    the public checks would vanish from the student version.
    """
    lines = checks.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        lines.pop(0)
    return "\n".join(lines)


def _answer_statement(solution: str, label: str) -> ast.stmt:
    statements = ast.parse(solution).body
    assignments = [
        s
        for s in statements
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
    ]
    if not assignments:
        raise StudentVersionError(f"the solution of '{label}' assigns no name for the checks to test")
    return assignments[-1]


def otter_solution_cell(solution: str, label: str) -> str:
    """The solution in otter's markup: imports stay, the answer becomes ``name = ...``, the rest is removed."""
    lines = solution.splitlines()
    answer = _answer_statement(solution, label)
    out, hidden = [], []

    def flush():
        if hidden:
            out.extend(["# BEGIN SOLUTION NO PROMPT", *hidden, "# END SOLUTION"])
            hidden.clear()

    for statement in ast.parse(solution).body:
        text = lines[statement.lineno - 1 : statement.end_lineno]
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            flush()
            out.extend(text)
        elif statement.lineno == answer.lineno:
            flush()
            name = answer.targets[0].id
            value = " ".join(line.strip() for line in text)[len(name) :].lstrip(" =")
            out.append(f"{name} = {value}  # SOLUTION")
        else:
            hidden.extend(text)
    flush()
    return "\n".join(out)


def without_solutions(text: str) -> str:
    return SOLUTION_BLOCK.sub("", text).rstrip() + "\n"


def _raw(text: str) -> dict:
    return {"cell_type": "raw", "metadata": {}, "source": text}


def _code(text: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": text}


def _markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


#: Characters that would turn a glued value into markdown or HTML in a student's notebook.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|#$])")


def with_glued_text(notebook: dict, chapter: str) -> dict:
    """The chapter with each ``{glue:text}`` role in its markdown replaced by the value it shows.

    A student opens the notebook in Jupyter, where no myst-nb pastes glued values: without this the
    text would read ``{glue:text}`segmentation_case-aov-before:.2f``` where the book reads 43.20. The
    value is escaped, so that text from the data never becomes markdown or HTML.
    """
    glue = glued_values(notebook)

    def shown(role: re.Match) -> str:
        try:
            text = glued_text(glue, role.group(1), chapter)
        except LookupError as error:
            raise StudentVersionError(str(error)) from None
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text)

    cells = [
        {**cell, "source": GLUE_TEXT_ROLE.sub(shown, "".join(cell["source"]))}
        if cell["cell_type"] == "markdown"
        else cell
        for cell in notebook["cells"]
    ]
    return {**notebook, "cells": cells}


def master_notebook(notebook: dict, chapter: str) -> dict:
    """The chapter in otter-grader's assignment format (see the module docstring)."""
    notebook = with_glued_text(notebook, chapter)
    exercises = {e.label: e for e in code_exercises(notebook, chapter)}
    flag = "true" if exercises else "false"
    config = (
        f"# ASSIGNMENT CONFIG\nname: {chapter}\ninit_cell: {flag}\ncheck_all_cell: false\n"
        "export_cell: false\nsolutions_pdf: false\ntemplate_pdf: false\n"
        f"run_tests: false\ngenerate: {flag}\n"
    )
    cells = [_raw(config)]
    items, _ = _solutions(notebook, chapter)
    for kind, value in items:
        if kind == "cell":
            cells.append({k: v for k, v in value.items() if k != "id"})
            continue
        exercise = exercises[value]
        cells += [
            _raw(f"# BEGIN QUESTION\nname: {value}\npoints: 1"),
            _markdown(
                f"**Exercise `{value}`.** Write your answer in the cell below; `grader.check` runs the public checks."
            ),
            _raw("# BEGIN SOLUTION"),
            _code(otter_solution_cell(exercise.solution, value)),
            _raw("# END SOLUTION"),
            _raw("# BEGIN TESTS"),
            _code(exercise.public),
            _code("# HIDDEN\n" + exercise.hidden),
            _raw("# END TESTS"),
            _raw("# END QUESTION"),
        ]
    master = dict(notebook)
    master["cells"] = cells
    return master


def student_notebook_without_exercises(notebook: dict, chapter: str) -> dict:
    """A chapter without code exercises: the notebook with its solutions removed."""
    notebook = with_glued_text(notebook, chapter)
    items, _ = _solutions(notebook, chapter)
    student = dict(notebook)
    student["cells"] = [cell for kind, cell in items]
    return student


def generate(chapter_path: Path, target: Path) -> dict[str, Path]:
    """Write ``target/student/<chapter>.ipynb`` and, for a chapter with code exercises, ``target/autograder/...``."""
    chapter_path = Path(chapter_path)
    chapter = chapter_path.stem
    notebook = json.loads(chapter_path.read_text(encoding="utf-8"))
    master = master_notebook(notebook, chapter)
    (target / "student").mkdir(parents=True, exist_ok=True)
    written = {"student": target / "student" / f"{chapter}.ipynb"}
    if not code_exercises(notebook, chapter):
        student = student_notebook_without_exercises(notebook, chapter)
        written["student"].write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return written
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        source = scratch / chapter_path.parent.name / f"{chapter}.ipynb"  # beside a notebooks/ folder, like the chapter
        source.parent.mkdir()
        source.write_text(json.dumps(master), encoding="utf-8")
        for folder in ("review_evidence", "data"):  # so the solutions run against the book's own package and data
            (scratch / folder).symlink_to(chapter_path.parent.parent / folder)
        out = scratch / "dist"
        result = subprocess.run(
            [sys.executable, "-m", "otter", "assign", str(source), str(out)],
            cwd=source.parent,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise StudentVersionError(
                f"{chapter_path}: otter assign failed (do the reference solutions pass "
                f"their checks?):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        shutil.copy2(out / "student" / f"{chapter}.ipynb", written["student"])
        (target / "autograder").mkdir(parents=True, exist_ok=True)
        written["autograder"] = target / "autograder" / f"{chapter}.ipynb"
        shutil.copy2(out / "autograder" / f"{chapter}.ipynb", written["autograder"])
        zips = sorted((out / "autograder").glob("*.zip"))
        if len(zips) != 1:
            raise StudentVersionError(f"{chapter_path}: otter assign wrote {len(zips)} autograder zips, expected 1")
        written["autograder_zip"] = target / "autograder" / f"{chapter}-autograder.zip"
        shutil.copy2(zips[0], written["autograder_zip"])
    return written


def _inputs_fingerprint(root: Path, chapter_path: Path) -> str:
    """A hash of what a chapter's student version depends on: the chapter, the package, the data it reads, otter."""
    from importlib.metadata import version

    from ..notebook_data import declared_tables
    from ..tables import table_files

    digest = hashlib.sha256(f"otter-grader {version('otter-grader')}\0".encode())
    package = Path(root) / "review_evidence"
    tables = declared_tables(json.loads(chapter_path.read_text(encoding="utf-8"))) or []
    files = [
        chapter_path,
        Path(__file__),
        *sorted(p for p in package.rglob("*.py") if "sphinxext" not in p.parts),
        *sorted(table_files(tables, Path(root) / "data" / "datapackage.json")),
    ]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _cached(root: Path, chapter_path: Path, cache: Path) -> Path:
    """The cache entry of a chapter's student version, generated first if its inputs changed.

    Each chapter touches only its own entries, so chapters can be generated side by side."""
    chapter = chapter_path.stem
    entry = Path(cache) / f"{chapter}-{_inputs_fingerprint(root, chapter_path)}"
    if not (entry / "done").is_file():
        if entry.exists():
            shutil.rmtree(entry)
        generate(chapter_path, entry)
        (entry / "done").write_text("")
        for stale in Path(cache).glob(f"{chapter}-*"):
            if stale != entry and stale.name.rsplit("-", 1)[0] == chapter:
                shutil.rmtree(stale)
    return entry


def _chapters(root: Path) -> list[Path]:
    return sorted((Path(root) / "notebooks").glob("*.ipynb"))


def fill_cache(root: Path, cache: Path, workers: int = 1) -> None:
    """Generate every chapter whose inputs changed into ``cache``, ``workers`` chapters at a time.

    otter assign runs in a subprocess per chapter, so threads are enough to keep the cores busy."""
    with ThreadPoolExecutor(max(1, workers)) as pool:
        for done in [pool.submit(_cached, Path(root), path, Path(cache)) for path in _chapters(root)]:
            done.result()  # the first chapter that failed raises its StudentVersionError here


def generate_all(root: Path, target: Path, cache: Path | None = None, workers: int = 1) -> dict[str, dict[str, Path]]:
    """Every chapter's student version (and autograder), reusing ``cache`` for chapters whose inputs are unchanged.

    otter assign executes each chapter with code exercises (about a second each), so a rebuild that
    changed nothing they depend on copies the previous result instead.
    """
    target = Path(target)
    if cache is None:
        return {path.stem: generate(path, target) for path in _chapters(root)}
    fill_cache(root, cache, workers)
    written = {}
    for path in _chapters(root):
        entry = _cached(Path(root), path, Path(cache))  # already generated: only looks it up
        written[path.stem] = {}
        for file in entry.rglob("*"):
            if file.is_file() and file.name != "done":
                destination = target / file.relative_to(entry)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, destination)
                written[path.stem]["autograder" if "autograder" in file.parts else "student"] = destination
    return written


# The pre-executor starts the student versions in the background at the start of a build, beside the
# notebooks it executes; the classroom kit waits for them at the end.
_background: dict[Path, tuple[threading.Thread, list[BaseException]]] = {}


def start_in_background(root: Path, cache: Path, workers: int) -> None:
    """Start filling ``cache`` in a thread, unless it is already being filled."""
    cache = Path(cache)
    if cache in _background:
        return
    failures: list[BaseException] = []

    def run():
        try:
            fill_cache(root, cache, workers)
        except BaseException as error:  # re-raised by wait_for_background, in the build's thread
            failures.append(error)

    thread = threading.Thread(target=run, name="student-versions", daemon=True)
    _background[cache] = (thread, failures)
    thread.start()


def wait_for_background(cache: Path) -> None:
    """Wait for a background fill of ``cache`` (if one was started) and raise what it raised."""
    started = _background.pop(Path(cache), None)
    if started is None:
        return
    thread, failures = started
    thread.join()
    if failures:
        raise failures[0]
