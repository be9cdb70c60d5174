#!/usr/bin/env bash
# Regenerate requirements.txt, the full lock, from requirements.in (run on Python 3.11).
set -euo pipefail
cd "$(dirname "$0")/.."
pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links --output-file=requirements.txt requirements.in
printf '%s\n' '# This repository'"'"'s own package, so that `pip install -r requirements.txt` is the whole install.' '-e .' >> requirements.txt
