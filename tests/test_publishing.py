"""Publishing and the ecosystem's conventions: licences, citation, the deploy workflow, pre-commit.

The checks that CI must run (``cffconvert --validate``, ``actionlint``, ``pre-commit run --all-files``)
are here, so the README's one test command runs them; each is also run on a deliberately broken copy
to show it fails. Nothing here writes into the repository: the broken copies, the tools' caches and
cffconvert's environment live in pytest's temporary folders.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from review_evidence.notebook_state import notebook_problems
from review_evidence.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
CONFIG = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
CFF = REPO_ROOT / "CITATION.cff"
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "book.yml"
#: The book's environment: the hooks and actionlint run from here, as they do in CI.
VENV_BIN = Path(sys.executable).parent


def _run(command: list[str], cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _readme_section(title: str) -> str:
    assert f"\n## {title}\n" in README, f"README has no '## {title}' section"
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


# --- Licences --------------------------------------------------------------------------------------


def test_the_code_licence_is_mit_and_the_content_licence_is_cc_by_4():
    code = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "Permission is hereby granted, free of charge" in code
    content = (REPO_ROOT / "LICENSE-CONTENT").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in content
    assert "Section 8 – Interpretation." in content, "LICENSE-CONTENT should hold the whole legal code"


def test_the_readme_says_which_licence_covers_what():
    section = _readme_section("Licence")
    for needed in ("LICENSE", "LICENSE-CONTENT", "MIT", "CC BY 4.0", "data/", "verbatim"):
        assert needed in section, f"README 'Licence' section does not mention {needed!r}"


def test_every_page_shows_the_licence_in_its_footer(built_book, book_page):
    soup = BeautifulSoup((built_book / book_page).read_text(encoding="utf-8"), "html.parser")
    if book_page == "index.html" and soup.find("footer") is None:
        return  # the redirect to the preface: no content, no footer
    footer = " ".join(f.get_text(" ", strip=True) for f in soup.find_all("footer"))
    assert "CC BY 4.0" in footer and "MIT" in footer, f"{book_page}: the footer does not show the licences"
    licence_links = [a["href"] for f in soup.find_all("footer") for a in f.find_all("a", rel="license")]
    assert licence_links == ["https://creativecommons.org/licenses/by/4.0/"], (book_page, licence_links)


def test_the_method_page_says_how_the_book_treats_the_papers_it_quotes(built_book):
    text = BeautifulSoup(
        (built_book / "notebooks" / "method.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text(" ")
    text = re.sub(r"\s+", " ", text)
    assert "short verbatim passages" in text and "redrawn from the numbers" in text


# --- Citation --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def cffconvert(tmp_path_factory) -> Path:
    """cffconvert from requirements-dev.txt, in its own environment: it pins jsonschema<4, the book needs 4."""
    venv = tmp_path_factory.mktemp("dev-venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = _run(
        [str(venv / "bin" / "pip"), "install", "-q", "-r", str(REPO_ROOT / "requirements-dev.txt")], cwd=REPO_ROOT
    )
    assert install.returncode == 0, f"could not install requirements-dev.txt:\n{install.stdout}\n{install.stderr}"
    return venv / "bin" / "cffconvert"


def test_citation_cff_is_valid(cffconvert):
    result = _run([str(cffconvert), "--validate", "--infile", str(CFF)], cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout


@pytest.mark.parametrize(
    "breakage",
    [
        ("cff-version: 1.2.0", "cff-version: 1.1.0"),  # a version the file does not follow
        ('  - name: "The personalization-review contributors"\nlicense', "license"),  # no authors left
        ("license: CC-BY-4.0\n", "license: not-a-licence\n"),  # not an SPDX identifier
    ],
    ids=["cff-version", "no-authors", "licence"],
)
def test_cffconvert_rejects_a_broken_citation_file(cffconvert, tmp_path, breakage):
    original, broken = breakage
    text = CFF.read_text(encoding="utf-8")
    assert original in text, f"the test's breakage no longer applies to CITATION.cff: {original!r}"
    copy = tmp_path / "CITATION.cff"
    copy.write_text(text.replace(original, broken, 1), encoding="utf-8")
    result = _run([str(cffconvert), "--validate", "--infile", str(copy)], cwd=tmp_path)
    assert result.returncode != 0, f"cffconvert accepted a broken CITATION.cff ({breakage}):\n{result.stdout}"


def test_the_preface_shows_the_citation_from_citation_cff(built_book):
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    cited = cff.get("preferred-citation", cff)
    soup = BeautifulSoup((built_book / "book" / "preface.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.find(id="how-to-cite-this-book")
    assert section is not None, "the preface has no 'How to cite this book' section"
    citation = section.find("p", class_="citation-from-cff")
    assert citation is not None, "no generated citation paragraph in 'How to cite this book'"
    text = re.sub(r"\s+", " ", citation.get_text(" "))
    assert citation.find("em").get_text() == cited["title"], text
    assert all(author["name"] in text for author in cited["authors"]) and f"({cited['year']})" in text, text
    bibtex = section.find(class_="citation-from-cff-bibtex")
    assert bibtex is not None and f"title = {{{{{cited['title']}}}}}" in bibtex.get_text()


SPHINX_CONF = "extensions = ['review_evidence.sphinxext.citation']\nexclude_patterns = ['_build']\n"


def _build_tiny_book(folder: Path) -> str:
    result = _run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", ".", "_build"], cwd=folder)
    assert result.returncode == 0, result.stderr
    return re.sub(
        r"\s+",
        " ",
        BeautifulSoup((folder / "_build" / "index.html").read_text(encoding="utf-8"), "html.parser").get_text(" "),
    )


def test_editing_citation_cff_changes_the_rendered_citation_on_the_next_build(tmp_path):
    (tmp_path / "conf.py").write_text(SPHINX_CONF, encoding="utf-8")
    (tmp_path / "index.rst").write_text("Cite\n====\n\n.. citation-from-cff::\n", encoding="utf-8")
    cff = CFF.read_text(encoding="utf-8")
    (tmp_path / "CITATION.cff").write_text(cff, encoding="utf-8")
    first = _build_tiny_book(tmp_path)
    title = yaml.safe_load(cff)["preferred-citation"]["title"]
    assert title in first

    edited = cff.replace(f'title: "{title}"', 'title: "A <b>second</b> edition & more"')
    (tmp_path / "CITATION.cff").write_text(edited, encoding="utf-8")
    second = _build_tiny_book(tmp_path)  # incremental: only the dependency on CITATION.cff triggers a re-read
    assert title not in second
    assert "A <b>second</b> edition & more" in second, "markup in the file must stay text, not become HTML"


def test_a_citation_file_without_a_title_fails_the_build_naming_file_and_field(tmp_path):
    from review_evidence.sphinxext.citation import CitationFileError, load_citation

    broken = CFF.read_text(encoding="utf-8").replace("  title:", "  subtitle:")
    (tmp_path / "CITATION.cff").write_text(broken, encoding="utf-8")
    with pytest.raises(CitationFileError, match=r"CITATION\.cff: the preferred-citation has no 'title'"):
        load_citation(tmp_path / "CITATION.cff")


def test_person_authors_are_cited_family_name_first():
    from review_evidence.sphinxext.citation import bibtex_entry, citation_text

    cited = {
        "title": "T",
        "year": 2030,
        "type": "book",
        "authors": [{"given-names": "Ada", "family-names": "Lovelace"}, {"name": "A Lab"}],
    }
    before, title, _ = citation_text(cited)
    assert before == "Lovelace, Ada and A Lab (2030). " and title == "T"
    assert "author = {Lovelace, Ada and {A Lab}}" in bibtex_entry(cited)


def test_a_doi_is_cited_as_a_link_and_kept_verbatim_in_bibtex():
    from review_evidence.sphinxext.citation import bibtex_entry, citation_text

    cited = {"title": "T_1 & co", "authors": [{"name": "Lab"}], "doi": "10.1234/a_b%c"}
    assert citation_text(cited)[2] == ". https://doi.org/10.1234/a_b%c."
    entry = bibtex_entry(cited)
    assert entry.startswith("@misc{lab,") and "doi = {10.1234/a_b%c}" in entry and r"title = {{T\_1 \& co}}" in entry


# --- The repository URL ----------------------------------------------------------------------------

#: Hosts whose links would be "the book's repository"; none may appear while no repository is configured.
REPOSITORY_HOSTS = re.compile(r"^https?://(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)/", re.I)


def test_no_repository_url_is_configured_until_a_real_one_exists():
    assert not CONFIG["repository"]["url"], (
        "_config.yml names a repository; that is fine once it exists (README, 'Publish'), then update this test"
    )
    assert not CONFIG["html"].get("use_repository_button") and not CONFIG["html"].get("use_edit_page_button")


def test_no_page_links_to_a_repository(built_book, book_page):
    html = (built_book / book_page).read_text(encoding="utf-8")
    assert "personalization-review/book" not in html, f"{book_page} names the non-existent repository"
    soup = BeautifulSoup(html, "html.parser")
    links = [a["href"] for a in soup.find_all("a", href=True) if REPOSITORY_HOSTS.match(a["href"])]
    assert not links, f"{book_page} links to a repository though none is configured: {links}"


# --- The workflow and Dependabot -------------------------------------------------------------------


def test_actionlint_passes_on_the_workflows():
    result = _run([str(VENV_BIN / "actionlint"), "-no-color"], cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "original, broken, complaint",
    [
        ("needs: build", "needs: buld", 'needs job "buld" which does not exist'),
        ("github.event_name == 'push'", "github.event_nam == 'push'", 'property "event_nam" is not defined'),
        ("uses: actions/checkout@v7", "uses: actions/checkout@v7\n        with: {fetch-dept: 1}", 'input "fetch-dept"'),
    ],
    ids=["needs", "expression", "input"],
)
def test_actionlint_rejects_a_broken_workflow(tmp_path, original, broken, complaint):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert original in text, f"the test's breakage no longer applies to the workflow: {original!r}"
    copy = tmp_path / WORKFLOW.name
    copy.write_text(text.replace(original, broken, 1), encoding="utf-8")
    result = _run([str(VENV_BIN / "actionlint"), "-no-color", str(copy)], cwd=tmp_path)
    # 1 is "problems found"; anything else (3: no workflow found, ...) would be failing for the wrong reason.
    assert result.returncode == 1 and complaint in result.stdout, result.stdout + result.stderr


def test_the_workflow_tests_every_push_and_deploys_main_with_the_pages_actions():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert "push" in triggers and "pull_request" in triggers
    assert workflow["permissions"] == {"contents": "read"}, "least privilege by default"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "bash .ci/run" in runs, "the build job must run .ci/run, which runs the README's test command verbatim"
    uses = {step["uses"].split("@")[0]: step for job in (build, deploy) for step in job["steps"] if "uses" in step}
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses, f"the workflow does not use {action}"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/html"
    on_main = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["if"] == on_main and uses["actions/upload-pages-artifact"]["if"] == on_main
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_dependabot_updates_pip_npm_and_the_actions():
    config = yaml.safe_load((REPO_ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert {u["package-ecosystem"] for u in config["updates"]} == {"pip", "npm", "github-actions"}


def test_the_readme_says_how_to_publish_and_upgrade():
    publish = _readme_section("Publish")
    for needed in ("GitHub Pages", "ghp-import", "repository.url", "html.baseurl"):
        assert needed in publish, f"README 'Publish' does not mention {needed!r}"
    upgrading = _readme_section("Upgrading")
    for needed in ("lock-requirements.sh --upgrade", "run_notebooks.py", "pytest"):
        assert needed in upgrading, f"README 'Upgrading' does not mention {needed!r}"


# --- Pre-commit --------------------------------------------------------------------------------------

PRE_COMMIT_CONFIG = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for repo in PRE_COMMIT_CONFIG["repos"] for hook in repo["hooks"]}


def test_every_hook_is_local_and_runs_a_locked_tool():
    assert [repo["repo"] for repo in PRE_COMMIT_CONFIG["repos"]] == ["local"], "CI reaches only the package registries"
    lock = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8")
    provided_by = {
        "trailing-whitespace-fixer": "pre-commit-hooks",
        "end-of-file-fixer": "pre-commit-hooks",
        "ruff": "ruff",
        "nbqa": "nbqa",
        "python": None,
    }
    for hook in HOOKS.values():
        assert hook["language"] == "system", hook["id"]
        tool = hook["entry"].split()[0]
        assert tool in provided_by, f"hook {hook['id']} runs {tool}, which is not known to be locked"
        if provided_by[tool]:
            assert re.search(rf"^{provided_by[tool]}==", lock, re.M), (
                f"{provided_by[tool]} is not pinned in requirements.txt"
            )
    assert re.search(r"^pre-commit==", lock, re.M)


@pytest.fixture()
def clone(tmp_path) -> Path:
    """A clone of the last commit: pre-commit needs a git repository, and the working tree stays untouched."""
    target = tmp_path / "book"
    result = _run(["git", "clone", "-q", "--no-hardlinks", str(REPO_ROOT), str(target)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return target


def _pre_commit(clone: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"  # the hooks' tools, as an activated venv has them
    env["PRE_COMMIT_HOME"] = str(clone.parent / "pre-commit-cache")
    env["REVIEW_BOOK_ROOT"] = str(clone)  # the notebook check reads the copy's data, not the repository's
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    return _run(
        [str(VENV_BIN / "pre-commit"), "run", "--show-diff-on-failure", "--color=never", *arguments], cwd=clone, env=env
    )


def test_pre_commit_passes_on_the_last_commit(clone):
    """The whole configuration on the whole tree, as CI runs it."""
    result = _pre_commit(clone, "--all-files")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def _add(clone: Path, path: str, text: str) -> str:
    (clone / path).parent.mkdir(parents=True, exist_ok=True)
    (clone / path).write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", path], cwd=clone, check=True)
    return path


CLEAN_MODULE = (
    '"""A clean module."""\n\nimport json\n\n\ndef dump(value: object) -> str:\n    return json.dumps(value)\n'
)


@pytest.mark.parametrize(
    "hook, path, broken",
    [
        ("trailing-whitespace", "book/extra.md", "# A page\n\nA line with trailing spaces.   \n"),
        ("end-of-file-fixer", "book/extra.md", "# A page\n\nNo newline at the end."),
        ("ruff-check", "scripts/extra.py", CLEAN_MODULE.replace("json.dumps(value)", "json.dumps(undefined_name)")),
        (
            "ruff-format",
            "review_evidence/extra.py",
            CLEAN_MODULE.replace("def dump(value: object)", "def dump( value:object )"),
        ),
    ],
)
def test_each_file_hook_fails_on_a_broken_file_and_passes_on_a_clean_one(clone, hook, path, broken):
    clean = CLEAN_MODULE if path.endswith(".py") else "# A page\n\nA clean line.\n"
    _add(clone, path, clean)
    passed = _pre_commit(clone, hook, "--files", path)
    assert passed.returncode == 0, f"{hook} rejected a clean file:\n{passed.stdout}"
    _add(clone, path, broken)
    failed = _pre_commit(clone, hook, "--files", path)
    assert failed.returncode != 0, f"{hook} accepted a broken {path}:\n{failed.stdout}"


def _notebook(clone: Path, name: str = "method.ipynb") -> tuple[str, dict]:
    path = f"notebooks/{name}"
    return path, json.loads((clone / path).read_text(encoding="utf-8"))


def test_nbqa_ruff_fails_on_a_lint_error_in_a_notebook(clone):
    path, notebook = _notebook(clone)
    code = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    code["source"] = "print(undefined_name)\n"
    _add(clone, path, json.dumps(notebook, indent=1))
    result = _pre_commit(clone, "nbqa-ruff", "--files", path)
    assert result.returncode != 0 and "F821" in result.stdout, result.stdout


def _break_code(notebook: dict) -> None:
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    code[-1]["source"] = "".join(code[-1]["source"]) + "\n# edited after execution"


def _unexecute(notebook: dict) -> None:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["execution_count"], cell["outputs"] = None, []


def _reorder(notebook: dict) -> None:
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    code[0]["execution_count"] = 7  # as if the first cell had been re-run by hand


@pytest.mark.parametrize(
    "breakage, message",
    [(_unexecute, "was never executed"), (_reorder, "expected 1"), (_break_code, "a code cell changed")],
    ids=["unexecuted", "out-of-order", "code-edited"],
)
def test_the_notebook_hook_fails_on_a_stale_notebook(clone, breakage, message):
    path, notebook = _notebook(clone)
    passed = _pre_commit(clone, "notebooks-executed-and-current", "--files", path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    breakage(notebook)
    _add(clone, path, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    failed = _pre_commit(clone, "notebooks-executed-and-current", "--files", path)
    assert failed.returncode != 0 and message in failed.stdout, failed.stdout


def test_the_notebook_hook_fails_when_a_table_it_reads_changes(clone):
    path, notebook = _notebook(clone, "method.ipynb")  # declares every table
    studies = clone / "data" / "studies.csv"
    studies.write_text(studies.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = _pre_commit(clone, "notebooks-executed-and-current", "--files", path)
    assert result.returncode != 0 and "data file it reads" in result.stdout, result.stdout


# --- The notebook check itself, on the committed notebooks --------------------------------------------


@pytest.mark.parametrize("notebook_path", sorted((REPO_ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_committed_notebook_is_executed_and_current(notebook_path):
    problems = notebook_problems(json.loads(notebook_path.read_text(encoding="utf-8")), notebook_path)
    assert not problems, "\n".join(problems)


def test_a_cell_that_ends_in_an_expression_must_have_output(tmp_path):
    notebook = {
        "metadata": {},
        "cells": [
            {"cell_type": "code", "id": "a", "execution_count": 1, "outputs": [], "source": "x = 1\nx"},
            {"cell_type": "code", "id": "b", "execution_count": 2, "outputs": [], "source": "x = 2;"},
            {"cell_type": "code", "id": "c", "execution_count": 3, "outputs": [], "source": "print(x);"},
        ],
    }
    problems = notebook_problems(notebook, tmp_path / "n.ipynb")
    assert [p for p in problems if "no output" in p] == [
        f"{tmp_path / 'n.ipynb'}: cell 1 (id a) ends in an expression but has no output"
    ]
    assert any("no record of its execution" in p for p in problems)


def test_the_readme_documents_pre_commit():
    section = _readme_section("Pre-commit")
    assert "pre-commit run --all-files" in section and "run_notebooks.py" in section
