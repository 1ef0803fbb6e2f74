package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzKeyPath checks that every key survives KeyURL, a request's URL
// parsing and KeyFromPath, and that no path makes KeyFromPath panic or
// return an empty key without an error.
func FuzzKeyPath(f *testing.F) {
	for _, k := range oddKeys {
		f.Add(k)
	}
	for _, s := range []string{"li2023blip", "%", "%%", "%zz", "/", "a//b", "?key=..", "#", "\x00", "\xff", "..%2F..", "%2e%2e", "键/键"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		// Any escaped path: no panic, no empty key.
		if k, err := KeyFromPath("/p/", "/p/"+key, key); err == nil && k == "" {
			t.Fatalf("KeyFromPath(%q) = empty key", key)
		}
		if key == "" {
			return
		}
		target := KeyURL("/p/", key)
		if strings.ContainsAny(target, "#") {
			t.Fatalf("KeyURL(%q) = %q has a fragment", key, target)
		}
		u, err := url.Parse(target)
		if err != nil {
			t.Fatalf("KeyURL(%q) = %q does not parse: %v", key, target, err)
		}
		req := httptest.NewRequest("GET", target, nil)
		for _, v := range []*url.URL{u, req.URL} {
			got, err := KeyFromPath("/p/", v.EscapedPath(), v.RawQuery)
			if err != nil || got != key {
				t.Fatalf("KeyFromPath(KeyURL(%q) = %q) = %q, %v", key, target, got, err)
			}
			// A browser resolves dot segments: a key's path never is one.
			seg := strings.TrimPrefix(v.EscapedPath(), "/p/")
			if l := strings.ToLower(seg); l == "." || l == ".." || l == "%2e" || l == "%2e%2e" || l == ".%2e" || l == "%2e." {
				t.Fatalf("KeyURL(%q) = %q is a dot segment", key, target)
			}
			if strings.Contains(seg, "/") {
				t.Fatalf("KeyURL(%q) = %q has more than one segment", key, target)
			}
		}
	})
}

// FuzzServe sends any path and query to a server over a small workspace:
// no panic, the security headers on every answer, and no server error
// except a search without an index.
func FuzzServe(f *testing.F) {
	for _, s := range []string{"/", "/?q=a&tag=x&status=read&year=2020..&note=yes&sort=title&desc=1&page=2", "/p/k0003", "/p/?key=..",
		"/api/entries?year=..", "/api/entry/k0001", "/api/note/k0003", "/search?q=(", "/assets/style.css", "/p/%E4%B8%AD", "/api/entries?page=-1&year=abc"} {
		f.Add(s)
	}
	s := newTestServer(f, bigLibrary(12), nil)
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.ParseRequestURI(target)
		if err != nil || u.Host != "" || u.Scheme != "" {
			return
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.URL = u
		req.RequestURI = target
		req.Host = testAddr
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: no security headers", target)
		}
		if rec.Code >= 500 && !strings.Contains(rec.Body.String(), "no index") {
			t.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
		}
	})
}
