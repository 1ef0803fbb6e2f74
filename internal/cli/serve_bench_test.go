package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/papernotes/papernotes/web"
)

// The serve benchmarks (scripts/bench-serve.sh) run on the workspace named
// by PAPERNOTES_BENCH_SERVE_WS, else on a generated one of
// PAPERNOTES_BENCH_SERVE_N notes (default 10,000) plus the example's two
// papers, made once per run. Requests go over HTTP on 127.0.0.1.

var benchWS struct {
	once sync.Once
	dir  string
}

func benchWorkspace(b *testing.B) string {
	b.Helper()
	if ws := os.Getenv("PAPERNOTES_BENCH_SERVE_WS"); ws != "" {
		return ws
	}
	benchWS.once.Do(func() {
		n := 10000
		if v := os.Getenv("PAPERNOTES_BENCH_SERVE_N"); v != "" {
			fmt.Sscan(v, &n)
		}
		dir, err := os.MkdirTemp("", "papernotes-bench-serve-")
		if err != nil {
			b.Fatal(err)
		}
		// Not b.TempDir: the workspace outlives one benchmark.
		tb := &tbDir{B: b, dir: dir}
		benchWS.dir = genWorkspace(tb, n)
	})
	return benchWS.dir
}

// tbDir hands genWorkspace a temporary folder that outlives one benchmark.
type tbDir struct {
	*testing.B
	dir string
}

func (t *tbDir) TempDir() string { return t.dir }

// benchServer starts serve's web.Server for ws behind an HTTP listener.
func benchServer(b *testing.B, ws string) (*web.Server, *httptest.Server) {
	b.Helper()
	var srv *web.Server
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) }))
	ios, _, _, _ := Test()
	f := NewFactory(ios, func(string) string { return "" })
	f.WorkDir = ws
	cfg, err := f.Config()
	if err != nil {
		b.Fatal(err)
	}
	srv, err = newWebServer(f, cfg, ts.Listener.Addr().String(), "", io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	ts.Start()
	b.Cleanup(func() { srv.CloseEvents(); ts.Close(); srv.Close() })
	return srv, ts
}

func benchGet(b *testing.B, c *http.Client, u string) {
	resp, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || n == 0 {
		b.Fatalf("GET %s: %s, %d bytes", u, resp.Status, n)
	}
}

// BenchmarkServeStart is serve's start: the library and every note loaded.
func BenchmarkServeStart(b *testing.B) {
	ws := benchWorkspace(b)
	b.ReportAllocs()
	for b.Loop() {
		ios, _, _, _ := Test()
		f := NewFactory(ios, func(string) string { return "" })
		f.WorkDir = ws
		cfg, err := f.Config()
		if err != nil {
			b.Fatal(err)
		}
		srv, err := newWebServer(f, cfg, "127.0.0.1:0", "", io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}

// BenchmarkServePages requests the library page, a paper page and a
// search (the index built before the timer), one sub-benchmark each.
func BenchmarkServePages(b *testing.B) {
	ws := benchWorkspace(b)
	_, ts := benchServer(b, ws)
	c := ts.Client()
	q := "/api/search?q=" + "%E5%BC%80%E6%94%BE%E8%AF%8D%E6%B1%87" // 开放词汇
	benchGet(b, c, ts.URL+q)                                       // builds the index
	for _, p := range []struct{ name, path string }{
		{"library", "/"},
		{"paper", "/p/li2023blip"},
		{"search", q},
		{"week", "/week/2025-11-19"},
		{"graph-week", "/graph?week=2025-11-19"},
		{"graph-all", "/graph"},
	} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchGet(b, c, ts.URL+p.path)
			}
		})
	}
}

// BenchmarkServeReload edits one note and reloads: Server.Reload alone,
// then the whole path from the write to the /events message (fsnotify,
// the 50 ms debounce, the reload and the event).
func BenchmarkServeReload(b *testing.B) {
	ws := benchWorkspace(b)
	srv, ts := benchServer(b, ws)
	note := filepath.Join(ws, "notes", "li2023blip.md")
	orig, err := os.ReadFile(note)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.WriteFile(note, orig, 0o644) })
	i := 0
	edit := func() {
		i++
		if err := os.WriteFile(note, fmt.Appendf(append([]byte(nil), orig...), "\nedit %d\n", i), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Reload", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			edit()
			if err := srv.Reload([]string{note}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("write-to-event", func(b *testing.B) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done, err := srv.Watch(ctx, 0, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer func() { cancel(); <-done }()
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events", nil)
		resp, err := ts.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		br := bufio.NewReader(resp.Body)
		br.ReadString('\n')
		for b.Loop() {
			edit()
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					b.Fatal(err)
				}
				if strings.HasPrefix(line, "event: reload") {
					break
				}
			}
		}
	})
}
