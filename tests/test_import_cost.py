"""Cheaper kernels: a chapter pays for SciPy only if it computes with it (see the README's import table)."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "review_evidence",
        "review_evidence.audit",
        "review_evidence.audit_table",
        "review_evidence.case_studies",
        "review_evidence.charts",
    ],
)
def test_importing_the_library_does_not_load_scipy(module):
    # a fresh interpreter: this test process may have loaded SciPy already
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print('scipy' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "False", f"importing {module} loads SciPy; import it inside the function that needs it"
