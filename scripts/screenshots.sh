#!/usr/bin/env bash
# Regenerate the README's screenshots of `papernotes serve` with headless
# Chromium (chromedp) on a copy of examples/workspace: web's TestScreenshots
# takes docs/serve-library.png, serve-paper.png and serve-search.png, and
# internal/cli's TestServeScreenshots (serve as the command runs it) takes
# docs/serve-week.png and serve-graph.png. Needs chromium
# (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
if grep -q 'update-screenshots' web/*_test.go 2>/dev/null; then
	go test ./web -run '^TestScreenshots$' -count=1 -v -args -update-screenshots
fi
go test ./internal/cli -run '^TestServeScreenshots$' -count=1 -v -args -update-serve-png
