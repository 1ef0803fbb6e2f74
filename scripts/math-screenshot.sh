#!/usr/bin/env bash
# Regenerate docs/math.png and docs/math-report.png: TestMathChromium
# renders the note of internal/cli/testdata/math/workspace.txtar with
# `render --format html` and the week 2025-11-19 with `report --format html`,
# opens both in headless Chromium and, with -update-math-png, saves full-page
# screenshots. Needs chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./internal/cli -run '^TestMathChromium$' -count=1 -v -args -update-math-png
