package latex

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/nickng/bibtex"
	"github.com/papernotes/papernotes/bib"
)

// Library is the bibliography that [Export] selects from. A *bib.Library
// satisfies it.
type Library interface {
	// Lookup returns the entry with exactly this key.
	Lookup(key string) (*bib.Entry, bool)
	// Entries returns every entry in library order.
	Entries() []*bib.Entry
	// Files returns the files read, whose Strings hold the @string definitions.
	Files() []*bib.File
}

var _ Library = (*bib.Library)(nil)

// Order says how [Export] orders the selected entries.
type Order int

const (
	// OrderCited keeps the order in which keys were first cited.
	OrderCited Order = iota
	// OrderKey sorts entries by key (byte order, then case-folded ties).
	OrderKey
)

// ExportOptions configures [Export]. The zero value exports each entry's
// exact source bytes in citation order.
type ExportOptions struct {
	// Order of the cited entries. Crossref, xref and xdata parents always
	// come after all the entries that refer to them.
	Order Order
	// Clean, when not nil, normalises entries through nickng/bibtex's
	// printer (see [CleanOptions]) instead of copying their source bytes.
	Clean *CleanOptions
}

// Result is an export: the entries and @string definitions to write.
type Result struct {
	// Strings are the @string definitions the entries use (directly, through
	// other @strings, or through their parents), each before its first use.
	// The predefined month macros jan..dec are never included.
	Strings []*bib.StringDef
	// Entries are the selected entries: the cited ones in the requested
	// order, then their crossref, xref and xdata parents, each parent after
	// every entry that refers to it.
	Entries []*bib.Entry
	// Problems are all problems found, sorted by position: cited keys that
	// are missing ([ErrMissingKey]) or match only when case is ignored
	// ([ErrKeyCase], whose Suggest holds the library's key; the entry is
	// exported under the library's key), and missing parents
	// ([ErrMissingParent], a warning only).
	Problems ErrorList

	clean *CleanOptions
	out   []byte
}

// Bytes returns the .bib text of the export: the @string definitions, then
// the entries, separated by blank lines. The same input always gives the
// same bytes.
func (r *Result) Bytes() []byte { return r.out }

// WriteTo writes [Result.Bytes] to w.
func (r *Result) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(r.out)
	return int64(n), err
}

// Keys returns the keys of r.Entries in order.
func (r *Result) Keys() []string {
	keys := make([]string, len(r.Entries))
	for i, e := range r.Entries {
		keys[i] = e.Key
	}
	return keys
}

// Export selects from lib the entries cited (a Citation with key "*"
// selects every entry of lib, in library order, at that point), adds their
// parents and the @string definitions they use, and renders the .bib text.
//
// The error is nil when every cited key was found exactly; otherwise it is
// an [ErrorList] of the [ErrMissingKey] and [ErrKeyCase] problems. The
// Result is complete even then: it holds every entry that was found.
// Export does not modify lib and is safe for concurrent use with other
// readers of it.
func Export(lib Library, cited []Citation, opts ExportOptions) (*Result, error) {
	x := &exporter{lib: lib, seen: map[string]bool{}}
	x.selectCited(cited)
	if opts.Order == OrderKey {
		sort.SliceStable(x.primary, func(i, j int) bool { return keyLess(x.primary[i].Key, x.primary[j].Key) })
	}
	r := &Result{clean: opts.Clean}
	r.Entries = x.withParents()
	r.Problems = x.problems
	r.Problems.Sort()

	var items []*cleanEntry
	if opts.Clean != nil {
		items = make([]*cleanEntry, len(r.Entries))
		for i, e := range r.Entries {
			items[i] = opts.Clean.apply(e)
		}
	}
	r.Strings = x.strings(r.Entries, items)
	r.out = r.render(items)

	var errs ErrorList
	for _, p := range r.Problems {
		if !errors.Is(p, ErrMissingParent) {
			errs = append(errs, p)
		}
	}
	return r, errs.Err()
}

func keyLess(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}

type exporter struct {
	lib      Library
	fold     map[string][]*bib.Entry // built on the first miss
	seen     map[string]bool         // library keys already selected
	primary  []*bib.Entry
	problems ErrorList
}

