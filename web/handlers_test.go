package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/papernotes/papernotes/catalog"
	"github.com/papernotes/papernotes/index"
)

func TestToken(t *testing.T) {
	s := newTestServer(t, nil, func(o *Options) { o.Token = "s3cret" })
	tests := []struct {
		name   string
		target string
		hdr    []string
		want   int
	}{
		{"missing", "/", nil, http.StatusUnauthorized},
		{"wrong header", "/", []string{"X-Papernotes-Token", "nope"}, http.StatusUnauthorized},
		{"wrong bearer", "/", []string{"Authorization", "Bearer nope"}, http.StatusUnauthorized},
		{"wrong cookie", "/", []string{"Cookie", tokenCookie + "=nope"}, http.StatusUnauthorized},
		{"wrong query", "/?token=nope", nil, http.StatusUnauthorized},
		{"header", "/", []string{"X-Papernotes-Token", "s3cret"}, http.StatusOK},
		{"bearer", "/api/entries", []string{"Authorization", "Bearer s3cret"}, http.StatusOK},
		{"cookie", "/", []string{"Cookie", tokenCookie + "=s3cret"}, http.StatusOK},
		{"missing on 404", "/nowhere", nil, http.StatusUnauthorized},
		{"missing on asset", "/assets/style.css", nil, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, s, tt.target, tt.hdr...)
			if rec.Code != tt.want {
				t.Errorf("status %d, want %d", rec.Code, tt.want)
			}
			checkSecurityHeaders(t, rec, tt.name)
		})
	}
	t.Run("query sets cookie", func(t *testing.T) {
		rec := get(t, s, "/search?q=x&token=s3cret")
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", rec.Code)
		}
		if loc := rec.Header().Get("Location"); loc != "/search?q=x" {
			t.Errorf("Location %q, want the URL without the token", loc)
		}
		for target, want := range map[string]string{"//evil.example/x?token=s3cret": "/evil.example/x", "/%5C%5Cevil?token=s3cret": "/%5C%5Cevil", "/p/a%2Fb?token=s3cret": "/p/a%2Fb"} {
			if loc := get(t, s, target).Header().Get("Location"); loc != want {
				t.Errorf("%s: Location %q, want %q", target, loc, want)
			}
		}
		c := rec.Result().Cookies()
		if len(c) != 1 || c[0].Name != tokenCookie || c[0].Value != "s3cret" || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
			t.Errorf("cookies %v", c)
		}
	})
}

func TestNoTokenNeededWithoutOne(t *testing.T) {
	s := newTestServer(t, nil, nil)
	if rec := get(t, s, "/"); rec.Code != http.StatusOK {
		t.Errorf("status %d", rec.Code)
	}
}

const hostileBib = `@article{evil,
  title = {<script>alert("title")</script> and <img src=x onerror=alert(1)>},
  author = {Hacker, <b>Bold</b>},
  journal = {<svg onload=alert(2)>},
  url = {javascript:alert(3)},
  year = {2024},
}
`

const hostileNote = `---
key: evil
tags: ["<script>tag</script>", "x\" onmouseover=\"alert(1)"]
status: read
---

# <script>alert("heading")</script>

## 摘要

Text <script>alert("inline")</script> and <img src=x onerror=alert(4)>.

<svg><script>alert(5)</script></svg>

<iframe src="https://evil.example"></iframe>

[click](javascript:alert(6)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==) [vb](vbscript:msgbox)

![img](javascript:alert(8))

Cites [@evil] and [@nope<script>].
`

// tagRE finds the tags of a page: text from notes and bib fields is
// escaped, so every "<" left starts real markup.
var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][\w-]*)([^>]*)>`)

// badURL finds dangerous URLs in a tag's attributes, handler an event
// handler among its attribute names (quoted values removed first).
var (
	badURL  = regexp.MustCompile(`(?i)(href|src|action)\s*=\s*"\s*(javascript|data|vbscript):`)
	handler = regexp.MustCompile(`(?i)\son\w+\s*=|\sstyle\s*=`)
	quoted  = regexp.MustCompile(`"[^"]*"`)
)

