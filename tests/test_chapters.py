"""Every executable chapter follows the book's pattern, so a teacher can rely on it.

Project Pythia's sections (Overview, Prerequisites, the content, Summary, What's next), learning
objectives, at least two exercises each with a foldable solution, and discussion questions.
"""

import json
import re

import pytest
import yaml

from review_evidence.paths import REPO_ROOT

SECTIONS = ["Overview", "Prerequisites", "Summary", "What's next"]
FENCE = r"^(?:`{3,}|:{3,})"
EXERCISE = re.compile(FENCE + r"\{exercise(?:-start)?\}[^\n]*\n:label: ([\w-]+)", re.MULTILINE)
SOLUTION = re.compile(FENCE + r"\{solution(?:-start)?\} ([\w-]+)\n((?::\w+:[^\n]*\n)*)", re.MULTILINE)


def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        for value in node.values():
            files += _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            files += _toc_files(item)
    return files


CHAPTERS = [
    REPO_ROOT / f"{f}.ipynb"
    for f in _toc_files(yaml.safe_load((REPO_ROOT / "_toc.yml").read_text()))
    if (REPO_ROOT / f"{f}.ipynb").exists()
]


def chapter_problems(notebook: dict) -> list[str]:
    """What a chapter lacks of the book's pattern; empty when it has all of it."""
    markdown = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    headings = re.findall(r"^#{2,3} (.+?)\s*$", markdown, flags=re.MULTILINE)
    problems = [f"no '## {s}' section" for s in SECTIONS if s not in headings]
    present = [s for s in SECTIONS if s in headings]
    if present != sorted(present, key=headings.index):
        problems.append(f"sections out of order: {present}")
    if "learning objectives" not in markdown.lower():
        problems.append("no learning objectives")
    if "discussion question" not in markdown.lower():
        problems.append("no discussion questions")
    exercises = EXERCISE.findall(markdown)
    if len(exercises) < 2:
        problems.append(f"{len(exercises)} labelled exercise(s); at least 2 wanted")
    solutions = {label: options for label, options in SOLUTION.findall(markdown)}
    for label in exercises:
        if label not in solutions:
            problems.append(f"exercise '{label}' has no solution")
        elif ":class: dropdown" not in solutions[label]:
            problems.append(f"the solution to '{label}' cannot be folded away (no ':class: dropdown')")
    return problems


def test_the_toc_lists_the_chapters():
    assert len(CHAPTERS) >= 10


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_follows_the_pattern(path):
    assert chapter_problems(json.loads(path.read_text(encoding="utf-8"))) == []


def _markdown_notebook(text: str) -> dict:
    return {"cells": [{"cell_type": "markdown", "source": text}]}


GOOD = """## Overview
**Learning objectives.** You will.
## Prerequisites
## Summary
## What's next
## Exercises
```{exercise}
:label: a-one
Q
```
```{solution} a-one
:class: dropdown
A
```
```{exercise}
:label: a-two
Q
```
````{solution-start} a-two
:class: dropdown
````
A
**Discussion questions**
"""


def test_a_complete_chapter_passes():
    assert chapter_problems(_markdown_notebook(GOOD)) == []


@pytest.mark.parametrize(
    "broken, problem",
    [
        (GOOD.replace("## Summary\n", ""), "no '## Summary' section"),
        (
            GOOD.replace("## Overview\n", "").replace("## What's next\n", "## What's next\n## Overview\n"),
            "sections out of order: ['Overview', 'Prerequisites', 'Summary', \"What's next\"]",
        ),
        (GOOD.replace("Learning objectives", "Aims"), "no learning objectives"),
        (GOOD.replace("Discussion questions", "Talk"), "no discussion questions"),
        (
            GOOD.replace("{solution} a-one\n:class: dropdown", "{solution} a-one"),
            "the solution to 'a-one' cannot be folded away (no ':class: dropdown')",
        ),
        (GOOD.replace("{solution} a-one", "{solution} a-other"), "exercise 'a-one' has no solution"),
        (
            GOOD.replace(":label: a-two", ":label: a-two").split("```{exercise}\n:label: a-two")[0],
            "1 labelled exercise(s); at least 2 wanted",
        ),
    ],
)
def test_a_chapter_missing_a_part_is_named(broken, problem):
    assert problem in chapter_problems(_markdown_notebook(broken))
