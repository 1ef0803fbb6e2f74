package cli

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/config"
)

// Factory hands commands what they need, lazily: a command that never asks
// for the library never reads a .bib file. A Factory is made once per run by
// [Main]; its getters are safe for concurrent use and compute each value once.
//
// To add a lazy getter (Notes, Index, ...), write a method in your own file:
//
//	func (f *Factory) Index() (*index.Index, error) {
//		return memo(f, "index", func() (*index.Index, error) { ... })
//	}
//
// and copy the method value into your command's options (opts.Index = f.Index)
// so that unit tests can replace it.
type Factory struct {
	// IOStreams are the standard streams.
	IOStreams *IOStreams
	// Getenv reads the environment; commands never call os.Getenv themselves.
	Getenv func(string) string
	// WorkDir is the directory relative paths and discovery start from; "" is
	// the process's current directory.
	WorkDir string
	// Workspace is the -C/--workspace flag; "" means discover it.
	Workspace string
	// ConfigOverrides sets config keys from flags (dotted keys, "report.lang").
	// Commands fill it in RunE before the first call to Config.
	ConfigOverrides map[string]any
	// Now returns the current time; the only clock commands read.
	Now func() time.Time

	mu    sync.Mutex
	memos map[string]*memoEntry
	// mem holds the heap near twice the library's size from the first
	// read of a large one a window at a time (LibraryWhere) to the end of
	// the command (Run).
	memMu sync.Mutex
	mem   memoryLimit
	// streamAbove is bib.LoadOptions.StreamAbove for the library: 0 in
	// use, low in tests that compare a library kept in part with one
	// loaded whole.
	streamAbove int64
	// warnedOnce: LibraryWhere, which a command may call twice, warns of
	// unread files once.
	warnedOnce sync.Once
}

// limitMemory starts f.mem for a library of size bytes read a window at a
// time, once per command.
func (f *Factory) limitMemory(size int64) {
	f.memMu.Lock()
	defer f.memMu.Unlock()
	if !f.mem.set {
		f.mem.start(size)
	}
}

// checkMemory raises f.mem when the live heap outgrows it (memoryLimit.check).
func (f *Factory) checkMemory() {
	f.memMu.Lock()
	defer f.memMu.Unlock()
	f.mem.check()
}

// restoreMemory puts back the memory limit f.mem replaced.
func (f *Factory) restoreMemory() {
	f.memMu.Lock()
	defer f.memMu.Unlock()
	f.mem.restore()
	f.mem = memoryLimit{}
}

type memoEntry struct {
	once sync.Once
	val  any
	err  error
}

// NewFactory returns a Factory over ios and the environment lookup getenv.
func NewFactory(ios *IOStreams, getenv func(string) string) *Factory {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return &Factory{IOStreams: ios, Getenv: getenv, Now: time.Now}
}

// memo returns build's result, computing it once per Factory and name.
func memo[T any](f *Factory, name string, build func() (T, error)) (T, error) {
	f.mu.Lock()
	if f.memos == nil {
		f.memos = map[string]*memoEntry{}
	}
	m, ok := f.memos[name]
	if !ok {
		m = &memoEntry{}
		f.memos[name] = m
	}
	f.mu.Unlock()
	m.once.Do(func() { m.val, m.err = build() })
	v, _ := m.val.(T)
	return v, m.err
}

// workDir returns f.WorkDir or the current directory.
func (f *Factory) workDir() (string, error) {
	if f.WorkDir != "" {
		return f.WorkDir, nil
	}
	// Asked once: displayPath asks for every path it shows, and Getwd
	// stats "." and $PWD each time.
	return memo(f, "workdir", os.Getwd)
}

