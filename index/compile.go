package index

import (
	"encoding/hex"
	"strings"
)

// Section ids that bib entries are indexed under, next to the note
// sections' own ids.
const (
	sectionTitle    = "title"
	sectionAuthor   = "author"
	sectionVenue    = "venue"
	sectionKeywords = "keywords"
	sectionAbstract = "abstract"
)

// Weight classes of sections: a row's BM25 score is multiplied by its
// class's weight. Title hits count most, then the relevance section (what
// we decided about a paper), then authors.
const (
	classOther = iota
	classTitle
	classRelevance
	classAuthor
)

var classWeights = [...]float64{classOther: 1, classTitle: 3, classRelevance: 2, classAuthor: 1.5}

// sectionClass returns the weight class of a section id.
func sectionClass(id string) int {
	switch id {
	case sectionTitle:
		return classTitle
	case "relevance":
		return classRelevance
	case sectionAuthor:
		return classAuthor
	}
	return classOther
}

// bm25Weights are the FTS5 column weights for (sect, heading, body): the
// section-id column never scores, a free section's heading counts double.
const bm25Weights = "0.0, 2.0, 1.0"

// sectToken is the single FTS5 token that the sect column holds for a
// section id. Hex keeps any id (slugs of Chinese headings, ids with '-')
// one unicode61 token, so a section filter is an exact match.
func sectToken(id string) string { return "s" + hex.EncodeToString([]byte(id)) }

// ftsString quotes s as an FTS5 string: the only way user text enters a
// MATCH expression.
//
// NUL ends a string inside FTS5's expression parser (found by
// FuzzParseQuery: "\x00" gave "unterminated string"), so it becomes a
// space, which unicode61 reads as the separator it would have been anyway.
func ftsString(s string) string {
	s = strings.ReplaceAll(s, "\x00", " ")
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// ftsPhrase returns the FTS5 phrase for a term or phrase text (see
// [segmentTerm]).
func ftsPhrase(text string) string {
	seg, prefix := segmentTerm(text)
	p := ftsString(seg)
	if prefix {
		p += " *"
	}
	return p
}

// matchExpr returns the FTS5 MATCH expression of a term: its phrase in the
// heading and body columns, and, for a field, the section id in the sect
// column. An author value matches when each of its words is in one author's
// name (one row per author), in any order: "Li Liunian" finds
// "Liunian Harold Li".
func matchExpr(t *termNode) string {
	var inner string
	if t.field == sectionAuthor && !t.phrase {
		var parts []string
		for _, w := range strings.Fields(t.text) {
			if hasSearchable(w) {
				parts = append(parts, ftsPhrase(w))
			}
		}
		inner = strings.Join(parts, " AND ")
	} else {
		inner = ftsPhrase(t.text)
	}
	e := "{heading body} : (" + inner + ")"
	if t.field != "" {
		e = "sect : " + ftsString(sectToken(t.field)) + " AND " + e
	}
	return e
}

// withSection returns a copy of n whose unfielded terms are restricted to
// section id.
func withSection(n node, id string) node {
	switch n := n.(type) {
	case *andNode:
		out := &andNode{make([]node, len(n.kids))}
		for i, k := range n.kids {
			out.kids[i] = withSection(k, id)
		}
		return out
	case *orNode:
		out := &orNode{make([]node, len(n.kids))}
		for i, k := range n.kids {
			out.kids[i] = withSection(k, id)
		}
		return out
	case *notNode:
		return &notNode{withSection(n.kid, id)}
	case *termNode:
		if n.field == "" {
			t := *n
			t.field = id
			return &t
		}
	}
	return n
}

// plan returns the query and the flag filters as one tree, nil when there is
// nothing to match on.
func plan(q *Query, f Filters) node {
	var kids []node
	if !q.Empty() {
		root := q.root
		if f.Section != "" {
			root = withSection(root, strings.ToLower(f.Section))
		}
		kids = append(kids, root)
	}
	if f.Author != "" && hasSearchable(f.Author) {
		kids = append(kids, &termNode{field: sectionAuthor, text: f.Author})
	}
	if t := normTag(f.Tag); t != "" {
		kids = append(kids, &tagNode{t})
	}
	if s := strings.ToLower(strings.TrimSpace(f.Status)); s != "" {
		kids = append(kids, &statusNode{s})
	}
	if !f.Years.IsZero() {
		kids = append(kids, &yearNode{f.Years})
	}
	switch len(kids) {
	case 0:
		return nil
	case 1:
		return kids[0]
	}
	return &andNode{kids}
}

// The statements a search runs. User text only ever reaches them as bound
// parameters; the MATCH parameter is built by [matchExpr].
const (
	sqlTermScored = `SELECT rowid, bm25(fts, ` + bm25Weights + `) FROM fts WHERE fts MATCH ?`
	sqlTerm       = `SELECT rowid FROM fts WHERE fts MATCH ?`
	sqlYear       = `SELECT kid FROM entries WHERE year BETWEEN ? AND ?`
	sqlTag        = `SELECT kid FROM tags WHERE tag = ?`
	sqlStatus     = `SELECT kid FROM notes WHERE status = ?`
	sqlAll        = `SELECT kid FROM notes UNION SELECT kid FROM entries`
)
