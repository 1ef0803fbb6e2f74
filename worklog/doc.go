// Package worklog keeps the work log behind the report's "last week's work":
// one markdown file per ISO week under a journal folder (journal/2025-W47.md),
// each entry a list line "- 2025-11-17 text".
//
// Appends are atomic (the file is replaced, never half-written). Reading
// takes a date range, because a meeting week (Thursday to Wednesday, say)
// usually straddles two ISO weeks. worklog never reads the clock: dates are
// arguments.
package worklog
