"""The repository's own promises: two README commands, CI runs the test one, pinned dependencies."""

import re

from review_evidence.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, flags=re.DOTALL)


def test_the_readme_has_exactly_two_quick_start_commands():
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    assert all("\n" not in c for c in commands), "each command must be one line"
    assert "jupyter-book build" in commands[0] and "pytest" in commands[1]
    # one worker per core, each taking whole files: "--dist load" would split a notebook's cells between
    # workers, and nbval needs them in order in one kernel
    assert commands[1].endswith("pytest -n auto --dist loadfile"), commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()


def test_every_requirement_is_pinned_exactly():
    lines = [line.strip() for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()]
    requirements = [line for line in lines if line and not line.startswith("#") and not line.startswith("-e")]
    assert len(requirements) > 50, "requirements.txt should be a full lock"
    unpinned = [
        line
        for line in requirements
        if not re.match(r"^[A-Za-z0-9_.\-]+==[^=\s]+(\s*;.*)?$", line.split("  #")[0].strip())
    ]
    assert not unpinned, unpinned
    assert "jupyter-book==1.0.4.post1" in requirements
    assert "-e ." in lines


def test_the_build_is_told_to_fail_on_notebook_errors():
    config = (REPO_ROOT / "_config.yml").read_text(encoding="utf-8")
    assert re.search(r"nb_execution_raise_on_error:\s*true", config)
    assert re.search(r"execute_notebooks:\s*cache", config)
    assert re.search(r"only_build_toc_files:\s*true", config)
    assert re.search(r"bibtex_reference_style:\s*author_year", config)
