"""The course pack built with the book runs every chapter without the repository.

The pack is unpacked into an empty temporary folder and each notebook is executed there by a kernel
that cannot import anything from the repository: its boot script removes the editable install's
finder and every repository path, and refuses (ImportError) any module a finder would load from the
repository. A probe cell then lists where ``review_evidence`` came from. Two controls show the
guard is real: the same interpreter without the guard imports the repository's package, and with
the guard a notebook's setup cell in an empty folder stops with its "what is missing" message.
A fresh virtual environment would prove the same and take minutes; the current interpreter's
libraries are the pinned ones the pack's requirements.txt lists.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from review_evidence.paths import REPO_ROOT
from review_evidence.sphinxext.classroom import (
    COURSE_PACK,
    KIT_DIR,
    PACK_ROOT,
    SETUP_CELL,
    chapter_notebooks,
    course_pack_members,
)

REPOSITORY = REPO_ROOT.resolve()
#: The interpreter's own environment may live inside the clone (.venv); its libraries are not the repository's.
ENVIRONMENT = Path(sys.prefix).resolve()

GUARD = f"""
import importlib.abc, os, sys
from pathlib import Path
REPOSITORY, ENVIRONMENT = Path({str(REPOSITORY)!r}), Path({str(ENVIRONMENT)!r})

def from_repository(location):
    path = Path(location).resolve()
    return path.is_relative_to(REPOSITORY) and not path.is_relative_to(ENVIRONMENT)

class RefuseTheRepository(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is None:
                continue
            locations = [spec.origin or "", *(spec.submodule_search_locations or [])]
            if any(loc and from_repository(loc) for loc in locations):
                raise ImportError(f"refused: {{name}} would be imported from the repository ({{locations[0]}})")
            return spec
        return None

os.environ.pop("REVIEW_BOOK_ROOT", None)
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in str(getattr(f, "__module__", ""))]
sys.path[:] = [p for p in sys.path if not (p == "" or from_repository(p or "."))]
sys.meta_path.insert(0, RefuseTheRepository())
"""

PROBE = """
import json, sys
print(json.dumps(sorted({getattr(m, "__file__", None) or "" for n, m in list(sys.modules.items())
                         if n == "review_evidence" or n.startswith("review_evidence.")})))
"""


@pytest.fixture(scope="module")
def unpacked_pack(built_book, tmp_path_factory) -> Path:
    archive = built_book / KIT_DIR / COURSE_PACK
    assert archive.is_file(), f"the build wrote no course pack at {archive}"
    folder = tmp_path_factory.mktemp("course-pack")
    assert not folder.resolve().is_relative_to(REPOSITORY)
    with zipfile.ZipFile(archive) as pack:
        names = set(pack.namelist())
        pack.extractall(folder)
    expected = set(course_pack_members(REPO_ROOT))
    assert names == expected, (
        "the built course pack is out of date with the repository (rebuild the book): "
        f"missing {sorted(expected - names)[:5]}, extra {sorted(names - expected)[:5]}"
    )
    return folder / PACK_ROOT


@pytest.fixture(scope="module")
def guarded_kernel(tmp_path_factory) -> KernelSpecManager:
    """A kernel spec whose kernel cannot import from the repository."""
    folder = tmp_path_factory.mktemp("guarded-kernel")
    boot = folder / "boot.py"
    boot.write_text(GUARD + "\nfrom ipykernel import kernelapp\nkernelapp.launch_new_instance()\n", encoding="utf-8")
    spec = folder / "kernels" / "pack-guarded"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-I", str(boot), "-f", "{connection_file}"],
                "display_name": "guarded",
                "language": "python",
                "env": {"REVIEW_BOOK_ROOT": ""},
            }
        ),
        encoding="utf-8",
    )
    return KernelSpecManager(kernel_dirs=[str(folder / "kernels")])


def _execute(notebook, folder: Path, specs: KernelSpecManager):
    manager = KernelManager(kernel_name="pack-guarded", kernel_spec_manager=specs)
    client = NotebookClient(
        notebook, km=manager, timeout=600, shutdown_kernel="immediate", resources={"metadata": {"path": str(folder)}}
    )
    # A client given its kernel manager leaves the kernel running unless told otherwise; 16 leaked
    # kernels kept a test worker from exiting and CI hung after the last test.
    client.execute(cleanup_kc=True)
    return notebook


def test_the_pack_holds_what_a_class_needs(unpacked_pack):
    for required in [
        "README.md",
        "requirements.txt",
        "references.bib",
        "data/datapackage.json",
        "review_evidence/__init__.py",
        *[f"notebooks/{p.name}" for p in chapter_notebooks(REPO_ROOT)],
    ]:
        assert (unpacked_pack / required).is_file(), f"the course pack lacks {required}"
    assert not (unpacked_pack / "review_evidence" / "sphinxext").exists(), "the build machinery is not for students"
    readme = (unpacked_pack / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt" in readme
    requirements = (unpacked_pack / "requirements.txt").read_text(encoding="utf-8")
    assert "-e ." not in requirements.splitlines() and "pandas==" in requirements


def test_without_the_guard_the_repository_package_would_be_imported(tmp_path):
    # the control: this interpreter, in an empty folder, finds the repository's editable install...
    plain = subprocess.run(
        [sys.executable, "-I", "-c", "import review_evidence; print(review_evidence.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(plain.stdout.strip()).resolve().is_relative_to(REPOSITORY)
    # ...and the guard refuses it
    guarded = subprocess.run(
        [sys.executable, "-I", "-c", GUARD + "\nimport review_evidence"], cwd=tmp_path, capture_output=True, text=True
    )
    assert guarded.returncode != 0 and ("refused" in guarded.stderr or "No module named" in guarded.stderr), (
        guarded.stderr
    )


def test_a_notebook_opened_alone_says_what_is_missing(guarded_kernel, tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SETUP_CELL)])
    with pytest.raises(CellExecutionError) as error:
        _execute(notebook, tmp_path, guarded_kernel)
    assert "needs the book's review_evidence/ package and data/ folder" in str(error.value)
    assert "course-pack.zip" in str(error.value)


@pytest.mark.parametrize("chapter", [p.name for p in chapter_notebooks(REPO_ROOT)])
def test_every_chapter_runs_from_the_unpacked_pack(unpacked_pack, guarded_kernel, chapter):
    path = unpacked_pack / "notebooks" / chapter
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    _execute(notebook, path.parent, guarded_kernel)
    imported = json.loads(notebook.cells[-1].outputs[0]["text"])
    assert imported, f"{chapter} never imported review_evidence"
    outside = [f for f in imported if not Path(f).resolve().is_relative_to(unpacked_pack.resolve())]
    assert not outside, f"{chapter} imported review_evidence from outside the pack: {outside}"
