#!/usr/bin/env bash
# bench-vs.sh: papernotes side by side with other tools, in one run, with
# hyperfine, on inputs generated here; it prints the ratios the README quotes.
#
#   scripts/bench-vs.sh [bib|library|search|all]     (default: all)
#
# Sections (one function each; add a section as bench_NAME and list it in
# the case at the bottom):
#
#   bib     check --json vs btparse (perl -MText::BibTeX) on a concatenation
#           of ../shared/corpus/bib; import -n vs check on one copy of the
#           corpus; 1,000,000 tiny entries (import -n and check); 8,000
#           entries with one key (import -n).
#   library the commands that read the whole library (show, cite, list,
#           list --json, workspace check, export bib --tex, report --week,
#           render) on a workspace whose library is the big concatenation:
#           time and peak memory against the file's size (bar: peak <= 2x).
#   search  a generated NOTES-note workspace (default 10,000) with a term in
#           every note: reindex; search vs rg -l; the fixed cost (a query
#           that matches nothing, with and without --no-update, against the
#           process start); the first search after editing one note;
#           report --week.
#
# Environment: NOTES (notes in the search workspace, default 10000), CORPUS (default ../shared/corpus/bib beside the repository),
# RUNS (hyperfine runs, default 5), WORK (scratch folder, default a fresh
# temporary one, removed at exit unless KEEP=1), BIG_MB (size of the big
# concatenation, default 50), BT_MB (size of the file given to both
# papernotes and btparse, default 10: btparse dies with "sym: string table
# overflow" on the 59 MB concatenation, so the comparison uses a prefix of
# it that ends before an entry), WARMUP (hyperfine warm-up runs, default 1),
# BASE (another papernotes binary, an older build say, that the library
# section runs side by side with this one).
#
# Needs hyperfine, perl with Text::BibTeX (libtext-bibtex-perl), rg, go.
# CI does not run it: it takes several minutes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=$(cd "${CORPUS:-$ROOT/../shared/corpus/bib}" && pwd)
RUNS=${RUNS:-5}
BIG_MB=${BIG_MB:-50}
BT_MB=${BT_MB:-10}
WARMUP=${WARMUP:-1}
if [ -n "${WORK:-}" ]; then
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d)
	if [ "${KEEP:-0}" != 1 ]; then
		trap 'rm -rf "$WORK"' EXIT
	fi
fi
PN=$WORK/papernotes

need() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "bench-vs: $tool is not installed" >&2
			exit 1
		}
	done
}

build() {
	[ -x "$PN" ] || (cd "$ROOT" && go build -o "$PN" ./cmd/papernotes)
}

# mb FILE: the size of FILE in MB (10^6 bytes), one decimal.
mb() { awk -v s="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", s / 1e6 }'; }

# hf NAME CMD...: hyperfine the commands (exit status ignored: check exits 1
# when it finds problems), export JSON to $WORK/NAME.json.
hf() {
	local name=$1
	shift
	hyperfine --style basic -N -i --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/$name.json" "$@" >&2
}

# mean NAME I: the mean time in seconds of command I (0-based) of hf NAME.
mean() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"])' "$WORK/$1.json" "$2"
}

# ratio A B: A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# ms S: seconds as milliseconds.
ms() { awk -v s="$1" 'BEGIN { printf "%.0f ms", s * 1000 }'; }

# peak CMD...: the peak resident memory of CMD in MB.
peak() {
	/usr/bin/time -f '%M' -o "$WORK/peak.txt" "$@" >/dev/null 2>&1 || true
	# time -o also writes "Command exited with non-zero status 1" first.
	tail -n 1 "$WORK/peak.txt" | awk '{ printf "%.0f MB", $1 / 1024 }'
}

# ---------------------------------------------------------------- bib

# gen_big: $WORK/big.bib, copies of the corpus (keys renamed unique) until
# at least BIG_MB MB.
gen_big() {
	local big=$WORK/big.bib copy=0
	[ -s "$big" ] && return
	: >"$big.tmp"
	while [ "$(stat -c %s "$big.tmp")" -lt $((BIG_MB * 1000 * 1000)) ]; do
		copy=$((copy + 1))
		"$ROOT/scripts/corpus-copy.sh" "$CORPUS" "$copy" >>"$big.tmp"
	done
	mv "$big.tmp" "$big"
}

