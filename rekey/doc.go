// Package rekey renames a cite key across a workspace: the entry's key in
// its .bib file, the crossref and xdata fields of the entries that name it,
// the note's front matter key and file name, and every citation of the key
// in notes, reports, journal files and LaTeX sources.
//
// [Plan] computes the change without writing anything and returns it as a
// [Result]: per file, the byte ranges to replace with their positions in
// every unit an editor needs (byte offset, line, rune column and UTF-16
// character), and the note files to rename. The language server turns a
// Result into an LSP WorkspaceEdit as it is; the CLI passes it to [Apply],
// which re-reads every file, refuses when any of them changed since the
// plan, and writes each file atomically. rekey never prints and never reads
// the environment or the clock; callers hold the workspace lock around
// Plan and Apply.
package rekey
