"""Measure how fast the book builds and how heavy its pages are, against the project's targets.

Usage:  python scripts/benchmark.py [--scales 1,3,10] [--skip-tests] [--skip-lighthouse] [--json PATH]

Everything runs on copies in a temporary folder, so the working tree is never touched. It measures
(a) a clean build with every notebook executed, paired in the same run with (a0) the same clean build
with the notebook pre-executor off (``REVIEW_PREEXECUTE=0``: myst-nb executes one notebook after
another, the stock build), (b) a no-op rebuild, (c) a rebuild after editing one data table and one
after editing one prose page, (d) the bare `jupyter-book create` template built in the same run as a
baseline, (e) each notebook in a fresh kernel: kernel start, its imports, and its own cells' time with
the imports already done, (g) the floors: Sphinx with execution off plus the notebooks' own cell time,
serial and with the cells divided over the cores, (f) the weight of each page (its HTML plus the local
JS and CSS it loads), (t) the test suite serial against ``pytest -n auto --dist loadfile``, with their
pass and skip counts, and, with --scales, the clean build of a corpus 3x and 10x the real one (rating
rows, bibliography entries and notebooks). It prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "_build", "node_modules", "test-artifacts", "__pycache__")
EXECUTED = re.compile(r"notebooks/([\w-]+)\.ipynb: Executing notebook")
HEAVY_MODULES = ("pandas", "altair", "matplotlib", "scipy")
PREEXECUTE_OFF = {"REVIEW_PREEXECUTE": "0"}  # the switch of review_evidence/sphinxext/preexecute.py
TEST_COMMAND = ["-n", "auto", "--dist", "loadfile"]  # the README's parallel test run
OUTCOME = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)")
ASSET = re.compile(r"""<(?:script[^>]+src|link[^>]+href)=["']([^"'#?]+)[^"']*["']""")
SHARED_BUNDLE = "vega-offline.js"  # the shared, cached Vega bundle; loaded once per page, not per chart
KIB = 1024


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def build(book: Path, *extra: str, environment: dict[str, str] | None = None) -> tuple[float, set[str]]:
    # The copy's own data, in the build and in the kernels it starts (see review_evidence.paths).
    environment = {**os.environ, "REVIEW_BOOK_ROOT": str(book), **(environment or {})}
    start = time.perf_counter()
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "-W", "-n", "--keep-going", *extra],
        capture_output=True,
        text=True,
        env=environment,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build of {book} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return seconds, set(EXECUTED.findall(result.stdout + result.stderr))


def execution_seconds(book: Path) -> dict[str, float]:
    """Each notebook's own execution time, as the execution cache recorded it."""
    from jupyter_cache import get_cache

    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    by_uri = {}
    for record in cache.list_cache_records():
        by_uri[Path(record.uri).stem] = float(record.data.get("execution_seconds") or 0.0)
    return dict(sorted(by_uri.items()))


def notebook_imports(notebook) -> str:
    """The notebook's top-level import statements, from every code cell, as one block."""
    statements = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython magics: not an import anyway
            continue
        statements += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(dict.fromkeys(statements))


def kernel_profile(book: Path) -> dict[str, dict]:
    """Each notebook in a fresh kernel, one after another: start, imports, own cells, shutdown [s].

    The imports run first, in a cell of their own, so the notebook's own cells are timed without them,
    and a probe cell records which heavy modules the imports loaded.
    """
    previous_root = os.environ.get("REVIEW_BOOK_ROOT")
    os.environ["REVIEW_BOOK_ROOT"] = str(book)  # the kernels read the copy's data
    try:
        return _kernel_profile(book)
    finally:
        if previous_root is None:
            del os.environ["REVIEW_BOOK_ROOT"]
        else:
            os.environ["REVIEW_BOOK_ROOT"] = previous_root


