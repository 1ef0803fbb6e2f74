#!/bin/sh
# bench-report.sh: time `papernotes report --week ... --stdout` as a whole
# process on a generated N-note workspace (default 10,000 notes).
#
#   scripts/bench-report.sh [N] [WEEK]
#
# It builds the binary, runs scripts/gen-notes into a temporary folder, and
# times the report with hyperfine when installed, else a shell loop over
# `date +%s%N`. The bar is 300 ms.
set -eu
N=${1:-10000}
WEEK=${2:-2025-11-19}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cd "$ROOT"
go build -o "$TMP/papernotes" ./cmd/papernotes
go run ./scripts/gen-notes -n "$N" -out "$TMP/ws" -seed 1
echo "workspace: $N notes, $(du -sh "$TMP/ws/notes" | cut -f1) of notes, $(du -sh "$TMP/ws/bib" | cut -f1) of bib"
CMD="$TMP/papernotes -C $TMP/ws report --week $WEEK --stdout"
papers=$($CMD | grep -c '^### ' || true)
echo "report --week $WEEK: $papers papers, $($CMD | wc -c) bytes"

if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 3 --runs 30 --output=null "$CMD"
else
	runs=20
	$CMD >/dev/null # warm the page cache
	best=999999999
	total=0
	i=0
	while [ $i -lt $runs ]; do
		t0=$(date +%s%N)
		$CMD >/dev/null
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		total=$((total + ms))
		[ $ms -lt $best ] && best=$ms
		i=$((i + 1))
	done
	echo "mean $((total / runs)) ms, best $best ms over $runs runs"
fi