// activeHTML returns the tags of body that could run script or load
// something: elements that embed or script (other than the layout's
// same-origin scripts), event handlers, dangerous URLs.
func activeHTML(body string) []string {
	var bad []string
	for _, m := range tagRE.FindAllStringSubmatch(body, -1) {
		name := strings.ToLower(m[2])
		switch {
		case name == "script" && m[1] == "" && !regexp.MustCompile(`^ src="/assets/[\w.]+" defer$`).MatchString(m[3]):
			bad = append(bad, m[0])
		case m[1] == "/":
		case slices.Contains([]string{"svg", "iframe", "object", "embed", "math", "style", "link", "meta", "base", "form"}, name) &&
			m[0] != `<meta charset="utf-8">` && !strings.HasPrefix(m[0], `<meta name="viewport"`) &&
			m[0] != `<link rel="stylesheet" href="/assets/style.css">` && !strings.HasPrefix(m[0], `<form class="filters" method="get" action="/`):
			bad = append(bad, m[0])
		case badURL.MatchString(m[3]) || handler.MatchString(quoted.ReplaceAllString(m[3], `""`)) || strings.Count(m[3], `"`)%2 != 0:
			bad = append(bad, m[0])
		}
	}
	return bad
}

func TestHostileInert(t *testing.T) {
	s := newTestServer(t, map[string]string{
		"bib/lib.bib":    hostileBib,
		"notes/evil.md":  hostileNote,
		"notes/other.md": "---\nkey: other\n---\n\n# Other\n\nSee [@evil].\n",
	}, nil)
	for _, target := range []string{"/", "/p/evil", "/p/other", "/?q=script", "/?tag=%3Cscript%3Etag%3C%2Fscript%3E"} {
		rec := get(t, s, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		body := rec.Body.String()
		if m := activeHTML(body); m != nil {
			t.Errorf("%s: active markup %q in\n%s", target, m, body)
		}
	}
	body := get(t, s, "/p/evil").Body.String()
	for _, want := range []string{
		`&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;`,  // the bib title, escaped
		`&lt;script&gt;alert(&#34;inline&#34;)&lt;/script&gt;`, // raw HTML in the note, escaped by notes.Render
		`class="cite unresolved"`,                              // [@nope<script>]
	} {
		if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "&#34;", "&quot;")) {
			t.Errorf("/p/evil lacks %s", want)
		}
	}
	// The JSON API carries the text as data; nosniff and the content type
	// keep a browser from reading it as HTML.
	rec := get(t, s, "/api/entry/evil")
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	checkSecurityHeaders(t, rec, "/api/entry/evil")
}

// With notes.allow_html the note's raw HTML passes through, as render
// does; the Content-Security-Policy still refuses inline script and
// event handlers.
func TestAllowHTMLStillNoInlineScript(t *testing.T) {
	s := newTestServer(t, map[string]string{"bib/lib.bib": hostileBib, "notes/evil.md": hostileNote},
		func(o *Options) { o.AllowHTML = true })
	rec := get(t, s, "/p/evil")
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(rec.Body.String(), `href="javascript:`) {
		t.Errorf("javascript: link kept")
	}
}

// oddKeys are keys that are not URL-safe.
var oddKeys = []string{"a/b", "..", ".", "a/../b", "50%off", "a%2Fb", "李2023开放词汇", "x?y#z", "a+b", "é/../../etc/passwd"}

func oddWorkspace() map[string]string {
	var b strings.Builder
	files := map[string]string{}
	for i, k := range oddKeys {
		fmt.Fprintf(&b, "@article{%s,\n  title = {Title %d},\n  year = {2020},\n}\n\n", k, i)
		files[fmt.Sprintf("notes/n%02d.md", i)] = fmt.Sprintf("---\nkey: %q\n---\n\n# Note %d\n\nCites [@%s].\n", k, i, oddKeys[(i+1)%len(oddKeys)])
	}
	files["bib/lib.bib"] = b.String()
	return files
}

