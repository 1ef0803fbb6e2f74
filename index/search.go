package index

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/papernotes/papernotes/notes"
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
	// Path, Line and Column locate the first match in that section: its
	// line, and its column in runes (both from 1). When the match cannot be
	// found on one line of the file (markdown inside it, a phrase broken
	// over two lines), Line is the section's heading line (a bib entry's
	// first line) and Column is 1; for a hit matched by filters only, the
	// note's first line or the entry's. Path is joined to [Sources.Root].
	Path   string
	Line   int
	Column int
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

// ErrUnknownSection is wrapped by the error of a search whose section
// filter or field names a section that no note has (a typo, usually).
var ErrUnknownSection = errors.New("no note has this section")

// checkSections reports a section id that no indexed row has: the section
// filter, or a field of the query other than the bib fields. Bib fields are
// always valid names, even in a workspace with no bib file.
func (ix *Index) checkSections(ctx context.Context, db querier, q *Query, section string) error {
	known := func(id string) (bool, error) {
		switch id {
		case sectionTitle, sectionAuthor, sectionVenue, sectionKeywords, sectionAbstract:
			return true, nil
		}
		if slices.Contains(notes.CanonicalSections, id) {
			// Every note has them (a new workspace's, empty): no hit, not a typo.
			return true, nil
		}
		var one int
		err := db.QueryRowContext(ctx, `SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1`, "sect : "+ftsString(sectToken(id))).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	}
	if section != "" {
		ok, err := known(strings.ToLower(section))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("section %q: %w", section, ErrUnknownSection)
		}
	}
	var bad error
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *andNode:
			for _, k := range n.kids {
				walk(k)
			}
		case *orNode:
			for _, k := range n.kids {
				walk(k)
			}
		case *notNode:
			walk(n.kid)
		case *termNode:
			if bad != nil || n.field == "" {
				return
			}
			ok, err := known(n.field)
			switch {
			case err != nil:
				bad = err
			case !ok:
				bad = &Error{Pos: token.Position{Filename: "query", Line: 1, Column: n.col - utf8.RuneCountInString(n.field) - 1},
					Err: fmt.Errorf("%q: %w", n.field, ErrUnknownSection)}
			}
		}
	}
	if !q.Empty() {
		walk(q.root)
	}
	return bad
}

// ErrEmptyQuery is returned by [Index.Search] for a query with no terms and
// no filters.
var ErrEmptyQuery = errors.New("empty query: give search terms or a filter")

// Search runs a query over the index as it is (call [Index.Sync] first to
// bring it up to date). Papers match as wholes: each term must match some
// section of the paper (its note sections, its bib title, authors, venue,
// keywords or abstract), or the section its field names, so "GLIP
// relevance:SAM" finds a note with GLIP in one section and SAM in its
// relevance section. A nil or empty q with filters lists the papers that
// pass the filters.
func (ix *Index) Search(ctx context.Context, q *Query, opts SearchOptions) (*Result, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.search(ctx, q, opts)
}

