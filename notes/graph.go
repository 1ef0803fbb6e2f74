package notes

import (
	"cmp"
	"slices"
	"time"
)

// Edge is one citation between papers: the note of From cites To.
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// GraphFilter selects the citing notes of [CiteEdges]. The zero value
// selects every note.
type GraphFilter struct {
	// Tag, when not empty, keeps only notes carrying this tag (compared
	// exactly, as `list --tag` does).
	Tag string
	// From and To, when not zero, keep only notes whose read date lies in
	// From..To inclusive (calendar dates); a note with no read date is then
	// left out. Either may be zero for an open end.
	From, To time.Time
}

// Match reports whether n passes the filter.
func (f GraphFilter) Match(n *Note) bool {
	if f.Tag != "" && !slices.Contains(n.Meta.Tags, f.Tag) {
		return false
	}
	if f.From.IsZero() && f.To.IsZero() {
		return true
	}
	r := n.Meta.Read
	if r.IsZero() {
		return false
	}
	d := dateOf(r)
	if !f.From.IsZero() && d.Before(dateOf(f.From)) {
		return false
	}
	if !f.To.IsZero() && d.After(dateOf(f.To)) {
		return false
	}
	return true
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CiteEdges returns the citation graph of the notes that pass f: one
// [Edge] from a note's key to each key its body cites, sorted by From then
// To, without repeats. Notes without a key are skipped, and a note citing
// itself makes no edge. Cited keys need not have notes (or entries) of
// their own. CiteEdges does not modify ns and is safe for concurrent use.
func CiteEdges(ns []*Note, f GraphFilter) []Edge {
	var out []Edge
	for _, n := range ns {
		if n == nil || n.Key == "" || !f.Match(n) {
			continue
		}
		for _, c := range n.Cites {
			if c.Key != n.Key && c.Key != "" {
				out = append(out, Edge{From: n.Key, To: c.Key})
			}
		}
	}
	slices.SortFunc(out, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return slices.Compact(out)
}
