"""Generate the student notebooks and autograders from the chapters (otter-grader).

Usage:  python scripts/student_versions.py [OUTPUT_FOLDER] [CHAPTER.ipynb ...]
        (default: _build/student-versions, every chapter in notebooks/)

For each chapter it writes ``student/<chapter>.ipynb`` (solutions removed, starter code, public
checks) and, for a chapter with code exercises, ``autograder/<chapter>.ipynb`` (solutions, every
check) and ``autograder/<chapter>-autograder.zip`` (for ``otter grade``). Everything comes from the
chapter notebook itself: see ``review_evidence/sphinxext/student_versions.py`` for the format of the
checks. The book's build runs the same generation into ``_build/html/_downloads/classroom/student/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from review_evidence.sphinxext.student_versions import generate, generate_all  # noqa: E402


def main(arguments: list[str]) -> int:
    target = Path(arguments[0]) if arguments else ROOT / "_build" / "student-versions"
    chapters = [Path(a) for a in arguments[1:]]
    written = {c.stem: generate(c, target) for c in chapters} if chapters else generate_all(ROOT, target)
    for chapter, files in written.items():
        print(f"{chapter}: " + ", ".join(str(p) for p in files.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
