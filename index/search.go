package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Filters are the search restrictions that come from command-line flags
// rather than the query text. The zero value restricts nothing.
type Filters struct {
	// Section restricts the query's unfielded terms to one section id
	// ("relevance"), as if each were written relevance:term.
	Section string
	// Tag keeps papers whose note has this tag (case-insensitive).
	Tag string
	// Author keeps papers with an author whose name holds every word of
	// Author (case-insensitive, in any order).
	Author string
	// Status keeps papers whose note has this status.
	Status string
	// Years keeps papers whose bib entry's year is in the range.
	Years YearRange
}

// SearchOptions are the filters and the number of hits wanted.
type SearchOptions struct {
	Filters
	// Limit is the maximum number of hits; 0 means 20, a negative value
	// means no limit.
	Limit int
}

// Hit is one paper found by [Index.Search].
type Hit struct {
	// Key is the paper's cite key.
	Key string
	// Title is the paper's title: its bib entry's, else its note's, else "".
	Title string
	// Year is the bib entry's year, 0 when unknown.
	Year int
	// Section is the id of the best matching section ("relevance", "method",
	// or for bib fields "title", "author", "venue", "keywords", "abstract"),
	// "" when the paper matched through filters only.
	Section string
	// Heading is that section's heading as written ("" for bib fields).
	Heading string
	// Snippet is an excerpt of that section with the matches highlighted.
	Snippet Snippet
	// Path and Line locate that section: the note's heading line, or the
	// bib entry. Path is joined to [Sources.Root].
	Path string
	Line int
	// Score is the relevance, higher is better: the sum of the weighted
	// BM25 scores of the paper's matching sections; 0 without terms.
	Score float64
}

// Result is what a search found.
type Result struct {
	// Hits are the best hits, best first (ties by key).
	Hits []Hit
	// Total is the number of papers that matched, before the limit.
	Total int
}

// ErrEmptyQuery is returned by [Index.Search] for a query with no terms and
// no filters.
var ErrEmptyQuery = errors.New("empty query: give search terms or a filter")

// Search runs a query over the index as it is (call [Index.Sync] first to
// bring it up to date). Papers match as wholes: each term must match some
// section of the paper (its note sections, its bib title, authors, venue,
// keywords or abstract), or the section its field names. A nil or empty q
// with filters lists the papers that pass the filters.
func (ix *Index) Search(ctx context.Context, q *Query, opts SearchOptions) (*Result, error) {
	if q.Empty() && opts.Filters == (Filters{}) {
		return nil, ErrEmptyQuery
	}
	root, err := ix.meta(ctx, "root")
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	c := compile(q, opts.Filters)
	limit := opts.Limit
	if limit == 0 {
		limit = 20
	}
	if limit < 0 {
		limit = math.MaxInt32
	}

	var query string
	args := append([]any(nil), c.args...)
	if c.rank == "" {
		query = `WITH k(key) AS (SELECT DISTINCT key FROM (` + c.keys + `))
SELECT key, NULL, 0.0, count(*) OVER () FROM k ORDER BY key LIMIT ?`
	} else {
		// bm25() is negative, lower is better; weights multiply it.
		query = `WITH k(key) AS MATERIALIZED (SELECT DISTINCT key FROM (` + c.keys + `)),
m AS MATERIALIZED (SELECT fts.rowid AS rid, bm25(fts, ` + bm25Weights + `) AS sc FROM fts WHERE fts MATCH ?),
w AS (SELECT s.key AS key, s.id AS id, m.sc * ` + weightSQL() + ` AS sc FROM m JOIN sections s ON s.id = m.rid WHERE s.key IN k),
g AS (SELECT key, id, min(sc) AS best, sum(sc) AS total FROM w GROUP BY key)
SELECT k.key, g.id, coalesce(-g.total, 0.0), count(*) OVER () FROM k LEFT JOIN g ON g.key = k.key
ORDER BY coalesce(g.total, 0.0), k.key LIMIT ?`
		args = append(args, c.rank)
	}
	args = append(args, limit)
	rows, err := ix.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res := &Result{}
	var ids []sql.NullInt64
	for rows.Next() {
		var h Hit
		var id sql.NullInt64
		if err := rows.Scan(&h.Key, &id, &h.Score, &res.Total); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search: %w", err)
		}
		res.Hits = append(res.Hits, h)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	for i := range res.Hits {
		if err := ix.fill(ctx, &res.Hits[i], ids[i], c.positive, root); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	return res, nil
}

// weightSQL is the CASE expression giving a section's weight.
func weightSQL() string {
	var b strings.Builder
	b.WriteString("CASE s.section")
	for _, id := range []string{sectionTitle, "relevance", sectionAuthor} {
		fmt.Fprintf(&b, " WHEN '%s' THEN %g", id, sectionWeights[id])
	}
	b.WriteString(" ELSE 1.0 END")
	return b.String()
}

// fill completes a hit: title and year, and the best section with its
// snippet.
func (ix *Index) fill(ctx context.Context, h *Hit, id sql.NullInt64, terms []*termNode, root string) error {
	var year sql.NullInt64
	var etitle, ntitle sql.NullString
	err := ix.db.QueryRowContext(ctx, `SELECT
		(SELECT title FROM entries WHERE key = ?1 ORDER BY file LIMIT 1),
		(SELECT year FROM entries WHERE key = ?1 ORDER BY file LIMIT 1),
		(SELECT title FROM notes WHERE key = ?1 ORDER BY file LIMIT 1)`, h.Key).Scan(&etitle, &year, &ntitle)
	if err != nil {
		return err
	}
	h.Title = etitle.String
	if h.Title == "" {
		h.Title = ntitle.String
	}
	h.Year = int(year.Int64)
	if !id.Valid {
		// Matched by filters only: point at the note, else the entry.
		var file string
		var line int
		err := ix.db.QueryRowContext(ctx, `SELECT file, 1 FROM notes WHERE key = ?1
			UNION ALL SELECT file, line FROM entries WHERE key = ?1 LIMIT 1`, h.Key).Scan(&file, &line)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if file != "" {
			h.Path, h.Line = displayPath(root, file), line
		}
		return nil
	}
	var file, text string
	err = ix.db.QueryRowContext(ctx, `SELECT file, section, heading, text, line FROM sections WHERE id = ?`, id.Int64).
		Scan(&file, &h.Section, &h.Heading, &text, &h.Line)
	if err != nil {
		return err
	}
	h.Path = displayPath(root, file)
	var pats []pattern
	for _, t := range terms {
		if t.field == "" || t.field == h.Section {
			pats = append(pats, patterns(t)...)
		}
	}
	h.Snippet = makeSnippet(text, find(text, pats))
	return nil
}
