package web

import (
	"net/http"
	"slices"

	"github.com/papernotes/papernotes/catalog"
)

// apiEntries is `list --json` over HTTP: the library's rows, filtered and
// sorted by the library page's parameters (q, tag, status, year, note,
// sort, desc), all of them (no pages).
func (s *Server) apiEntries(w http.ResponseWriter, r *http.Request) {
	q := parseLibraryQuery(r.URL.Query())
	if q.Err != "" {
		s.fail(w, r, http.StatusBadRequest, q.Err)
		return
	}
	cat, _ := s.snapshot().catalog(s.opts.Display)
	idx := cat.Filter(q.Filter)
	cat.Sort(idx, q.Sort)
	if q.Desc {
		slices.Reverse(idx)
	}
	writeJSON(w, cat.Items(idx))
}

// apiEntry is `show KEY --json`: the entry and its note. A key with a note
// but no entry is a 404 here, as for show.
func (s *Server) apiEntry(w http.ResponseWriter, r *http.Request) {
	st, key, e, n, ok := s.lookupKey(w, r, "/api/entry/")
	if !ok {
		return
	}
	if e == nil {
		s.fail(w, r, http.StatusNotFound, "no entry "+quote(key)+" in the library")
		return
	}
	res := catalog.NewEntry(e, s.opts.Display)
	if n != nil {
		res.Note = catalog.NewNote(n, st.lib, st.citedBy[key], s.opts.Display)
	}
	writeJSON(w, res)
}

// apiNote is the "note" object of `show KEY --json`.
func (s *Server) apiNote(w http.ResponseWriter, r *http.Request) {
	st, key, _, n, ok := s.lookupKey(w, r, "/api/note/")
	if !ok {
		return
	}
	if n == nil {
		s.fail(w, r, http.StatusNotFound, "no note for "+quote(key))
		return
	}
	writeJSON(w, catalog.NewNote(n, st.lib, st.citedBy[key], s.opts.Display))
}
