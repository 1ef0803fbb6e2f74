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

// sectionWeights multiply a row's BM25 score by its section: title hits
// count most, then the relevance section (what we decided about a paper).
// Sections not listed weigh 1.
var sectionWeights = map[string]float64{
	sectionTitle:  3,
	"relevance":   2,
	sectionAuthor: 1.5,
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
func ftsString(s string) string {
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

// compiled is a query turned into SQL.
type compiled struct {
	// keys is a SELECT of the column key: the papers that match.
	keys string
	args []any
	// rank is the FTS5 MATCH expression of the positive terms, used to
	// score and choose each paper's best section; "" when there are none.
	rank string
	// positive are the terms not under a negation, for highlighting.
	positive []*termNode
}

// compile turns the query plus the flag filters into SQL. An empty query
// with no filters matches every paper.
func compile(q *Query, f Filters) *compiled {
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
	c := &compiled{}
	var root node
	switch len(kids) {
	case 0:
		c.keys = "SELECT key FROM papers"
		return c
	case 1:
		root = kids[0]
	default:
		root = &andNode{kids}
	}
	c.keys = c.sql(root)
	c.collect(root, true)
	var rank []string
	for _, t := range c.positive {
		rank = append(rank, "("+matchExpr(t)+")")
	}
	c.rank = strings.Join(rank, " OR ")
	return c
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

// collect gathers the positive terms of n.
func (c *compiled) collect(n node, positive bool) {
	switch n := n.(type) {
	case *andNode:
		for _, k := range n.kids {
			c.collect(k, positive)
		}
	case *orNode:
		for _, k := range n.kids {
			c.collect(k, positive)
		}
	case *notNode:
		c.collect(n.kid, !positive)
	case *termNode:
		if positive {
			c.positive = append(c.positive, n)
		}
	}
}

// sql returns a SELECT of the keys of the papers matching n, appending its
// parameters to c.args. Terms combine per paper, not per section: "GLIP
// relevance:SAM" finds a note with GLIP in one section and SAM in its
// relevance section.
func (c *compiled) sql(n node) string {
	switch n := n.(type) {
	case *termNode:
		c.args = append(c.args, matchExpr(n))
		return "SELECT s.key FROM fts JOIN sections s ON s.id = fts.rowid WHERE fts MATCH ?"
	case *yearNode:
		to := n.years.To
		if to == 0 {
			to = 1 << 30
		}
		c.args = append(c.args, n.years.From, to)
		return "SELECT key FROM entries WHERE year BETWEEN ? AND ?"
	case *tagNode:
		c.args = append(c.args, n.tag)
		return "SELECT key FROM tags WHERE tag = ?"
	case *statusNode:
		c.args = append(c.args, n.status)
		return "SELECT key FROM notes WHERE status = ?"
	case *notNode:
		return "SELECT key FROM papers EXCEPT SELECT key FROM (" + c.sql(n.kid) + ")"
	case *orNode:
		parts := make([]string, len(n.kids))
		for i, k := range n.kids {
			parts[i] = "SELECT key FROM (" + c.sql(k) + ")"
		}
		return strings.Join(parts, " UNION ")
	case *andNode:
		// Positive operands first, then the exclusions, because compound
		// operators associate to the left: ((a ∩ b) \ c) \ d.
		// Parameters are appended in the same order.
		var pos, neg []string
		for _, k := range n.kids {
			if _, ok := k.(*notNode); !ok {
				pos = append(pos, "SELECT key FROM ("+c.sql(k)+")")
			}
		}
		for _, k := range n.kids {
			if nk, ok := k.(*notNode); ok {
				neg = append(neg, "SELECT key FROM ("+c.sql(nk.kid)+")")
			}
		}
		if len(pos) == 0 {
			pos = []string{"SELECT key FROM papers"}
		}
		s := strings.Join(pos, " INTERSECT ")
		for _, x := range neg {
			s += " EXCEPT " + x
		}
		return s
	}
	panic("index: unknown query node")
}
