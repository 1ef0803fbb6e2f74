package live_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/web/live"
)

// readEvent reads lines up to the end of the next event.
func readEvent(t *testing.T, r *bufio.Reader) (event, data string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read event: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && event != "":
			return event, data
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
}

func TestHub(t *testing.T) {
	t.Parallel()
	var hub live.Hub
	srv := httptest.NewServer(&hub)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type %q", ct)
	}
	br := bufio.NewReader(resp.Body)
	// The opening comment arrives before any event: the stream is open.
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, ":") {
		t.Fatalf("first line %q, %v", line, err)
	}
	for hub.Streams() == 0 {
		time.Sleep(time.Millisecond)
	}
	hub.Publish("notes/a.md\nchanged")
	if ev, data := readEvent(t, br); ev != "reload" || data != "notes/a.md changed" {
		t.Errorf("event %q data %q", ev, data)
	}
	hub.Publish("second")
	if ev, data := readEvent(t, br); ev != "reload" || data != "second" {
		t.Errorf("event %q data %q", ev, data)
	}
	hub.Close()
	if _, err := br.ReadString('\n'); err == nil {
		// Drain to the end: the stream must end after Close.
		for err == nil {
			_, err = br.ReadString('\n')
		}
	}
	resp2, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("after Close: %s", resp2.Status)
	}
}

func TestHubMethod(t *testing.T) {
	t.Parallel()
	var hub live.Hub
	rec := httptest.NewRecorder()
	hub.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/events", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
}
