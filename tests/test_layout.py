"""The package keeps its two halves apart: the analysis library never reaches the build machinery.

``review_evidence`` (data contract, statistics, charts) is what notebooks and the course material
import; ``review_evidence.sphinxext`` holds the Sphinx extensions. The extensions may use the
library, never the other way round, and importing the library must not load Sphinx.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

from review_evidence.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "review_evidence"
BUILD_MACHINERY = "review_evidence.sphinxext"


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules a source file imports (relative imports resolved)."""
    package_parts = ["review_evidence", *path.relative_to(PACKAGE).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                names.add(node.module or "")
    return names


def _library_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "sphinxext" not in p.relative_to(PACKAGE).parts]


def test_the_analysis_library_never_imports_the_build_machinery():
    offenders = {
        path.relative_to(REPO_ROOT).as_posix(): sorted(
            n for n in _imported_modules(path) if n.startswith(BUILD_MACHINERY) or n.split(".")[0] == "sphinx"
        )
        for path in _library_modules()
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_the_import_scan_sees_a_relative_import_of_the_build_machinery(tmp_path, monkeypatch):
    # the check above must be able to fail: a library module that imports an extension
    fake_package = tmp_path / "review_evidence"
    fake_package.mkdir()
    module = fake_package / "charts.py"
    module.write_text("from .sphinxext.offline import vega_bundle\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake_package)
    assert "review_evidence.sphinxext.offline" in _imported_modules(module)


def test_notebooks_never_import_the_build_machinery():
    for notebook in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert BUILD_MACHINERY not in code and "import sphinx" not in code, notebook.name


def test_importing_the_library_does_not_load_sphinx():
    probe = (
        "import sys, review_evidence, review_evidence.tables, review_evidence.bibliography; "
        "print(sorted(m for m in sys.modules if m == 'sphinx' or m.startswith(('sphinx.', 'review_evidence.sphinxext'))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
