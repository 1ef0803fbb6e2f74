package bib

import "strings"

// MatchField reports whether the field name matches one of patterns
// (lower-case names; a trailing `*` matches any suffix, as in "bdsk-*").
func MatchField(name string, patterns []string) bool {
	name = strings.ToLower(name)
	for _, p := range patterns {
		p = strings.ToLower(strings.TrimSpace(p))
		if pre, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(name, pre) {
				return true
			}
		} else if p == name {
			return true
		}
	}
	return false
}

// RawWithout returns the entry's source text ([Entry.Raw]) with the fields
// matching drop (see [MatchField]) cut out, everything else byte for byte:
// the layout, comments between fields and the other fields' values stay as
// written. A dropped field takes its whole line with it when it is alone on
// its lines. When Raw cannot be scanned field by field (a broken entry),
// it is returned unchanged; so is Raw when nothing matches.
func (e *Entry) RawWithout(drop []string) string {
	raw := e.Raw
	if len(drop) == 0 {
		return raw
	}
	spans, ok := fieldSpans(raw)
	if !ok {
		return raw
	}
	// When the last fields go, the comma after the last field kept goes
	// too, so that the entry does not end in a dangling comma.
	lastKept := -1
	for i, s := range spans {
		if !MatchField(s.name, drop) {
			lastKept = i
		}
	}
	var b strings.Builder
	last := 0
	cut := false
	for i, s := range spans {
		if !MatchField(s.name, drop) {
			if i == lastKept && i < len(spans)-1 && raw[s.end-1] == ',' {
				b.WriteString(raw[last : s.end-1])
				last = s.end
			}
			continue
		}
		start, end := s.start, s.end
		// Take the line's indentation, and the line break, when the field
		// is alone on its lines.
		ls := strings.LastIndexByte(raw[:start], '\n') + 1
		if strings.TrimSpace(raw[ls:start]) == "" {
			le := end
			for le < len(raw) && (raw[le] == ' ' || raw[le] == '\t' || raw[le] == '\r') {
				le++
			}
			if le < len(raw) && raw[le] == '\n' {
				start, end = ls, le+1
			}
		}
		if start < last {
			continue
		}
		b.WriteString(raw[last:start])
		last = end
		cut = true
	}
	if !cut {
		return raw
	}
	b.WriteString(raw[last:])
	return b.String()
}

type fieldSpan struct {
	name       string
	start, end int // from the name through the comma after the value (or the value's end)
}

// fieldSpans scans `@type{key, name = value, ...}` and returns where each
// field is. ok is false on anything unexpected.
func fieldSpans(raw string) (spans []fieldSpan, ok bool) {
	i := strings.IndexAny(raw, "{(")
	if i < 0 || !strings.HasPrefix(strings.TrimSpace(raw), "@") {
		return nil, false
	}
	closer := byte('}')
	if raw[i] == '(' {
		closer = ')'
	}
	j := strings.IndexByte(raw[i:], ',')
	if j < 0 {
		return nil, false
	}
	p := i + j + 1
	skip := func() {
		for p < len(raw) && strings.IndexByte(" \t\r\n", raw[p]) >= 0 {
			p++
		}
	}
	for {
		skip()
		if p >= len(raw) {
			return nil, false
		}
		if raw[p] == closer {
			return spans, true
		}
		start := p
		for p < len(raw) && (isNameByte(raw[p])) {
			p++
		}
		if p == start {
			return nil, false
		}
		name := raw[start:p]
		skip()
		if p >= len(raw) || raw[p] != '=' {
			return nil, false
		}
		p++
		// value: parts joined by '#'
		for {
			skip()
			if p >= len(raw) {
				return nil, false
			}
			switch raw[p] {
			case '{':
				depth := 0
				for ; p < len(raw); p++ {
					if raw[p] == '{' {
						depth++
					} else if raw[p] == '}' {
						depth--
						if depth == 0 {
							p++
							break
						}
					}
				}
				if depth != 0 {
					return nil, false
				}
			case '"':
				p++
				depth := 0
				for ; p < len(raw); p++ {
					c := raw[p]
					if c == '{' {
						depth++
					} else if c == '}' {
						depth--
					} else if c == '"' && depth == 0 {
						break
					}
				}
				if p >= len(raw) {
					return nil, false
				}
				p++
			default:
				s := p
				for p < len(raw) && isNameByte(raw[p]) {
					p++
				}
				if p == s {
					return nil, false
				}
			}
			end := p
			skip()
			if p < len(raw) && raw[p] == '#' {
				p++
				continue
			}
			if p < len(raw) && raw[p] == ',' {
				p++
				end = p
			}
			spans = append(spans, fieldSpan{name: name, start: start, end: end})
			break
		}
	}
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-_.:+/'!$&*<>?@[]^`|~", c) >= 0 || c >= 0x80
}
