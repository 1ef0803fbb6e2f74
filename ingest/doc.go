// Package ingest is the logic behind `papernotes import` and `add`: it
// decides, for entries read from other .bib files, which are new, which are
// already in the library, which look like duplicates, and which need a
// generated key ([NewPlan]); then it appends the new entries' exact source
// bytes to a library file without rewriting anything already there
// ([Plan.Apply]). Only the key of a rekeyed entry changes in its bytes.
package ingest
