#!/usr/bin/env bash
# bench-check.sh: time `papernotes check` on a big .bib file.
#
# It builds papernotes, concatenates the corpus's .bib files (skipping
# malformed/ and UTF-16 files) until the result is at least 50 MB, renaming
# every entry key so keys stay unique across copies (key -> key-r<copy>f<file>),
# then runs `papernotes check --json BIG.bib > /dev/null` under
# /usr/bin/time -v and prints the throughput in MB/s and the peak memory.
#
# usage: scripts/bench-check.sh [CORPUS_DIR] [MIN_MB]
# CORPUS_DIR defaults to ../shared/corpus/bib beside the repository; MIN_MB to 50.
# The big file is cached in $TMPDIR/papernotes-bench (delete it to rebuild).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:-$root/../shared/corpus/bib}" && pwd)
min_mb=${2:-50}
work=${TMPDIR:-/tmp}/papernotes-bench
mkdir -p "$work"
big=$work/big-${min_mb}mb.bib

(cd "$root" && go build -o "$work/papernotes" ./cmd/papernotes)

if [ ! -s "$big" ]; then
	tmp=$big.tmp
	: >"$tmp"
	copy=0
	while [ "$(stat -c %s "$tmp")" -lt $((min_mb * 1000 * 1000)) ]; do
		copy=$((copy + 1))
		"$root/scripts/corpus-copy.sh" "$corpus" "$copy" >>"$tmp"
	done
	mv "$tmp" "$big"
fi

size=$(stat -c %s "$big")
status=0
(cd "$work" && /usr/bin/time -v "$work/papernotes" check --json "$big" >/dev/null 2>"$work/time.txt") || status=$?
# check exits 1 when it finds problems (the corpus has some); anything else is a failure.
if [ "$status" -gt 1 ]; then
	echo "papernotes check failed with exit status $status:" >&2
	tail -20 "$work/time.txt" >&2
	exit 1
fi
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
user=$(sed -n 's/.*User time (seconds): //p' "$work/time.txt")
sys=$(sed -n 's/.*System time (seconds): //p' "$work/time.txt")
awk -v size="$size" -v wall="$wall" -v rss="$rss_kb" -v user="$user" -v sys="$sys" -v file="$big" 'BEGIN {
	n = split(wall, p, ":"); secs = 0
	for (i = 1; i <= n; i++) secs = secs * 60 + p[i]
	printf "file: %s (%.1f MB)\n", file, size / 1e6
	printf "papernotes check --json: %.2f s wall, %.2f s user, %.2f s sys\n", secs, user, sys
	printf "throughput: %.0f MB/s\n", size / 1e6 / secs
	printf "peak memory: %.0f MB\n", rss / 1024
}'