func (ix *Index) search(ctx context.Context, q *Query, opts SearchOptions) (*Result, error) {
	root := plan(q, opts.Filters)
	if root == nil {
		return nil, ErrEmptyQuery
	}
	if ix.db == nil {
		return &Result{}, nil // never synced: nothing indexed
	}
	// One read transaction for all the statements: each statement (and
	// each of the row-length lookups inside FTS5's bm25()) then skips
	// starting and ending one of its own.
	tx, err := ix.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer tx.Rollback()
	if err := ix.checkSections(ctx, tx, q, opts.Section); err != nil {
		return nil, err
	}
	e := &eval{ix: ix, db: tx, ctx: ctx, score: map[int64]float64{}, best: map[int64]bestRow{}}
	set, err := e.eval(root, true)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res, err := ix.rank(ctx, tx, e, set, opts.Limit)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// bestRow is a paper's best scoring FTS row.
type bestRow struct {
	rowid int64
	score float64 // weighted bm25, lower is better
}

// eval evaluates a query tree to a set of key numbers, per paper, with
// plain statements, and sums the weighted BM25 scores of the rows that
// positive terms match.
type eval struct {
	ix    *Index
	db    querier
	ctx   context.Context
	all   map[int64]bool // every paper, loaded on first need
	score map[int64]float64
	best  map[int64]bestRow
	terms []*termNode // the positive terms, for highlighting
}

type kset = map[int64]bool

func (e *eval) eval(n node, positive bool) (kset, error) {
	switch n := n.(type) {
	case *termNode:
		return e.term(n, positive)
	case *yearNode:
		to := n.years.To
		if to == 0 {
			to = 1 << 30
		}
		return e.kids(sqlYear, n.years.From, to)
	case *tagNode:
		return e.kids(sqlTag, n.tag)
	case *statusNode:
		return e.kids(sqlStatus, n.status)
	case *notNode:
		inner, err := e.eval(n.kid, !positive)
		if err != nil {
			return nil, err
		}
		all, err := e.allPapers()
		if err != nil {
			return nil, err
		}
		out := kset{}
		for k := range all {
			if !inner[k] {
				out[k] = true
			}
		}
		return out, nil
	case *orNode:
		out := kset{}
		for _, k := range n.kids {
			s, err := e.eval(k, positive)
			if err != nil {
				return nil, err
			}
			for x := range s {
				out[x] = true
			}
		}
		return out, nil
	case *andNode:
		// Positive operands intersect; exclusions subtract, without ever
		// building the complement.
		var out kset
		var neg []kset
		for _, k := range n.kids {
			if nk, ok := k.(*notNode); ok {
				s, err := e.eval(nk.kid, !positive)
				if err != nil {
					return nil, err
				}
				neg = append(neg, s)
				continue
			}
			s, err := e.eval(k, positive)
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = s
				continue
			}
			for x := range out {
				if !s[x] {
					delete(out, x)
				}
			}
		}
		if out == nil {
			all, err := e.allPapers()
			if err != nil {
				return nil, err
			}
			out = make(kset, len(all))
			for k := range all {
				out[k] = true
			}
		}
		for _, s := range neg {
			for x := range s {
				delete(out, x)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown query node %T", n)
}

// term runs one FTS5 query. For a positive term it also scores the rows.
func (e *eval) term(t *termNode, positive bool) (kset, error) {
	q := sqlTerm
	if positive {
		q = sqlTermScored
		e.terms = append(e.terms, t)
	}
	rows, err := e.db.QueryContext(e.ctx, q, matchExpr(t))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := kset{}
	// FTS5 returns rows in rowid order, so a paper's rows come together:
	// sum them in locals and touch the maps once per paper.
	cur := int64(-1)
	var sum float64
	var best bestRow
	flush := func() {
		if cur < 0 || !positive {
			return
		}
		e.score[cur] += sum
		if b, ok := e.best[cur]; !ok || best.score < b.score || best.score == b.score && best.rowid < b.rowid {
			e.best[cur] = best
		}
	}
	for rows.Next() {
		var rowid int64
		var sc float64
		if positive {
			err = rows.Scan(&rowid, &sc)
		} else {
			err = rows.Scan(&rowid)
		}
		if err != nil {
			return nil, err
		}
		kid := kidOf(rowid)
		if kid != cur {
			flush()
			cur, sum, best = kid, 0, bestRow{rowid: -1}
			out[kid] = true
		}
		if positive {
			sc *= classWeights[classOf(rowid)]
			sum += sc
			if best.rowid < 0 || sc < best.score || sc == best.score && rowid < best.rowid {
				best = bestRow{rowid, sc}
			}
		}
	}
	flush()
	return out, rows.Err()
}

// kids runs a statement that yields key numbers.
func (e *eval) kids(q string, args ...any) (kset, error) {
	rows, err := e.db.QueryContext(e.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := kset{}
	for rows.Next() {
		var kid int64
		if err := rows.Scan(&kid); err != nil {
			return nil, err
		}
		out[kid] = true
	}
	return out, rows.Err()
}

func (e *eval) allPapers() (kset, error) {
	if e.all == nil {
		all, err := e.kids(sqlAll)
		if err != nil {
			return nil, err
		}
		e.all = all
	}
	return e.all, nil
}

// rank orders the matching papers, best first and ties by key, and fills
// in the first limit of them.
func (ix *Index) rank(ctx context.Context, db querier, e *eval, set kset, limit int) (*Result, error) {
	if limit == 0 {
		limit = 20
	}
	type cand struct {
		kid   int64
		score float64 // -(sum of weighted bm25): higher is better
		key   string
	}
	cands := make([]cand, 0, len(set))
	for kid := range set {
		cands = append(cands, cand{kid: kid, score: -e.score[kid]})
	}
	n := len(cands)
	if limit > 0 && limit < n {
		n = limit
		// Only the first n and those tied with the n-th need sorting:
		// move the papers scoring at least the n-th best score first.
		nth := nthLargest(cands, n, func(c cand) float64 { return c.score })
		k := 0
		for i := range cands {
			if cands[i].score >= nth {
				cands[k], cands[i] = cands[i], cands[k]
				k++
			}
		}
		slices.SortFunc(cands[:k], func(a, b cand) int { return cmp.Compare(b.score, a.score) })
	} else {
		slices.SortFunc(cands, func(a, b cand) int { return cmp.Compare(b.score, a.score) })
	}
	// Ties are broken by key, so the papers tied with the last one shown
	// need their keys: load them (all at once when there are many).
	end := n
	for end < len(cands) && n > 0 && cands[end].score == cands[n-1].score {
		end++
	}
	kids := make([]int64, end)
	for i := range kids {
		kids[i] = cands[i].kid
	}
	keys, err := ix.keyNames(ctx, db, kids)
	if err != nil {
		return nil, err
	}
	for i := range cands[:end] {
		cands[i].key = keys[cands[i].kid]
	}
	slices.SortStableFunc(cands[:end], func(a, b cand) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	root, err := readMeta(ctx, db, "root")
	if err != nil {
		return nil, err
	}
	res := &Result{Total: len(cands), Hits: make([]Hit, n)}
	shown := kids[:n]
	for i, c := range cands[:n] {
		h := &res.Hits[i]
		h.Key, h.Score = c.key, c.score
		if h.Score == 0 {
			h.Score = 0 // no -0 in JSON
		}
		shown[i] = c.kid
	}
	if err := ix.fillAll(ctx, db, res.Hits, shown, e.best, e.terms, root); err != nil {
		return nil, err
	}
	return res, nil
}

// nthLargest returns the n-th largest score of xs (n >= 1, n <= len(xs)),
// with a min-heap of the n largest.
func nthLargest[T any](xs []T, n int, score func(T) float64) float64 {
	h := make([]float64, 0, n)
	for _, x := range xs {
		v := score(x)
		if len(h) < n {
			h = append(h, v)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if h[p] <= h[i] {
					break
				}
				h[p], h[i] = h[i], h[p]
				i = p
			}
			continue
		}
		if v <= h[0] {
			continue
		}
		h[0] = v
		for i := 0; ; {
			l, small := 2*i+1, i
			if l < n && h[l] < h[small] {
				small = l
			}
			if r := l + 1; r < n && h[r] < h[small] {
				small = r
			}
			if small == i {
				break
			}
			h[i], h[small] = h[small], h[i]
			i = small
		}
	}
	return h[0]
}

// keyNames returns the keys of the given key numbers.
func (ix *Index) keyNames(ctx context.Context, db querier, kids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(kids))
	q := `SELECT id, key FROM keys WHERE id IN (` + intList(kids) + `)`
	if len(kids) > 200 {
		q = `SELECT id, key FROM keys`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return nil, err
		}
		out[id] = k
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range kids {
		if _, ok := out[id]; !ok {
			return nil, fmt.Errorf("key number %d: %w", id, sql.ErrNoRows)
		}
	}
	return out, nil
}

// intList formats numbers for an IN (...) list. Only numbers the index
// made (key numbers, rowids) go there, never user text.
func intList(ids []int64) string {
	b := make([]byte, 0, len(ids)*8)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

// fillAll completes the hits, those of papers kids whose best rows are
// best: title and year, and the best section with its snippet. It reads
// each kind of row for all the hits at once.
func (ix *Index) fillAll(ctx context.Context, db querier, hits []Hit, kids []int64, best map[int64]bestRow, terms []*termNode, root string) error {
	if len(hits) == 0 {
		return nil
	}
	type titleRow struct {
		etitle, ntitle sql.NullString
		year           sql.NullInt64
	}
	titles := make(map[int64]titleRow, len(kids))
	rows, err := db.QueryContext(ctx, `SELECT k.id,
		(SELECT title FROM entries WHERE kid = k.id ORDER BY file LIMIT 1),
		(SELECT year FROM entries WHERE kid = k.id ORDER BY file LIMIT 1),
		(SELECT title FROM notes WHERE kid = k.id ORDER BY file LIMIT 1)
		FROM keys k WHERE k.id IN (`+intList(kids)+`)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t titleRow
		if err := rows.Scan(&id, &t.etitle, &t.year, &t.ntitle); err != nil {
			return err
		}
		titles[id] = t
	}
	if err := rows.Err(); err != nil {
		return err
	}
	type sectionRow struct {
		file, section, heading, text string
		line, next                   int
	}
	var rowids []int64
	for _, kid := range kids {
		if b, ok := best[kid]; ok {
			rowids = append(rowids, b.rowid)
		}
	}
	sections := make(map[int64]sectionRow, len(rowids))
	if len(rowids) > 0 {
		// next is the line of the file's next row: where the section ends.
		rows, err := db.QueryContext(ctx, `SELECT id, file, section, heading, text, line,
			coalesce((SELECT min(n.line) FROM sections n WHERE n.file = s.file AND n.line > s.line), 0)
			FROM sections s JOIN texts USING (id) WHERE id IN (`+intList(rowids)+`)`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var r sectionRow
			if err := rows.Scan(&id, &r.file, &r.section, &r.heading, &r.text, &r.line, &r.next); err != nil {
				return err
			}
			sections[id] = r
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i, kid := range kids {
		h := &hits[i]
		t := titles[kid]
		h.Title = t.etitle.String
		if h.Title == "" {
			h.Title = t.ntitle.String
		}
		h.Year = int(t.year.Int64)
		b, scored := best[kid]
		if !scored {
			if err := ix.fillUnscored(ctx, db, h, kid, root); err != nil {
				return err
			}
			continue
		}
		r, ok := sections[b.rowid]
		if !ok {
			return fmt.Errorf("section row %d: %w", b.rowid, sql.ErrNoRows)
		}
		h.Section, h.Heading, h.Line, h.Column = r.section, r.heading, r.line, 1
		h.Path = displayPath(root, r.file)
		var pats []pattern
		for _, t := range terms {
			if t.field == "" || t.field == h.Section {
				pats = append(pats, patterns(t)...)
			}
		}
		spans := findEarly(r.text, pats)
		h.Snippet = makeSnippet(r.text, spans)
		if len(spans) > 0 {
			start, heading := hitStart(r.section, r.file, r.line)
			if line, col, ok := locate(h.Path, start, r.next, pats); ok {
				h.Line, h.Column = line, col
			} else if heading {
				if line, col, ok := locate(h.Path, r.line, r.line+1, pats); ok {
					h.Line, h.Column = line, col
				}
			}
		}
	}
	return nil
}

// fillUnscored points a hit matched by filters only at the paper's note,
// else its entry.
func (ix *Index) fillUnscored(ctx context.Context, db querier, h *Hit, kid int64, root string) error {
	var file string
	var line int
	err := db.QueryRowContext(ctx, `SELECT file, 1 FROM notes WHERE kid = ?1
		UNION ALL SELECT file, line FROM entries WHERE kid = ?1 LIMIT 1`, kid).Scan(&file, &line)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if file != "" {
		h.Path, h.Line, h.Column = displayPath(root, file), line, 1
	}
	return nil
}
