package live

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// Hub fans reload events out to every open /events stream. The zero
// value is ready to use; a Hub is safe for concurrent use.
type Hub struct {
	mu     sync.Mutex
	subs   map[chan string]struct{}
	closed bool
}

var _ http.Handler = (*Hub)(nil)

// Publish sends a "reload" event to every open stream; what says what
// changed (a line of text, for the browser's console; newlines become
// spaces). A stream that has not yet taken the previous event gets only
// the latest one: a page reloads once either way.
func (h *Hub) Publish(what string) {
	what = strings.Join(strings.Fields(what), " ")
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case <-ch: // drop the stale event
		default:
		}
		ch <- what
	}
}

// Close ends every open stream and refuses new ones (for server shutdown,
// where open streams would otherwise keep [http.Server.Shutdown] waiting).
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		close(ch)
		delete(h.subs, ch)
	}
}

// Streams returns the number of open streams.
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

func (h *Hub) subscribe() (chan string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	if h.subs == nil {
		h.subs = map[chan string]struct{}{}
	}
	ch := make(chan string, 1)
	h.subs[ch] = struct{}{}
	return ch, true
}

func (h *Hub) unsubscribe(ch chan string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

// ServeHTTP streams events (text/event-stream) until the client goes
// away or the hub is closed. It starts with a comment line so that the
// browser's EventSource opens at once.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	ch, ok := h.subscribe()
	if !ok {
		http.Error(w, "server is shutting down", http.StatusServiceUnavailable)
		return
	}
	defer h.unsubscribe(ch)
	rc := http.NewResponseController(w)
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, ": papernotes live reload\nretry: 1000\n\n"); err != nil {
		return
	}
	if err := rc.Flush(); err != nil || r.Method == http.MethodHead {
		return
	}
	for {
		select {
		case what, ok := <-ch:
			if !ok {
				return
			}
			if _, err := fmt.Fprintf(w, "event: reload\ndata: %s\n\n", what); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}
