package web

import (
	"html/template"
	"net/http"
)

// funcs are the template functions.
var funcs = template.FuncMap{
	"keyURL": func(key string) string { return KeyURL("/p/", key) },
}

func (s *Server) servePaper(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "not yet")
}

func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "Search", "")
}

func (s *Server) apiEntries(w http.ResponseWriter, r *http.Request) { writeJSON(w, []any{}) }
func (s *Server) apiEntry(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "not yet")
}
func (s *Server) apiNote(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "not yet")
}
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) { writeJSON(w, []any{}) }