func TestOddKeysRoundTrip(t *testing.T) {
	s := newTestServer(t, oddWorkspace(), nil)
	lib := s.snapshot().lib
	for i, k := range oddKeys {
		if _, ok := lib.Lookup(k); !ok {
			t.Fatalf("the test library lacks %q", k)
		}
		t.Run(url.PathEscape(k), func(t *testing.T) {
			rec := get(t, s, KeyURL("/p/", k))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: status %d", KeyURL("/p/", k), rec.Code)
			}
			if want := fmt.Sprintf("<h1>Title %d</h1>", i); !strings.Contains(rec.Body.String(), want) {
				t.Errorf("GET %s lacks %s", KeyURL("/p/", k), want)
			}
			rec = get(t, s, KeyURL("/api/entry/", k))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: status %d", KeyURL("/api/entry/", k), rec.Code)
			}
			var e catalog.Entry
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Key != k {
				t.Errorf("GET %s: key %q, %v", KeyURL("/api/entry/", k), e.Key, err)
			}
			rec = get(t, s, KeyURL("/api/note/", k))
			var n catalog.Note
			if err := json.Unmarshal(rec.Body.Bytes(), &n); err != nil || n.Meta.Key != k {
				t.Errorf("GET %s: key %q, %v", KeyURL("/api/note/", k), n.Meta.Key, err)
			}
		})
	}
	// The citation links the renderer makes lead to the cited pages.
	citeRE := regexp.MustCompile(`<a class="cite" href="([^"]*)" data-key="([^"]*)"`)
	links := 0
	for _, k := range oddKeys {
		for _, m := range citeRE.FindAllStringSubmatch(get(t, s, KeyURL("/p/", k)).Body.String(), -1) {
			links++
			href, key := html.UnescapeString(m[1]), html.UnescapeString(m[2])
			u, err := url.Parse(href)
			if err != nil {
				t.Fatal(err)
			}
			got, err := KeyFromPath("/p/", u.EscapedPath(), u.RawQuery)
			if err != nil || got != key {
				t.Errorf("citation link %s of %q leads to %q, %v", href, key, got, err)
			}
			if rec := get(t, s, href); rec.Code != http.StatusOK {
				t.Errorf("citation link %s: status %d", href, rec.Code)
			}
		}
	}
	if links < 3 {
		t.Errorf("only %d citation links", links)
	}
}

func TestUnknown404(t *testing.T) {
	s := newTestServer(t, oddWorkspace(), nil)
	for _, target := range []string{"/p/nokey", "/p/", "/api/entry/nokey", "/api/note/nokey", "/api/entry/", "/nowhere", "/p/a/b/c", "/assets/../web.go", "/assets/"} {
		rec := get(t, s, target)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, rec.Code)
		}
		checkSecurityHeaders(t, rec, target)
	}
	rec := get(t, s, "/api/entry/nokey")
	var m map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || m["error"] == "" {
		t.Errorf("API 404 body %q", rec.Body.String())
	}
}

// bigLibrary has n entries k000..., years 2000+i%25, every third with a
// note: tags by i%2, statuses by i%3.
func bigLibrary(n int) map[string]string {
	var b strings.Builder
	files := map[string]string{}
	for i := range n {
		key := fmt.Sprintf("k%04d", i)
		fmt.Fprintf(&b, "@article{%s, title = {Paper %d}, author = {Author%d, A.}, journal = {J%d}, year = {%d}}\n", key, i, i%7, i%5, 2000+i%25)
		if i%3 == 0 {
			tag := []string{"even", "odd"}[i%2]
			st := notesStatuses[i%9/3]
			files["notes/"+key+".md"] = fmt.Sprintf("---\nkey: %s\ntags: [%s]\nstatus: %s\nread: 2025-01-%02d\n---\n\n# Paper %d\n", key, tag, st, 1+i%28, i)
		}
	}
	files["bib/lib.bib"] = b.String()
	return files
}

