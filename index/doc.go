// Package index builds and queries papernotes' full-text search index over
// reading notes and bib entries.
//
// The index is a SQLite database (modernc.org/sqlite, pure Go) with an FTS5
// table holding one row per note section and per bib field. It is a cache,
// never the source of truth: [Index.Sync] brings it up to date with the notes
// folder and the bib files by comparing modification times, sizes and content
// hashes, and reindexes only what changed; the database is rebuilt from
// scratch when it is missing, corrupt, from another schema version, or was
// built with other section aliases.
//
// Han, Hiragana, Katakana and Hangul text is split by this package into
// overlapping bigrams, at index time and at query time alike, so that a
// Chinese query matches exactly where a substring search over the same text
// matches, never across punctuation; everything else goes through FTS5's
// unicode61 tokenizer. Queries use a small language of their own
// ([ParseQuery]): terms, "phrases", -exclusion, OR, parentheses and field
// prefixes such as relevance:SAM, title:, author:, tag:, status: and
// year:2022..2023. The query text never reaches SQL: every FTS5 MATCH string
// is built by this package with every term quoted, and every other value is
// a bound parameter.
//
// Ranking is BM25 (FTS5's bm25()) with headings weighted above body text and
// title and relevance hits weighted up. Each [Hit] carries the section that
// matched, a [Snippet] with the match spans, and the file and line to open.
//
// The package never prints and never reads the clock or the environment;
// progress goes to a callback.
package index