def _kernel_profile(book: Path) -> dict[str, dict]:
    import nbformat
    from nbclient import NotebookClient

    probe = f"import sys; print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    profile = {}
    for path in sorted((book / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        own = [cell for cell in notebook.cells if cell.cell_type == "code"]
        notebook.cells = [
            nbformat.v4.new_code_cell(notebook_imports(notebook)),
            nbformat.v4.new_code_cell(probe),
            *own,
            nbformat.v4.new_code_cell(probe),
        ]
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            shutdown_kernel="immediate",
            resources={"metadata": {"path": str(path.parent)}},
        )
        times = []
        start = time.perf_counter()
        with client.setup_kernel():
            times.append(time.perf_counter() - start)
            for index, cell in enumerate(notebook.cells):
                began = time.perf_counter()
                client.execute_cell(cell, index)
                times.append(time.perf_counter() - began)
            stopping = time.perf_counter()
        heavy = [
            "".join(o.get("text", "") for o in cell.outputs).strip() for cell in (notebook.cells[1], notebook.cells[-1])
        ]
        profile[path.stem] = {
            "kernel_start_s": round(times[0], 2),
            "imports_s": round(times[1], 2),
            "cells_s": round(sum(times[3:-1]), 2),
            "shutdown_s": round(time.perf_counter() - stopping, 2),
            "heavy_modules": [m for m in heavy[0].split(",") if m],
            "heavy_modules_at_end": [m for m in heavy[1].split(",") if m],
        }
    return profile


def run_test_suite(book: Path, seeds: Path, *extra: str) -> tuple[float, dict[str, int]]:
    """The copy's test suite, serial or with pytest-xdist: seconds and the counts of its summary line."""
    environment = {**os.environ, "REVIEW_BOOK_ROOT": str(book), "REVIEW_SEEDS_DIR": str(seeds)}
    start = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).with_name("pytest")), "-q", *extra],
        cwd=book,
        capture_output=True,
        text=True,
        env=environment,
    )
    seconds = time.perf_counter() - start
    summary = [line for line in result.stdout.splitlines() if OUTCOME.search(line)]
    counts = (
        {kind if kind != "error" else "errors": int(n) for n, kind in OUTCOME.findall(summary[-1])} if summary else {}
    )
    if result.returncode not in (0, 1) or not counts:
        sys.exit(f"test suite in {book} did not run:\n{(result.stdout + result.stderr)[-3000:]}")
    return seconds, counts