# gen_ws NAME: an empty workspace $WORK/NAME for import -n.
gen_ws() {
	local ws=$WORK/$1
	rm -rf "$ws"
	mkdir -p "$ws/bib" "$ws/notes"
	: >"$ws/bib/library.bib"
	printf 'language: en\n' >"$ws/config.yaml"
}

# gen_tiny N FILE: N tiny entries with distinct keys.
gen_tiny() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "@misc{k%d, title={T%d}}\n", i, i }' >"$2"
}

# gen_onekey N FILE: N different entries that all have the key "same".
gen_onekey() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "@misc{same, title={Title number %d}, year={2020}}\n", i }' >"$2"
}

BTPARSE='use Text::BibTeX; my $f = Text::BibTeX::File->new($ARGV[0]) or die "$ARGV[0]: $!\n"; my $n = 0; while (my $e = Text::BibTeX::Entry->new($f)) { $n++ } print "$n\n";'

bench_bib() {
	need hyperfine perl go python3
	perl -MText::BibTeX -e 1 2>/dev/null || {
		echo "bench-vs: perl Text::BibTeX is not installed (apt-get install libtext-bibtex-perl)" >&2
		exit 1
	}
	build
	gen_big
	local big=$WORK/big.bib one=$WORK/corpus1.bib tiny=$WORK/tiny.bib onekey=$WORK/onekey.bib bt=$WORK/bt.bib
	[ -s "$one" ] || "$ROOT/scripts/corpus-copy.sh" "$CORPUS" 1 >"$one"
	[ -s "$bt" ] || awk -v max=$((BT_MB * 1000 * 1000)) '{ n += length($0) + 1 } n > max && /^@/ { exit } { print }' "$big" >"$bt"
	[ -s "$tiny" ] || gen_tiny 1000000 "$tiny"
	[ -s "$onekey" ] || gen_onekey 8000 "$onekey"
	gen_ws ws

	echo "== bib: check --json vs btparse ($(mb "$bt") MB, $(grep -c '^[[:space:]]*@' "$bt") @-lines; $(nproc) cores)"
	hf check-vs-btparse "$PN check --json $bt" "perl -e '$BTPARSE' $bt"
	local t_pn t_bt
	t_pn=$(mean check-vs-btparse 0)
	t_bt=$(mean check-vs-btparse 1)
	echo "papernotes check --json: $(ms "$t_pn"), peak $(peak "$PN" check --json "$bt")"
	echo "btparse:                 $(ms "$t_bt"), peak $(peak perl -e "$BTPARSE" "$bt")"
	echo "btparse / papernotes:    $(ratio "$t_bt" "$t_pn")x"
	echo

	echo "== bib: check --json on the whole concatenation ($(mb "$big") MB; btparse overflows its string table here)"
	hf check-big "$PN check --json $big"
	echo "papernotes check --json: $(ms "$(mean check-big 0)"), peak $(peak "$PN" check --json "$big") (bar: peak <= 2x file size)"
	echo

	echo "== bib: import -n vs check, one copy of the corpus ($(mb "$one") MB)"
	hf import-vs-check "$PN -C $WORK/ws check $one" "$PN -C $WORK/ws import -n $one"
	local t_c t_i
	t_c=$(mean import-vs-check 0)
	t_i=$(mean import-vs-check 1)
	echo "check:       $(ms "$t_c")"
	echo "import -n:   $(ms "$t_i"), peak $(peak "$PN" -C "$WORK/ws" import -n "$one")"
	echo "import/check: $(ratio "$t_i" "$t_c")x (bar: <= 2)"
	echo

	echo "== bib: 1,000,000 tiny entries ($(mb "$tiny") MB)"
	hf tiny "$PN -C $WORK/ws check $tiny" "$PN -C $WORK/ws import -n $tiny"
	t_c=$(mean tiny 0)
	t_i=$(mean tiny 1)
	echo "check:       $(ms "$t_c"), peak $(peak "$PN" -C "$WORK/ws" check "$tiny")"
	echo "import -n:   $(ms "$t_i"), peak $(peak "$PN" -C "$WORK/ws" import -n "$tiny") (bar: <= 10 s, <= 2 GB)"
	echo "import/check: $(ratio "$t_i" "$t_c")x"
	echo

	echo "== bib: 8,000 entries with one key"
	hf onekey "$PN -C $WORK/ws check $onekey" "$PN -C $WORK/ws import -n $onekey"
	t_c=$(mean onekey 0)
	t_i=$(mean onekey 1)
	echo "check:       $(ms "$t_c")"
	echo "import -n:   $(ms "$t_i")"
	echo "import/check: $(ratio "$t_i" "$t_c")x"
	echo
}

