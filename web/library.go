package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/papernotes/papernotes/catalog"
	"github.com/papernotes/papernotes/index"
	"github.com/papernotes/papernotes/notes"
)

// libraryQuery is the library page's query: the filters of `list`, a sort
// column and a page, all in the URL so the page works without script.
type libraryQuery struct {
	Text, Tag, Status, Year, Note, Sort string
	Desc                                bool
	Page                                int
	// Filter is the parsed filter; Err a problem with the parameters.
	Filter catalog.Filter
	Err    string
}

// librarySorts are the columns the library sorts by.
var librarySorts = []string{"key", "title", "author", "year", "venue", "status", "note", "read"}

// parseLibraryQuery reads the library parameters: q (text), tag, status,
// year (Y, A..B, A.., ..B), note (yes, no), sort, desc, page.
func parseLibraryQuery(v url.Values) libraryQuery {
	q := libraryQuery{
		Text: v.Get("q"), Tag: v.Get("tag"), Status: v.Get("status"), Year: v.Get("year"),
		Note: v.Get("note"), Sort: v.Get("sort"), Desc: v.Get("desc") == "1",
	}
	var errs []string
	q.Filter.Text = q.Text
	if q.Tag != "" {
		q.Filter.Tags = []string{q.Tag}
	}
	if q.Status != "" {
		if !slices.Contains(notes.Statuses, q.Status) {
			errs = append(errs, "status must be one of "+strings.Join(notes.Statuses, ", "))
		} else {
			q.Filter.Status = q.Status
		}
	}
	if q.Year != "" {
		yr, err := index.ParseYears(q.Year)
		if err != nil {
			errs = append(errs, "year: "+err.Error())
		} else {
			q.Filter.YearFrom, q.Filter.YearTo = yr.From, yr.To
		}
	}
	switch q.Note {
	case "":
	case "yes":
		t := true
		q.Filter.HasNote = &t
	case "no":
		f := false
		q.Filter.HasNote = &f
	default:
		errs = append(errs, "note must be yes or no")
	}
	if !slices.Contains(librarySorts, q.Sort) {
		q.Sort = "key"
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	if q.Page < 1 {
		q.Page = 1
	}
	q.Err = strings.Join(errs, "; ")
	return q
}

// values returns the query as URL parameters, leaving out defaults.
func (q libraryQuery) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", q.Text)
	set("tag", q.Tag)
	set("status", q.Status)
	set("year", q.Year)
	set("note", q.Note)
	if q.Sort != "key" {
		set("sort", q.Sort)
	}
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// url returns "/?" + the query with changes applied.
func (q libraryQuery) url(change func(*libraryQuery)) string {
	c := q
	if change != nil {
		change(&c)
	}
	enc := c.values().Encode()
	if enc == "" {
		return "/"
	}
	return "/?" + enc
}

// libraryRow is one row of the library table.
type libraryRow struct {
	Key, URL, Title, Authors, AllAuthors, Venue, Status, Read string
	Year                                                      int
	Tags                                                      []string
	HasNote                                                   bool
}

type libraryColumn struct {
	Name, URL string
	Arrow     string
}

type libraryPage struct {
	Q                 libraryQuery
	Rows              []libraryRow
	Total, All        int
	From, To          int
	Prev, Next        string
	Tags              []string
	Statuses          []string
	Columns           []libraryColumn
	ToRead, HasNoteQ  string
	PageNum, PageLast int
}

func (s *Server) serveLibrary(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		s.fail(w, r, http.StatusNotFound, "no page at "+r.URL.Path)
		return
	}
	q := parseLibraryQuery(r.URL.Query())
	st := s.snapshot()
	cat, tags := st.catalog(s.opts.Display)
	var idx []int
	if q.Err == "" {
		idx = cat.Filter(q.Filter)
		cat.Sort(idx, q.Sort)
		if q.Desc {
			slices.Reverse(idx)
		}
	}
	size := s.opts.PageSize
	last := max(1, (len(idx)+size-1)/size)
	if q.Page > last {
		q.Page = last
	}
	from := (q.Page - 1) * size
	to := min(from+size, len(idx))
	p := libraryPage{
		Q: q, Total: len(idx), All: cat.Len(), From: from + 1, To: to, Tags: tags, Statuses: notes.Statuses,
		PageNum: q.Page, PageLast: last,
		ToRead: (libraryQuery{Status: "toread", Sort: "key"}).url(nil),
	}
	if len(idx) == 0 {
		p.From = 0
	}
	for _, i := range idx[from:to] {
		it, e, n := cat.Item(i)
		row := libraryRow{
			Key: it.Key, URL: KeyURL("/p/", it.Key), Title: it.Title, Authors: catalog.ShortAuthors(it.Authors),
			AllAuthors: strings.Join(it.Authors, "; "), Venue: e.Venue(), Status: it.Status, Year: it.Year,
			Tags: it.Tags, HasNote: n != nil,
		}
		if n != nil && !n.Meta.Read.IsZero() {
			row.Read = n.Meta.Read.Format("2006-01-02")
		}
		p.Rows = append(p.Rows, row)
	}
	if q.Page > 1 {
		p.Prev = q.url(func(c *libraryQuery) { c.Page-- })
	}
	if q.Page < last {
		p.Next = q.url(func(c *libraryQuery) { c.Page++ })
	}
	for _, c := range []struct{ name, sort string }{
		{"Key", "key"}, {"Title", "title"}, {"Authors", "author"}, {"Year", "year"}, {"Venue", "venue"},
		{"Tags", ""}, {"Status", "status"}, {"Note", "note"}, {"Read", "read"},
	} {
		col := libraryColumn{Name: c.name}
		if c.sort != "" {
			col.URL = q.url(func(x *libraryQuery) {
				x.Desc = x.Sort == c.sort && !x.Desc
				x.Sort, x.Page = c.sort, 1
			})
			if q.Sort == c.sort {
				col.Arrow = "▲"
				if q.Desc {
					col.Arrow = "▼"
				}
			}
		}
		p.Columns = append(p.Columns, col)
	}
	body, err := s.execute("library", p)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	status := 0
	if q.Err != "" {
		status = http.StatusBadRequest
	}
	s.pageWith(w, r, "Library", body, PageOptions{Status: status})
}
