package web

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/index"
	"github.com/papernotes/papernotes/internal/mathjs"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/web/live"
)

//go:embed assets templates
var embedded embed.FS

// Options configure a [Server]. Paths are absolute. The zero value of each
// optional field works.
type Options struct {
	// Root is the workspace folder; note paths are shown relative to it.
	Root string
	// NotesDir is the notes folder.
	NotesDir string
	// BibPaths are the configured .bib files and folders (bib.paths), for
	// telling which changed paths are bib files in [Server.Reload].
	BibPaths []string
	// LoadLibrary reads the library from BibPaths. Nil means an empty
	// library.
	LoadLibrary func() (*bib.Library, error)
	// NoteOptions are the notes' parse options (section aliases, Root).
	NoteOptions notes.Options
	// AllowHTML passes raw HTML in notes through, as notes.allow_html does
	// for render (never script: the Content-Security-Policy blocks it).
	AllowHTML bool
	// Lang is the workspace's language ("zh", "en"); "" means "zh".
	Lang string
	// OpenIndex opens the search index; Sources say what it indexes. Nil
	// OpenIndex disables search (the page says so).
	OpenIndex func() (*index.Index, error)
	Sources   index.Sources

	// Addr is the address the server listens on (host:port, after
	// listening, so a ":0" port is known). Requests whose Host is neither
	// it, localhost:PORT, 127.0.0.1:PORT nor [::1]:PORT are refused. On an
	// unspecified address (0.0.0.0, [::]), which needs a Token, any host
	// name with the port is accepted: the machine's names are not known,
	// and the token, a cookie of the server's own origin, is what keeps a
	// rebound name out.
	Addr string
	// Token, when not "", is required on every request.
	Token string
	// PageSize is the number of library rows per page; 0 means 200.
	PageSize int
	// WeekReport writes a week's report as `report` does, for /week/;
	// nil leaves the week pages out (they say so).
	WeekReport WeekReportFunc
	// Meeting is the group meeting's weekday (report.weekday), for the
	// weeks listed at /week/.
	Meeting time.Weekday
	// Display turns an absolute path into the one shown (relative to the
	// working directory, say) in pages and JSON; nil shows paths relative
	// to Root.
	Display func(string) string
}

// Server is the web view, an [http.Handler]. Make one with [New]; it is
// safe for concurrent use.
type Server struct {
	opts    Options
	tmpl    *template.Template
	static  fs.FS
	mux     []route
	csp     string
	allowed map[string]bool
	// anyHostPort, when set, accepts any Host with this port (a server on
	// an unspecified address, with a token).
	anyHostPort string

	mu       sync.RWMutex
	state    *state
	reloadMu sync.Mutex

	// events tells open pages to reload after a change (/events).
	events live.Hub

	subMu sync.Mutex
	subs  map[int]func(paths []string)
	nsub  int

	ixOnce sync.Once
	ix     *index.Index
	ixErr  error
	// indexFresh is true once a search has synced the index and no
	// Reload came since.
	indexFresh atomic.Bool
}

var _ http.Handler = (*Server)(nil)

// route is one entry of the route table. A path ending in "/" is a prefix
// (the handler reads the rest, a key say); any other path is exact.
type route struct {
	method  string
	path    string
	nav     string // the nav item the page belongs to, for the layout
	handler func(s *Server, w http.ResponseWriter, r *http.Request)
}

// navItems is the layout's nav, in order.
var navItems = []struct{ Name, URL string }{
	{"Library", "/"},
	{"Search", "/search"},
	{"Weeks", "/week/"},
	{"Graph", "/graph"},
}

// routes is the route table.
func (s *Server) routes() []route {
	return []route{
		{"GET", "/assets/", "", (*Server).serveAsset},
		{"GET", "/", "Library", (*Server).serveLibrary},
		{"GET", "/p/", "Library", (*Server).servePaper},
		{"GET", "/search", "Search", (*Server).serveSearch},
		{"GET", "/api/entries", "", (*Server).apiEntries},
		{"GET", "/api/entry/", "", (*Server).apiEntry},
		{"GET", "/api/note/", "", (*Server).apiNote},
		{"GET", "/api/search", "", (*Server).apiSearch},
		{"GET", "/api/week/", "", (*Server).apiWeek},
		{"GET", "/week/", "Weeks", (*Server).serveWeek},
		{"GET", "/graph", "Graph", (*Server).serveGraph},
		{"GET", "/events", "", (*Server).serveEvents},
	}
}

