#!/bin/sh
# Set up everything the tests need and run them all (the README's second Quickstart command).
set -eu
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'

# The browser tests drive Debian's Chromium (no browser download); CJK fonts make screenshots legible.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -q chromium fonts-noto-cjk >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q chromium fonts-noto-cjk >/dev/null
  }
fi

.venv/bin/python -m ruff check src tests bench

# Hypothesis replays the same examples on every run (conftest.py registers the profile).
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
# Screenshots of every page kind, both languages and widths, go to artifacts/ (pytest alone: a temporary folder).
export CITYPOLICY_ARTIFACTS="${CITYPOLICY_ARTIFACTS:-artifacts}"
.venv/bin/python -m pytest "$@"
