// Package index builds and queries papernotes' full-text search index over
// reading notes and bib entries.
//
// The index is a SQLite database (modernc.org/sqlite, pure Go) with an FTS5
// table holding one row per note section (under its canonical id) and per
// bib field (title, each author, venue, keywords, abstract), plus plain
// tables of front-matter tags, status and dates, and of entry years. It is a
// cache, never the source of truth: [Index.Sync] brings it up to date with
// the notes folder and the bib files by comparing modification times, sizes
// and content hashes, and reindexes only what changed; Sync rebuilds it from
// scratch when it is missing, corrupt, from another schema version, or was
// built with other section aliases.
//
// # Files and processes
//
// The database carries SQLite's application_id ("pnix") and the schema
// version in user_version. Only a file so marked (or an empty one, or an
// index made before the mark) is ever replaced; anything else at the index
// path stops [Open] with [ErrNotIndex]. Processes share the index through a
// lock file beside it (index.db.lock): each holds it shared while it has
// the database open, and a build holds it exclusively while it writes the
// new index beside the old one (index.db.new) and renames it into place,
// so concurrent searches wait instead of failing. SQLite's own messages
// never reach the caller: errors wrap [ErrBusy], [ErrCorrupt] or
// [ErrStorage].
//
// # Limits
//
// A note over 8 MiB, or a section or bib field over 1 MiB, is indexed in
// part, with a problem wrapping [ErrTruncated] at its position, so that no
// input makes a sync or a search worse than linear.
//
// # Matching
//
// Han, Hiragana, Katakana and Hangul runs are split by this package into
// overlapping bigrams, each run followed by its last letter alone, at index
// time and at query time alike; all other text goes through FTS5's unicode61
// tokenizer (words, case and diacritics folded). As a result a query of CJK
// letters matches exactly where the text contains it as a substring, a
// single letter included, and never across punctuation or white space:
// 检测目标 does not match "检测。目标". Other terms match whole words, and a
// phrase matches consecutive words whatever punctuation or spacing lies
// between them ("open vocabulary" matches "open-vocabulary").
//
// Papers match as wholes: every term of "GLIP relevance:SAM" must match
// somewhere in the paper (its note's sections, its bib fields), the
// fielded one in its relevance section.
//
// # Queries
//
// [ParseQuery] reads terms, "phrases", -exclusion, OR (binding tighter than
// the implicit AND), parentheses and field prefixes: any section id
// (relevance:SAM), title:, author:, tag:, status: and year:2022..2023. The
// query text never reaches SQL: every FTS5 MATCH string is built by this
// package with every term quoted, and every other value is a bound
// parameter. Malformed queries give an [*Error] with a position.
//
// # Ranking
//
// A paper's score is the sum of FTS5's bm25() over its matching rows, with a
// free section's heading weighted twice its text and title, relevance and
// author rows weighted up. Each [Hit] carries the best row's section, a
// [Snippet] with the match spans, and the file, line and rune column of the
// first match.
//
// The package never prints and never reads the clock or the environment;
// progress goes to a callback.
package index
