#!/usr/bin/env bash
# CI step: mutation-test the rule modules whose code or tests changed since their last recorded
# run at the bar (tools/mutation-checked.json), and fail when one scores below 90%.
# Untouched modules are skipped, so a change that touches none costs only the install check;
# the whole set takes about 15 minutes on 2 cores (docs/mutation.md). The time limit keeps a
# slow machine from eating CI's budget: past it the step fails and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory install-dev .venv/.installed-mutate >/dev/null
status=0
timeout "${MUTATE_CI_TIMEOUT:-1800}" .venv/bin/python tools/mutate.py --stale --min-score 90 || status=$?
if [ "$status" -eq 124 ]; then
    echo "mutation testing took longer than ${MUTATE_CI_TIMEOUT:-1800} s: run 'make mutate MUTATE_ARGS=--stale' locally" >&2
fi
exit "$status"