# ---------------------------------------------------------------- library

# gen_libws: $WORK/lib-ws, a workspace whose library is $WORK/big.bib, with
# one note read in the week of 2025-11-19 that cites two entries, and a
# .tex that cites three.
gen_libws() {
	local ws=$WORK/lib-ws
	[ -s "$ws/bib/library.bib" ] && return
	gen_big
	rm -rf "$ws"
	mkdir -p "$ws/bib" "$ws/notes"
	cp "$WORK/big.bib" "$ws/bib/library.bib"
	printf 'language: en\n' >"$ws/config.yaml"
	local k1 k2 k3
	k1=$(grep -o '^@[A-Za-z]*{[^,]*' "$ws/bib/library.bib" | sed -n '1000p' | sed 's/.*{//')
	k2=$(grep -o '^@[A-Za-z]*{[^,]*' "$ws/bib/library.bib" | sed -n '40000p' | sed 's/.*{//')
	k3=$(grep -o '^@[A-Za-z]*{[^,]*' "$ws/bib/library.bib" | sed -n '70000p' | sed 's/.*{//')
	printf -- '---\nkey: %s\nstatus: read\nread: 2025-11-17\n---\n\n# Note\n\n## Problem\n\nSee [@%s] and [@%s].\n' "$k1" "$k2" "$k3" >"$ws/notes/$k1.md"
	printf '\\documentclass{article}\\begin{document}\\cite{%s,%s}\\cite{%s}\\end{document}\n' "$k1" "$k2" "$k3" >"$ws/paper.tex"
	echo "$k1" >"$WORK/lib-key"
}

bench_library() {
	need hyperfine go python3
	build
	gen_libws
	local ws=$WORK/lib-ws key size
	key=$(cat "$WORK/lib-key")
	size=$(stat -c %s "$ws/bib/library.bib")
	echo "== library: commands that read the whole library ($(mb "$ws/bib/library.bib") MB, $(grep -c '^@' "$ws/bib/library.bib") @-lines; bar: peak <= 2x the file)"
	[ -n "${BASE:-}" ] && echo "(each command also run by BASE=$BASE, side by side)"
	local cmds=("show $key" "cite $key" "list" "list --json" "check" "export bib --tex $ws/paper.tex" "report --week 2025-11-19 --stdout" "render $key")
	local c i=0 p t line
	for c in "${cmds[@]}"; do
		if [ -n "${BASE:-}" ]; then
			hf "library-$i" "$PN -C $ws $c" "$BASE -C $ws $c"
		else
			hf "library-$i" "$PN -C $ws $c"
		fi
		p=$(peak "$PN" -C "$ws" $c)
		line=$(printf '%-36s %s, peak %s (%sx the file)' "$c:" "$(ms "$(mean "library-$i" 0)")" "$p" "$(awk -v p="${p% MB}" -v s="$size" 'BEGIN { printf "%.2f", p * 1048576 / s }')")
		if [ -n "${BASE:-}" ]; then
			t=$(peak "$BASE" -C "$ws" $c)
			line="$line; BASE $(ms "$(mean "library-$i" 1)"), peak $t"
		fi
		echo "$line"
		i=$((i + 1))
	done
	echo
}

# ---------------------------------------------------------------- search

