"""Measure how fast the book builds and how heavy its pages are, against the project's targets.

Usage:  python scripts/benchmark.py [--scales 1,3,10] [--json PATH]

Everything runs on copies in a temporary folder, so the working tree is never touched. It measures
(a) a clean build with every notebook executed, (b) a no-op rebuild, (c) a rebuild after editing one
data table and one after editing one prose page, (d) the bare `jupyter-book create` template built in
the same run as a baseline, (e) the sum of each notebook's own execution time (the floor), (f) the
weight of each page (its HTML plus the local JS and CSS it loads), and, with --scales, the clean build
of a corpus 3x and 10x the real one (rating rows, bibliography entries and notebooks). It prints a
table and writes JSON.
"""

from __future__ import annotations

import argparse
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
ASSET = re.compile(r"""<(?:script[^>]+src|link[^>]+href)=["']([^"'#?]+)[^"']*["']""")
SHARED_BUNDLE = "vega-offline.js"  # the shared, cached Vega bundle; loaded once per page, not per chart
KIB = 1024


def build(book: Path, *extra: str) -> tuple[float, set[str]]:
    # The copy's own data, in the build and in the kernels it starts (see review_evidence.paths).
    environment = {**os.environ, "REVIEW_BOOK_ROOT": str(book)}
    start = time.perf_counter()
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(book), "-W", "-n", "--keep-going", *extra],
                            capture_output=True, text=True, env=environment)
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
        rows.append({"page": page.relative_to(html).as_posix(), "kib": round(own / KIB, 1), "shared_bundle_kib": round(bundle / KIB, 1)})
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
    extra = [[f"{v} (copy {k})" if i in (item, locator) else v for i, v in enumerate(row)]
             for k in range(2, factor + 1) for row in rows]
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
    toc.write_text(toc_text.rstrip() + "\n  - caption: Scale copies\n    chapters:\n" + "\n".join(added) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="", help="comma-separated corpus factors to time, e.g. 1,3,10")
    parser.add_argument("--json", default=str(ROOT / "_build" / "benchmark.json"))
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="book-benchmark-"))
    try:
        return measure(options, work)
    finally:  # the copies are large (the 10x one holds 130 executed notebooks): never leave them behind
        shutil.rmtree(work, ignore_errors=True)


def measure(options: argparse.Namespace, work: Path) -> int:
    results: dict = {}
    book = work / "book"
    shutil.copytree(ROOT, book, ignore=IGNORE)

    results["clean_build_s"], executed = build(book, "--all")
    results["notebooks_executed_in_clean_build"] = len(executed)
    results["noop_rebuild_s"], noop_executed = build(book)
    results["noop_rebuild_executed"] = sorted(noop_executed)

    table = book / "data" / "studies.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("(Ali et al.)", "(Ali et al.; edited)"), encoding="utf-8")
    results["table_edit_rebuild_s"], table_executed = build(book)
    results["table_edit_executed"] = sorted(table_executed)
    sys.path.insert(0, str(ROOT))
    from review_evidence.sphinxext.data_deps import declared_tables
    from review_evidence.tables import table_files
    readers = sorted(p.stem for p in (book / "notebooks").glob("*.ipynb")
                     if (book / "data" / "studies.csv") in table_files(declared_tables(json.loads(p.read_text())) or [],
                                                                       book / "data" / "datapackage.json"))
    results["table_edit_expected"] = readers

    prose = book / "book" / "preface.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nA benchmark edit.\n", encoding="utf-8")
    results["prose_edit_rebuild_s"], prose_executed = build(book)
    results["prose_edit_executed"] = sorted(prose_executed)

    template = work / "template"
    subprocess.run([str(JUPYTER_BOOK), "create", str(template)], check=True, capture_output=True)
    results["template_build_s"], _ = build(template, "--all")

    seconds = execution_seconds(book)
    results["notebook_execution_s"] = seconds
    results["notebook_execution_sum_s"] = round(sum(seconds.values()), 2)
    weights = page_weights(book / "_build" / "html")
    results["pages"] = weights
    results["heaviest_page"] = max(weights, key=lambda w: w["kib"])
    results["total_kib"] = round(sum(w["kib"] for w in weights), 1)

    floor = results["template_build_s"] + results["notebook_execution_sum_s"]
    results["targets"] = {
        "clean <= 1.5 x (template + notebook execution)": results["clean_build_s"] <= 1.5 * floor,
        "no-op <= 0.25 x clean": results["noop_rebuild_s"] <= 0.25 * results["clean_build_s"],
        "table edit re-executes exactly its readers": results["table_edit_executed"] == readers,
        "heaviest page <= 600 KiB (without the shared bundle)": results["heaviest_page"]["kib"] <= 600,
    }

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

    for key in ("clean_build_s", "noop_rebuild_s", "table_edit_rebuild_s", "prose_edit_rebuild_s", "template_build_s"):
        results[key] = round(results[key], 2)
    print(f"{'measure':<52} {'value':>12}")
    for label, key in [("(a) clean build, all notebooks executed [s]", "clean_build_s"),
                       ("(b) no-op rebuild [s]", "noop_rebuild_s"),
                       ("(c) rebuild after editing data/studies.csv [s]", "table_edit_rebuild_s"),
                       ("(c) rebuild after editing book/preface.md [s]", "prose_edit_rebuild_s"),
                       ("(d) jupyter-book create template, clean build [s]", "template_build_s"),
                       ("(e) sum of notebook execution times [s]", "notebook_execution_sum_s"),
                       ("(f) total page weight [KiB]", "total_kib")]:
        print(f"{label:<52} {results[key]:>12}")
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
