package catalog

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/par"
	"github.com/papernotes/papernotes/notes"
)

// Item is one row: an entry and what its note says. Its JSON form is the
// element of `list --json`, a documented contract.
type Item struct {
	Key     string   `json:"key"`
	Type    string   `json:"type"`
	Title   string   `json:"title"`
	Authors []string `json:"authors"`
	// Year is the year as a number, 0 when the entry has none.
	Year int    `json:"year"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Note is the note's path, "" when the entry has no note.
	Note string `json:"note"`
	// Status is the note's status (toread, reading, read), "" when the
	// entry has no note or the note sets none.
	Status string `json:"status"`
	// Tags are the note's tags, [] without a note.
	Tags []string `json:"tags"`
}

// Filter selects items. The zero value keeps every item.
type Filter struct {
	// YearFrom and YearTo bound the year, inclusive; 0 means open.
	YearFrom, YearTo int
	// Author keeps entries with an author or editor matching it (folded).
	Author string
	// Type keeps entries of this type (lower case).
	Type string
	// Text matches the key, title and authors, ignoring case and accents.
	Text string
	// Tags keeps entries whose note has every one of these tags.
	Tags []string
	// Status keeps entries whose note has this status.
	Status string
	// HasNote keeps entries with a note (true) or without one (false);
	// nil keeps both.
	HasNote *bool
}

// Sorts are the sort orders of `list --sort`. [Catalog.Sort] also knows
// "venue", "status", "read" (the note's read date) and "note" (entries
// with a note first).
var Sorts = []string{"key", "year", "title", "author"}

// Catalog is every entry of a library with its note, built once and then
// filtered and sorted many times (the web view keeps one per reload). It is
// safe for concurrent use; it never changes the library or the notes.
type Catalog struct {
	items   []Item
	entries []*bib.Entry
	notes   []*notes.Note

	// venue is the folded venue of each item when there are no entries
	// (a catalog from a Builder).
	venue []string

	foldOnce sync.Once
	names    []string // folded authors, one per line
	hay      []string // folded key and title, then names
	titles   []string // folded titles
	first    []string // folded first author
	venues   []string // folded venues

	orderMu sync.Mutex
	orders  map[string][]int
}

// New joins lib's entries with their notes (byKey, from [ByKey]; nil means
// no notes). display turns a path into the one shown (nil: as is).
func New(lib *bib.Library, byKey map[string]*notes.Note, display func(string) string) *Catalog {
	if display == nil {
		display = func(s string) string { return s }
	}
	es := lib.Entries()
	c := &Catalog{items: make([]Item, len(es)), entries: es, notes: make([]*notes.Note, len(es))}
	// The items are made on all cores, in runs of entries; display is
	// called here, once per bib file, and for the notes in order after.
	files := map[string]string{}
	for _, f := range lib.Files() {
		files[f.Name] = display(f.Name)
	}
	par.Runs(len(es), 512, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			e := es[i]
			authors := Authors(e)
			if authors == nil {
				authors = []string{}
			}
			c.items[i] = Item{
				Key: e.Key, Type: e.Type, Title: e.Title(), Authors: authors,
				Year: Year(e), File: files[e.Pos.Filename], Line: e.Pos.Line,
				Tags: []string{},
			}
		}
	})
	c.join(byKey, display)
	return c
}

// join adds to each item the note of its key in byKey.
func (c *Catalog) join(byKey map[string]*notes.Note, display func(string) string) {
	for i := range c.items {
		it := &c.items[i]
		if n := byKey[it.Key]; n != nil {
			c.notes[i] = n
			it.Note, it.Status, it.Tags = display(n.Path), n.Meta.Status, append(it.Tags, n.Meta.Tags...)
		}
	}
}

// Builder makes a [Catalog] of a library read a window at a time
// (bib.LoadOptions.Visit): [Builder.Add] copies what the catalog needs of
// each entry, so that no entry is kept. Its catalog's [Catalog.Item] has
// no entries. The zero value is ready to use.
type Builder struct {
	// items and venue hold a run of items per Add, joined by Catalog:
	// one slice grown window by window was copied, into fresh memory,
	// a dozen times for a large library.
	items [][]Item
	venue [][]string
	n     int
	files map[string]string // a file's name -> its display path
	types map[string]string // each type, copied once
}

// Add adds items for es, in order; display is as for [New].
func (b *Builder) Add(es []*bib.Entry, display func(string) string) {
	if display == nil {
		display = func(s string) string { return s }
	}
	if b.files == nil {
		b.files, b.types = map[string]string{}, map[string]string{}
	}
	items, venue := make([]Item, len(es)), make([]string, len(es))
	b.items, b.venue, b.n = append(b.items, items), append(b.venue, venue), b.n+len(es)
	for _, e := range es {
		if _, ok := b.files[e.Pos.Filename]; !ok {
			b.files[e.Pos.Filename] = display(e.Pos.Filename)
		}
		if _, ok := b.types[e.Type]; !ok {
			t := strings.Clone(e.Type)
			b.types[t] = t
		}
	}
	par.Runs(len(es), 512, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			e := es[i]
			authors := Authors(e)
			for j, a := range authors {
				authors[j] = strings.Clone(a)
			}
			if authors == nil {
				authors = []string{}
			}
			items[i] = Item{
				Key: strings.Clone(e.Key), Type: b.types[e.Type], Title: strings.Clone(e.Title()), Authors: authors,
				Year: Year(e), File: b.files[e.Pos.Filename], Line: e.Pos.Line,
				Tags: []string{},
			}
			venue[i] = strings.Clone(Fold(e.Venue()))
		}
	})
}

// Catalog returns the catalog of the items added, joined with their notes
// as [New] joins them. The builder is not to be used after.
func (b *Builder) Catalog(byKey map[string]*notes.Note, display func(string) string) *Catalog {
	if display == nil {
		display = func(s string) string { return s }
	}
	c := &Catalog{items: make([]Item, 0, b.n), venue: make([]string, 0, b.n), notes: make([]*notes.Note, b.n)}
	for i := range b.items {
		c.items, c.venue = append(c.items, b.items[i]...), append(c.venue, b.venue[i]...)
		b.items[i], b.venue[i] = nil, nil // free as they are joined
	}
	c.join(byKey, display)
	*b = Builder{}
	return c
}

// WithNotes returns a catalog of the same library joined with other notes
// (after a note changed, say): what comes from the entries (authors, the
// folded text, the orders by key, year, title, author and venue) is shared
// with c instead of computed again. c is unchanged.
func (c *Catalog) WithNotes(byKey map[string]*notes.Note, display func(string) string) *Catalog {
	if display == nil {
		display = func(s string) string { return s }
	}
	n := &Catalog{items: make([]Item, len(c.items)), entries: c.entries, venue: c.venue, notes: make([]*notes.Note, len(c.items))}
	for i, it := range c.items {
		it.Note, it.Status, it.Tags = "", "", []string{}
		if note := byKey[it.Key]; note != nil {
			n.notes[i] = note
			it.Note, it.Status, it.Tags = display(note.Path), note.Meta.Status, append(it.Tags, note.Meta.Tags...)
		}
		n.items[i] = it
	}
	c.fold()
	n.foldOnce.Do(func() {
		n.names, n.hay, n.titles, n.first, n.venues = c.names, c.hay, c.titles, c.first, c.venues
	})
	c.orderMu.Lock()
	for _, by := range []string{"key", "year", "title", "author", "venue"} {
		if o, ok := c.orders[by]; ok {
			if n.orders == nil {
				n.orders = map[string][]int{}
			}
			n.orders[by] = o
		}
	}
	c.orderMu.Unlock()
	return n
}

// Len returns the number of items.
func (c *Catalog) Len() int { return len(c.items) }

// Item returns item i (0 <= i < Len), its entry (nil in a catalog from a
// [Builder]) and its note (nil without).
func (c *Catalog) Item(i int) (Item, *bib.Entry, *notes.Note) {
	if c.entries == nil {
		return c.items[i], nil, c.notes[i]
	}
	return c.items[i], c.entries[i], c.notes[i]
}

// fold computes the folded strings used to match and sort, once.
func (c *Catalog) fold() {
	c.foldOnce.Do(func() {
		n := len(c.items)
		c.names, c.hay, c.titles, c.first, c.venues = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, it := range c.items {
			c.names[i] = Fold(strings.Join(it.Authors, "\n"))
			c.titles[i] = Fold(it.Title)
			c.hay[i] = Fold(it.Key+"\n"+it.Title) + "\n" + c.names[i]
			if len(it.Authors) > 0 {
				c.first[i] = Fold(it.Authors[0])
			}
			if c.entries == nil {
				c.venues[i] = c.venue[i]
			} else {
				c.venues[i] = Fold(c.entries[i].Venue())
			}
		}
	})
}

// Filter returns the indexes of the items f keeps, in library order.
func (c *Catalog) Filter(f Filter) []int { return c.FilterIn(f, nil) }

// FilterIn returns the indexes of the items f keeps, in the order of
// order (a permutation of the items, from [Catalog.Order]; nil means
// library order).
func (c *Catalog) FilterIn(f Filter, order []int) []int {
	author, text := Fold(f.Author), Fold(f.Text)
	if author != "" || text != "" {
		c.fold()
	}
	if order == nil {
		order = make([]int, len(c.items))
		for i := range order {
			order[i] = i
		}
	}
	var out []int
	for _, i := range order {
		it := &c.items[i]
		if !noteMatches(c.notes[i], &f) {
			continue
		}
		if f.Type != "" && it.Type != f.Type {
			continue
		}
		if (f.YearFrom != 0 || f.YearTo != 0) && (it.Year == 0 || it.Year < f.YearFrom || f.YearTo != 0 && it.Year > f.YearTo) {
			continue
		}
		if author != "" && !strings.Contains(c.names[i], author) {
			continue
		}
		if text != "" && !strings.Contains(c.hay[i], text) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// Order returns every item index sorted as [Catalog.Sort] sorts, computed
// once per sort order and then shared: callers must not change it. With
// [Catalog.FilterIn], a page sorted by title costs a filter, not a sort.
func (c *Catalog) Order(by string) []int {
	c.orderMu.Lock()
	defer c.orderMu.Unlock()
	if o, ok := c.orders[by]; ok {
		return o
	}
	o := make([]int, len(c.items))
	for i := range o {
		o[i] = i
	}
	c.Sort(o, by)
	if c.orders == nil {
		c.orders = map[string][]int{}
	}
	c.orders[by] = o
	return o
}

// Sort sorts the item indexes idx by one of [Sorts], "venue", "status",
// "read" or "note" ("key" for anything else), then by key; it is stable,
// so items with one key keep library order.
func (c *Catalog) Sort(idx []int, by string) {
	if by == "title" || by == "author" || by == "venue" {
		c.fold()
	}
	sort.SliceStable(idx, func(x, y int) bool {
		i, j := idx[x], idx[y]
		a, b := &c.items[i], &c.items[j]
		switch by {
		case "year":
			if a.Year != b.Year {
				return a.Year < b.Year
			}
		case "title":
			if c.titles[i] != c.titles[j] {
				return c.titles[i] < c.titles[j]
			}
		case "author":
			if c.first[i] != c.first[j] {
				return c.first[i] < c.first[j]
			}
		case "venue":
			if c.venues[i] != c.venues[j] {
				return c.venues[i] < c.venues[j]
			}
		case "status":
			if a.Status != b.Status {
				return a.Status < b.Status
			}
		case "note":
			if (a.Note != "") != (b.Note != "") {
				return a.Note != ""
			}
		case "read":
			if ra, rb := c.read(i), c.read(j); !ra.Equal(rb) {
				return ra.Before(rb)
			}
		}
		return a.Key < b.Key
	})
}

// read returns the read date of item i's note, zero without.
func (c *Catalog) read(i int) time.Time {
	if c.notes[i] == nil {
		return time.Time{}
	}
	return c.notes[i].Meta.Read
}

// Items returns the items at idx.
func (c *Catalog) Items(idx []int) []Item {
	out := make([]Item, len(idx))
	for k, i := range idx {
		out[k] = c.items[i]
	}
	return out
}

// noteMatches reports whether the note n (nil: none) passes the note filters.
func noteMatches(n *notes.Note, f *Filter) bool {
	if f.HasNote != nil && *f.HasNote != (n != nil) {
		return false
	}
	if f.Status == "" && len(f.Tags) == 0 {
		return true
	}
	if n == nil || f.Status != "" && n.Meta.Status != f.Status {
		return false
	}
	for _, t := range f.Tags {
		if !slices.Contains(n.Meta.Tags, t) {
			return false
		}
	}
	return true
}

// ByKey maps each key to its note among ns: when two notes claim a key,
// the one at the key's own file name wins, else the first by path (ns is
// sorted by path, as notes.LoadDir returns it). Notes without a key are
// left out.
func ByKey(ns []*notes.Note) map[string]*notes.Note {
	out := make(map[string]*notes.Note, len(ns))
	for _, n := range ns {
		if n == nil || n.Key == "" {
			continue
		}
		if old, ok := out[n.Key]; !ok || filepath.Base(old.Path) != notes.FileName(n.Key) && filepath.Base(n.Path) == notes.FileName(n.Key) {
			out[n.Key] = n
		}
	}
	return out
}

// Authors returns the authors, or else the editors, as display names.
func Authors(e *bib.Entry) []string {
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

// Year returns the year as a number, 0 when there is none.
func Year(e *bib.Entry) int {
	y := e.Year()
	n := 0
	for i := 0; i < len(y) && i < 4; i++ {
		if y[i] < '0' || y[i] > '9' {
			return 0
		}
		n = n*10 + int(y[i]-'0')
	}
	if len(y) < 4 {
		return 0
	}
	return n
}

// ShortAuthors returns "A", "A and B" or "A et al.".
func ShortAuthors(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return names[0] + " et al."
}

// foldASCII is [Fold] of a string of ASCII bytes only, which has no
// accents to remove and nothing to normalise; ok is false for any other.
func foldASCII(s string) (string, bool) {
	clean := true // already lower-cased, single-spaced and trimmed
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return "", false
		case 'A' <= c && c <= 'Z', asciiSpace(c) && (c != ' ' || i == 0 || i == len(s)-1 || s[i+1] == ' ' || asciiSpace(s[i+1])):
			clean = false
		}
	}
	if clean {
		return s, true
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if asciiSpace(c) {
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b), true
}

// asciiSpace reports whether c is white space to unicode.IsSpace.
func asciiSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// Fold returns s lower-cased, without accents and with runs of white
// space as single spaces, for matching user queries ("Muller" finds
// "Müller").
func Fold(s string) string {
	if s == "" {
		return ""
	}
	if out, ok := foldASCII(s); ok {
		return out
	}
	return foldUnicode(s)
}

// foldUnicode is [Fold] of any string.
func foldUnicode(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}
