package bib

import (
	"sort"
	"strings"
	"unsafe"

	"github.com/nickng/bibtex"
)

// maxParentPasses bounds the extra passes of a partial [Load] for crossref
// parents defined before their children (BibTeX wants them after, where
// the first pass finds them): one pass per level of such parents.
const maxParentPasses = 4

// loadPartial is [Load] with a Keep option on large files.
func loadPartial(paths []string, opts LoadOptions) *Library {
	if opts.OnStream != nil {
		opts.OnStream(filesSize(paths))
	}
	s := newStream(opts, false)
	for _, p := range paths {
		s.file(p)
	}
	s.out.Problems.Sort()
	return s.library(paths, opts)
}

// own returns a copy of e, the entry of a window, that shares no memory
// with the window: its values are substrings of its copied Raw where they
// were of its Raw. A crossref target not yet kept becomes wanted.
func (s *streamCheck) own(e *Entry, clones *cloner) *Entry {
	raw := strings.Clone(e.Raw)
	c := &Entry{
		Type:   s.c.typeNames[s.c.typeIndex(e.Type)],
		Key:    rebase(e.Key, e.Raw, raw),
		Pos:    e.Pos,
		KeyPos: e.KeyPos,
		Raw:    raw,
		Fields: make([]Field, len(e.Fields)),
	}
	for i, f := range e.Fields {
		g := f
		g.Name = s.fieldName(f.Name)
		if v, ok := f.Value.(bibtex.BibConst); ok {
			g.Value = bibtex.BibConst(rebase(string(v), e.Raw, raw))
		} else {
			g.Value = clones.clone(f.Value)
		}
		c.Fields[i] = g
		if g.Name == "crossref" {
			s.wanted[strings.ToLower(strings.TrimSpace(Expand(g.Value)))] = true
		}
	}
	return c
}

// fieldName returns name, shared with every other field of that name kept.
func (s *streamCheck) fieldName(name string) string {
	if s.names == nil {
		s.names = map[string]string{}
	}
	if n, ok := s.names[name]; ok {
		return n
	}
	n := strings.Clone(name)
	s.names[n] = n
	return n
}

// rebase returns v as the same bytes of to when v lies within from (to
// being a copy of from), else a copy of v.
func rebase(v, from, to string) string {
	if len(v) == 0 {
		return ""
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(v))), uintptr(unsafe.Pointer(unsafe.StringData(from)))
	if len(from) > 0 && p >= lo && p+uintptr(len(v)) <= lo+uintptr(len(from)) {
		off := int(p - lo)
		return to[off : off+len(v)]
	}
	return strings.Clone(v)
}

// library returns the partial library of what s kept from the files at
// paths, after reading again for crossref parents defined before their
// children.
func (s *streamCheck) library(paths []string, opts LoadOptions) *Library {
	for range maxParentPasses {
		missing := s.missingParents()
		if len(missing) == 0 {
			break
		}
		t := newStream(LoadOptions{Macros: opts.Macros, Keep: func(e *Entry) bool { return missing[strings.ToLower(e.Key)] }, AfterWindow: opts.AfterWindow}, false)
		t.names = s.names
		for _, p := range paths {
			t.file(p)
		}
		for i, f := range t.kept {
			if i < len(s.kept) {
				s.kept[i].Entries = mergeEntries(s.kept[i].Entries, f.Entries)
			}
		}
		for k := range t.wanted {
			s.wanted[k] = true
		}
	}
	l := &Library{files: s.kept, macros: s.macros, problems: s.out.Problems, partial: true}
	n := 0
	for _, f := range s.kept {
		n += len(f.Entries)
	}
	l.entries = make([]*Entry, 0, n)
	l.byKey = make(map[string]int32, n)
	for _, f := range s.kept {
		for _, e := range f.Entries {
			if _, ok := l.byKey[e.Key]; !ok {
				l.byKey[e.Key] = int32(len(l.entries))
			}
			l.entries = append(l.entries, e)
		}
	}
	l.allKeys = make([]string, s.c.sums.n)
	for i := range l.allKeys {
		l.allKeys[i] = s.c.sums.at(int32(i)).key
	}
	return l
}

// missingParents returns the lower-cased crossref targets of kept entries
// with an entry of that key, ignoring case, that was not kept: it was met
// before the target was wanted. All of them are kept, so that Lookup and
// LookupFold find what they find in the whole library.
func (s *streamCheck) missingParents() map[string]bool {
	if len(s.wanted) == 0 {
		return nil
	}
	count := make(map[string]int, len(s.wanted)) // kept, then minus all
	for k := range s.wanted {
		count[k] = 0
	}
	for _, f := range s.kept {
		for _, e := range f.Entries {
			if n, ok := count[strings.ToLower(e.Key)]; ok {
				count[strings.ToLower(e.Key)] = n + 1
			}
		}
	}
	var buf []byte
	for i := range int32(s.c.sums.n) {
		buf = appendLower(buf[:0], s.c.sums.at(i).key)
		if n, ok := count[string(buf)]; ok {
			count[string(buf)] = n - 1
		}
	}
	var missing map[string]bool
	for k, n := range count {
		if n < 0 {
			if missing == nil {
				missing = map[string]bool{}
			}
			missing[k] = true
		}
	}
	return missing
}

// mergeEntries returns the entries of a and b, one file's, in source order
// and each once.
func mergeEntries(a, b []*Entry) []*Entry {
	seen := make(map[int]bool, len(a))
	for _, e := range a {
		seen[e.Pos.Offset] = true
	}
	for _, e := range b {
		if !seen[e.Pos.Offset] {
			a = append(a, e)
		}
	}
	sort.SliceStable(a, func(i, j int) bool { return a[i].Pos.Offset < a[j].Pos.Offset })
	return a
}

// Partial reports whether the library holds only some of its files'
// entries, those a [LoadOptions.Keep] kept and their crossref parents.
// Then [Library.Entries], [Library.Lookup], [Library.LookupFold],
// [Library.Check] and the duplicate methods see only the kept entries,
// while [Library.Keys], [Library.HasKeyFold], [Library.Closest] and
// [Library.Problems] see all of them, and [Library.CiteTitle] knows all
// keys but has titles only of the kept entries. Its Files hold the entries
// kept, the @preambles, and the @strings but for a redefinition that does
// not change the name's value (a file of many concatenated ones repeats
// each month's); they have no Problems of their own.
func (l *Library) Partial() bool { return l.partial }

// Keys returns the key of every entry in library order, duplicates
// included, kept or not. Callers must not modify it.
func (l *Library) Keys() []string {
	if l.partial {
		return l.allKeys
	}
	keys := make([]string, len(l.entries))
	for i, e := range l.entries {
		keys[i] = e.Key
	}
	return keys
}

// HasKeyFold reports whether some entry, kept or not, has key, ignoring
// case.
func (l *Library) HasKeyFold(key string) bool {
	if !l.partial {
		return len(l.LookupFold(key)) > 0
	}
	l.knownOnce.Do(func() {
		l.known = make(map[string]struct{}, len(l.allKeys))
		for _, k := range l.allKeys {
			l.known[strings.ToLower(k)] = struct{}{}
		}
	})
	_, ok := l.known[strings.ToLower(key)]
	return ok
}

// hasKey reports whether some entry of a partial library, kept or not, has
// exactly key.
func (l *Library) hasKey(key string) bool {
	l.exactOnce.Do(func() {
		l.exact = make(map[string]struct{}, len(l.allKeys))
		for _, k := range l.allKeys {
			l.exact[k] = struct{}{}
		}
	})
	_, ok := l.exact[key]
	return ok
}
