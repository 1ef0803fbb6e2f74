package web

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/report"
)

// fakeReport stands in for internal/cli's weekReportFiles.
func fakeReport(calls *[]string) WeekReportFunc {
	return func(_ *bib.Library, week report.Week, format string) ([]string, map[string][]byte, error) {
		*calls = append(*calls, week.String()+" "+format)
		base := "组会_" + week.End.Format("20060102")
		switch format {
		case "html":
			doc := "<!DOCTYPE html>\n<html><head><style>\nbody{color:red}\n</style></head>\n<body>\n<h1>report</h1><p>BLIP-2</p><p>GLIP</p>\n<script>\ncopy()\n</script>\n</body>\n</html>\n"
			return []string{base + ".html"}, map[string][]byte{base + ".html": []byte(doc)}, nil
		case "md":
			return []string{base + ".md"}, map[string][]byte{base + ".md": []byte("# report\n")}, nil
		case "tex":
			return []string{base + ".tex", base + ".bib"}, map[string][]byte{base + ".tex": []byte(`\documentclass{article}`), base + ".bib": []byte("@misc{a,}\n")}, nil
		}
		return nil, nil, report.ErrUnknownFormat
	}
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

func TestWeekPage(t *testing.T) {
	var calls []string
	s := newTestServer(t, nil, func(o *Options) { o.WeekReport = fakeReport(&calls) })
	rec := get(t, s, "/week/2025-11-19")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if len(calls) != 1 || calls[0] != "2025-11-13..2025-11-19 html" {
		t.Errorf("report calls %q", calls)
	}
	for _, want := range []string{
		`href="/week/2025-11-12"`, `href="/week/2025-11-26"`,
		`href="/week/2025-11-19.md"`, `href="/week/2025-11-19.html"`, `href="/week/2025-11-19.zip"`,
		`<script src="/assets/live.js" defer></script>` + "\n</body>",
		"<h1>report</h1><p>BLIP-2</p><p>GLIP</p>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	// The report's own bytes are all there, in order: only the navigation
	// (after <body>) and the reload script (before </body>) are added.
	if i, j := strings.Index(body, "<body>"), strings.Index(body, `<nav class="pn-week">`); i < 0 || j < i {
		t.Errorf("navigation is not right after <body>")
	}
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{hashOf("\ncopy()\n"), hashOf("\nbody{color:red}\n"), "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q allows inline code", csp)
	}
	if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("nosniff: %q", got)
	}
}

func TestWeekDownloads(t *testing.T) {
	var calls []string
	s := newTestServer(t, nil, func(o *Options) { o.WeekReport = fakeReport(&calls) })
	for _, tt := range []struct{ path, ctype, file string }{
		{"/week/2025-11-19.md", "text/markdown; charset=utf-8", "组会_20251119.md"},
		{"/week/2025-11-19.html", "text/html; charset=utf-8", "组会_20251119.html"},
		{"/week/2025-11-19.zip", "application/zip", "组会_20251119.zip"},
	} {
		rec := get(t, s, tt.path)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", tt.path, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != tt.ctype {
			t.Errorf("%s: Content-Type %q", tt.path, got)
		}
		if got := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(got, "attachment") || !strings.Contains(got, "20251119") {
			t.Errorf("%s: Content-Disposition %q", tt.path, got)
		}
		if tt.path == "/week/2025-11-19.html" && strings.Contains(rec.Body.String(), "pn-week") {
			t.Errorf("the html download carries the page's navigation")
		}
		if strings.HasSuffix(tt.path, ".zip") {
			zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				if len(b) == 0 {
					t.Errorf("%s is empty", f.Name)
				}
			}
			if strings.Join(names, " ") != "组会_20251119.tex 组会_20251119.bib" {
				t.Errorf("zip holds %q", names)
			}
			again := get(t, s, tt.path)
			if !bytes.Equal(again.Body.Bytes(), rec.Body.Bytes()) {
				t.Error("two downloads of the zip differ")
			}
		}
	}
}

