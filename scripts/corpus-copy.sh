#!/usr/bin/env bash
# corpus-copy.sh: print one copy of the corpus's .bib files, concatenated, with
# every entry key renamed key-r<COPY>f<file number> so that keys stay unique
# across copies and files. malformed/ and UTF-16 files are left out (UTF-16
# would not survive concatenation). Used by bench-check.sh and bench-export.sh.
#
# usage: scripts/corpus-copy.sh CORPUS_DIR COPY
set -euo pipefail

corpus=$1
copy=$2
files=$(grep -v '^#' "$corpus/REFERENCE.tsv" | cut -f1 | grep -v '^malformed/')
n=0
for rel in $files; do
	n=$((n + 1))
	f=$corpus/$rel
	if ! tr -d '\000' <"$f" | cmp -s - "$f"; then
		continue
	fi
	LC_ALL=C awk -v suffix="-r${copy}f${n}" '
		# An entry start: "@type{" or "@type(" at the start of a line.
		match($0, /^[ \t]*@[ \t]*[A-Za-z][A-Za-z0-9_:-]*[ \t]*[{(][ \t]*/) {
			head = substr($0, 1, RLENGTH)
			rest = substr($0, RLENGTH + 1)
			if (tolower(head) !~ /@[ \t]*(string|comment|preamble)/) {
				match(rest, /^[^ \t,{}()]*/)
				$0 = head substr(rest, 1, RLENGTH) suffix substr(rest, RLENGTH + 1)
			}
		}
		{ print }
	' "$f"
	printf '\n'
done