// lookup finds key exactly, or else case-insensitively. exact is false for
// a case-insensitive match.
func (x *exporter) lookup(key string) (e *bib.Entry, exact bool, ok bool) {
	if e, ok := x.lib.Lookup(key); ok {
		return e, true, true
	}
	if x.fold == nil {
		x.fold = map[string][]*bib.Entry{}
		for _, e := range x.lib.Entries() {
			k := strings.ToLower(e.Key)
			x.fold[k] = append(x.fold[k], e)
		}
	}
	if es := x.fold[strings.ToLower(key)]; len(es) > 0 {
		return es[0], false, true
	}
	return nil, false, false
}

func (x *exporter) selectCited(cited []Citation) {
	reported := map[string]bool{}
	for _, c := range cited {
		if c.Key == "*" {
			for _, e := range x.lib.Entries() {
				x.add(e)
			}
			continue
		}
		e, exact, ok := x.lookup(c.Key)
		switch {
		case !ok:
			if !reported[c.Key] {
				reported[c.Key] = true
				x.problems = append(x.problems, &Error{Pos: c.Pos, Key: c.Key, Err: fmt.Errorf("%w: %s", ErrMissingKey, c.Key)})
			}
			continue
		case !exact:
			if !reported[c.Key] {
				reported[c.Key] = true
				x.problems = append(x.problems, &Error{Pos: c.Pos, Key: c.Key, Suggest: e.Key,
					Err: fmt.Errorf("%w: %s (the library has %s)", ErrKeyCase, c.Key, e.Key)})
			}
		}
		x.add(e)
	}
}

func (x *exporter) add(e *bib.Entry) {
	if x.seen[e.Key] {
		return
	}
	x.seen[e.Key] = true
	x.primary = append(x.primary, e)
}

// parentFields are the fields whose keys name entries that must be exported
// along with the entry: BibTeX's crossref and biblatex's xref and xdata
// (which may list several keys).
var parentFields = []string{"crossref", "xref", "xdata"}