func TestWeekErrors(t *testing.T) {
	var calls []string
	s := newTestServer(t, nil, func(o *Options) { o.WeekReport = fakeReport(&calls) })
	for _, p := range []string{"/week/2025-13-01", "/week/..", "/week/2025-11-19.pdf", "/week/%3Cscript%3E", "/week/2025-11-19/x"} {
		rec := get(t, s, p)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d", p, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "<script>") {
			t.Errorf("%s: unescaped script in the error page", p)
		}
	}
	if len(calls) != 0 {
		t.Errorf("bad dates reached the report: %q", calls)
	}
	s2 := newTestServer(t, nil, nil)
	if rec := get(t, s2, "/week/2025-11-19"); rec.Code != http.StatusNotFound {
		t.Errorf("without WeekReport: status %d", rec.Code)
	}
}

func TestWeeksIndex(t *testing.T) {
	s := newTestServer(t, map[string]string{
		"notes/a.md": "---\nkey: a\nstatus: read\nread: 2025-11-14\n---\n# A\n",
		"notes/b.md": "---\nkey: b\nstatus: read\nread: 2025-11-19\n---\n# B\n",
		"notes/c.md": "---\nkey: c\nstatus: read\nread: 2025-11-20\n---\n# C\n",
		"notes/d.md": "---\nkey: d\nstatus: toread\n---\n# D\n",
	}, func(o *Options) { o.Meeting = time.Wednesday })
	rec := get(t, s, "/week/")
	body := rec.Body.String()
	i, j := strings.Index(body, `href="/week/2025-11-26"`), strings.Index(body, `href="/week/2025-11-19"`)
	if rec.Code != http.StatusOK || i < 0 || j < 0 || i > j {
		t.Errorf("weeks index (status %d) lacks 2025-11-26 then 2025-11-19:\n%s", rec.Code, body)
	}
	if !strings.Contains(body, "<td>2</td>") {
		t.Errorf("the week of 2025-11-19 has 2 papers:\n%s", body)
	}
	if rec := get(t, s, "/week/?date=2025-11-19"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/week/2025-11-19" {
		t.Errorf("date form: %d %q", rec.Code, rec.Header().Get("Location"))
	}
}

// FuzzWeekPath sends any path under /week/ and /graph?week=: no panic, no
// server error, a page only for a real date, and nothing of the path
// unescaped in the answer.
func FuzzWeekPath(f *testing.F) {
	for _, s := range []string{"2025-11-19", "2025-11-19.zip", "", "..", "2025-02-30", "<script>alert(1)</script>", "%2e%2e/x", "2025-11-19.md.html", "0000-01-01"} {
		f.Add(s)
	}
	var calls []string
	s := newTestServer(f, nil, func(o *Options) { o.WeekReport = fakeReport(&calls) })
	serve := func(target string) *httptest.ResponseRecorder {
		u, err := url.Parse(target)
		if err != nil {
			return nil
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.URL = u
		req.Host = testAddr
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	f.Fuzz(func(t *testing.T, p string) {
		for _, tt := range []struct{ target, base string }{
			{"/week/" + url.PathEscape(p), "/week/zz"},
			{"/graph?week=" + url.QueryEscape(p), "/graph?week=zz"},
		} {
			rec := serve(tt.target)
			if rec == nil {
				continue
			}
			if rec.Code >= 500 {
				t.Fatalf("%s: status %d", tt.target, rec.Code)
			}
			// The answer holds p raw no more often than the answer to
			// another bad date does: the path itself is always escaped.
			if strings.Contains(p, "<") && strings.Count(rec.Body.String(), p) > strings.Count(serve(tt.base).Body.String(), p) {
				t.Fatalf("%s: the path is in the page unescaped", tt.target)
			}
			if rec.Code == http.StatusOK && strings.HasPrefix(tt.target, "/week/") && p != "" {
				date, _, _ := strings.Cut(p, ".")
				if _, err := time.Parse(time.DateOnly, date); err != nil {
					t.Fatalf("%s: a page for %q", tt.target, date)
				}
			}
		}
	})
}
