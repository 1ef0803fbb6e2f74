package fswatch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options configures [New]. The zero value works.
type Options struct {
	// Debounce is the quiet period after the last event before a batch
	// is delivered; 0 means 50ms.
	Debounce time.Duration
	// Want filters the changed paths; nil keeps every regular path. A
	// batch with no wanted path is not delivered.
	Want func(path string) bool
	// OnError receives the watcher's errors (a folder that cannot be
	// watched, an event queue overflow); nil drops them.
	OnError func(error)
}

// Watcher watches a set of roots. Its methods are safe for concurrent use.
type Watcher struct {
	w     *fsnotify.Watcher
	opts  Options
	files map[string]bool // roots that are files: only they count in their folder
	dirs  []string        // roots that are folders (every path below counts)
	once  sync.Once
}

// New starts watching roots: a folder with all its subfolders, a file
// through its folder (other files in that folder are ignored unless a
// folder root covers them). A root that does not exist is an error unless
// it is a file whose folder exists (it may be created later).
func New(roots []string, opts Options) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &Watcher{w: fw, opts: opts, files: map[string]bool{}}
	seen := map[string]bool{}
	add := func(d string) error {
		if seen[d] {
			return nil
		}
		seen[d] = true
		if err := fw.Add(d); err != nil {
			return fmt.Errorf("watch %s: %w", d, err)
		}
		return nil
	}
	for _, r := range roots {
		if r == "" {
			continue
		}
		r = filepath.Clean(r)
		fi, err := os.Stat(r)
		if err == nil && fi.IsDir() {
			w.dirs = append(w.dirs, r)
			for _, d := range Subdirs(r) {
				if err := add(d); err != nil {
					fw.Close()
					return nil, err
				}
			}
			continue
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			fw.Close()
			return nil, fmt.Errorf("watch %s: %w", r, err)
		}
		w.files[r] = true
		if err := add(filepath.Dir(r)); err != nil {
			fw.Close()
			return nil, err
		}
	}
	return w, nil
}

// Close stops watching; [Watcher.Run] then returns. Closing twice is harmless.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() { err = w.w.Close() })
	return err
}

// covered reports whether path is a watched file or lies under a watched folder.
func (w *Watcher) covered(path string) bool {
	if w.files[path] {
		return true
	}
	for _, d := range w.dirs {
		if Within(path, d) {
			return true
		}
	}
	return false
}

// Run delivers batches of changed paths (sorted, without repeats; a
// removed or renamed file is in the batch too) to fn until ctx is done or
// the watcher is closed. fn runs on Run's goroutine, so batches never
// overlap; events arriving while fn runs make the next batch.
func (w *Watcher) Run(ctx context.Context, fn func(paths []string)) {
	delay := cmp.Or(w.opts.Debounce, 50*time.Millisecond)
	changed := map[string]bool{}
	var fire <-chan time.Time
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	note := func(p string) {
		if !w.covered(p) || (w.opts.Want != nil && !w.opts.Want(p)) {
			return
		}
		changed[p] = true
		if timer != nil {
			timer.Stop()
		}
		timer = time.NewTimer(delay)
		fire = timer.C
	}
	for {
		select {
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() && w.covered(ev.Name) && !hidden(fi.Name()) {
					for _, d := range Subdirs(ev.Name) {
						if err := w.w.Add(d); err != nil {
							w.report(fmt.Errorf("watch %s: %w", d, err))
						}
					}
					for _, p := range Files(ev.Name) {
						note(p)
					}
					continue
				}
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			note(ev.Name)
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			w.report(err)
		case <-fire:
			fire = nil
			batch := slices.Sorted(func(yield func(string) bool) {
				for p := range changed {
					if !yield(p) {
						return
					}
				}
			})
			clear(changed)
			fn(batch)
		case <-ctx.Done():
			return
		}
	}
}

func (w *Watcher) report(err error) {
	if w.opts.OnError != nil {
		w.opts.OnError(err)
	}
}

func hidden(name string) bool { return strings.HasPrefix(name, ".") || name == "node_modules" }

// Subdirs lists root and the folders under it, skipping hidden folders and
// node_modules (root itself is always listed).
func Subdirs(root string) []string {
	var out []string
	_ = filepath.WalkDir(root, func(q string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if q != root && hidden(d.Name()) {
			return fs.SkipDir
		}
		out = append(out, q)
		return nil
	})
	return out
}

// Files lists the regular files under root, in lexical order.
func Files(root string) []string {
	var out []string
	_ = filepath.WalkDir(root, func(q string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, q)
		}
		return nil
	})
	return out
}

// Within reports whether path is dir or lies below it (both cleaned, no
// symbolic links resolved).
func Within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
