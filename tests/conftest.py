import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from review_evidence.paths import REPO_ROOT, seeds_dir


@pytest.fixture(scope="session")
def seeds():
    """The seed texts; CI always has them beside the repo, so only a bare checkout skips."""
    folder = seeds_dir()
    if not folder.is_dir():
        pytest.skip(f"seed texts not found at {folder} (set REVIEW_SEEDS_DIR or place ../shared/seeds)")
    return folder


# --- The built HTML book: checked statically (test_html.py) and in a browser (test_browser.py). ---

NOT_BUILT = "(book not built)"


def built_book_dir() -> Path:
    """The built HTML: ``$BOOK_HTML_DIR``, else ``_build/html`` in the repository."""
    return Path(os.environ.get("BOOK_HTML_DIR") or REPO_ROOT / "_build" / "html")


def book_pages(folder: Path) -> list[str]:
    """Every HTML page of the built book, as a path relative to its root (assets excluded)."""
    if not folder.is_dir():
        return []
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*.html")
        if not p.relative_to(folder).parts[0].startswith("_")
    )


def pytest_generate_tests(metafunc):
    # Pages are discovered from the build, so a new chapter is checked without touching the tests.
    if "book_page" in metafunc.fixturenames:
        metafunc.parametrize("book_page", book_pages(built_book_dir()) or [NOT_BUILT])


#: What a build is made from: an edit to any of these after the last finished build makes it stale.
BUILD_SOURCES = (
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "book/**/*",
    "notebooks/*.ipynb",
    "data/**/*",
    "review_evidence/**/*",
)


def stale_sources(build: Path, root: Path) -> list[str]:
    """Sources changed since the build in ``build`` last finished (Sphinx writes ``.buildinfo`` last).

    A build that fails (a notebook raises) stops before that, so the previous, older HTML stays behind
    and this names the sources it does not reflect.
    """
    info = build / ".buildinfo"
    if not info.is_file():
        return [".buildinfo missing: the last build did not finish"]
    built_at = info.stat().st_mtime
    return sorted(
        {
            path.relative_to(root).as_posix()
            for pattern in BUILD_SOURCES
            for path in root.glob(pattern)
            if path.is_file() and "__pycache__" not in path.parts and path.stat().st_mtime > built_at
        }
    )


@pytest.fixture(scope="session")
def built_book() -> Path:
    folder = built_book_dir()
    if not (folder / "index.html").is_file():
        pytest.fail(
            f"no built book at {folder}: build it first with `jupyter-book build . --all -W -n --keep-going` "
            "(the README's test command builds before it runs pytest), or set BOOK_HTML_DIR to a built book",
            pytrace=False,
        )
    if folder.resolve() == (REPO_ROOT / "_build" / "html").resolve():  # a build elsewhere may be of a copy
        stale = stale_sources(folder, REPO_ROOT)
        if stale:
            pytest.fail(
                f"the build at {folder} is older than its sources ({', '.join(stale[:5])}{', ...' if len(stale) > 5 else ''}): "
                "the last build failed or was not rerun after an edit. Rebuild with "
                "`jupyter-book build . --all -W -n --keep-going` before running the tests.",
                pytrace=False,
            )
    return folder


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # one line per asset would drown pytest's output
        pass


@pytest.fixture(scope="session")
def book_server(built_book):
    """The built book served on 127.0.0.1 at a free port, as a reader's browser would fetch it."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