// Config loads the workspace's configuration: -C/--workspace or discovery,
// PAPERNOTES_* overrides from f.Getenv, and f.ConfigOverrides.
func (f *Factory) Config() (*config.Config, error) {
	return memo(f, "config", func() (*config.Config, error) {
		wd, err := f.workDir()
		if err != nil {
			return nil, err
		}
		cfg, err := config.Load(config.LoadOptions{
			Dir:       f.Workspace,
			WorkDir:   wd,
			Getenv:    f.Getenv,
			Overrides: f.ConfigOverrides,
		})
		if cfg != nil && f.IOStreams != nil {
			for _, w := range cfg.Warnings {
				w.Pos.Filename = f.displayPath(w.Pos.Filename)
				fmt.Fprintf(f.IOStreams.ErrOut, "warning: %s\n", w)
			}
		}
		return cfg, err
	})
}

// LibraryFor is [Factory.Library] for a command that needs only the
// entries of keys (ignoring case) and their crossref parents, as `show KEY`
// or an export of what a .tex cites: of a large library (over 16 MB) it
// keeps only those entries (see bib.LoadOptions.Keep), so that its memory
// grows with what it keeps rather than with the library. The other keys
// still count for suggestions and collisions (Closest, HasKeyFold). A
// smaller library is loaded whole, as Library loads it.
func (f *Factory) LibraryFor(keys ...string) (*bib.Library, error) {
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[strings.ToLower(k)] = true
	}
	return memo(f, "library-for "+strings.Join(keys, "\x00"), func() (*bib.Library, error) {
		return f.LibraryWhere(func(e *bib.Entry) bool { return want[strings.ToLower(e.Key)] }, nil)
	})
}

// LibraryWhere is [Factory.LibraryFor] for the entries keep keeps (called
// on all cores at once: see bib.LoadOptions.Keep). When the library is
// large, visit (if not nil) sees every entry, a window at a time, as
// bib.LoadOptions.Visit says.
func (f *Factory) LibraryWhere(keep func(*bib.Entry) bool, visit func([]*bib.Entry)) (*bib.Library, error) {
	if streamed, err := f.libraryStreamed(); err != nil || !streamed {
		return f.Library()
	}
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	files, err := bibFiles(cfg.BibPaths())
	if err != nil {
		return nil, err
	}
	lib := bib.Load(files, bib.LoadOptions{Keep: keep, Visit: visit, OnStream: f.limitMemory, AfterWindow: f.checkMemory, StreamAbove: f.streamAbove})
	f.warnedOnce.Do(func() { warnUnread(f.IOStreams.ErrOut, lib, cfg.BibPaths(), f.displayPath, cfg.Path(cfg.Bib.Default)) })
	return lib, nil
}

// loadKeeping is loadLibrary for the bib files at paths, keeping of them
// only what keep keeps when they are large (bib.LoadOptions.Keep), with the
// command's memory held as LibraryWhere holds it.
func (f *Factory) loadKeeping(paths []string, keep func(*bib.Entry) bool) (*bib.Library, error) {
	files, err := bibFiles(paths)
	if err != nil {
		return nil, err
	}
	return bib.Load(files, bib.LoadOptions{Keep: keep, OnStream: f.limitMemory, AfterWindow: f.checkMemory, StreamAbove: f.streamAbove}), nil
}

// libraryStreamed reports whether the library is large enough for
// LibraryFor to keep only some of it (bib.Streamed).
func (f *Factory) libraryStreamed() (bool, error) {
	return memo(f, "library-streamed", func() (bool, error) {
		cfg, err := f.Config()
		if err != nil {
			return false, err
		}
		files, err := bibFiles(cfg.BibPaths())
		if err != nil {
			return false, err
		}
		return bib.Streamed(files, bib.LoadOptions{StreamAbove: f.streamAbove}), nil
	})
}

// Library loads every .bib file of the configured bib.paths. Problems in the
// files do not make it fail: they are in the library's Problems(). A file
// that cannot be read, or that a folder skips for its name, is a warning on
// stderr (see warnUnread), printed once.
func (f *Factory) Library() (*bib.Library, error) {
	return memo(f, "library", func() (*bib.Library, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		lib, err := loadLibrary(cfg.BibPaths())
		if err == nil {
			warnUnread(f.IOStreams.ErrOut, lib, cfg.BibPaths(), f.displayPath, cfg.Path(cfg.Bib.Default))
		}
		return lib, err
	})
}