var notesStatuses = []string{"toread", "reading", "read"}

// rowKeys returns the keys of the library table's rows.
func rowKeys(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<tr><td><a href="/p/[^"]*">([^<]*)</a>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestLibraryFiltersAndPages(t *testing.T) {
	s := newTestServer(t, bigLibrary(450), nil)
	tests := []struct {
		target      string
		count       int
		first, last string
	}{
		{"/", 200, "k0000", "k0199"},
		{"/?page=2", 200, "k0200", "k0399"},
		{"/?page=3", 50, "k0400", "k0449"},
		{"/?page=99", 50, "k0400", "k0449"},
		{"/?desc=1", 200, "k0449", "k0250"},
		{"/?note=yes", 150, "k0000", "k0447"},
		{"/?note=no&page=2", 100, "k0301", "k0449"},
		{"/?tag=odd", 75, "k0003", "k0447"},
		{"/?status=toread", 50, "k0000", "k0441"},
		{"/?status=toread&tag=even", 25, "k0000", "k0432"},
		{"/?year=2024", 18, "k0024", "k0449"},
		{"/?year=..2000", 18, "k0000", "k0425"},
		{"/?q=paper+42", 11, "k0042", "k0429"},
		{"/?q=author3", 64, "k0003", "k0444"},
		{"/?sort=year&year=2001..2002", 36, "k0001", "k0427"},
		{"/?sort=read&note=yes&desc=1", 150, "k0447", "k0000"},
	}
	for _, tt := range tests {
		rec := get(t, s, tt.target)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", tt.target, rec.Code)
			continue
		}
		keys := rowKeys(rec.Body.String())
		if len(keys) != tt.count || keys[0] != tt.first || keys[len(keys)-1] != tt.last {
			t.Errorf("%s: %d rows %s..%s, want %d rows %s..%s", tt.target, len(keys), at(keys, 0), at(keys, len(keys)-1), tt.count, tt.first, tt.last)
		}
	}
	body := get(t, s, "/?tag=odd&page=1").Body.String()
	if !strings.Contains(body, `75 of 450 entries`) {
		t.Errorf("no count in the tag page")
	}
	if !strings.Contains(get(t, s, "/?page=2").Body.String(), `href="/?page=3" rel="next"`) {
		t.Errorf("page 2 has no link to page 3")
	}
	if rec := get(t, s, "/?status=done"); rec.Code != http.StatusBadRequest {
		t.Errorf("bad status: %d, want 400", rec.Code)
	}
	// /api/entries is list --json with the same filters, unpaged.
	var items []catalog.Item
	rec := get(t, s, "/api/entries?tag=odd&sort=year")
	if err := json.Unmarshal(rec.Body.Bytes(), &items); err != nil || len(items) != 75 || items[0].Year != 2000 {
		t.Errorf("/api/entries: %d items, %v", len(items), err)
	}
	if !slices.Equal(items[0].Tags, []string{"odd"}) || items[0].Note == "" {
		t.Errorf("/api/entries item %+v", items[0])
	}
}

func at(xs []string, i int) string {
	if i < 0 || i >= len(xs) {
		return ""
	}
	return xs[i]
}

