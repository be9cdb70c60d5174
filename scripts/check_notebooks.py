"""Fail if a committed notebook is not executed, or its outputs predate a change to its code or data.

Usage:  python scripts/check_notebooks.py NOTEBOOK ...      (the pre-commit hook passes the staged ones)

No kernel is started, so it takes a fraction of a second; what it checks, and what it leaves to nbval
in the test suite, is in ``review_evidence/notebook_state.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from review_evidence.notebook_state import notebook_problems


def main(arguments: list[str]) -> int:
    problems = []
    for argument in arguments:
        path = Path(argument).resolve()
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            problems.append(f"{argument}: not valid JSON ({exc.msg}, line {exc.lineno})")
            continue
        problems += notebook_problems(notebook, path)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
