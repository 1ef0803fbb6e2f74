package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/report"
	"github.com/papernotes/papernotes/web/graph"
)

// graphPage is the data of the "graph" template.
type graphPage struct {
	Tag, Week string
	Tags      []string
	Nodes     int
	Edges     int
	SVG       template.HTML
}

// serveGraph draws the notes' citations as SVG: papers as nodes (filled
// when they have a note), an arrow from each citing note to each paper it
// cites. ?tag= keeps the notes with a tag, ?week=DATE the notes read in
// the seven days ending on DATE.
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := graphPage{Tag: q.Get("tag"), Week: q.Get("week")}
	f := notes.GraphFilter{Tag: p.Tag}
	if p.Week != "" {
		d, err := time.Parse(time.DateOnly, p.Week)
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("week %q is not a date (YYYY-MM-DD)", p.Week))
			return
		}
		wk := report.WeekEnding(d)
		f.From, f.To = wk.Start, wk.End
	}
	st := s.snapshot()
	list := make([]*notes.Note, 0, len(st.byKey))
	tags := map[string]bool{}
	for _, n := range st.byKey {
		list = append(list, n)
		for _, t := range n.Meta.Tags {
			tags[t] = true
		}
	}
	for t := range tags {
		p.Tags = append(p.Tags, t)
	}
	slices.Sort(p.Tags)
	edges := notes.CiteEdges(list, f)
	seen := map[string]bool{}
	var nodes []graph.Node
	add := func(key string) {
		if seen[key] {
			return
		}
		seen[key] = true
		nd := graph.Node{Key: key}
		if e, ok := st.lib.Lookup(key); ok {
			nd.Title = e.Title()
		}
		if n, ok := st.byKey[key]; ok {
			nd.HasNote = true
			if nd.Title == "" {
				nd.Title = n.Title
			}
		}
		nodes = append(nodes, nd)
	}
	gedges := make([]graph.Edge, len(edges))
	for i, e := range edges {
		add(e.From)
		add(e.To)
		gedges[i] = graph.Edge{From: e.From, To: e.To}
	}
	p.Nodes, p.Edges = len(nodes), len(gedges)
	var svg bytes.Buffer
	if err := graph.SVG(&svg, nodes, gedges, graph.Options{Href: func(k string) string { return KeyURL("/p/", k) }}); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "draw graph: "+err.Error())
		return
	}
	p.SVG = template.HTML(svg.String()) // graph.SVG escapes every text
	body, err := s.execute("graph", p)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "render page: "+err.Error())
		return
	}
	s.page(w, r, "Graph", body)
}
