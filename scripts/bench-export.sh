#!/usr/bin/env bash
# bench-export.sh: time `papernotes export bib --tex` as a whole process.
#
# It builds papernotes, makes a workspace whose library holds at least
# MIN_ENTRIES entries (the corpus's .bib files concatenated as many times as
# needed, every key renamed key-r<copy>f<file> so keys stay unique), writes a
# paper.tex citing 200 of them (spread over the library, through \citep,
# \citet, \parencite and \cites, half of them in an \input chapter), checks
# that the export finds all 200, then times
#   papernotes -C WS export bib --tex WS/paper.tex > /dev/null
# with hyperfine (or /usr/bin/time when hyperfine is missing).
# The bar of issue 5 is at most 1 s.
#
# usage: scripts/bench-export.sh [CORPUS_DIR] [MIN_ENTRIES]
# CORPUS_DIR defaults to ../shared/corpus/bib beside the repository;
# MIN_ENTRIES to 50000. The workspace is cached in $TMPDIR/papernotes-bench-export.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:-$root/../shared/corpus/bib}" && pwd)
min_entries=${2:-50000}
work=${TMPDIR:-/tmp}/papernotes-bench-export
ws=$work/ws-$min_entries
bin=$work/papernotes
mkdir -p "$work"

(cd "$root" && go build -o "$bin" ./cmd/papernotes)

if [ ! -s "$ws/paper.tex" ]; then
	rm -rf "$ws"
	mkdir -p "$ws/bib" "$ws/notes"
	printf 'language: en\n' >"$ws/config.yaml"
	copy=0
	entries=0
	while [ "$entries" -lt "$min_entries" ]; do
		copy=$((copy + 1))
		out=$ws/bib/copy$copy.bib
		"$root/scripts/corpus-copy.sh" "$corpus" "$copy" >"$out"
		entries=$("$bin" -C "$ws" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	done
	# 200 keys spread evenly over the library; keys with characters that a
	# \cite argument cannot hold are skipped.
	"$bin" -C "$ws" list --json | python3 -c '
import json, sys
keys = [e["key"] for e in json.load(sys.stdin)]
keys = [k for k in keys if k and not any(c in k for c in "{}%#\\, ~")]
step = len(keys) // 200
pick = [keys[i * step] for i in range(200)]
cmds = ["citep", "citet", "parencite", "cites"]
main, chap = [], []
for i in range(0, 200, 2):
    a, b = pick[i], pick[i + 1]
    cmd = cmds[(i // 2) % 4]
    line = "\\cites[see][1]{%s}[2]{%s}." % (a, b) if cmd == "cites" else "\\%s{%s,%s}." % (cmd, a, b)
    (main if i < 100 else chap).append(line)
open(sys.argv[1] + "/paper.tex", "w").write(
    "\\documentclass{article}\n\\begin{document}\n" + "\n".join(main) +
    "\n\\input{chapter}\n\\end{document}\n")
open(sys.argv[1] + "/chapter.tex", "w").write("\n".join(chap) + "\n")
' "$ws"
fi

entries=$("$bin" -C "$ws" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
size=$(du -sb "$ws/bib" | cut -f1)
exported=$("$bin" -C "$ws" export bib --tex "$ws/paper.tex" | grep -c '^@' || true)
echo "library: $entries entries in $(ls "$ws/bib" | wc -l) files, $((size / 1000000)) MB"
echo "paper.tex cites 200 keys; the export holds $exported @-items (entries, parents and @strings)"

cmd="$bin -C $ws export bib --tex $ws/paper.tex"
if command -v hyperfine >/dev/null; then
	hyperfine --warmup 1 --runs 10 --output null "$cmd"
else
	/usr/bin/time -f '%e s wall, %M KB peak' $cmd >/dev/null
fi
