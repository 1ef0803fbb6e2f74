#!/usr/bin/env bash
# Speed of `papernotes serve` on a generated 10,000-note workspace (issue 12):
# server start (library + every note loaded), the library page, a paper page,
# a search request, the week page and a week's graph over HTTP on 127.0.0.1,
# and the reload after editing one note (Server.Reload alone, and from the
# write to the /events message: fsnotify, 50 ms debounce, reload, event).
# Bars: start <= 2 s, library <= 100 ms, paper <= 20 ms, search <= 30 ms,
# reload <= 100 ms.
#
#   scripts/bench-serve.sh            # 10,000 notes
#   N=80000 scripts/bench-serve.sh    # another size
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ws=$tmp/ws
go run ./scripts/gen-notes -n "$n" -out "$ws" -seed 1
# The example workspace's two papers join it, so the paper and search
# requests ask for what the acceptance test asks for.
printf '\n' >>"$ws/bib/library.bib"
cat examples/workspace/bib/library.bib >>"$ws/bib/library.bib"
cp examples/workspace/notes/*.md "$ws/notes/"
export PAPERNOTES_BENCH_SERVE_WS=$ws
go test ./internal/cli -run '^$' -bench '^BenchmarkServe' -benchtime "${BENCHTIME:-1s}" -count "${COUNT:-1}" |
	awk '/^Benchmark/ { printf "%-48s %10.2f ms/op  %s %s\n", $1, $3 / 1e6, $5, $6; next } { print }'
