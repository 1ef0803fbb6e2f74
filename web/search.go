package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/papernotes/papernotes/index"
	"github.com/papernotes/papernotes/notes"
)

// searchLimit is the number of hits a search shows unless limit= says.
const searchLimit = 50

// searchRequest is a parsed /search or /api/search query: the query text
// in the `search` command's language and its filters (section, tag, year,
// author, status, limit).
type searchRequest struct {
	Text                               string
	Section, Tag, Year, Author, Status string
	Limit                              int
	Query                              *index.Query
	Options                            index.SearchOptions
}

// errBadSearch marks a search request's own mistakes (400, not 500).
var errBadSearch = errors.New("bad search")

type badSearch struct{ msg string }

func (e badSearch) Error() string        { return e.msg }
func (e badSearch) Is(target error) bool { return target == errBadSearch }

func parseSearch(v url.Values) (*searchRequest, error) {
	sr := &searchRequest{
		Text: v.Get("q"), Section: v.Get("section"), Tag: v.Get("tag"), Year: v.Get("year"),
		Author: v.Get("author"), Status: strings.ToLower(strings.TrimSpace(v.Get("status"))), Limit: searchLimit,
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return sr, badSearch{"limit must be 0 (no limit) or more, not " + strconv.Quote(l)}
		}
		sr.Limit = n
	}
	q, err := index.ParseQuery(sr.Text)
	if err != nil {
		return sr, badSearch{err.Error()}
	}
	sr.Query = q
	o := &sr.Options
	o.Section, o.Tag, o.Author = sr.Section, sr.Tag, sr.Author
	if sr.Year != "" {
		if o.Years, err = index.ParseYears(sr.Year); err != nil {
			return sr, badSearch{"year: " + err.Error()}
		}
	}
	if sr.Status != "" {
		if !slices.Contains(notes.Statuses, sr.Status) {
			return sr, badSearch{"status must be one of " + strings.Join(notes.Statuses, ", ")}
		}
		o.Status = sr.Status
	}
	o.Limit = sr.Limit
	if o.Limit == 0 {
		o.Limit = -1 // index: negative is no limit
	}
	return sr, nil
}

// empty reports whether the request has neither a query nor a filter.
func (sr *searchRequest) empty() bool {
	return sr.Query.Empty() && sr.Options.Filters == (index.Filters{})
}

// search runs sr on the index: the first search, and the first after a
// [Server.Reload], bring the index up to date first (as `search` does);
// the others search it as it is.
func (s *Server) search(ctx context.Context, sr *searchRequest) (*index.Result, error) {
	if s.opts.OpenIndex == nil {
		return nil, errNoIndex
	}
	s.ixOnce.Do(func() { s.ix, s.ixErr = s.opts.OpenIndex() })
	if s.ixErr != nil {
		return nil, s.ixErr
	}
	var res *index.Result
	var err error
	if s.indexFresh.Load() && s.ix.Built() {
		res, err = s.ix.Search(ctx, sr.Query, sr.Options)
	} else {
		s.indexFresh.Store(true) // a Reload during the sync sets it back
		res, _, err = s.ix.SyncSearch(ctx, s.opts.Sources, sr.Query, sr.Options)
		if err != nil {
			s.indexFresh.Store(false)
		}
	}
	if errors.Is(err, index.ErrEmptyQuery) || errors.Is(err, index.ErrUnknownSection) {
		return nil, badSearch{err.Error()}
	}
	return res, err
}

// snippetPart is a piece of a snippet, marked or not, for the template to
// escape.
type snippetPart struct {
	Text string
	Mark bool
}

func snippetParts(sn index.Snippet) []snippetPart {
	var out []snippetPart
	last := 0
	for _, h := range sn.Highlights {
		if h.Start < last || h.End > len(sn.Text) || h.Start > h.End {
			continue
		}
		if h.Start > last {
			out = append(out, snippetPart{Text: sn.Text[last:h.Start]})
		}
		out = append(out, snippetPart{Text: sn.Text[h.Start:h.End], Mark: true})
		last = h.End
	}
	if last < len(sn.Text) {
		out = append(out, snippetPart{Text: sn.Text[last:]})
	}
	return out
}

type searchHit struct {
	Key, URL, Title, Section, Where string
	Year                            int
	Snippet                         []snippetPart
}

type searchPage struct {
	R     *searchRequest
	Hits  []searchHit
	Total int
	Shown bool
	Err   string
}

func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request) {
	sr, err := parseSearch(r.URL.Query())
	p := searchPage{R: sr}
	status := 0
	if err == nil && !sr.empty() {
		var res *index.Result
		res, err = s.search(r.Context(), sr)
		if err == nil {
			p.Shown, p.Total = true, res.Total
			for _, h := range res.Hits {
				where := s.opts.Display(h.Path)
				if h.Line > 0 {
					where += ":" + strconv.Itoa(h.Line)
				}
				p.Hits = append(p.Hits, searchHit{
					Key: h.Key, URL: KeyURL("/p/", h.Key), Title: h.Title, Section: h.Section,
					Where: where, Year: h.Year, Snippet: snippetParts(h.Snippet),
				})
			}
		}
	}
	if err != nil {
		p.Err = err.Error()
		status = http.StatusInternalServerError
		if errors.Is(err, errBadSearch) {
			status = http.StatusBadRequest
		}
	}
	body, terr := s.execute("search", p)
	if terr != nil {
		s.fail(w, r, http.StatusInternalServerError, terr.Error())
		return
	}
	s.pageWith(w, r, "Search", body, PageOptions{Status: status})
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	sr, err := parseSearch(r.URL.Query())
	if err == nil && sr.empty() {
		err = badSearch{"give a query (q=) or a filter (tag, year, author, status)"}
	}
	var res *index.Result
	if err == nil {
		res, err = s.search(r.Context(), sr)
	}
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, errBadSearch) {
			code = http.StatusBadRequest
		}
		s.fail(w, r, code, err.Error())
		return
	}
	items := make([]index.HitJSON, len(res.Hits))
	for i, h := range res.Hits {
		items[i] = h.JSON(s.opts.Display)
	}
	writeJSON(w, items)
}
