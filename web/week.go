package web

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/report"
)

// WeekReportFunc writes the report of a week in a format ("md", "html",
// "tex") exactly as `papernotes report --format F` writes it to the
// reports folder: the file names, the main file first (a .tex comes with
// its .bib), and their bytes. internal/cli supplies it, so the week pages
// and the command share one code path.
// lib is the server's current library.
type WeekReportFunc func(lib *bib.Library, week report.Week, format string) (files []string, data map[string][]byte, err error)

// weekFormats are the downloads of a week page, by the extension of their
// URL: /week/2025-11-19.md, .html, .zip (the .tex and its .bib).
var weekFormats = []struct{ ext, format, label string }{
	{".md", "md", "md"},
	{".html", "html", "html"},
	{".zip", "tex", "tex (.zip)"},
}

// serveWeek serves /week/ (the weeks that have read notes), /week/DATE
// (the report of the seven days ending on DATE, as `report --format html`
// writes it, with links to the previous and next weeks and the downloads)
// and /week/DATE.md|.html|.zip.
func (s *Server) serveWeek(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/week/")
	if rest == "" {
		s.serveWeeks(w, r)
		return
	}
	date, ext := rest, ""
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		date, ext = rest[:i], rest[i:]
	}
	week, ok := s.weekAt(w, r, date, rest, "/week/")
	if !ok {
		return
	}
	if ext == "" {
		s.serveWeekPage(w, r, week)
		return
	}
	for _, f := range weekFormats {
		if f.ext == ext {
			s.serveWeekDownload(w, r, week, f.format)
			return
		}
	}
	s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no download %q: the week's report comes as .md, .html or .zip (LaTeX)", ext))
}

// weekAt returns the week ending on date (YYYY-MM-DD), the path part
// after prefix, or answers 404 (naming shown) when date is not a date or
// the server makes no reports.
func (s *Server) weekAt(w http.ResponseWriter, r *http.Request, date, shown, prefix string) (report.Week, bool) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil || d.Year() < 1000 {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no week %q: give the meeting date as %sYYYY-MM-DD", shown, prefix))
		return report.Week{}, false
	}
	if s.opts.WeekReport == nil {
		s.fail(w, r, http.StatusNotFound, "weekly reports are not available")
		return report.Week{}, false
	}
	return report.WeekEnding(d), true
}

// serveWeekPage writes the HTML report with a navigation bar and the live
// reload script added after <body>. The report is a whole document with
// its own inline style and scripts (copy buttons, math): the page's
// Content-Security-Policy allows exactly those by hash. They come from the
// report's templates, never from notes, whose raw HTML the report always
// escapes.
func (s *Server) serveWeekPage(w http.ResponseWriter, r *http.Request, week report.Week) {
	files, data, err := s.opts.WeekReport(s.snapshot().lib, week, "html")
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "report: "+err.Error())
		return
	}
	doc := data[files[0]]
	date := week.End.Format(time.DateOnly)
	var nav bytes.Buffer
	wn := weekNav{
		Date: date,
		Prev: week.End.AddDate(0, 0, -7).Format(time.DateOnly),
		Next: week.End.AddDate(0, 0, 7).Format(time.DateOnly),
	}
	for _, f := range weekFormats {
		wn.Links = append(wn.Links, weekLink{URL: "/week/" + date + f.ext, Label: f.label})
	}
	err = s.tmpl.ExecuteTemplate(&nav, "weeknav", wn)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "render page: "+err.Error())
		return
	}
	out := injectAfterBody(doc, append([]byte(weekStyle), nav.Bytes()...))
	w.Header().Set("Content-Security-Policy", documentCSP(out))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(out)
}

type weekNav struct {
	Date, Prev, Next string
	Links            []weekLink
}

type weekLink struct{ URL, Label string }

// weekStyle styles the navigation bar (the report's own style is left
// alone); it is hashed into the page's CSP with the report's.
const weekStyle = `<style>
.pn-week { font: 14px/1.4 sans-serif; display: flex; flex-wrap: wrap; gap: .4em 1em; align-items: center;
  border-bottom: 1px solid #d0d7de; padding: .4em 0 .6em; margin-bottom: 1em; }
.pn-week .pn-downloads { margin-left: auto; }
@media print { .pn-week { display: none; } }
</style>
`