def page_weights(html: Path) -> list[dict]:
    """Each page's HTML plus the local JS and CSS it references; the shared Vega bundle apart."""
    rows = []
    for page in sorted(html.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        own, bundle = page.stat().st_size, 0
        for reference in set(ASSET.findall(text)):
            if "://" in reference or reference.startswith("//"):
                continue
            target = (page.parent / reference).resolve()
            if target.is_file() and target.suffix in {".js", ".css"}:
                if target.name == SHARED_BUNDLE:
                    bundle += target.stat().st_size
                else:
                    own += target.stat().st_size
        rows.append(
            {
                "page": page.relative_to(html).as_posix(),
                "kib": round(own / KIB, 1),
                "shared_bundle_kib": round(bundle / KIB, 1),
            }
        )
    return rows


def scaled_copy(source: Path, target: Path, factor: int) -> None:
    """A copy of the book with `factor` times the rating rows, bibliography entries and notebooks."""
    shutil.copytree(source, target, ignore=IGNORE)
    if factor == 1:
        return
    ratings = target / "data" / "review_ratings.csv"
    with ratings.open(encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    item, locator = header.index("item"), header.index("locator")
    # Each copy's rows belong to a copied figure ("Figure 8 (copy 2)"): the table grows k-fold, as a
    # corpus of k times the papers would, while every figure, and so every chart, keeps its size.
    extra = [
        [f"{v} (copy {k})" if i in (item, locator) else v for i, v in enumerate(row)]
        for k in range(2, factor + 1)
        for row in rows
    ]
    with ratings.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows([header, *rows, *extra])
    bib = target / "references.bib"
    text = bib.read_text(encoding="utf-8")
    entries = re.findall(r"^@\w+\{[^,]+,.*?^\}", text, flags=re.MULTILINE | re.DOTALL)
    copies = []
    for k in range(2, factor + 1):
        for entry in entries:
            entry = re.sub(r"^(@\w+\{)([^,]+),", rf"\1\2-copy{k},", entry)
            entry = re.sub(r"^\s*doi = \{[^}]*\},?\n", "", entry, flags=re.MULTILINE)
            entry = re.sub(r"^\s*(reviewed_in|role) = \{[^}]*\},?\n", "", entry, flags=re.MULTILINE)
            copies.append(entry)
    bib.write_text(text + "\n\n" + "\n\n".join(copies) + "\n", encoding="utf-8")
    toc = target / "_toc.yml"
    toc_text = toc.read_text(encoding="utf-8")
    notebooks = sorted((target / "notebooks").glob("*.ipynb"))
    added = []
    for k in range(2, factor + 1):
        for notebook in notebooks:
            copy = notebook.with_name(f"{notebook.stem}_copy{k}.ipynb")
            text = notebook.read_text(encoding="utf-8").replace("fig-", f"fig{k}-")  # figure names
            # Labels must stay unique across the book, or Sphinx warns (and -W fails): rename every
            # label the notebook defines, and every reference to it, within the copy.
            labels = set(re.findall(r":label: ([\w-]+)|\(([\w-]+)\)=", text))
            for label in {name for pair in labels for name in pair if name}:
                text = re.sub(rf"(?<![\w-]){re.escape(label)}(?![\w-])", f"{label}-copy{k}", text)
            copy.write_text(text, encoding="utf-8")
            added.append(f"      - file: notebooks/{copy.stem}")
    toc.write_text(
        toc_text.rstrip() + "\n  - caption: Scale copies\n    chapters:\n" + "\n".join(added) + "\n", encoding="utf-8"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="", help="comma-separated corpus factors to time, e.g. 1,3,10")
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test suite (serial and parallel)")
    parser.add_argument("--skip-lighthouse", action="store_true", help="do not score the pages with Lighthouse")
    parser.add_argument("--json", default=str(ROOT / "_build" / "benchmark.json"))
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="book-benchmark-"))
    try:
        return measure(options, work)
    finally:  # the copies are large (the 10x one holds 130 executed notebooks): never leave them behind
        shutil.rmtree(work, ignore_errors=True)