# gen_notes: $WORK/notes-ws, a NOTES-note workspace from scripts/gen-notes
# (default 10,000), with one line holding 开放词汇 added to every note: the
# worst case for an index, a term in every note, as common words are.
gen_notes() {
	local ws=$WORK/notes-ws
	[ -d "$ws/notes" ] && return
	(cd "$ROOT" && go run ./scripts/gen-notes -n "${NOTES:-10000}" -out "$ws" -seed 1 >/dev/null)
	for f in "$ws"/notes/*.md; do
		printf '\n## Notes\n\n这篇论文也讨论开放词汇检测。\n' >>"$f"
	done
}

# cpu NAME I: the mean user+system CPU time of command I of hf NAME, in ms:
# on a machine shared with other work it moves less than the wall time.
cpu() {
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.0f ms CPU" % ((r["user"]+r["system"])*1000))' "$WORK/$1.json" "$2"
}

bench_search() {
	need hyperfine rg go python3
	build
	gen_notes
	local ws=$WORK/notes-ws
	local n
	n=$(find "$ws/notes" -name '*.md' | wc -l)
	echo "== search: workspace of $n notes ($(du -sh "$ws/notes" | cut -f1) of notes), $(rg -l 开放词汇 "$ws/notes" | wc -l) of them with 开放词汇; $(nproc) cores"
	hf reindex "$PN -C $ws reindex"
	local t
	t=$(mean reindex 0)
	echo "reindex:                         $(ms "$t"), $(cpu reindex 0) (bar: <= 5000 ms)"
	# The generated notes and the index are dirty pages that the kernel
	# writes back ~30 s later, in the middle of the timings below.
	sync
	echo

	echo "== search: a term in every note vs rg -l"
	hf search-vs-rg "$PN -C $ws search 开放词汇" "rg -l 开放词汇 $ws/notes"
	local t_pn t_rg
	t_pn=$(mean search-vs-rg 0)
	t_rg=$(mean search-vs-rg 1)
	echo "papernotes search 开放词汇:       $(ms "$t_pn"), $(cpu search-vs-rg 0)"
	echo "rg -l 开放词汇 notes:             $(ms "$t_rg"), $(cpu search-vs-rg 1)"
	echo "search / rg:                     $(ratio "$t_pn" "$t_rg")x (bar: <= 1)"
	echo

	echo "== search: fixed cost (a query that matches nothing)"
	hf search-fixed "$PN --version" "$PN -C $ws search --no-update nothingmatcheshere" "$PN -C $ws search nothingmatcheshere"
	local t_v t_nu t_up
	t_v=$(mean search-fixed 0)
	t_nu=$(mean search-fixed 1)
	t_up=$(mean search-fixed 2)
	echo "papernotes --version (start):    $(ms "$t_v"), $(cpu search-fixed 0)"
	echo "search --no-update, no match:    $(ms "$t_nu"), $(cpu search-fixed 1) (what a watcher in a resident server would leave)"
	echo "search, no match:                $(ms "$t_up"), $(cpu search-fixed 2) (bar: <= 30 ms beyond the start: $(ms "$(awk -v a="$t_up" -v b="$t_v" 'BEGIN { print a - b }')"))"
	echo "freshness scan of $n files:      $(ms "$(awk -v a="$t_up" -v b="$t_nu" 'BEGIN { print a - b }')")"
	echo

	echo "== search: the first search after editing one note"
	local note
	note=$(find "$ws/notes" -name '*.md' | sort | sed -n 500p)
	hyperfine --style basic -N -i --warmup 2 --runs "$((RUNS * 2))" --export-json "$WORK/search-edit.json" \
		--prepare "sh -c 'echo \"edited \$(date +%s%N) 新加的文字\" >> $note'" \
		"$PN -C $ws search 新加的文字" >&2
	t=$(mean search-edit 0)
	echo "search after an edit:            $(ms "$t"), $(cpu search-edit 0) (bar: <= 100 ms)"
	"$PN" -C "$ws" search --json 新加的文字 | grep -q '"path"' || echo "bench-vs: the edited note was not found" >&2
	echo

	echo "== report --week on the same workspace"
	hf report "$PN -C $ws report --week 2025-11-19 --stdout"
	t=$(mean report 0)
	echo "report --week:                   $(ms "$t"), $(cpu report 0) (bar: <= 100 ms)"
	echo
}

# ---------------------------------------------------------------- main

section=${1:-all}
case $section in
bib) bench_bib ;;
library) bench_library ;;
search) bench_search ;;
all)
	bench_bib
	bench_library
	bench_search
	;;
*)
	echo "usage: scripts/bench-vs.sh [bib|library|search|all]" >&2
	exit 2
	;;
esac