// inlineScripts and inlineStyles are embedded scripts and stylesheets a
// page may carry inline (a report's own <style>, say); their hashes go into
// the Content-Security-Policy. Pages use /assets/* instead where they can.
var inlineScripts, inlineStyles []string

// New returns a Server over opts and loads the library and the notes. It
// fails when the library cannot be loaded; notes with problems still show
// with what could be read.
func New(opts Options) (*Server, error) {
	if opts.PageSize <= 0 {
		opts.PageSize = 200
	}
	if opts.Lang == "" {
		opts.Lang = "zh"
	}
	if opts.Display == nil {
		root := opts.Root
		opts.Display = func(p string) string {
			if rel, ok := under(root, p); ok {
				return filepath.ToSlash(rel)
			}
			return p
		}
	}
	tmpl, err := template.New("").Funcs(funcs).ParseFS(embedded, "templates/*.html")
	if err != nil {
		return nil, err
	}
	static, _ := fs.Sub(embedded, "assets")
	s := &Server{opts: opts, tmpl: tmpl, static: static, subs: map[int]func([]string){}}
	s.mux = s.routes()
	s.csp = csp(inlineScripts, inlineStyles)
	s.allowed = allowedHosts(opts.Addr)
	if host, port, err := net.SplitHostPort(opts.Addr); err == nil && !IsLoopback(host) {
		if opts.Token == "" {
			return nil, fmt.Errorf("%s is not a loopback address: a token is required", opts.Addr)
		}
		if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
			s.anyHostPort = port
		}
	}
	st, err := load(&s.opts)
	if err != nil {
		return nil, err
	}
	st.catalog(s.opts.Display) // the first library page is then as fast as the others
	s.state = st
	s.OnChange(s.publishChange)
	return s, nil
}

// Close closes the search index if a search opened it; later searches
// fail. Call it once the server no longer serves.
func (s *Server) Close() error {
	s.ixOnce.Do(func() { s.ixErr = errClosed }) // no index opened after Close
	if s.ix != nil {
		return s.ix.Close()
	}
	return nil
}

// csp is the Content-Security-Policy of every response: nothing from
// other origins, scripts from the same origin or inline by hash.
func csp(scripts, styles []string) string {
	hashes := func(texts []string) string {
		src := "'self'"
		for _, t := range texts {
			sum := sha256.Sum256([]byte(t))
			src += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		}
		return src
	}
	// font-src data: is for Temml's one font, which its stylesheet
	// (/assets/math.css) carries as a data: URL.
	return "default-src 'self'; script-src " + hashes(scripts) + "; style-src " + hashes(styles) + "; img-src 'self'; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// allowedHosts are the Host header values accepted for a server bound to
// addr.
func allowedHosts(addr string) map[string]bool {
	m := map[string]bool{}
	if addr == "" {
		return m
	}
	m[strings.ToLower(addr)] = true
	if _, port, err := net.SplitHostPort(addr); err == nil {
		for _, h := range []string{"localhost", "127.0.0.1", "[::1]"} {
			m[h+":"+port] = true
		}
	}
	return m
}

const tokenCookie = "papernotes_token"

// ServeHTTP implements [http.Handler]: security headers, the Host check,
// the token, then the route table.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !s.hostOK(r.Host) {
		http.Error(w, "forbidden: host "+quoteHost(r.Host)+" is not the address papernotes serve listens on", http.StatusForbidden)
		return
	}
	if s.opts.Token != "" && !s.authorized(w, r) {
		return
	}
	path := r.URL.EscapedPath()
	for _, rt := range s.mux {
		if path != rt.path && !(strings.HasSuffix(rt.path, "/") && rt.path != "/" && strings.HasPrefix(path, rt.path)) {
			continue
		}
		if r.Method != rt.method && !(rt.method == "GET" && r.Method == "HEAD") {
			h.Set("Allow", rt.method)
			s.fail(w, r, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed")
			return
		}
		rt.handler(s, w, withNav(r, rt.nav))
		return
	}
	s.fail(w, r, http.StatusNotFound, "no page at "+r.URL.Path)
}

// hostOK reports whether a request's Host header names this server.
func (s *Server) hostOK(host string) bool {
	if s.allowed[strings.ToLower(host)] {
		return true
	}
	if s.anyHostPort == "" {
		return false
	}
	_, port, err := net.SplitHostPort(host)
	return err == nil && port == s.anyHostPort
}

// IsLoopback reports whether host (of a host:port) is localhost or a
// loopback IP: an address only this machine can reach, which needs no
// token.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// quoteHost quotes a Host header for an error message, bounded.
func quoteHost(h string) string {
	if len(h) > 100 {
		h = h[:100]
	}
	return `"` + strings.ToValidUTF8(h, "?") + `"`
}

