#!/usr/bin/env bash
# Regenerate the locks from their .in files (run on Python 3.11, with pip-tools on PATH, e.g. from
# .venv-dev: see README "Upgrading"):
#   requirements.txt      the book: build, tests and the pre-commit tools (from requirements.in)
#   requirements-dev.txt  tools that cannot share that environment: cffconvert, pip-tools
# Without arguments a pin changes only when a .in file asks for it; pass --upgrade to move every pin
# to the newest release (or --upgrade-package NAME for one), then rebuild and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
compile=(pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links "$@")
"${compile[@]}" --output-file=requirements.txt requirements.in
printf '%s\n' '# This repository'"'"'s own package, so that `pip install -r requirements.txt` is the whole install.' '-e .' >> requirements.txt
"${compile[@]}" --allow-unsafe --output-file=requirements-dev.txt requirements-dev.in
