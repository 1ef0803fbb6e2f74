package latex

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/nickng/bibtex"
	"github.com/papernotes/papernotes/bib"
)

// Dialect is a bibliography dialect for [CleanOptions.To].
type Dialect int

const (
	// DialectKeep leaves field names and entry types as they are.
	DialectKeep Dialect = iota
	// DialectBibTeX maps biblatex fields and types to classic BibTeX
	// (journaltitle to journal, date to year and month, @online to @misc, ...).
	DialectBibTeX
	// DialectBiblatex maps classic BibTeX fields and types to biblatex
	// (journal to journaltitle, year and month to date, @phdthesis to @thesis, ...).
	DialectBiblatex
)

// ParseDialect returns the dialect named "bibtex" or "biblatex" ("" is
// [DialectKeep]) and whether the name is known.
func ParseDialect(name string) (Dialect, bool) {
	switch strings.ToLower(name) {
	case "":
		return DialectKeep, true
	case "bibtex":
		return DialectBibTeX, true
	case "biblatex", "biber":
		return DialectBiblatex, true
	}
	return DialectKeep, false
}

// CleanOptions normalise exported entries (export bib --clean). Entries are
// printed by nickng/bibtex's printer, which lays fields out one per line,
// indented, with aligned `=` signs, in [CleanOptions.FieldOrder].
//
// Values keep their BibTeX form: macros stay macros (their @string
// definitions are exported too), `#` concatenations and protective braces
// are kept, and month values become month macros (`month = jan`, not
// "January"). The zero value only normalises the layout.
type CleanOptions struct {
	// FieldOrder lists field names (lower-case) in the order to print them.
	// Fields not listed follow in their source order.
	FieldOrder []string
	// Drop lists fields to leave out (lower-case). A trailing `*` matches
	// any suffix ("bdsk-*").
	Drop []string
	// ASCII turns non-ASCII text into LaTeX escapes with [bib.EncodeLaTeX]
	// (ö to {\"o}). Characters without an escape (CJK) are kept.
	ASCII bool
	// To maps fields and entry types to another dialect.
	To Dialect
}

type cleanField struct {
	name  string
	value bibtex.BibString
}

// cleanEntry is the mutable copy of an entry that cleaning works on.
type cleanEntry struct {
	typ, key string
	fields   []cleanField
}

func (c *cleanEntry) index(name string) int {
	for i, f := range c.fields {
		if f.name == name {
			return i
		}
	}
	return -1
}

func (c *cleanEntry) get(name string) (bibtex.BibString, bool) {
	if i := c.index(name); i >= 0 {
		return c.fields[i].value, true
	}
	return nil, false
}

// text returns a field's expanded value, or "".
func (c *cleanEntry) text(name string) string {
	v, _ := c.get(name)
	return strings.TrimSpace(bib.Expand(v))
}

// set replaces the value of name in place, or appends the field.
func (c *cleanEntry) set(name string, v bibtex.BibString) {
	if i := c.index(name); i >= 0 {
		c.fields[i].value = v
		return
	}
	c.fields = append(c.fields, cleanField{name, v})
}

// setAt sets name, placing a new field where the field at was.
func (c *cleanEntry) setAt(at int, name string, v bibtex.BibString) {
	if i := c.index(name); i >= 0 {
		c.fields[i].value = v
		return
	}
	if at < 0 || at > len(c.fields) {
		at = len(c.fields)
	}
	c.fields = append(c.fields, cleanField{})
	copy(c.fields[at+1:], c.fields[at:])
	c.fields[at] = cleanField{name, v}
}

func (c *cleanEntry) del(name string) {
	if i := c.index(name); i >= 0 {
		c.fields = append(c.fields[:i], c.fields[i+1:]...)
	}
}

// rename renames old to new in place; when new already exists, old is dropped.
func (c *cleanEntry) rename(old, new string) {
	i := c.index(old)
	if i < 0 {
		return
	}
	if c.index(new) >= 0 {
		c.del(old)
		return
	}
	c.fields[i].name = new
}

func (o *CleanOptions) dropped(name string) bool {
	for _, d := range o.Drop {
		d = strings.ToLower(d)
		if strings.HasSuffix(d, "*") {
			if strings.HasPrefix(name, d[:len(d)-1]) {
				return true
			}
		} else if name == d {
			return true
		}
	}
	return false
}

// apply makes the cleaned copy of e.
func (o *CleanOptions) apply(e *bib.Entry) *cleanEntry {
	c := &cleanEntry{typ: e.Type, key: e.Key, fields: make([]cleanField, 0, len(e.Fields))}
	// A set, not c.index, so that an entry with 200,000 fields takes linear time.
	seen := make(map[string]struct{}, len(e.Fields))
	for _, f := range e.Fields {
		if _, dup := seen[f.Name]; dup { // a duplicate field: BibTeX uses the first
			continue
		}
		seen[f.Name] = struct{}{}
		c.fields = append(c.fields, cleanField{f.Name, f.Value})
	}
	convertDialect(c, o.To)
	kept := c.fields[:0]
	for _, f := range c.fields {
		if o.dropped(f.name) {
			continue
		}
		if f.name == "month" {
			if m, ok := monthMacro(f.value); ok {
				f.value = &bibtex.BibVar{Key: m, Value: bibtex.BibConst(m)}
			}
		}
		if o.ASCII {
			f.value = asciiValue(f.value)
		}
		kept = append(kept, f)
	}
	c.fields = kept
	return c
}

