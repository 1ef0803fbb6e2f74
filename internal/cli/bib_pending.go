package cli

// TEMPORARY adapter until bib.Load and bib.Library land (being written in
// package bib). When they do, delete this file and make Factory.Library return
// *bib.Library; commands only use the methods of library, so they keep
// compiling.

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/papernotes/papernotes/bib"
)

type library interface {
	Files() []*bib.File
	Entries() []*bib.Entry
	Lookup(key string) (*bib.Entry, bool)
	Problems() bib.ErrorList
	Check() bib.ErrorList
}

type pendingLibrary struct {
	files    []*bib.File
	entries  []*bib.Entry
	byKey    map[string]*bib.Entry
	problems bib.ErrorList
}

func (l *pendingLibrary) Files() []*bib.File      { return l.files }
func (l *pendingLibrary) Entries() []*bib.Entry   { return l.entries }
func (l *pendingLibrary) Problems() bib.ErrorList { return l.problems }
func (l *pendingLibrary) Check() bib.ErrorList    { return nil }
func (l *pendingLibrary) Lookup(key string) (*bib.Entry, bool) {
	e, ok := l.byKey[key]
	return e, ok
}

func loadLibrary(paths []string) (library, error) {
	var names []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.IsDir() {
			names = append(names, p)
			continue
		}
		_ = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(strings.ToLower(q), ".bib") {
				names = append(names, q)
			}
			return nil
		})
	}
	files := make([]*bib.File, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, name := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			src, err := os.ReadFile(name)
			if err != nil {
				f := &bib.File{Name: name}
				f.Problems.Addf(token0(name), bib.SeverityError, "", bib.ErrIO, "%v", err)
				files[i] = f
				return
			}
			files[i] = bib.Parse(name, src, nil)
		}()
	}
	wg.Wait()
	l := &pendingLibrary{files: files, byKey: map[string]*bib.Entry{}}
	for _, f := range files {
		l.entries = append(l.entries, f.Entries...)
		l.problems = append(l.problems, f.Problems...)
		for _, e := range f.Entries {
			if _, ok := l.byKey[e.Key]; !ok {
				l.byKey[e.Key] = e
			}
		}
	}
	return l, nil
}

func lookupFold(lib library, key string) (*bib.Entry, bool) {
	for _, e := range lib.Entries() {
		if strings.EqualFold(e.Key, key) {
			return e, true
		}
	}
	return nil, false
}

func decodeLaTeX(s string) string { return bib.DecodeLaTeX(s) }

func entryTitle(e *bib.Entry) string { return e.Title() }

func entryAuthors(e *bib.Entry) []string {
	names := e.Authors()
	if len(names) == 0 {
		names = e.Editors()
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n.String()
	}
	return out
}

func entryYear(e *bib.Entry) int {
	y := e.Year()
	if len(y) >= 4 {
		y = y[:4]
	}
	n, _ := strconv.Atoi(y)
	return n
}