func TestReload(t *testing.T) {
	files := bigLibrary(10)
	s := newTestServer(t, files, nil)
	var got [][]string
	cancel := s.OnChange(func(p []string) { got = append(got, p) })
	note := filepath.Join(s.opts.NotesDir, "k0003.md")
	if err := os.WriteFile(note, []byte("---\nkey: k0003\n---\n\n# Paper 3\n\nNew text citing [@k0001].\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload([]string{note, filepath.Join(s.opts.Root, "elsewhere.txt")}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(get(t, s, "/p/k0003").Body.String(), "New text citing") {
		t.Errorf("the page does not show the new text")
	}
	if !strings.Contains(get(t, s, "/p/k0001").Body.String(), `href="/p/k0003"`) {
		t.Errorf("k0001 lacks the new backlink")
	}
	if len(got) != 1 || !slices.Equal(got[0], []string{note}) {
		t.Errorf("OnChange got %v", got)
	}
	// A removed note goes; a changed bib file reloads the library.
	os.Remove(note)
	bibFile := filepath.Join(s.opts.Root, "bib", "lib.bib")
	os.WriteFile(bibFile, []byte("@article{fresh, title={Fresh}, year={2025}}\n"), 0o644)
	if err := s.Reload([]string{note, bibFile}); err != nil {
		t.Fatal(err)
	}
	if rec := get(t, s, "/p/k0003"); rec.Code != http.StatusNotFound {
		t.Errorf("removed note and entry: status %d", rec.Code)
	}
	if rec := get(t, s, "/p/fresh"); rec.Code != http.StatusOK {
		t.Errorf("new entry: status %d", rec.Code)
	}
	cancel()
	s.Reload([]string{bibFile})
	if len(got) != 2 {
		t.Errorf("OnChange after cancel: %d calls", len(got))
	}
	// Nothing relevant: no call, no change.
	s.Reload([]string{filepath.Join(s.opts.NotesDir, ".hidden.md"), filepath.Join(s.opts.NotesDir, "x.txt")})
}

func TestSearchWithoutIndex(t *testing.T) {
	s := newTestServer(t, nil, nil)
	if rec := get(t, s, "/api/search?q=x"); rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d", rec.Code)
	}
	if rec := get(t, s, "/api/search"); rec.Code != http.StatusBadRequest {
		t.Errorf("empty query: status %d", rec.Code)
	}
	if rec := get(t, s, "/search"); rec.Code != http.StatusOK {
		t.Errorf("empty search page: status %d", rec.Code)
	}
}

var _ = httptest.NewRecorder

func TestMathPage(t *testing.T) {
	s := newTestServer(t, map[string]string{
		"notes/m.md":      "---\nkey: m\n---\n\n# M\n\nInline $\\mathcal{L}_{itc}$ and\n\n$$\\sum_i x_i$$\n",
		"notes/plain.md":  "---\nkey: plain\n---\n\n# Plain\n\nNo formulas.\n",
		"bib/placeholder": "",
	}, nil)
	body := get(t, s, "/p/m").Body.String()
	for _, want := range []string{`<script src="/assets/math.js" defer></script>`, `<link rel="stylesheet" href="/assets/math.css">`, `<span class="math inline">`} {
		if !strings.Contains(body, want) {
			t.Errorf("/p/m lacks %s", want)
		}
	}
	if strings.Contains(get(t, s, "/p/plain").Body.String(), "math.js") {
		t.Errorf("/p/plain loads the math script")
	}
	for _, a := range []string{"/assets/math.js", "/assets/math.css"} {
		rec := get(t, s, a)
		if rec.Code != http.StatusOK || rec.Body.Len() < 1000 {
			t.Errorf("%s: status %d, %d bytes", a, rec.Code, rec.Body.Len())
		}
	}
}

// After a note changes, the library page shows it, through a catalog
// rebuilt from the last one (Catalog.WithNotes), also after two reloads
// in a row with no page between them.
func TestReloadLibraryPage(t *testing.T) {
	s := newTestServer(t, bigLibrary(30), nil)
	if !strings.Contains(get(t, s, "/?status=read").Body.String(), "k0006") {
		t.Fatal("k0006 is not read at first")
	}
	note := filepath.Join(s.opts.NotesDir, "k0006.md")
	for i, st := range []string{"toread", "reading"} {
		os.WriteFile(note, []byte("---\nkey: k0006\nstatus: "+st+"\ntags: [new]\n---\n"), 0o644)
		if err := s.Reload([]string{note}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			continue // no page between the reloads
		}
	}
	if body := get(t, s, "/?status=reading&tag=new").Body.String(); !strings.Contains(body, ">k0006<") || !strings.Contains(body, "1 of 30 entries") {
		t.Errorf("the library does not show the reloaded note:\n%s", body)
	}
	if strings.Contains(get(t, s, "/?status=read").Body.String(), ">k0006<") {
		t.Errorf("the library still shows the old status")
	}
}

