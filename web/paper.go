package web

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/catalog"
	"github.com/papernotes/papernotes/notes"
)

// paperLink is a link to another paper's page.
type paperLink struct {
	Key, URL, Title string
	Known           bool
}

type fieldRow struct{ Name, Text string }

type paperPage struct {
	Key, Title, Type, Where           string
	Authors                           []string
	Year                              int
	Venue                             string
	Fields                            []fieldRow
	Raw                               string
	HasEntry                          bool
	DOI, DOIURL, ArXiv, ArXivURL, URL string
	Note                              template.HTML
	HasNote                           bool
	NotePath                          string
	NoteLine                          int
	Tags                              []string
	Status, Read                      string
	Cites, CitedBy                    []paperLink
	CiteTeX, CiteMD                   string
}

// lookupKey finds the key of a /p/ or /api/*/ request: the entry and the
// note (either may be nil, not both), or writes a 404 and returns false.
func (s *Server) lookupKey(w http.ResponseWriter, r *http.Request, prefix string) (*state, string, *bib.Entry, *notes.Note, bool) {
	key, err := KeyFromPath(prefix, r.URL.EscapedPath(), r.URL.RawQuery)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "no paper at "+r.URL.Path)
		return nil, "", nil, nil, false
	}
	st := s.snapshot()
	e, _ := st.lib.Lookup(key)
	n := st.byKey[key]
	if e == nil && n == nil {
		s.fail(w, r, http.StatusNotFound, "no paper "+quote(key)+" in the library or the notes")
		return nil, "", nil, nil, false
	}
	return st, key, e, n, true
}

// link returns the link to key's page, with its title as tooltip.
func (st *state) link(key string) paperLink {
	l := paperLink{Key: key, URL: KeyURL("/p/", key)}
	if e, ok := st.lib.Lookup(key); ok {
		l.Title, l.Known = e.Title(), true
	} else if n := st.byKey[key]; n != nil {
		l.Title, l.Known = n.Title, true
	}
	return l
}

// renderOptions are the note render options of the pages: citations link
// to the cited paper's page when the library or the notes know it.
func (s *Server) renderOptions(st *state) notes.RenderOptions {
	return notes.RenderOptions{
		Resolver:  st.lib,
		AllowHTML: s.opts.AllowHTML,
		Lang:      s.opts.Lang,
		NoteURL: func(key string) (string, bool) {
			if _, ok := st.lib.Lookup(key); ok || st.byKey[key] != nil {
				return KeyURL("/p/", key), true
			}
			return "", false
		},
	}
}

func (s *Server) servePaper(w http.ResponseWriter, r *http.Request) {
	st, key, e, n, ok := s.lookupKey(w, r, "/p/")
	if !ok {
		return
	}
	p := paperPage{Key: key, CiteTeX: `\cite{` + key + `}`, CiteMD: "[@" + key + "]"}
	if e != nil {
		p.HasEntry = true
		p.Title, p.Type, p.Authors, p.Year, p.Venue, p.Raw = e.Title(), e.Type, catalog.Authors(e), catalog.Year(e), e.Venue(), e.Raw
		p.Where = s.opts.Display(e.Pos.Filename) + ":" + strconv.Itoa(e.Pos.Line)
		for _, f := range e.Fields {
			p.Fields = append(p.Fields, fieldRow{Name: f.Name, Text: bib.DecodeLaTeX(bib.Expand(f.Value))})
		}
		if p.DOI = e.DOI(); p.DOI != "" {
			p.DOIURL = "https://doi.org/" + p.DOI
		}
		if p.ArXiv = e.ArXiv(); p.ArXiv != "" {
			p.ArXivURL = "https://arxiv.org/abs/" + p.ArXiv
		}
		if u := e.URL(); u != "" && safeLink(u) && u != p.DOIURL && u != p.ArXivURL {
			p.URL = u
		}
	}
	if n != nil {
		var buf bytes.Buffer
		if err := notes.Render(&buf, n, s.renderOptions(st)); err != nil {
			s.fail(w, r, http.StatusInternalServerError, "render note: "+err.Error())
			return
		}
		// notes.Render escapes everything from the note (raw HTML too,
		// unless notes.allow_html) and drops javascript: links.
		p.Note = template.HTML(buf.String())
		p.HasNote = true
		p.NotePath, p.NoteLine = s.opts.Display(n.Path), max(n.KeyPos.Line, 1)
		p.Tags, p.Status = n.Meta.Tags, n.Meta.Status
		if !n.Meta.Read.IsZero() {
			p.Read = n.Meta.Read.Format("2006-01-02")
		}
		if p.Title == "" {
			p.Title = n.Title
		}
		var seen []string
		for _, c := range n.Cites {
			if c.Key == key || slices.Contains(seen, c.Key) {
				continue
			}
			seen = append(seen, c.Key)
			p.Cites = append(p.Cites, st.link(c.Key))
		}
	}
	for _, k := range st.citedBy[key] {
		p.CitedBy = append(p.CitedBy, st.link(k))
	}
	if p.Title == "" {
		p.Title = key
	}
	body, err := s.execute("paper", p)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	s.pageWith(w, r, p.Title, body, PageOptions{Narrow: true})
}

// safeLink reports whether u is an http(s) URL, the only links the pages
// make from bib fields.
func safeLink(u string) bool {
	return len(u) > 8 && (u[:7] == "http://" || u[:8] == "https://")
}