var monthKeys = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthMacro returns the month macro ("jan") for a month value written as
// a macro, a number (1, 01) or an English name or abbreviation ("January",
// "Jan."), and false for anything else (a range, "Spring", a concatenation).
func monthMacro(v bibtex.BibString) (string, bool) {
	if bv, ok := v.(*bibtex.BibVar); ok && monthNames[strings.ToLower(bv.Key)] {
		return strings.ToLower(bv.Key), true
	}
	if _, ok := v.(bibtex.BibConst); !ok {
		return "", false
	}
	s := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(bib.Expand(v)), "."))
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 1 && n <= 12 {
			return monthKeys[n-1], true
		}
		return "", false
	}
	if len(s) < 3 {
		return "", false
	}
	for i, m := range monthKeys {
		full := strings.ToLower(timeMonth[i])
		if s == m || s == full || (strings.HasPrefix(full, s) && len(s) >= 3) {
			return monthKeys[i], true
		}
	}
	return "", false
}

var timeMonth = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// asciiValue applies bib.EncodeLaTeX to the text parts of v; macro
// references are kept.
func asciiValue(v bibtex.BibString) bibtex.BibString {
	switch v := v.(type) {
	case bibtex.BibConst:
		return bibtex.BibConst(bib.EncodeLaTeX(string(v)))
	case *bibtex.BibComposite:
		out := make(bibtex.BibComposite, len(*v))
		for i, p := range *v {
			out[i] = asciiValue(p)
		}
		return &out
	}
	return v
}

// formatValue writes v in BibTeX syntax: text in braces (or, when its
// braces do not balance, in quotes), a bare number, a macro name, or parts
// joined by " # ".
func formatValue(v bibtex.BibString) string {
	switch v := v.(type) {
	case nil:
		return "{}"
	case bibtex.BibConst:
		s := string(v)
		if s != "" && isDigits(s) {
			return s
		}
		if bracesBalance(s) {
			return "{" + s + "}"
		}
		return `"` + s + `"`
	case *bibtex.BibConst:
		return formatValue(*v)
	case *bibtex.BibVar:
		return v.Key
	case *bibtex.BibComposite:
		parts := make([]string, len(*v))
		for i, p := range *v {
			parts[i] = formatValue(p)
		}
		return strings.Join(parts, " # ")
	}
	return "{" + v.String() + "}"
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func bracesBalance(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// placeholder is the value handed to nickng's printer for field i. The
// printer writes a value with fmt's %q unless it holds a brace or a quote,
// and %q turns `\` into `\\` and a newline into `\n`, which BibTeX reads
// differently; it also loses macros (it prints BibVar.String(), the
// expansion). So the printer gets a placeholder that holds a brace (so it
// is printed as `{placeholder}`, verbatim), and each printed placeholder is
// then replaced by the value in BibTeX syntax ([formatValue]). The printer
// still decides the layout and the field order. A NUL byte, which no .bib
// value holds, keeps placeholders from matching real text.
type placeholder int

func (p placeholder) String() string    { return "{\x00" + strconv.Itoa(int(p)) + "}" }
func (p placeholder) RawString() string { return p.String() }

var _ bibtex.BibString = placeholder(0)

// print returns c as printed by nickng/bibtex's PrettyString, ending in a newline.
func (o *CleanOptions) print(c *cleanEntry) string {
	be := bibtex.NewBibEntry(c.typ, c.key)
	order := make([]string, 0, len(o.FieldOrder)+len(c.fields))
	listed := map[string]bool{}
	for _, name := range o.FieldOrder {
		name = strings.ToLower(name)
		if !listed[name] {
			listed[name] = true
			order = append(order, name)
		}
	}
	for i, f := range c.fields {
		be.AddField(f.name, placeholder(i))
		if !listed[f.name] {
			order = append(order, f.name)
		}
	}
	s := be.PrettyString(bibtex.WithKeyOrder(order))
	args := make([]string, 0, 2*len(c.fields))
	for i, f := range c.fields {
		args = append(args, "{"+placeholder(i).String()+"}", formatValue(f.value))
	}
	return strings.NewReplacer(args...).Replace(s)
}

// writeString writes an @string definition in clean form.
func (o *CleanOptions) writeString(b *bytes.Buffer, s *bib.StringDef) {
	v := s.Value
	if o.ASCII {
		v = asciiValue(v)
	}
	b.WriteString("@string{" + s.Name + " = " + formatValue(v) + "}")
}
