#!/usr/bin/env bash
# Regenerate docs/math.png: TestMathChromium renders the note of
# internal/cli/testdata/math/workspace.txtar with `render --format html`,
# opens it in headless Chromium and, with -update-math-png, saves a full-page
# screenshot. Needs chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./internal/cli -run '^TestMathChromium$' -count=1 -v -args -update-math-png