// Pages served while notes reload see one state or the other, never a
// half-made one (run with -race).
func TestConcurrentReload(t *testing.T) {
	s := newTestServer(t, bigLibrary(60), nil)
	note := filepath.Join(s.opts.NotesDir, "k0003.md")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				target := []string{"/", "/p/k0003", "/?sort=title&status=read", "/api/entries?tag=odd"}[(g+i)%4]
				if rec := get(t, s, target); rec.Code != http.StatusOK {
					t.Errorf("%s: status %d", target, rec.Code)
				}
			}
		}()
	}
	for i := range 20 {
		os.WriteFile(note, []byte(fmt.Sprintf("---\nkey: k0003\nstatus: %s\n---\n\n# P\n\n[@k%04d]\n", notesStatuses[i%3], i)), 0o644)
		if err := s.Reload([]string{note}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

func TestSearch(t *testing.T) {
	s := newTestServer(t, map[string]string{
		"bib/lib.bib":    "@article{glip, title={Grounded Language-Image Pre-training}, year={2022}}\n",
		"notes/glip.md":  "---\nkey: glip\ntags: [vlm]\nstatus: read\n---\n\n# GLIP\n\n## 摘要\n\n实现<b>开放词汇</b>目标检测 <script>x</script>。\n",
		"notes/other.md": "---\nkey: other\n---\n\n# Other\n\n## Method\n\nNothing here.\n",
	}, func(o *Options) {
		dir := filepath.Join(o.Root, ".papernotes")
		o.OpenIndex = func() (*index.Index, error) { return index.Open(filepath.Join(dir, "index.db")) }
		o.Sources = index.Sources{Root: o.Root, NotesDir: o.NotesDir, BibPaths: o.BibPaths}
	})
	rec := get(t, s, "/search?q=%E5%BC%80%E6%94%BE%E8%AF%8D%E6%B1%87&tag=vlm")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "<mark>开放词汇</mark>") || !strings.Contains(body, `<a href="/p/glip">glip</a>`) {
		t.Errorf("search page: status %d\n%s", rec.Code, body)
	}
	if m := activeHTML(body); m != nil {
		t.Errorf("active markup %q in the search page", m)
	}
	var hits []index.HitJSON
	rec = get(t, s, "/api/search?q=%E5%BC%80%E6%94%BE%E8%AF%8D%E6%B1%87")
	if err := json.Unmarshal(rec.Body.Bytes(), &hits); err != nil || len(hits) != 1 || hits[0].Key != "glip" || !strings.Contains(hits[0].Snippet, "**开放词汇**") || hits[0].Path != "notes/glip.md" {
		t.Errorf("/api/search: %v %+v", err, hits)
	}
	for _, bad := range []string{"/api/search?q=%28", "/api/search?q=x&status=done", "/api/search?q=x&year=abc", "/api/search?q=x&limit=-1", "/api/search?q=x&section=nosuch"} {
		if rec := get(t, s, bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400: %s", bad, rec.Code, rec.Body)
		}
	}
	if rec := get(t, s, "/search?q=%28"); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `class="error"`) {
		t.Errorf("bad query page: status %d", rec.Code)
	}
	// A note changed and reloaded is found by the next search.
	note := filepath.Join(s.opts.NotesDir, "other.md")
	os.WriteFile(note, []byte("---\nkey: other\n---\n\n# Other\n\n## Method\n\nNow about zebras.\n"), 0o644)
	s.Reload([]string{note})
	hits = nil
	json.Unmarshal(get(t, s, "/api/search?q=zebras").Body.Bytes(), &hits)
	if len(hits) != 1 || hits[0].Key != "other" {
		t.Errorf("after reload: %+v", hits)
	}
}
