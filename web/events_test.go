package web

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLiveReload edits a note on disk and waits for the reload event on
// /events, then finds the new text in the server's state. The budget is
// a context deadline, not a timing assertion.
func TestLiveReload(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var s *Server
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.ServeHTTP(w, r) }))
	addr := ts.Listener.Addr().String()
	s = newTestServer(t, map[string]string{
		"bib/lib.bib": "@article{a, title={A}}\n",
		"notes/a.md":  "---\nkey: a\n---\n# Old title\n",
	}, func(o *Options) { o.Addr = addr })
	ts.Start()
	defer ts.Close()
	defer s.CloseEvents()
	done, err := s.Watch(ctx, 10*time.Millisecond, func(err error) { t.Log(err) })
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events", nil)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("/events: %s %q", resp.Status, ct)
	}
	br := bufio.NewReader(resp.Body)
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, ":") {
		t.Fatalf("first line %q, %v", line, err)
	}
	note := filepath.Join(s.opts.NotesDir, "a.md")
	if err := os.WriteFile(note, []byte("---\nkey: a\n---\n# New title\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var event, data string
	for event == "" {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("no event before the deadline: %v", err)
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "event: "); ok {
			event = v
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "data: "); ok {
			data = v
		}
	}
	if event != "reload" {
		t.Errorf("event %q", event)
	}
	line, _ := br.ReadString('\n')
	if v, ok := strings.CutPrefix(strings.TrimSpace(line), "data: "); ok {
		data = v
	}
	if !strings.Contains(data, "a.md") {
		t.Errorf("event data %q does not name the note", data)
	}
	if n := s.snapshot().byKey["a"]; n == nil || !strings.Contains(string(n.Source), "New title") {
		t.Errorf("after the event the note is %+v", n)
	}
	// Every page loads the script that follows /events.
	fetch := func(path string) (string, string) {
		t.Helper()
		r, err := ts.Client().Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.Header.Get("Content-Type"), string(b)
	}
	if _, page := fetch("/"); !strings.Contains(page, `<script src="/assets/live.js" defer></script>`) {
		t.Error("the layout does not load /assets/live.js")
	}
	if ct, js := fetch("/assets/live.js"); !strings.Contains(js, "EventSource") || !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("/assets/live.js: %q %s", ct, js)
	}
	cancel()
	<-done
}
