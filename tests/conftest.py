import contextlib
import functools
import http.server
import os
import shutil
import signal
import threading
import time
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


# --- No process outlives the tests ---------------------------------------------------------------


def _child_processes() -> dict[int, str]:
    """This process's live children (pid -> command line), read from /proc; zombies are already gone."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError):  # the process ended while we looked
            continue
        state, parent = fields[0], int(fields[1])
        if parent == os.getpid() and state != "Z":
            children[int(stat.parent.name)] = cmdline
    return children


@pytest.fixture(scope="session", autouse=True)
def no_leaked_processes():
    """Fails the session if a test leaves a child process running (a kernel, a browser, a server).

    Leaked Jupyter kernels once kept a pytest-xdist worker from exiting, and CI hung after its last
    test until the 90-minute limit. Torn down last, after every other session fixture has closed what
    it started; survivors are killed so that the run ends, and named so that the leak gets fixed."""
    yield
    if not Path("/proc/self/stat").is_file():  # not Linux: nothing to read
        return
    deadline = time.monotonic() + 10
    while (left := _child_processes()) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, "processes left running by the tests (killed now): " + "; ".join(
        f"{pid}: {command[:160]}" for pid, command in left.items()
    )


# --- Under mutation testing, no verdict outlives the mutant that produced it ----------------------


@pytest.fixture(autouse=True)
def fresh_parse_under_mutmut():
    """mutmut (which sets MUTANT_UNDER_TEST) forks each mutant's tests from a process that already ran
    the suite: a bibliography parse held in memory or on disk, or a table pass remembered in
    ``_build/.validation_cache``, would answer for the mutated code without running it, and a mutant
    that wrongly passes a bad table would leave a marker that vouches for it in later mutants. Under
    mutmut each test therefore starts without them; outside it (plain pytest) this does nothing."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        from review_evidence import bibliography, validation

        bibliography._parse_cached.cache_clear()
        bibliography._index.cache_clear()
        for cache in (bibliography._DISK_CACHE, validation._DISK_CACHE):
            if "mutants" in cache.parts:  # mutmut's copy of the book; never the working tree's build
                shutil.rmtree(cache, ignore_errors=True)
    yield


# --- A copy of the book to build: tests that edit sources never touch the repository ---------------


def copy_of_the_book(folder: Path, *caches: str) -> Path:
    """The repository's sources copied to ``folder/repo``, with the named ``_build`` caches (for
    example ``.jupyter_cache``) so that a build of the copy executes only what it must."""
    copy = folder / "repo"
    shutil.copytree(
        REPO_ROOT,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "venv", "_build", "node_modules", "test-artifacts"),
    )
    for cache in caches:
        if (REPO_ROOT / "_build" / cache).is_dir():
            shutil.copytree(REPO_ROOT / "_build" / cache, copy / "_build" / cache)
    return copy


# --- A small Sphinx project, built in this process -------------------------------------------------


def build_small_sphinx(folder: Path, pages: dict[str, str], overrides: dict, builder: str = "html"):
    """Build ``pages`` (name -> reST, or file name with its suffix -> text) with an empty conf.py and
    ``overrides``, by ``builder``; the app and its warnings."""
    import io

    from sphinx.application import Sphinx

    source = folder / "source"
    source.mkdir()
    (source / "conf.py").write_text("", encoding="utf-8")
    for name, text in pages.items():
        (source / (name if "." in name else f"{name}.rst")).write_text(text, encoding="utf-8")
    warnings = io.StringIO()
    app = Sphinx(
        str(source),
        str(source),
        str(folder / builder),
        str(folder / "doctrees"),
        builder,
        confoverrides=overrides,
        status=None,
        warning=warnings,
        freshenv=True,
    )
    app.build()
    return app, warnings.getvalue()


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


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test worker, shared by every browser test; each test opens its own contexts.

    One, because Playwright's sync API allows one instance per thread: a second fixture starting its
    own in the same worker would fail depending on which tests the worker happened to get."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS, _unavailable

    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -r requirements.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
