"""Sphinx extension: execute the stale notebooks in parallel, before Sphinx reads them.

Jupyter Book 1 runs Sphinx in one process, and in ``cache`` mode myst-nb executes each notebook the
jupyter-cache does not hold while it reads that notebook: one kernel after another, on one core.
On ``env-before-read-docs``, when Sphinx has decided which documents this build reads, this
extension

1. prepares each of those documents exactly as the read will: the same source text
   (``data_deps.prepare_source``, which adds the data-fingerprint cell), myst-nb's own reader, the
   kernel aliases and notebook-level configuration myst-nb applies, and myst-nb's own
   ``create_client``, which decides whether the notebook is executed through the cache at all
   (execution mode, ``execution_excludepatterns``);
2. skips the notebooks the cache already holds (myst-nb's lookup, ``match_cache_notebook``);
3. executes the rest in a pool of processes, one per core, longest first (by the time the cache
   recorded for the notebook's last run, else by file size), with jupyter-cache's
   ``single_nb_execution`` and the configured ``execution_timeout``, ``execution_allow_errors`` and
   working directory, as myst-nb calls it, but with ``shutdown_kernel="immediate"``;
4. stores each success with ``cache_notebook_bundle``, exactly as myst-nb does.

Myst-nb then reads every notebook from the cache. A notebook that fails in the pool is not cached, so
myst-nb re-executes it and reports the error as it always did. Documents Sphinx does not re-read are
never executed, so incremental builds execute what they did before: a table edit exactly that
table's readers, a prose edit or a no-op build nothing. Modes other than ``cache`` (``off``,
``force``, ``auto``, ``inline``) are left entirely to myst-nb.

Each notebook it executes is logged as ``<path>: Executing notebook ...``, the form of myst-nb's own
line, so a build log names every executed notebook whichever of the two ran it. Set
``REVIEW_PREEXECUTE=0`` to switch it off (``scripts/benchmark.py`` does, for the paired baseline).
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.cache.db import NbProjectRecord
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.execute import create_client
from myst_nb.core.execute.cache import NotebookClientCache
from myst_nb.core.nb_to_tokens import nb_node_to_dict
from myst_nb.core.read import create_nb_reader
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .data_deps import prepare_source

logger = logging.getLogger(__name__)
SWITCH_VARIABLE = "REVIEW_PREEXECUTE"


@dataclass
class Job:
    """One notebook as myst-nb will hand it to the execution cache."""

    docname: str
    path: Path
    notebook: Any  # nbformat.NotebookNode, as myst-nb's reader returns it
    read_fmt: dict | None
    timeout: int | None
    allow_errors: bool
    in_temp: bool


class _Silent:
    """A logger for ``create_client``: its one message ("Excluded ...") is myst-nb's to log when it reads."""

    def __getattr__(self, name: str):
        return lambda *args, **kwargs: None


