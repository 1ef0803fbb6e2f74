package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/papernotes/papernotes/fswatch"
)

// Watch starts reloading the server when a note (under NotesDir) or a
// library file (BibPaths) changes on disk, through [Server.Reload] after a
// quiet period of debounce (0 means 50ms); open pages then reload
// themselves (the /events stream). It returns once the folders are
// watched, with a channel closed when watching has stopped (ctx done).
// Errors of the watcher and of reloads go to onError (nil drops them);
// Watch itself fails only when the folders cannot be watched at all.
func (s *Server) Watch(ctx context.Context, debounce time.Duration, onError func(error)) (done <-chan struct{}, err error) {
	roots := append([]string{s.opts.NotesDir}, s.opts.BibPaths...)
	w, err := fswatch.New(roots, fswatch.Options{
		Debounce: debounce,
		Want:     func(p string) bool { return s.isNote(p) || s.isBib(p) },
		OnError:  onError,
	})
	if err != nil {
		return nil, err
	}
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		defer w.Close()
		w.Run(ctx, func(paths []string) {
			if err := s.Reload(paths); err != nil && onError != nil {
				onError(err)
			}
		})
	}()
	return ch, nil
}

// publishChange tells the open pages that paths were reloaded.
func (s *Server) publishChange(paths []string) {
	shown := make([]string, len(paths))
	for i, p := range paths {
		shown[i] = s.opts.Display(p)
	}
	s.events.Publish(strings.Join(shown, " "))
}

// CloseEvents ends the open /events streams, which would otherwise keep
// [http.Server.Shutdown] waiting; register it with
// [http.Server.RegisterOnShutdown].
func (s *Server) CloseEvents() { s.events.Close() }

// serveEvents streams a "reload" event to the page after each reload.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	s.events.ServeHTTP(w, r)
}
