package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/bib"
)

const testAddr = "127.0.0.1:8470"

// newTestServer builds a Server over a workspace made of files (path
// relative to the workspace: content).
func newTestServer(t testing.TB, files map[string]string, mod func(*Options)) *Server {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bibDir := filepath.Join(root, "bib")
	opts := Options{
		Root:     root,
		NotesDir: filepath.Join(root, "notes"),
		BibPaths: []string{bibDir},
		LoadLibrary: func() (*bib.Library, error) {
			if _, err := os.Stat(bibDir); err != nil {
				return bib.NewLibrary(nil, bib.LoadOptions{}), nil
			}
			return bib.LoadDir(bibDir, bib.LoadOptions{})
		},
		Addr: testAddr,
	}
	if mod != nil {
		mod(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// get requests target from s with a good Host header.
func get(t testing.TB, s http.Handler, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.Host = testAddr
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func checkSecurityHeaders(t *testing.T, rec *httptest.ResponseRecorder, what string) {
	t.Helper()
	h := rec.Header()
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("%s: Content-Security-Policy = %q", what, csp)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q", what, got)
	}
	if got := h.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy = %q", what, got)
	}
}

func TestHostRefused(t *testing.T) {
	s := newTestServer(t, nil, nil)
	for _, host := range []string{"evil.example:8470", "127.0.0.1:9999", "localhost", "attacker.com", ""} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("Host %q: status %d, want 403", host, rec.Code)
		}
		checkSecurityHeaders(t, rec, "refused host "+host)
	}
	for _, host := range []string{testAddr, "localhost:8470", "LOCALHOST:8470", "[::1]:8470"} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("Host %q: status %d, want 200", host, rec.Code)
		}
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	s := newTestServer(t, nil, nil)
	for _, target := range []string{"/", "/nowhere", "/p/unknown", "/api/entry/unknown", "/assets/style.css", "/assets/nope.js", "/search?q=x"} {
		rec := get(t, s, target)
		checkSecurityHeaders(t, rec, target)
	}
	req := httptest.NewRequest("POST", "/", nil)
	req.Host = testAddr
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d", rec.Code)
	}
	checkSecurityHeaders(t, rec, "POST /")
}