def measure(options: argparse.Namespace, work: Path) -> int:
    results: dict = {"cores": cores()}
    sys.path.insert(0, str(ROOT))
    from review_evidence.paths import seeds_dir

    seeds = seeds_dir()  # this repository's seed texts, not the copy's neighbours
    book, stock = work / "book", work / "stock"
    shutil.copytree(ROOT, book, ignore=IGNORE)
    shutil.copytree(ROOT, stock, ignore=IGNORE)

    # (a) and (a0), paired: the clean build, and the same build with the pre-executor off
    results["clean_build_s"], executed = build(book, "--all")
    results["notebooks_executed_in_clean_build"] = len(executed)
    results["clean_build_preexecutor_off_s"], _ = build(stock, "--all", environment=PREEXECUTE_OFF)
    results["noop_rebuild_s"], noop_executed = build(book)
    results["noop_rebuild_executed"] = sorted(noop_executed)

    table = book / "data" / "studies.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("(Ali et al.)", "(Ali et al.; edited)"), encoding="utf-8"
    )
    results["table_edit_rebuild_s"], table_executed = build(book)
    results["table_edit_executed"] = sorted(table_executed)
    from review_evidence.notebook_data import declared_tables
    from review_evidence.tables import table_files

    readers = sorted(
        p.stem
        for p in (book / "notebooks").glob("*.ipynb")
        if (book / "data" / "studies.csv")
        in table_files(declared_tables(json.loads(p.read_text())) or [], book / "data" / "datapackage.json")
    )
    results["table_edit_expected"] = readers

    prose = book / "book" / "preface.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nA benchmark edit.\n", encoding="utf-8")
    results["prose_edit_rebuild_s"], prose_executed = build(book)
    results["prose_edit_executed"] = sorted(prose_executed)

    template = work / "template"
    subprocess.run([str(JUPYTER_BOOK), "create", str(template)], check=True, capture_output=True)
    results["template_build_s"], _ = build(template, "--all")

    # (g) the floors: Sphinx with execution off, plus the notebooks' own cell time
    no_execution = work / "no-execution"
    shutil.copytree(ROOT, no_execution, ignore=IGNORE)
    config = no_execution / "_config.yml"
    config.write_text(
        re.sub(r"execute_notebooks:\s*cache", 'execute_notebooks: "off"', config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    results["sphinx_without_execution_s"], _ = build(no_execution, "--all")
    shutil.rmtree(no_execution)
    results["kernels"] = kernel_profile(stock)
    cells = sum(k["cells_s"] for k in results["kernels"].values())
    results["notebook_cells_sum_s"] = round(cells, 2)
    results["floor_serial_s"] = round(results["sphinx_without_execution_s"] + cells, 2)
    results["floor_parallel_s"] = round(results["sphinx_without_execution_s"] + cells / results["cores"], 2)

    # (t) the test suite on the pristine, built copy: serial, then as the README runs it
    if not options.skip_tests:
        if (ROOT / "node_modules").is_dir():  # axe-core, for the browser tests
            (stock / "node_modules").symlink_to(ROOT / "node_modules")
        results["tests_serial_s"], results["tests_serial_counts"] = run_test_suite(stock, seeds)
        results["tests_parallel_s"], results["tests_parallel_counts"] = run_test_suite(stock, seeds, *TEST_COMMAND)

    seconds = execution_seconds(stock)  # the serial build's record: each notebook alone
    results["notebook_execution_s"] = seconds
    results["notebook_execution_sum_s"] = round(sum(seconds.values()), 2)
    weights = page_weights(book / "_build" / "html")
    results["pages"] = weights
    results["heaviest_page"] = max(weights, key=lambda w: w["kib"])
    results["total_kib"] = round(sum(w["kib"] for w in weights), 1)
    if not options.skip_lighthouse:  # every page, mobile preset (scripts/lighthouse.py prints its own table)
        scores = work / "lighthouse.json"
        lighthouse = ROOT / "scripts" / "lighthouse.py"
        html = book / "_build" / "html"
        subprocess.run([sys.executable, str(lighthouse), "--html", str(html), "--json", str(scores)], check=True)
        results["lighthouse"] = json.loads(scores.read_text(encoding="utf-8"))

    floor = results["template_build_s"] + results["notebook_execution_sum_s"]
    results["targets"] = {
        "clean <= 0.65 x the same build with the pre-executor off": results["clean_build_s"]
        <= 0.65 * results["clean_build_preexecutor_off_s"],
        "clean <= 1.5 x (template + notebook execution)": results["clean_build_s"] <= 1.5 * floor,
        "no-op <= 0.25 x clean": results["noop_rebuild_s"] <= 0.25 * results["clean_build_s"],
        "table edit re-executes exactly its readers": results["table_edit_executed"] == readers,
        "heaviest page <= 600 KiB (without the shared bundle)": results["heaviest_page"]["kib"] <= 600,
    }

    if not options.skip_tests:
        results["targets"]["parallel test suite <= 0.8 x serial"] = (
            results["tests_parallel_s"] <= 0.8 * results["tests_serial_s"]
        )
        results["targets"]["parallel test suite: same counts as serial"] = (
            results["tests_parallel_counts"] == results["tests_serial_counts"]
        )

    if options.scales:
        scale_times = {}
        for factor in [int(f) for f in options.scales.split(",")]:
            copy = work / f"scale{factor}"
            scaled_copy(ROOT, copy, factor)
            scale_times[factor], _ = build(copy, "--all")
            shutil.rmtree(copy)
        results["scale_build_s"] = scale_times
        if 1 in scale_times and 10 in scale_times:
            results["targets"]["10x corpus builds in <= 10 x the 1x time"] = scale_times[10] <= 10 * scale_times[1]

    for key in (
        "clean_build_s",
        "clean_build_preexecutor_off_s",
        "noop_rebuild_s",
        "table_edit_rebuild_s",
        "prose_edit_rebuild_s",
        "template_build_s",
        "sphinx_without_execution_s",
        "tests_serial_s",
        "tests_parallel_s",
    ):
        if key in results:
            results[key] = round(results[key], 2)
    results["clean_build_ratio"] = round(results["clean_build_s"] / results["clean_build_preexecutor_off_s"], 3)
    if not options.skip_tests:
        results["tests_ratio"] = round(results["tests_parallel_s"] / results["tests_serial_s"], 3)
    print(
        f"{'notebook':<22} {'kernel start':>12} {'imports':>8} {'own cells':>10} {'shutdown':>9}  "
        "heavy modules loaded by its imports; + by its cells"
    )
    for name, kernel in results["kernels"].items():
        later = [m for m in kernel["heavy_modules_at_end"] if m not in kernel["heavy_modules"]]
        print(
            f"{name:<22} {kernel['kernel_start_s']:>12} {kernel['imports_s']:>8} {kernel['cells_s']:>10} "
            f"{kernel['shutdown_s']:>9}  {', '.join(kernel['heavy_modules'])}{''.join(' + ' + m for m in later)}"
        )
    print()
    print(f"{'measure':<52} {'value':>12}")
    for label, key in [
        ("(a) clean build, all notebooks executed [s]", "clean_build_s"),
        ("(a0) same, pre-executor off (stock, serial) [s]", "clean_build_preexecutor_off_s"),
        ("(a) / (a0)", "clean_build_ratio"),
        ("(b) no-op rebuild [s]", "noop_rebuild_s"),
        ("(c) rebuild after editing data/studies.csv [s]", "table_edit_rebuild_s"),
        ("(c) rebuild after editing book/preface.md [s]", "prose_edit_rebuild_s"),
        ("(d) jupyter-book create template, clean build [s]", "template_build_s"),
        ("(e) sum of notebook execution times [s]", "notebook_execution_sum_s"),
        ("(g) Sphinx with execution off [s]", "sphinx_without_execution_s"),
        ("(g) notebooks' own cell time, summed [s]", "notebook_cells_sum_s"),
        ("(g) floor, serial [s]", "floor_serial_s"),
        ("(g) floor, cells over the cores [s]", "floor_parallel_s"),
        ("(t) test suite, serial [s]", "tests_serial_s"),
        ("(t) test suite, -n auto --dist loadfile [s]", "tests_parallel_s"),
        ("(t) parallel / serial", "tests_ratio"),
        ("(f) total page weight [KiB]", "total_kib"),
    ]:
        if key in results:
            print(f"{label:<52} {results[key]:>12}")
    for run in ("serial", "parallel"):
        if f"tests_{run}_counts" in results:
            print(f"test suite, {run}: {results[f'tests_{run}_counts']}")
    print(f"{'(f) heaviest page: ' + results['heaviest_page']['page']:<52} {results['heaviest_page']['kib']:>8} KiB")
    print(f"table edit re-executed: {', '.join(results['table_edit_executed'])} (expected: {', '.join(readers)})")
    for factor, seconds in results.get("scale_build_s", {}).items():
        print(f"{f'clean build at {factor}x corpus [s]':<52} {seconds:>12.2f}")
    for target, met in results["targets"].items():
        print(f"target {'met' if met else 'MISSED'}: {target}")
    Path(options.json).parent.mkdir(parents=True, exist_ok=True)
    Path(options.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(results["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
