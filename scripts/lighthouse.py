"""Score every page of the built book with Lighthouse (mobile preset), against the project's targets.

Usage:  python scripts/lighthouse.py [--html DIR] [--json PATH] [--pages PAGE ...]

Serves the built HTML (default ``_build/html``; build it first) on 127.0.0.1, runs the Lighthouse
pinned in package.json (``npm ci`` installs it) on each page with Debian's Chromium (``CHROME_PATH``,
default /usr/bin/chromium), and prints performance, accessibility, best practices and SEO per page.
Where a page misses a target (performance 90, the others 100) it names what cost the points: the
slow metrics, or the failed audits. It writes every score and cause as JSON (default
``_build/lighthouse.json``).

Lighthouse's mobile preset simulates a mid-range phone (4x slower CPU, slow 4G) from a trace of the
real load, so its performance score moves with the machine's load: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
#: The metrics behind the performance score, as Lighthouse names its audits.
METRICS = [
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def book_pages(folder: Path) -> list[str]:
    """Every HTML page of the build, as the tests find them (assets under _static and the like excluded)."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*.html")
        if not p.relative_to(folder).parts[0].startswith("_")
    )


def run_lighthouse(url: str, chrome: str) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=600
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url} (exit {result.returncode}): {result.stderr.strip()[-800:]}")
    return json.loads(result.stdout)


def summarise(report: dict) -> dict:
    """Scores (0-100) per category, and for each category under its target what cost the points."""
    scores, causes = {}, {}
    audits = report["audits"]
    for category, target in CATEGORIES.items():
        data = report["categories"][category]
        score = None if data["score"] is None else round(data["score"] * 100)
        scores[category] = score
        if score is not None and score >= target:
            continue
        if category == "performance":
            causes[category] = [
                f"{audits[m]['title']} {audits[m]['displayValue']} (score {round((audits[m]['score'] or 0) * 100)})"
                for m in METRICS
                if m in audits and (audits[m]["score"] or 0) < 0.9
            ]
        else:
            causes[category] = [
                audits[ref["id"]]["title"]
                for ref in data["auditRefs"]
                if ref.get("weight", 0) > 0
                and audits[ref["id"]]["score"] is not None
                and audits[ref["id"]]["score"] < 1
            ]
    return {
        "scores": scores,
        "causes": causes,
        "metrics": {m: audits[m].get("numericValue") for m in METRICS if m in audits},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built book")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "_build" / "lighthouse.json", help="where to write the results"
    )
    parser.add_argument(
        "--pages", nargs="*", help="pages relative to the book, e.g. notebooks/techniques.html (default: all)"
    )
    args = parser.parse_args(argv)
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not (args.html / "index.html").is_file():
        sys.exit(f"no built book at {args.html}: build it first with `jupyter-book build . --all -W -n --keep-going`")
    if not LIGHTHOUSE.is_file():
        sys.exit(
            f"Lighthouse not found at {LIGHTHOUSE}: run `npm ci --no-audit --no-fund` (it is pinned in package.json)"
        )
    if not Path(chrome).is_file():
        sys.exit(f"Chromium not found at {chrome}: `apt-get install chromium`, or set CHROME_PATH")
    pages = args.pages or book_pages(args.html)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(args.html))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    results = {}
    try:
        for page in pages:
            print(f"lighthouse: {page}", file=sys.stderr, flush=True)
            results[page] = summarise(run_lighthouse(base + page, chrome))
    finally:
        server.shutdown()
        server.server_close()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    print("| page | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|")
    for page, result in results.items():
        cells = [
            ("—" if s is None else f"{s}" + ("" if s >= CATEGORIES[c] else " ✗")) for c, s in result["scores"].items()
        ]
        print(f"| `{page}` | " + " | ".join(cells) + " |")
    missed = {page: result["causes"] for page, result in results.items() if result["causes"]}
    if missed:
        print("\nTargets missed (performance ≥ 90, the others 100), and why:")
        for page, causes in missed.items():
            for category, reasons in causes.items():
                print(f"- {page}, {category}: " + ("; ".join(reasons) or "no single audit failed"))
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
