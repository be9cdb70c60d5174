"""Launch buttons (Binder, Colab, JupyterHub) appear only when ``repository.url`` names a repository.

A one-chapter copy of the book's configuration (the real ``launch_buttons`` and ``html`` settings,
no execution, only the extensions that matter here) is built twice, with the URL unset and set.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from review_evidence.paths import REPO_ROOT

REPOSITORY = "https://github.com/example-org/example-review"
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def _build(folder: Path, repository: dict | None, jupyterhub_url: str = "") -> BeautifulSoup:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "off"}
    config.pop("bibtex_bibfiles", None)
    config["launch_buttons"]["jupyterhub_url"] = jupyterhub_url
    config["sphinx"]["extra_extensions"] = ["sphinx_exercise", "review_evidence.sphinxext.classroom"]
    config["sphinx"]["config"] = {"classroom_kit": False}  # the kit is built from the full book, not this copy
    config["html"].pop("favicon", None)  # the copy has no package folder to take the book's favicon from
    if repository is None:
        config.pop("repository", None)
    else:
        config["repository"] = repository
    folder.mkdir()
    (folder / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/chapter\n", encoding="utf-8"
    )
    (folder / "intro.md").write_text("# Intro\n\nA page without a notebook.\n", encoding="utf-8")
    (folder / "notebooks").mkdir()
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# A chapter"), nbformat.v4.new_code_cell("1 + 1")]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "notebooks" / "chapter.ipynb")
    run = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(folder), "-W", "-n", "--keep-going"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    page = folder / "_build" / "html" / "notebooks" / "chapter.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _launch_links(page: BeautifulSoup) -> dict[str, str]:
    return {a.get_text(" ", strip=True): a["href"] for a in page.select(".dropdown-launch-buttons a")}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("launch")
    return {
        "unset": _build(folder / "unset", None),
        "empty": _build(folder / "empty", {"url": "", "branch": "main"}),
        "set": _build(
            folder / "set",
            {"url": REPOSITORY, "branch": "main", "path_to_book": ""},
            jupyterhub_url="https://hub.example.edu",
        ),
    }


@pytest.mark.parametrize("case", ["unset", "empty"])
def test_without_a_repository_no_launch_button_appears(books, case):
    page = books[case]
    assert not _launch_links(page)
    assert not page.select(".dropdown-launch-buttons")
    assert "mybinder.org" not in str(page) and "colab.research.google.com" not in str(page)


def test_with_a_repository_binder_colab_and_jupyterhub_buttons_open_the_chapter(books):
    links = _launch_links(books["set"])
    assert set(links) == {"Binder", "JupyterHub", "Colab"}, links
    assert links["Binder"].startswith("https://mybinder.org/v2/gh/example-org/example-review/main?")
    assert "notebooks/chapter.ipynb" in links["Binder"]
    assert links["Colab"] == (
        "https://colab.research.google.com/github/example-org/example-review/blob/main/notebooks/chapter.ipynb"
    )
    assert links["JupyterHub"].startswith("https://hub.example.edu/hub/user-redirect/git-pull?")


def test_binder_installs_the_package_from_the_repository():
    """Binder (repo2docker) installs requirements.txt, whose last line installs the repository's package,
    on the Python that runtime.txt names; the notebook's setup cell also finds the clone beside it."""
    assert (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1].strip() == "-e ."
    assert (REPO_ROOT / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


@pytest.mark.parametrize(
    "url, kept",
    [("", False), (None, False), ("https://github.com/executablebooks/jupyter-book", False), (REPOSITORY, True)],
)
def test_the_launch_buttons_are_dropped_without_a_repository_of_the_books_own(url, kept):
    # jupyter-book fills in its own repository when _config.yml names none: that is not the book's
    from types import SimpleNamespace

    from review_evidence.sphinxext.classroom import _launch_buttons_need_a_repository

    options = {"launch_buttons": {"binderhub_url": "https://mybinder.org"}}
    if url is not None:
        options["repository_url"] = url
    config = SimpleNamespace(html_theme_options=options)
    _launch_buttons_need_a_repository(None, config)
    assert bool(config.html_theme_options["launch_buttons"]) is kept
