package bib

import (
	"strings"
	"unicode"
)

// FieldEdit is one change to an entry's source for [Entry.RawEdited]: the
// value of the field Name becomes Value (source text as it goes after
// `=`, such as "{Deep Learning}" or "jan"); the field is appended when the
// entry has none; Delete removes it instead.
type FieldEdit struct {
	Name   string
	Value  string
	Delete bool
}

// FieldSource returns the source text of the first field called name
// (case-insensitive), as written after `=` ("{A {GPU} era}", "2023",
// "jan # { 5}"), and whether the entry has it and its source could be
// scanned.
func (e *Entry) FieldSource(name string) (string, bool) {
	spans, ok := fieldSpans(e.Raw)
	if !ok {
		return "", false
	}
	for _, s := range spans {
		if strings.EqualFold(s.name, name) {
			return valueText(e.Raw, s), true
		}
	}
	return "", false
}

// valueText is the value part of a field span: after `=`, without the
// trailing comma and white space.
func valueText(raw string, s fieldSpan) string {
	_, v := valueSpan(raw, s)
	return v
}

// valueSpan returns where a field's value starts in raw and its text:
// after the '=', without the white space around it or the trailing comma.
// (Searching the span for the value's text would find a field name equal
// to it first: `A = A`.)
func valueSpan(raw string, s fieldSpan) (start int, v string) {
	seg := raw[s.start:s.end]
	off := 0
	if i := strings.IndexByte(seg, '='); i >= 0 {
		off = i + 1
	}
	rest := seg[off:]
	trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
	off += len(rest) - len(trimmed)
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(trimmed), ","))
	return s.start + off, v
}

// RawEdited returns the entry's source ([Entry.Raw]) with its type
// replaced by typ (unless typ is "") and edits applied, every other byte
// kept: fields not named keep their layout and values, a replaced value
// keeps its place, deleted fields go with their lines (as in
// [Entry.RawWithout]), and new fields are appended before the closing
// delimiter, one a line, indented as the entry's first field. ok is false
// when Raw cannot be scanned field by field (a broken entry).
func (e *Entry) RawEdited(typ string, edits []FieldEdit) (string, bool) {
	var drop []string
	for _, ed := range edits {
		if ed.Delete {
			drop = append(drop, strings.ToLower(ed.Name))
		}
	}
	scan := func(raw string) ([]fieldSpan, bool) {
		spans, ok := fieldSpans(raw)
		// @misc{key} has no comma to scan from.
		return spans, ok || len(e.Fields) == 0 && !strings.Contains(raw, ",")
	}
	raw := e.Raw
	spans, ok := scan(raw)
	if !ok {
		return "", false
	}
	// The scan must see the fields the parser saw, where it saw them: an
	// entry the parser read another way (`@misc{B=0,}` has a field and no
	// key; in `@0{A=1,A=0}` the parser keeps the first A, which the scan
	// takes for the key) is not edited by guesswork.
	if len(spans) != len(e.Fields) {
		return "", false
	}
	for i, sp := range spans {
		f := &e.Fields[i]
		if !strings.EqualFold(sp.name, f.Name) || sp.start != int(f.Offset)-e.Pos.Offset {
			return "", false
		}
	}
	if len(drop) > 0 {
		c := *e
		raw = c.RawWithout(drop)
		if spans, ok = scan(raw); !ok {
			return "", false
		}
	}
	nl := "\n"
	if strings.Contains(raw, "\r\n") {
		nl = "\r\n"
	}
	indent := "  "
	if len(spans) > 0 {
		ls := strings.LastIndexByte(raw[:spans[0].start], '\n') + 1
		if w := raw[ls:spans[0].start]; strings.TrimSpace(w) == "" && ls > 0 {
			indent = w
		}
	}
	type repl struct {
		start, end int
		text       string
	}
	var repls []repl
	var adds []FieldEdit
	for _, ed := range edits {
		if ed.Delete {
			continue
		}
		found := false
		for _, s := range spans {
			if !strings.EqualFold(s.name, ed.Name) {
				continue
			}
			at, v := valueSpan(raw, s)
			if v == "" || !strings.HasPrefix(raw[at:], v) {
				return "", false
			}
			repls = append(repls, repl{at, at + len(v), ed.Value})
			found = true
			break
		}
		if !found {
			adds = append(adds, ed)
		}
	}
	var b strings.Builder
	last := 0
	// spans (and so repls) are in source order
	sortRepls := func() {
		for i := 1; i < len(repls); i++ {
			for j := i; j > 0 && repls[j].start < repls[j-1].start; j-- {
				repls[j], repls[j-1] = repls[j-1], repls[j]
			}
		}
	}
	sortRepls()
	for _, r := range repls {
		b.WriteString(raw[last:r.start])
		b.WriteString(r.text)
		last = r.end
	}
	b.WriteString(raw[last:])
	out := b.String()
	if len(adds) > 0 {
		closeAt := strings.LastIndexAny(out, "})")
		if closeAt < 0 {
			return "", false
		}
		body := strings.TrimRight(out[:closeAt], " \t\r\n")
		var w strings.Builder
		w.WriteString(body)
		if !strings.HasSuffix(body, ",") {
			w.WriteByte(',')
		}
		for _, a := range adds {
			w.WriteString(nl + indent + strings.ToLower(a.Name) + " = " + a.Value + ",")
		}
		w.WriteString(nl)
		w.WriteString(out[closeAt:])
		out = w.String()
	}
	if typ != "" {
		open := strings.IndexAny(out, "{(")
		at := strings.IndexByte(out, '@')
		if at < 0 || open < at {
			return "", false
		}
		out = out[:at+1] + typ + out[open:]
	}
	// Fail closed: the result must read back as one entry with the same
	// key and no more errors than before (a value holding "\n@" would end
	// the entry early, for one).
	back := Parse("", []byte(out), nil)
	if len(back.Entries) != 1 || back.Entries[0].Key != e.Key ||
		len(back.Problems.Errors()) > len(Parse("", []byte(e.Raw), nil).Problems.Errors()) {
		return "", false
	}
	return out, true
}
