#!/bin/sh
# bench-lsp.sh: the speed bars of `papernotes lsp` (issue 11), on a workspace
# of the corpus concatenated to 80,000 entries (keys renamed per copy, as
# corpus-copy.sh does) plus 10,000 generated notes and a 1,000-entry .bib:
#
#   BenchmarkLSPStart           server start to first completion   bar 1 s
#                               (also heap-MB and rss-MB once loaded, cpu-ms/op)
#   BenchmarkLSPCompletion/*    one completion request             bar 20 ms
#   BenchmarkLSPHover           one hover request                  bar 20 ms
#   BenchmarkLSPBibDiagnostics  an edit of the 1,000-entry .bib to
#                               its diagnostics                    bar 50 ms
#   BenchmarkLSPLoadParts/*     the parts of a load, for diagnosis
#
# The server runs in-process, over pipes, as the Go tests drive it. The
# workspace is written once to $TMPDIR/papernotes-bench/lsp-ws (delete it to
# rebuild); it needs ../shared/corpus/bib.
#
#   scripts/bench-lsp.sh [BENCHTIME]     (default 5x)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WS=${TMPDIR:-/tmp}/papernotes-bench/lsp-ws
mkdir -p "$(dirname "$WS")"
cd "$ROOT"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
LSP_BENCH_DIR=$WS go test ./lsp -run '^$' -bench 'LSP' -benchtime "${1:-5x}" -timeout 60m |
	grep -E '^(Benchmark|ok|FAIL)'