// injectAfterBody inserts extra right after the document's <body> tag
// (at the start when there is none), and the live reload script before
// </body>.
func injectAfterBody(doc, extra []byte) []byte {
	var b bytes.Buffer
	i := bytes.Index(doc, []byte("<body"))
	j := -1
	if i >= 0 {
		j = bytes.IndexByte(doc[i:], '>')
	}
	if j < 0 {
		b.Write(extra)
		b.Write(doc)
	} else {
		b.Write(doc[:i+j+1])
		b.WriteByte('\n')
		b.Write(extra)
		b.Write(doc[i+j+1:])
	}
	out := b.Bytes()
	tag := []byte(`<script src="/assets/live.js" defer></script>` + "\n")
	if k := bytes.LastIndex(out, []byte("</body>")); k >= 0 {
		return slices.Concat(out[:k], tag, out[k:])
	}
	return append(out, tag...)
}

var (
	inlineScriptRE = regexp.MustCompile(`(?is)<script(\s[^>]*)?>(.*?)</script>`)
	inlineStyleRE  = regexp.MustCompile(`(?is)<style(\s[^>]*)?>(.*?)</style>`)
)

// documentCSP is the Content-Security-Policy of a whole document made by
// a template (a report): the server's policy, with the inline <script>
// and <style> blocks of doc allowed by their hashes.
func documentCSP(doc []byte) string {
	hashes := func(re *regexp.Regexp, skipSrc bool) string {
		var out []string
		for _, m := range re.FindAllSubmatch(doc, -1) {
			if skipSrc && bytes.Contains(bytes.ToLower(m[1]), []byte("src=")) {
				continue
			}
			sum := sha256.Sum256(m[2])
			h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
			if !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
		return strings.Join(append([]string{"'self'"}, out...), " ")
	}
	return "default-src 'self'; script-src " + hashes(inlineScriptRE, true) +
		"; style-src " + hashes(inlineStyleRE, false) +
		"; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// serveWeekDownload sends one format of the report as an attachment named
// as `report` names the file; LaTeX comes as a zip of the .tex and .bib.
func (s *Server) serveWeekDownload(w http.ResponseWriter, r *http.Request, week report.Week, format string) {
	files, data, err := s.opts.WeekReport(s.snapshot().lib, week, format)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "report: "+err.Error())
		return
	}
	name, body := files[0], data[files[0]]
	ctype := map[string]string{"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}[format]
	if format == "tex" {
		var zb bytes.Buffer
		zw := zip.NewWriter(&zb)
		for _, f := range files {
			// A fixed time: the same report gives the same zip.
			fw, err := zw.CreateHeader(&zip.FileHeader{Name: f, Method: zip.Deflate, Modified: week.End})
			if err == nil {
				_, err = fw.Write(data[f])
			}
			if err != nil {
				s.fail(w, r, http.StatusInternalServerError, "zip: "+err.Error())
				return
			}
		}
		if err := zw.Close(); err != nil {
			s.fail(w, r, http.StatusInternalServerError, "zip: "+err.Error())
			return
		}
		name = strings.TrimSuffix(name, ".tex") + ".zip"
		body, ctype = zb.Bytes(), "application/zip"
	}
	if format == "html" {
		w.Header().Set("Content-Security-Policy", documentCSP(body))
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Write(body)
}

// weekSummary is one row of the weeks index.
type weekSummary struct {
	Date   string
	Papers int
}

// serveWeeks lists the meeting dates whose week has read notes, newest
// first, and a form to open any date.
func (s *Server) serveWeeks(w http.ResponseWriter, r *http.Request) {
	if d := r.URL.Query().Get("date"); d != "" {
		if _, err := time.Parse(time.DateOnly, d); err == nil {
			http.Redirect(w, r, "/week/"+d, http.StatusSeeOther)
			return
		}
	}
	st := s.snapshot()
	count := map[string]int{}
	for _, n := range st.byKey {
		if n.Meta.Read.IsZero() || n.Meta.Status != "read" {
			continue
		}
		day := report.NextMeeting(n.Meta.Read, s.opts.Meeting).Format(time.DateOnly)
		count[day]++
	}
	var weeks []weekSummary
	for d, c := range count {
		weeks = append(weeks, weekSummary{d, c})
	}
	slices.SortFunc(weeks, func(a, b weekSummary) int { return strings.Compare(b.Date, a.Date) })
	body, err := s.execute("weeks", struct {
		Weeks   []weekSummary
		Weekday string
	}{weeks, s.opts.Meeting.String()})
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "render page: "+err.Error())
		return
	}
	s.page(w, r, "Weeks", template.HTML(body))
}