def worker_count() -> int:
    """As many workers as cores this process may use."""
    with suppress(AttributeError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def prepare(env: BuildEnvironment, docname: str) -> Job | None:
    """The notebook myst-nb will look up in the cache when it reads ``docname``; None if it will not.

    Mirrors ``myst_nb.sphinx_.Parser.parse`` up to its ``create_client`` call, reusing its functions.
    """
    path = env.doc2path(docname)
    text = Path(path).read_text(encoding=env.config.source_encoding)
    text, _ = prepare_source(Path(path), text)  # what the source-read event hands the parser
    nb_config = env.mystnb_config
    reader = create_nb_reader(path, env.myst_config, nb_config, text)
    if reader is None:  # a Markdown page, not a notebook
        return None
    notebook = reader.read(text)
    kernel_name = notebook.metadata.get("kernelspec", {}).get("name", None)
    if kernel_name is not None and nb_config.kernel_rgx_aliases:
        for pattern, alias in nb_config.kernel_rgx_aliases.items():
            if re.fullmatch(pattern, kernel_name):
                notebook.metadata["kernelspec"]["name"] = alias
                break
    if nb_config.metadata_key in notebook.metadata:
        overrides = nb_node_to_dict(notebook.metadata[nb_config.metadata_key])
        overrides.pop("output_folder", None)
        try:
            nb_config = nb_config.copy(**overrides)
        except Exception:  # myst-nb warns about it when it reads the notebook
            return None
    client = create_client(notebook, path, nb_config, _Silent(), reader.read_fmt)
    if type(client) is not NotebookClientCache:  # excluded, or a mode other than "cache"
        return None
    return Job(
        docname,
        Path(path),
        client.notebook,
        reader.read_fmt,
        nb_config.execution_timeout,
        nb_config.execution_allow_errors,
        nb_config.execution_in_temp,
    )


def cache_key(cache, job: Job) -> str:
    """The jupyter-cache key of the notebook, as ``match_cache_notebook`` computes it."""
    return cache.create_hashed_notebook(job.notebook)[1]


def _previous_seconds(cache) -> dict[str, float]:
    """The last recorded execution time of each notebook path the cache has seen."""
    seconds = {}
    for record in sorted(cache.list_cache_records(), key=lambda r: r.created):
        with suppress(TypeError, ValueError):
            seconds[record.uri] = float(record.data.get("execution_seconds"))
    return seconds


def longest_first(jobs: list[Job], previous: dict[str, float]) -> list[Job]:
    """By last execution time when every notebook has one, else by file size (a fair proxy)."""
    uris = [str(job.path.absolute()) for job in jobs]
    if all(uri in previous for uri in uris):
        return [job for _, job in sorted(zip(uris, jobs), key=lambda pair: -previous[pair[0]])]
    return sorted(jobs, key=lambda job: -job.path.stat().st_size)


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if os.environ.get(SWITCH_VARIABLE, "1") == "0":
        logger.info(f"notebook pre-executor off ({SWITCH_VARIABLE}=0)")
        return
    if getattr(env, "mystnb_config", None) is None or env.mystnb_config.execution_mode != "cache":
        return
    _start_student_versions(app)
    cache = get_cache(env.mystnb_config.execution_cache_path or ".jupyter_cache")
    stale = []
    for docname in docnames:
        job = prepare(env, docname)
        if job is None:
            continue
        with suppress(KeyError):
            cache.match_cache_notebook(job.notebook)
            continue  # cached: myst-nb reads it from the cache
        stale.append(job)
    if stale:
        execute(cache, longest_first(stale, _previous_seconds(cache)))


def _start_student_versions(app: Sphinx) -> None:
    """otter-grader's student versions are notebook work too (a subprocess per chapter): started now,
    they share the cores with the kernels instead of running alone after the pages are written."""
    from .classroom import student_version_cache, wants_kit
    from .student_versions import start_in_background

    if wants_kit(app):
        start_in_background(Path(app.srcdir), student_version_cache(app), worker_count())


def _wait_for_student_versions(app: Sphinx, exception: Exception | None) -> None:
    """A failed build still waits, so that no otter subprocess outlives it."""
    from .classroom import student_version_cache
    from .student_versions import wait_for_background

    try:
        wait_for_background(student_version_cache(app))
    except Exception:
        if exception is None:
            raise


def execute(cache, jobs: list[Job]) -> None:
    """Execute the jobs in parallel and cache each success as myst-nb would."""
    workers = min(worker_count(), len(jobs))
    temporary: list[TemporaryDirectory] = []
    # "spawn": a fresh interpreter per worker, not a fork of the Sphinx process and its state.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        running = {}
        for job in jobs:
            stage_record = (
                cache.add_nb_to_project(str(job.path), read_data=job.read_fmt)
                if job.read_fmt
                else cache.add_nb_to_project(str(job.path))
            )
            NbProjectRecord.remove_tracebacks([stage_record.pk], cache.db)
            if job.in_temp:
                temporary.append(TemporaryDirectory())
                cwd = temporary[-1].name
            else:
                cwd = str(job.path.parent)
            logger.info(
                f"Executing notebook in the pre-executor ({workers} {'worker' if workers == 1 else 'workers'})",
                location=job.docname,
            )
            future = pool.submit(
                single_nb_execution,
                job.notebook,
                cwd=os.path.abspath(cwd),
                timeout=job.timeout,
                allow_errors=job.allow_errors,
                meta_override=True,
                shutdown_kernel="immediate",
            )
            running[future] = (job, stage_record)
        for future in as_completed(running):
            job, stage_record = running[future]
            try:
                result = future.result()
            except Exception as error:  # e.g. a kernel that died: myst-nb meets it again and reports it
                result, failure = None, f"{type(error).__name__}: {error}"
            else:
                failure = None if result.err is None else type(result.err).__name__
            if failure is not None:
                logger.info(
                    f"pre-execution failed ({failure}); myst-nb re-executes the notebook and reports the error",
                    location=job.docname,
                )
                continue
            record = cache.cache_notebook_bundle(
                CacheBundleIn(result.nb, stage_record.uri, data={"execution_seconds": result.time}),
                check_validity=False,
                overwrite=True,
            )
            logger.info(
                f"Executed notebook in {result.time:.2f} seconds (pre-executor); cached: ID={record.pk}",
                location=job.docname,
            )
    for folder in temporary:
        folder.cleanup()


def setup(app: Sphinx) -> dict:
    # env-before-read-docs comes after builder-inited, where myst-nb builds its configuration, and
    # before the first document is read; it names exactly the documents this build reads.
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    app.connect("build-finished", _wait_for_student_versions, priority=400)  # before the classroom kit
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
