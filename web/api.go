package web

import (
	"net/http"
	"slices"
	"strings"

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
	idx := cat.FilterIn(q.Filter, cat.Order(q.Sort))
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
		res.Note = catalog.NewNote(s.fullNote(n), st.lib, st.citedBy[key], s.opts.Display)
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
	writeJSON(w, catalog.NewNote(s.fullNote(n), st.lib, st.citedBy[key], s.opts.Display))
}

// apiWeek is `report --week DATE --format json`: the week's report data,
// from the same code as the week page.
func (s *Server) apiWeek(w http.ResponseWriter, r *http.Request) {
	date := strings.TrimPrefix(r.URL.Path, "/api/week/")
	week, ok := s.weekAt(w, r, date, date, "/api/week/")
	if !ok {
		return
	}
	files, data, err := s.opts.WeekReport(s.snapshot().lib, week, "json")
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "report: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(data[files[0]])
}
