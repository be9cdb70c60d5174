"""The notebook pre-executor fills exactly the cache entries myst-nb looks up, and leaves failures to myst-nb.

Both tests run a real ``jupyter-book build`` on a copy of the book in a temporary folder, starting
from the execution cache of the README's build when there is one, so nothing tracked is touched.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import copy_of_the_book

from review_evidence.paths import BOOK_ROOT_VARIABLE

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
MYSTNB_EXECUTED = re.compile(r"notebooks/([\w-]+)\.ipynb: Executing notebook using")
PREEXECUTOR_FAILED = re.compile(r"notebooks/([\w-]+)\.ipynb: pre-execution failed")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# A Sphinx extension the key test adds to the copy's build. It records, for every notebook, the
# jupyter-cache key of the notebook myst-nb hands to its cache client (the object its
# match_cache_notebook hashes) and the key of the notebook the pre-executor prepares and looks up.
PROBE = """
import json
import os
from pathlib import Path

from jupyter_cache import get_cache
from myst_nb.core.execute.cache import NotebookClientCache

from review_evidence.sphinxext import preexecute

KEYS = {"mystnb": {}, "preexecute": {}}


def setup(app):
    original = NotebookClientCache.start_client

    def start_client(self):
        cache = get_cache(self.nb_config.execution_cache_path)
        KEYS["mystnb"][Path(self.path).stem] = cache.create_hashed_notebook(self.notebook)[1]
        return original(self)

    NotebookClientCache.start_client = start_client

    def record_preexecute(app, env, docnames):
        cache = get_cache(env.mystnb_config.execution_cache_path)
        for docname in docnames:
            job = preexecute.prepare(env, docname)
            if job is not None:
                KEYS["preexecute"][job.path.stem] = preexecute.cache_key(cache, job)

    app.connect("env-before-read-docs", record_preexecute)
    app.connect("build-finished", lambda app, error: Path(os.environ["KEY_PROBE_RECORD"]).write_text(json.dumps(KEYS)))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


def _build(book: Path, **environment: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, BOOK_ROOT_VARIABLE: str(book), **environment}
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "--all", "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=1800,
        env=environment,
    )


def test_the_pre_executors_cache_key_is_myst_nbs_for_every_notebook(tmp_path):
    book = copy_of_the_book(tmp_path, ".jupyter_cache")
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "key_probe.py").write_text(PROBE, encoding="utf-8")
    config = book / "_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  extra_extensions:\n", "  extra_extensions:\n    - key_probe\n", 1
        ),
        encoding="utf-8",
    )
    record = tmp_path / "keys.json"
    result = _build(book, PYTHONPATH=str(tmp_path / "probe"), KEY_PROBE_RECORD=str(record))
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    keys = json.loads(record.read_text(encoding="utf-8"))
    notebooks = {path.stem for path in (book / "notebooks").glob("*.ipynb")}
    assert set(keys["mystnb"]) == notebooks, "myst-nb did not hand every notebook to the cache"
    assert keys["preexecute"] == keys["mystnb"]
    # and so myst-nb found every notebook in the cache: the pre-executor (or an earlier build) filled it
    assert MYSTNB_EXECUTED.findall(log) == []


def test_a_notebook_that_raises_fails_the_build_naming_the_notebook_and_the_cell(tmp_path):
    book = copy_of_the_book(tmp_path, ".jupyter_cache")
    path = book / "notebooks" / "method.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    broken_line = 'raise RuntimeError("deliberately broken for the failure test")'
    cell["source"] = "".join(cell["source"]) + "\n" + broken_line
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = _build(book)
    log = ANSI.sub("", result.stdout + result.stderr)
    assert result.returncode != 0, "a notebook that raises must fail the build"
    assert PREEXECUTOR_FAILED.findall(log) == ["method"], "the pre-executor should have tried it in its pool"
    assert MYSTNB_EXECUTED.findall(log) == ["method"], "myst-nb should re-execute exactly the failed notebook"
    # myst-nb's report, as before the pre-executor: the notebook, the cell's source, the error
    assert f"{path}: WARNING: Executing notebook failed: CellExecutionError" in log
    shown_cell = re.search(r"An error occurred while executing the following cell:\n-+\n(.*?)\n-+\n", log, re.DOTALL)
    assert shown_cell and broken_line in shown_cell.group(1)
    assert "RuntimeError: deliberately broken for the failure test" in log
    assert f"ExecutionError: {path}" in log
