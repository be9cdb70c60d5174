"""The package keeps its two halves apart: the analysis library never reaches the build machinery.

``review_evidence`` (data contract, statistics, charts) is what notebooks and the course material
import; ``review_evidence.sphinxext`` holds the Sphinx extensions. The extensions may use the
library, never the other way round, and importing the library must not load Sphinx.
"""

import ast
import json
import re
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


# ------------------------------------------------------------------ the README's layout


def readme_levels(readme: str) -> dict[str, int]:
    """Module -> level, from the numbered list under the README's "Layout of the library"."""
    section = readme.split("### Layout of the library", 1)[1].split("\n#", 1)[0]
    levels: dict[str, int] = {}
    level = 0
    for line in section.splitlines():
        numbered = re.match(r"^(\d+)\.\s", line)
        if numbered:
            level = int(numbered.group(1))
        elif not line.startswith("   "):
            level = 0  # the list has ended
        if level:
            for name in re.findall(r"`([a-z_]+)`", line):
                if (PACKAGE / f"{name}.py").exists():
                    assert name not in levels or levels[name] == level, f"README lists `{name}` at two levels"
                    levels[name] = level
    return levels


def library_imports() -> dict[str, set[str]]:
    """Top-level library module -> the library modules it imports."""
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {
        name: {
            imported.split(".")[1]
            for imported in _imported_modules(PACKAGE / f"{name}.py")
            if imported.startswith("review_evidence.") and imported.split(".")[1] in modules
        }
        - {name}
        for name in modules
    }


def test_the_readme_layout_names_every_library_module_once():
    levels = readme_levels((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert set(levels) == modules, (
        f"not in the README's layout: {sorted(modules - set(levels))}; not in the tree: {sorted(set(levels) - modules)}"
    )


def test_library_imports_follow_the_readme_layout():
    levels = readme_levels((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    upward = [
        f"{module} (level {levels[module]}) imports {imported} (level {levels[imported]})"
        for module, imported_modules in library_imports().items()
        for imported in sorted(imported_modules)
        if levels.get(imported, 0) > levels.get(module, 0)
    ]
    assert not upward, "imports against the README's layout:\n" + "\n".join(upward)


def test_the_layout_check_sees_an_import_against_the_order():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    levels = readme_levels(readme.replace("5. Analyses built on those: `case_studies`", "5. Analyses built on those:"))
    assert "case_studies" not in levels
    # case_studies imports audit_table (level 4): listed at level 1 it would break the order
    moved = readme.replace("1. `paths` (where", "1. `case_studies`, `paths` (where").replace(
        "5. Analyses built on those: `case_studies`", "5. Analyses built on those: the case studies"
    )
    levels = readme_levels(moved)
    assert levels["case_studies"] == 1 and "audit_table" in library_imports()["case_studies"]
    assert levels["audit_table"] > levels["case_studies"]


def test_the_readme_names_every_build_extension():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `review_evidence/sphinxext/` |"))
    modules = {p.stem for p in (PACKAGE / "sphinxext").glob("*.py") if p.stem != "__init__"}
    named = set(re.findall(r"`([a-z_]+)`", row))
    assert modules <= named, f"README's 'What is where' does not name {sorted(modules - named)}"
