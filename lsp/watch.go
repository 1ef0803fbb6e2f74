package lsp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/papernotes/papernotes/fswatch"
)

// The server reloads a file when it changes on disk. A client that can
// watch files for it (workspace.didChangeWatchedFiles.dynamicRegistration)
// is asked to, with globs over the library, the notes, the journal and
// reports, and the .tex roots; otherwise the server watches those folders
// itself with fsnotify.

// watchGlob is one pattern of files the server reloads: the files under
// Dir matching Pattern, or the file Dir itself when Pattern is "".
type watchGlob struct{ Dir, Pattern string }

// globMeta are the characters that are special in an LSP glob pattern. The
// protocol has no escape for them, so a path holding one can only be sent
// as the base of a RelativePattern, whose baseUri is not a glob.
const globMeta = "*?[]{}"

// absolute returns g as one absolute glob pattern, or false when its path
// holds a glob character.
func (g watchGlob) absolute() (string, bool) {
	dir := filepath.ToSlash(g.Dir)
	if strings.ContainsAny(dir, globMeta) {
		return "", false
	}
	if g.Pattern == "" {
		return dir, true
	}
	return strings.TrimSuffix(dir, "/") + "/" + g.Pattern, true
}

// relative returns g as an LSP RelativePattern, or false when a single
// file's name holds a glob character.
func (g watchGlob) relative() (map[string]any, bool) {
	base, pattern := g.Dir, g.Pattern
	if pattern == "" {
		base, pattern = filepath.Dir(g.Dir), filepath.Base(g.Dir)
		if strings.ContainsAny(pattern, globMeta) {
			return nil, false
		}
	}
	return map[string]any{"baseUri": pathURI(base), "pattern": pattern}, true
}

// watchGlobs returns the patterns of the files the server reloads.
func watchGlobs(ws Workspace) []watchGlob {
	var out []watchGlob
	seen := map[watchGlob]bool{}
	add := func(dir, pattern string) {
		if dir == "" {
			return
		}
		g := watchGlob{filepath.Clean(dir), pattern}
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	for _, p := range ws.BibPaths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			add(p, "**/*.bib")
		} else {
			add(p, "")
		}
	}
	add(ws.NotesDir, "**/*.md")
	add(ws.JournalDir, "**/*.md")
	add(ws.ReportDir, "**/*.md")
	add(ws.Root, "**/*.tex")
	for _, r := range ws.TexRoots {
		add(r, "**/*.tex")
	}
	return out
}

// watchers returns the watchers of a didChangeWatchedFiles registration
// for globs, as RelativePatterns when the client supports them and as
// absolute patterns otherwise; false when some path cannot be written as a
// pattern the client understands, and the server must watch by itself.
func watchers(globs []watchGlob, relative bool) ([]map[string]any, bool) {
	var out []map[string]any
	for _, g := range globs {
		var pattern any
		var ok bool
		if relative {
			pattern, ok = g.relative()
		} else {
			pattern, ok = g.absolute()
		}
		if !ok {
			return nil, false
		}
		out = append(out, map[string]any{"globPattern": pattern})
	}
	return out, true
}

