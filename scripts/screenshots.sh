#!/usr/bin/env bash
# Regenerate the README's screenshots of `papernotes serve`: docs/serve-library.png,
# serve-paper.png, serve-search.png, serve-week.png and serve-graph.png.
# TestServeScreenshots starts serve on a copy of examples/workspace and saves
# full-page screenshots from headless Chromium (chromedp). Needs chromium
# (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./internal/cli -run '^TestServeScreenshots$' -count=1 -v -args -update-serve-png