// authorized checks the token (cookie, headers, or ?token=, which also
// sets the cookie and redirects to the URL without it) and answers 401
// itself when it is missing or wrong.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if t := r.URL.Query().Get("token"); t != "" {
		if !s.tokenOK(t) {
			http.Error(w, "unauthorized: wrong token", http.StatusUnauthorized)
			return false
		}
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		q := r.URL.Query()
		q.Del("token")
		// The redirect stays on this server: "//host/x" would leave it.
		path := "/" + strings.TrimLeft(r.URL.EscapedPath(), "/\\")
		if q := q.Encode(); q != "" {
			path += "?" + q
		}
		http.Redirect(w, r, path, http.StatusSeeOther)
		return false
	}
	if c, err := r.Cookie(tokenCookie); err == nil && s.tokenOK(c.Value) {
		return true
	}
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && s.tokenOK(strings.TrimSpace(t)) {
		return true
	}
	if t := r.Header.Get("X-Papernotes-Token"); t != "" && s.tokenOK(t) {
		return true
	}
	http.Error(w, "unauthorized: this server needs its token (open the link papernotes serve printed)", http.StatusUnauthorized)
	return false
}

func (s *Server) tokenOK(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.opts.Token)) == 1
}

// layoutData is what the layout template gets.
type layoutData struct {
	Lang, Title string
	Nav         []navLink
	Body        template.HTML
	Scripts     []string
	Styles      []string
	Narrow      bool
}

type navLink struct {
	Name, URL string
	Active    bool
}

// withNav records the nav item of the route on the request's context.
func withNav(r *http.Request, nav string) *http.Request {
	if nav == "" {
		return r
	}
	return r.WithContext(contextWithNav(r.Context(), nav))
}

// PageOptions are the optional parts of a page for [Server.pageWith].
type PageOptions struct {
	// Scripts are extra same-origin script URLs (/assets/x.js), Styles
	// extra stylesheets.
	Scripts, Styles []string
	// Math adds the math renderer (/assets/math.js and math.css, Temml
	// from internal/mathjs) so the body's "math inline"/"math display"
	// elements become MathML.
	Math bool
	// Narrow sets a reading width instead of the full width.
	Narrow bool
	// Status is the HTTP status; 0 means 200.
	Status int
}

// page writes body wrapped in the layout, titled title, with status 200.
func (s *Server) page(w http.ResponseWriter, r *http.Request, title string, body template.HTML) {
	s.pageWith(w, r, title, body, PageOptions{})
}

// pageWith is [Server.page] with options.
func (s *Server) pageWith(w http.ResponseWriter, r *http.Request, title string, body template.HTML, po PageOptions) {
	active := navFrom(r.Context())
	d := layoutData{Lang: s.opts.Lang, Title: title, Body: body, Scripts: po.Scripts, Styles: po.Styles, Narrow: po.Narrow}
	if po.Math {
		d.Scripts = append(d.Scripts, "/assets/math.js")
		d.Styles = append(d.Styles, "/assets/math.css")
	}
	for _, n := range navItems {
		d.Nav = append(d.Nav, navLink{Name: n.Name, URL: n.URL, Active: n.Name == active})
	}
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, "layout", d); err != nil {
		http.Error(w, "render page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if po.Status != 0 {
		w.WriteHeader(po.Status)
	}
	w.Write(buf.Bytes())
}

// execute runs the named template of templates/ with data and returns the
// HTML, for [Server.page].
func (s *Server) execute(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// fail writes an error page (JSON {"error": msg} under /api/) with the
// status code.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"error": msg})
		return
	}
	body, err := s.execute("error", struct {
		Status  string
		Message string
	}{http.StatusText(code), msg})
	if err != nil {
		http.Error(w, msg, code)
		return
	}
	s.pageWith(w, r, http.StatusText(code), body, PageOptions{Status: code, Narrow: true})
}

// writeJSON writes v as indented JSON, HTML characters unescaped, as the
// CLI's --json does.
func writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(buf.Bytes())
}

// serveAsset serves the embedded CSS and scripts.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/assets/")
	if name == "" || strings.Contains(name, "/") {
		s.fail(w, r, http.StatusNotFound, "no asset "+name)
		return
	}
	b, err := fs.ReadFile(s.static, name)
	switch name {
	case "math.js":
		b, err = []byte(mathjs.Script()), nil
	case "math.css":
		b, err = []byte(mathjs.Style()), nil
	}
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "no asset "+name)
		return
	}
	switch {
	case strings.HasSuffix(name, ".css"):
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}