// watchDirs returns the folders fsnotify must watch (it is not recursive):
// every folder under the roots, skipping hidden ones, and the folder of
// each library file named directly.
func watchDirs(ws Workspace) []string {
	var roots []string
	for _, p := range ws.BibPaths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			roots = append(roots, p)
		} else {
			roots = append(roots, filepath.Dir(p))
		}
	}
	roots = append(roots, ws.NotesDir, ws.JournalDir, ws.ReportDir, ws.Root)
	roots = append(roots, ws.TexRoots...)
	seen := map[string]bool{}
	var out []string
	for _, r := range roots {
		if r == "" {
			continue
		}
		for _, d := range fswatch.Subdirs(r) {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// wants reports whether a change to path matters to the server: a
// library file, a note, a journal or report file, or a .tex file under
// a tex root.
func (st *state) wants(path string) bool {
	ws := st.ws
	switch st.kindOf(path) {
	case kindBib:
		return st.inLibrary(path) || st.coveredByBibPaths(path)
	case kindNote:
		return true
	case kindMarkdown:
		return within(path, ws.JournalDir) || within(path, ws.ReportDir)
	case kindTeX:
		if within(path, ws.Root) {
			return true
		}
		for _, r := range ws.TexRoots {
			if within(path, r) {
				return true
			}
		}
	}
	return false
}

// reloadLocked re-reads the files that changed on disk (deleted ones are
// dropped) and schedules the open documents' diagnostics. Open buffers win
// over the disk.
func (s *Server) reloadLocked(paths []string) {
	if s.loading && !s.fullLoaded {
		if s.changedEarly == nil {
			s.changedEarly = map[string]bool{}
		}
		for _, p := range paths {
			s.changedEarly[p] = true
		}
	}
	s.applyLocked(paths)
}

// applyLocked re-reads paths from disk into the workspace state.
func (s *Server) applyLocked(paths []string) {
	if s.st == nil {
		return
	}
	for _, path := range paths {
		if path == "" || s.docs[path] != nil {
			continue
		}
		src, err := readFile(path)
		if err != nil {
			s.st.update(path, nil)
			continue
		}
		if s.st.kindOf(path) == kindBib && !s.st.inLibrary(path) && s.st.coveredByBibPaths(path) {
			s.st.addBib(path)
		}
		s.st.update(path, &src)
	}
	for p := range s.docs {
		s.pending[p] = true
	}
	s.scheduleLocked()
}

// reloadEarlyLocked re-reads the files reported changed while the load
// in progress was reading, once one of its phases is installed; after the
// last phase (done) it forgets them.
func (s *Server) reloadEarlyLocked(done bool) {
	if len(s.changedEarly) == 0 {
		return
	}
	paths := make([]string, 0, len(s.changedEarly))
	for p := range s.changedEarly {
		paths = append(paths, p)
	}
	if done {
		s.changedEarly = nil
	}
	sort.Strings(paths)
	s.applyLocked(paths)
}

// startWatching sets up reloading on disk changes once the client is
// initialized and the workspace known: by registration with the client
// when it can watch, by fsnotify otherwise.
func (s *Server) startWatching() {
	s.mu.Lock()
	ws := s.watchWS
	if s.watching || !s.clientReady || ws == nil {
		s.mu.Unlock()
		return
	}
	s.watching = true
	dynamic := s.capabilities.watchRegistration
	relative := s.capabilities.relativePatterns
	s.mu.Unlock()
	if dynamic {
		dynamic = false
		if watchers, ok := watchers(watchGlobs(*ws), relative); ok {
			dynamic = true
			_ = s.conn.request("papernotes/watch", "client/registerCapability", map[string]any{
				"registrations": []map[string]any{{
					"id":              "papernotes-watch",
					"method":          "workspace/didChangeWatchedFiles",
					"registerOptions": map[string]any{"watchers": watchers},
				}},
			})
			return
		}
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		s.logf("lsp: watch: %v\n", err)
		return
	}
	for _, d := range watchDirs(*ws) {
		if err := w.Add(d); err != nil {
			s.logf("lsp: watch %s: %v\n", d, err)
		}
	}
	s.mu.Lock()
	s.watcher = w
	s.mu.Unlock()
	go s.watchLoop(w)
}

// watchLoop collects fsnotify events and reloads the files they name
// after a quiet period, so that a burst of writes re-parses a file once.
func (s *Server) watchLoop(w *fsnotify.Watcher) {
	delay := s.opts.Debounce
	if delay < 0 {
		delay = 0
	}
	changed := map[string]bool{}
	var fire <-chan time.Time
	var timer *time.Timer
	for {
		select {
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() && !strings.HasPrefix(fi.Name(), ".") {
					for _, d := range fswatch.Subdirs(ev.Name) {
						_ = w.Add(d)
					}
					for _, p := range fswatch.Files(ev.Name) {
						changed[p] = true
					}
				}
			}
			if ev.Has(fsnotify.Chmod) && !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Create) {
				continue
			}
			changed[ev.Name] = true
			if timer != nil {
				timer.Stop()
			}
			timer = time.NewTimer(delay)
			fire = timer.C
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			s.logf("lsp: watch: %v\n", err)
		case <-fire:
			fire = nil
			s.flushWatched(changed)
			changed = map[string]bool{}
		case <-s.stop:
			if timer != nil {
				timer.Stop()
			}
			return
		}
	}
}

// flushWatched reloads the changed files the workspace cares about.
func (s *Server) flushWatched(changed map[string]bool) {
	s.waitFull() // a change must not be lost to a load in progress
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st == nil || s.shutdown {
		return
	}
	var paths []string
	for p := range changed {
		p = filepath.Clean(p)
		if s.st.wants(p) {
			paths = append(paths, p)
		}
	}
	if len(paths) > 0 {
		s.reloadLocked(paths)
	}
}

// stopWatching closes the fsnotify watcher, if any.
func (s *Server) stopWatching() {
	s.mu.Lock()
	w := s.watcher
	s.watcher = nil
	s.mu.Unlock()
	if w != nil {
		if err := w.Close(); err != nil && !errors.Is(err, fsnotify.ErrClosed) {
			s.logf("lsp: watch: %v\n", err)
		}
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, format, args...)
	}
}
