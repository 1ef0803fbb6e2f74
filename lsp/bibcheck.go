package lsp

import (
	"strings"

	"github.com/papernotes/papernotes/bib"
)

// relatedIndex indexes the entries of every library file but one (the file
// being edited) by what makes entries interact in `check`: the key (case
// folded: duplicates, crossref and xdata targets), the DOI and arXiv id
// (duplicate DOIs, probable duplicates) and the normalised title (probable
// duplicates).
type relatedIndex struct {
	exclude string
	byKey   map[string][]*bib.Entry
	byDOI   map[string][]*bib.Entry
	byTitle map[string][]*bib.Entry
}

func (st *state) relatedFor(path string) *relatedIndex {
	if st.rel != nil && st.rel.exclude == path {
		return st.rel
	}
	r := &relatedIndex{exclude: path, byKey: map[string][]*bib.Entry{}, byDOI: map[string][]*bib.Entry{}, byTitle: map[string][]*bib.Entry{}}
	for _, p := range st.bibOrder {
		if p == path {
			continue
		}
		for _, e := range st.bibs[p].file.Entries {
			r.add(e)
		}
	}
	st.rel = r
	return r
}

func (r *relatedIndex) add(e *bib.Entry) {
	r.byKey[strings.ToLower(e.Key)] = append(r.byKey[strings.ToLower(e.Key)], e)
	if d := e.DOI(); d != "" {
		r.byDOI[d] = append(r.byDOI[d], e)
	}
	if a := e.ArXiv(); a != "" {
		r.byDOI["arxiv:"+a] = append(r.byDOI["arxiv:"+a], e)
	}
	if t := bib.NormalizeTitle(e.Title()); t != "" {
		r.byTitle[t] = append(r.byTitle[t], e)
	}
}

// fileProblems returns `check`'s problems of one library file quickly: it
// runs bib's own Library.Problems and Library.Check on a library made of the
// file and only those entries of the other files that can interact with it
// (same key, crossref or xdata target, DOI, arXiv id or title), plus every
// @string, in library order. Problems in the file are those of the whole
// library, without building and checking 80,000 entries on each keystroke.
func (st *state) fileProblems(path string) []*bib.Error {
	f := st.bibs[path].file
	r := st.relatedFor(path)
	want := map[*bib.Entry]bool{}
	mark := func(es []*bib.Entry) {
		for _, e := range es {
			want[e] = true
		}
	}
	for _, e := range f.Entries {
		mark(r.byKey[strings.ToLower(e.Key)])
		for _, field := range []string{"crossref", "xdata"} {
			for _, target := range strings.Split(e.Get(field), ",") {
				if t := strings.ToLower(strings.TrimSpace(target)); t != "" {
					mark(r.byKey[t])
				}
			}
		}
		if d := e.DOI(); d != "" {
			mark(r.byDOI[d])
		}
		if a := e.ArXiv(); a != "" {
			mark(r.byDOI["arxiv:"+a])
		}
		if t := bib.NormalizeTitle(e.Title()); t != "" {
			mark(r.byTitle[t])
		}
	}
	files := make([]*bib.File, 0, len(st.bibOrder))
	for _, p := range st.bibOrder {
		if p == path {
			files = append(files, f)
			continue
		}
		other := st.bibs[p].file
		sub := &bib.File{Name: p, Strings: other.Strings}
		if len(want) > 0 {
			for _, e := range other.Entries {
				if want[e] {
					sub.Entries = append(sub.Entries, e)
				}
			}
		}
		files = append(files, sub)
	}
	lib := bib.NewLibrary(files, bib.LoadOptions{})
	var out []*bib.Error
	for _, list := range []bib.ErrorList{lib.Problems(), lib.Check()} {
		for _, e := range list {
			if e.Pos.Filename == path {
				out = append(out, e)
			}
		}
	}
	return out
}
