package web

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/catalog"
	"github.com/papernotes/papernotes/notes"
)

// state is one consistent snapshot of what the pages show. It is never
// changed once published: [Server.Reload] builds a new one and swaps it.
type state struct {
	lib *bib.Library
	// notes are the parsed notes by path.
	notes map[string]*notes.Note
	// byKey maps a key to its note; when two notes claim a key, the one at
	// the key's own file name wins, else the first by path (as list does).
	byKey map[string]*notes.Note
	// citedBy maps a cited key to the keys of the notes citing it.
	citedBy map[string][]string

	// catalog joins entries and notes for the library page and
	// /api/entries; built on first use, once per state.
	catOnce sync.Once
	cat     *catalog.Catalog
	tags    []string
}

// catalog returns the state's catalog and every tag used, sorted.
func (st *state) catalog(display func(string) string) (*catalog.Catalog, []string) {
	st.catOnce.Do(func() {
		st.cat = catalog.New(st.lib, st.byKey, display)
		seen := map[string]bool{}
		for _, n := range st.byKey {
			for _, t := range n.Meta.Tags {
				if !seen[t] {
					seen[t] = true
					st.tags = append(st.tags, t)
				}
			}
		}
		slices.Sort(st.tags)
	})
	return st.cat, st.tags
}

// load reads the library and every note.
func load(opts *Options) (*state, error) {
	lib, err := loadLibrary(opts)
	if err != nil {
		return nil, err
	}
	st := &state{lib: lib, notes: map[string]*notes.Note{}}
	if opts.NotesDir != "" {
		if _, err := os.Stat(opts.NotesDir); err == nil {
			ns, _ := notes.LoadDir(opts.NotesDir, opts.NoteOptions)
			for _, n := range ns {
				st.notes[n.Path] = n
			}
		}
	}
	st.derive()
	return st, nil
}

func loadLibrary(opts *Options) (*bib.Library, error) {
	if opts.LoadLibrary == nil {
		return bib.NewLibrary(nil, bib.LoadOptions{}), nil
	}
	return opts.LoadLibrary()
}

// derive computes byKey and citedBy from notes.
func (st *state) derive() {
	paths := make([]string, 0, len(st.notes))
	for p := range st.notes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	list := make([]*notes.Note, len(paths))
	for i, p := range paths {
		list[i] = st.notes[p]
	}
	st.byKey = catalog.ByKey(list)
	st.citedBy = notes.CitedBy(list)
}

// snapshot returns the current state.
func (s *Server) snapshot() *state {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state
}

// Reload re-reads what changed among paths (absolute paths of files that
// were written, created, removed or renamed): a note under the notes
// folder is parsed again alone (or dropped when gone); a .bib file (or any
// path under bib.paths) reloads the library. Other paths are ignored.
// Requests being served keep the snapshot they started with; later ones
// see the new one. After the swap, every function registered with
// [Server.OnChange] is called with the paths that were reloaded (none
// when nothing relevant changed: then no call). Reload fails only when
// the library cannot be loaded; the old state then stays. It is safe for
// concurrent use: reloads are serialised.
func (s *Server) Reload(paths []string) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	old := s.snapshot()
	next := &state{lib: old.lib, notes: old.notes}
	var changed []string
	bibChanged, notesChanged := false, false
	confine := notes.NewConfine(s.opts.NotesDir, s.opts.Root)
	for _, p := range paths {
		p = filepath.Clean(p)
		switch {
		case s.isBib(p):
			bibChanged = true
			changed = append(changed, p)
		case s.isNote(p):
			if !notesChanged {
				next.notes = make(map[string]*notes.Note, len(old.notes)+1)
				for k, v := range old.notes {
					next.notes[k] = v
				}
				notesChanged = true
			}
			delete(next.notes, p)
			if n := s.readNote(p, confine); n != nil {
				next.notes[p] = n
			}
			changed = append(changed, p)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	if bibChanged {
		lib, err := loadLibrary(&s.opts)
		if err != nil {
			return err
		}
		next.lib = lib
	}
	if notesChanged {
		next.derive()
	} else {
		next.byKey, next.citedBy = old.byKey, old.citedBy
	}
	s.mu.Lock()
	s.state = next
	s.mu.Unlock()
	s.indexFresh.Store(false)
	s.subMu.Lock()
	subs := make([]func([]string), 0, len(s.subs))
	ids := make([]int, 0, len(s.subs))
	for id := range s.subs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		subs = append(subs, s.subs[id])
	}
	s.subMu.Unlock()
	for _, fn := range subs {
		fn(slices.Clone(changed))
	}
	return nil
}

// readNote parses the note at path, nil when it is gone, unreadable, a
// link leading out of the notes folder and the workspace, or not a note.
func (s *Server) readNote(path string, confine notes.Confine) *notes.Note {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil
	}
	if fi.Mode()&fs.ModeSymlink != 0 && confine.Check(path) != nil {
		return nil
	}
	src, err := notes.ReadFile(path)
	if err != nil {
		return nil
	}
	n, _ := notes.Parse(path, src, s.opts.NoteOptions)
	return n
}

// isNote reports whether p is a note file: a *.md under the notes folder,
// no part of it hidden.
func (s *Server) isNote(p string) bool {
	rel, ok := under(s.opts.NotesDir, p)
	if !ok || !strings.HasSuffix(p, ".md") {
		return false
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// isBib reports whether p is one of bib.paths or a .bib file under one.
func (s *Server) isBib(p string) bool {
	for _, b := range s.opts.BibPaths {
		b = filepath.Clean(b)
		if p == b {
			return true
		}
		if _, ok := under(b, p); ok && strings.EqualFold(filepath.Ext(p), ".bib") {
			return true
		}
	}
	return false
}

// under returns p relative to dir when p is inside dir.
func under(dir, p string) (string, bool) {
	if dir == "" {
		return "", false
	}
	rel, err := filepath.Rel(filepath.Clean(dir), p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// OnChange registers fn to be called after each [Server.Reload] that
// changed something, with the paths reloaded, from the goroutine that
// called Reload (so fn should not block long). It returns a function that
// unregisters fn. It is safe for concurrent use.
func (s *Server) OnChange(fn func(paths []string)) (cancel func()) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	id := s.nsub
	s.nsub++
	s.subs[id] = fn
	var once sync.Once
	return func() {
		once.Do(func() {
			s.subMu.Lock()
			delete(s.subs, id)
			s.subMu.Unlock()
		})
	}
}

// NotesDir and BibPaths return the folders and files a watcher should
// watch for [Server.Reload].
func (s *Server) NotesDir() string { return s.opts.NotesDir }

// BibPaths returns the configured bib.paths (files and folders).
func (s *Server) BibPaths() []string { return slices.Clone(s.opts.BibPaths) }

type navCtxKey struct{}

func contextWithNav(ctx context.Context, nav string) context.Context {
	return context.WithValue(ctx, navCtxKey{}, nav)
}

func navFrom(ctx context.Context) string {
	s, _ := ctx.Value(navCtxKey{}).(string)
	return s
}

var errNoIndex = errors.New("search is not available: no index")