func parentKeys(e *bib.Entry) []string {
	var keys []string
	for _, name := range parentFields {
		v := e.Get(name)
		if v == "" {
			continue
		}
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// withParents returns the primary entries followed by the transitive
// closure of their parents. BibTeX only inherits crossref fields from a
// parent that comes after every entry that refers to it, so a cited entry
// that is also a parent moves down among the parents, and parents are
// ordered (Kahn's algorithm, ties by discovery order) so that each comes
// after all of its children.
func (x *exporter) withParents() []*bib.Entry {
	all := append([]*bib.Entry(nil), x.primary...)
	index := map[*bib.Entry]int{}
	for i, e := range all {
		index[e] = i
	}
	parents := map[*bib.Entry][]*bib.Entry{} // child -> parents
	isParent := map[*bib.Entry]bool{}
	for i := 0; i < len(all); i++ {
		child := all[i]
		for _, k := range parentKeys(child) {
			p, _, ok := x.lookup(k)
			if !ok {
				f, _ := child.Field(parentFieldFor(child, k))
				x.problems = append(x.problems, &Error{Pos: f.Pos(child.Pos.Filename), Key: child.Key, Err: fmt.Errorf("%w: %s (of %s)", ErrMissingParent, k, child.Key)})
				continue
			}
			if p == child {
				continue
			}
			parents[child] = append(parents[child], p)
			isParent[p] = true
			if _, ok := index[p]; !ok {
				index[p] = len(all)
				all = append(all, p)
			}
		}
	}
	out := make([]*bib.Entry, 0, len(all))
	var pending []*bib.Entry
	for _, e := range all {
		if isParent[e] {
			pending = append(pending, e)
		} else {
			out = append(out, e)
		}
	}
	if len(pending) == 0 {
		return out
	}
	// waiting[p] counts p's children that are parents themselves and not yet placed.
	waiting := map[*bib.Entry]int{}
	for child, ps := range parents {
		if isParent[child] {
			for _, p := range ps {
				waiting[p]++
			}
		}
	}
	placed := map[*bib.Entry]bool{}
	for len(pending) > 0 {
		progress := false
		rest := pending[:0:0]
		for _, p := range pending {
			if waiting[p] > 0 {
				rest = append(rest, p)
				continue
			}
			out = append(out, p)
			placed[p] = true
			progress = true
			for _, pp := range parents[p] {
				waiting[pp]--
			}
		}
		if !progress { // a crossref cycle: keep discovery order for the rest
			out = append(out, rest...)
			break
		}
		pending = rest
	}
	return out
}

func parentFieldFor(e *bib.Entry, key string) string {
	for _, name := range parentFields {
		if strings.Contains(e.Get(name), key) {
			return name
		}
	}
	return "crossref"
}

// monthNames are BibTeX's predefined macros; styles define them, so they
// are never exported as @string.
var monthNames = map[string]bool{"jan": true, "feb": true, "mar": true, "apr": true, "may": true, "jun": true,
	"jul": true, "aug": true, "sep": true, "oct": true, "nov": true, "dec": true}

// strings returns the @string definitions used by the entries (or, in
// clean mode, by the cleaned items), in order of first use with each
// definition's own dependencies before it.
func (x *exporter) strings(entries []*bib.Entry, items []*cleanEntry) []*bib.StringDef {
	var used []*bibtex.BibVar
	if items != nil {
		for _, it := range items {
			for _, f := range it.fields {
				used = macroRefs(f.value, used)
			}
		}
	} else {
		for _, e := range entries {
			for _, f := range e.Fields {
				used = macroRefs(f.Value, used)
			}
		}
	}
	if len(used) == 0 {
		return nil
	}
	// A name may be defined in several files (the later definition wins for
	// the entries after it). Each reference holds the value it was resolved
	// to, so the definition exported is the one with that value, else the
	// last one.
	defs := map[string][]*bib.StringDef{}
	for _, f := range x.lib.Files() {
		for _, s := range f.Strings {
			k := strings.ToLower(s.Name)
			defs[k] = append(defs[k], s)
		}
	}
	find := func(v *bibtex.BibVar) *bib.StringDef {
		ds := defs[strings.ToLower(v.Key)]
		if len(ds) == 0 {
			return nil
		}
		for _, d := range ds {
			if sameValue(d.Value, v.Value) {
				return d
			}
		}
		return ds[len(ds)-1]
	}
	var out []*bib.StringDef
	state := map[*bib.StringDef]int{} // 1 visiting, 2 done
	var visit func(v *bibtex.BibVar)
	visit = func(v *bibtex.BibVar) {
		d := find(v)
		if d == nil || state[d] != 0 {
			return
		}
		state[d] = 1
		for _, dep := range macroRefs(d.Value, nil) {
			visit(dep)
		}
		state[d] = 2
		out = append(out, d)
	}
	for _, v := range used {
		visit(v)
	}
	return out
}

// sameValue reports whether a and b are the same value: equal text, or the
// same macro or concatenation object.
func sameValue(a, b bibtex.BibString) bool {
	switch a := a.(type) {
	case bibtex.BibConst:
		bc, ok := b.(bibtex.BibConst)
		return ok && a == bc
	case *bibtex.BibVar:
		bv, ok := b.(*bibtex.BibVar)
		return ok && a == bv
	case *bibtex.BibComposite:
		bc, ok := b.(*bibtex.BibComposite)
		return ok && a == bc
	}
	return false
}

// macroRefs appends the macro references in v, except the predefined months.
func macroRefs(v bibtex.BibString, refs []*bibtex.BibVar) []*bibtex.BibVar {
	switch v := v.(type) {
	case *bibtex.BibVar:
		if v != nil && !monthNames[strings.ToLower(v.Key)] {
			refs = append(refs, v)
		}
	case *bibtex.BibComposite:
		if v != nil {
			for _, p := range *v {
				refs = macroRefs(p, refs)
			}
		}
	}
	return refs
}

func (r *Result) render(items []*cleanEntry) []byte {
	var b bytes.Buffer
	for _, s := range r.Strings {
		if r.clean != nil {
			r.clean.writeString(&b, s)
		} else {
			b.WriteString(strings.TrimRight(s.Raw, " \t\r\n"))
		}
		b.WriteByte('\n')
	}
	for i, e := range r.Entries {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		if items != nil {
			b.WriteString(r.clean.print(items[i]))
		} else {
			b.WriteString(strings.TrimRight(e.Raw, " \t\r\n"))
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}
