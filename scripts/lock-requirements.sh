#!/usr/bin/env bash
# Regenerate requirements.txt, the full lock, from requirements.in (run on Python 3.11).
#   scripts/lock-requirements.sh            keep every existing pin, add what requirements.in gained
#   scripts/lock-requirements.sh --upgrade  move every package to the newest version the ranges allow
# pip-tools itself comes from requirements-dev.txt, a small lock of its own:
#   .venv/bin/pip install -r requirements-dev.txt
set -euo pipefail
cd "$(dirname "$0")/.."
upgrade=()
if [[ "${1:-}" == "--upgrade" ]]; then upgrade=(--upgrade); fi
compile() {
  pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links \
    "${upgrade[@]}" --output-file="$1" "$2"
}
compile requirements.txt requirements.in
printf '%s\n' '# This repository'"'"'s own package, so that `pip install -r requirements.txt` is the whole install.' '-e .' >> requirements.txt
compile requirements-dev.txt requirements-dev.in
