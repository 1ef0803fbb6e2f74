#!/bin/sh
# bench-search.sh: time papernotes' search index on a generated N-note
# workspace (default 10,000 notes), as whole processes:
#
#   - a full index build (papernotes reindex), and the index size;
#   - one search per query, against rg over the same notes folder, timed
#     in the same run;
#   - a search right after editing one note (the search reindexes it).
#
#   scripts/bench-search.sh [N]
#
# With BASE set to another papernotes binary (an older build, say), each
# query also times BASE in the same hyperfine run, for before/after figures
# taken under the same load. BASE gets a copy of the workspace with an index
# of its own (its schema may differ):
#
#   git archive OLD | tar -x -C /tmp/old && (cd /tmp/old && go build -o /tmp/pn-old ./cmd/papernotes)
#   BASE=/tmp/pn-old scripts/bench-search.sh
#
# It builds the binary, runs scripts/gen-notes into a temporary folder and
# times with hyperfine (apt-get install hyperfine ripgrep). Bars: build
# <= 15 s, search <= rg, search after an edit <= 100 ms.
set -eu
N=${1:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for tool in hyperfine rg; do
	command -v $tool >/dev/null 2>&1 || { echo "bench-search: $tool is not installed" >&2; exit 1; }
done

cd "$ROOT"
go build -o "$TMP/papernotes" ./cmd/papernotes
go run ./scripts/gen-notes -n "$N" -out "$TMP/ws" -seed 1 >/dev/null
WS=$TMP/ws
PN="$TMP/papernotes -C $WS"
echo "workspace: $N notes, $(du -sh "$WS/notes" | cut -f1) of notes, $(du -sh "$WS/bib" | cut -f1) of bib; $(nproc) cores"
echo

echo "== full index build (papernotes reindex)"
hyperfine --runs 3 --style basic --output=null --export-json "$TMP/build.json" "$PN reindex"
echo "index size: $(du -sh "$WS/.papernotes" | cut -f1) ($(du -b "$WS/.papernotes/index.db" | cut -f1) bytes)"
echo
# The generated notes and the index are ~100 MB of dirty pages, which the
# kernel writes back about 30 s later: in the middle of the query timings,
# taking CPU from whichever command runs then. Write them back now.
sync

if [ -n "${BASE:-}" ]; then
	cp -r "$WS" "$TMP/wsbase"
	rm -rf "$TMP/wsbase/.papernotes"
	"$BASE" -C "$TMP/wsbase" reindex >/dev/null
	sync
fi

# The queries: Chinese, a phrase, a name, a single character, a section
# field and one that matches nothing. gen-notes repeats a small vocabulary,
# so most of these match thousands of notes: the slow case for an index.
i=0
for q in 小目标 '"frozen encoders"' Daria 检 relevance:效果 nothingmatcheshere; do
	i=$((i + 1))
	pat=$q
	case $q in
	'"frozen encoders"') pat='frozen encoders' ;;
	relevance:*) pat=${q#relevance:} ;;
	esac
	hits=$($PN search --limit 0 --json "$q" | grep -c '"key"' || true)
	files=$(rg -l -F "$pat" "$WS/notes" | wc -l || true)
	echo "== search $q ($hits papers) vs rg -F '$pat' notes ($files files)"
	set -- -n "papernotes search $q" "$PN search '$q'" -n "rg $pat" "rg -F '$pat' $WS/notes"
	if [ -n "${BASE:-}" ]; then
		set -- "$@" -n "BASE search $q" "$BASE -C $TMP/wsbase search '$q'"
	fi
	hyperfine -N -i --warmup 3 --runs 30 --style basic --output=null --export-json "$TMP/q$i.json" "$@"
	echo
done

echo "== search right after editing one note (the search reindexes it)"
NOTE=$(ls "$WS/notes" | head -n 500 | tail -n 1)
hyperfine --warmup 2 --runs 30 --style basic --output=null --export-json "$TMP/edit.json" \
	--prepare "echo \"edited \$(date +%s%N) 新加的文字\" >> '$WS/notes/$NOTE'" \
	"$PN search 新加的文字"
$PN search --json 新加的文字 | grep -q "\"path\"" && echo "(the edited note is found)"

# A summary of medians, the figure least moved by other load on the machine.
if command -v python3 >/dev/null 2>&1; then
	echo
	echo "== medians"
	python3 - "$TMP" <<'PY'
import json, sys, glob, os
d = sys.argv[1]
def res(f):
    return json.load(open(os.path.join(d, f)))["results"]
r = res("build.json")[0]
print(f"full build: median {r['median']:.2f} s (bar 15 s)")
for f in sorted(glob.glob(os.path.join(d, "q*.json"))):
    a, b, *base = res(os.path.basename(f))
    verdict = "ok" if a["median"] <= b["median"] else "SLOWER"
    before = f"   (BASE {base[0]['median']*1000:6.1f} ms)" if base else ""
    print(f"{a['command']:<40} {a['median']*1000:6.1f} ms   {b['command']:<28} {b['median']*1000:6.1f} ms   {verdict}{before}")
r = res("edit.json")[0]
print(f"search after editing one note: median {r['median']*1000:.1f} ms (bar 100 ms)")
PY
fi
