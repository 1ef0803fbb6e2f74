package notes

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// splitFrontMatter finds a YAML front matter block: a first line "---"
// (after an optional UTF-8 BOM), then lines up to a line "---" or "...".
// It returns the YAML bytes, their offset, and the offset of the body. ok is
// false when the file has no front matter; closed is false when the block
// never ends (then the whole file is the block and the body is empty).
func splitFrontMatter(src []byte) (yamlStart, yamlEnd, body int, ok, closed bool) {
	start := 0
	if bytes.HasPrefix(src, []byte("\ufeff")) {
		start = 3
	}
	first, rest, found := cutLine(src[start:])
	if !found || strings.TrimRight(string(first), " \t\r") != "---" {
		return 0, 0, start, false, false
	}
	yamlStart = start + len(first) + 1
	off := yamlStart
	for len(rest) > 0 {
		line, next, nl := cutLine(rest)
		t := strings.TrimRight(string(line), " \t\r")
		if t == "---" || t == "..." {
			body = off + len(line)
			if nl {
				body++
			}
			return yamlStart, off, body, true, true
		}
		off += len(line)
		if nl {
			off++
		}
		rest = next
	}
	return yamlStart, len(src), len(src), true, false
}

// cutLine returns the first line of b without its '\n', the rest, and
// whether a '\n' was found.
func cutLine(b []byte) (line, rest []byte, found bool) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}

// parserProblems are the yaml.v3 messages raised by its parser, whose
// "line N" is 0-based (scanner errors are 1-based).
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":    true,
	"did not find expected ',' or '}'":    true,
	"did not find expected '-' indicator": true,
	"did not find expected key":           true,
	"did not find expected node content":  true,
	"found undefined tag handle":          true,
}

var yamlLineRE = regexp.MustCompile(`line (\d+):? ?`)

// parseFrontMatter decodes the YAML block src[ys:ye] into m. Positions come
// from file; YAML counts lines from the top of the block, so the block's
// first line number is added.
func parseFrontMatter(file *token.File, src []byte, ys, ye int, m *Meta, keyPos *token.Position) ErrorList {
	var errs ErrorList
	firstLine := file.Position(file.Pos(ys)).Line // line of the first YAML line
	pos := func(line, col int) token.Position {
		return token.Position{Filename: file.Name(), Line: firstLine + line - 1, Column: col}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src[ys:ye], &root); err != nil {
		// yaml.v3 reports "yaml: line N: msg"; rewrite N into the file's line.
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		p := pos(1, 0)
		if sm := yamlLineRE.FindStringSubmatchIndex(msg); sm != nil {
			n, _ := strconv.Atoi(msg[sm[2]:sm[3]])
			msg = msg[:sm[0]] + msg[sm[1]:]
			// yaml.v3 counts lines from 0 for parser (not scanner) errors.
			if parserProblems[strings.TrimSpace(msg)] {
				n++
			}
			p = pos(n, 0)
		}
		errs.Add(p, fmt.Errorf("%w: %s", ErrBadFrontMatter, strings.TrimSpace(msg)))
		return errs
	}
	if len(root.Content) == 0 {
		return errs // empty block
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		errs.Add(pos(doc.Line, doc.Column), fmt.Errorf("%w: want a mapping of fields, got %s", ErrBadFrontMatter, kindName(doc)))
		return errs
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		vpos := pos(v.Line, v.Column)
		switch k.Value {
		case "key":
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
				errs.Add(vpos, fmt.Errorf("%w: key must be a non-empty string", ErrBadFrontMatter))
				continue
			}
			m.Key = strings.TrimSpace(v.Value)
			*keyPos = vpos
		case "tags":
			tags, err := decodeTags(v)
			if err != nil {
				errs.Add(vpos, err)
				continue
			}
			m.Tags = tags
		case "status":
			if v.Tag == "!!null" {
				continue
			}
			s := strings.ToLower(strings.TrimSpace(v.Value))
			if v.Kind != yaml.ScalarNode || (s != "toread" && s != "reading" && s != "read") {
				errs.Add(vpos, fmt.Errorf("%w: %s (want toread, reading or read)", ErrBadStatus, yamlValue(v)))
				continue
			}
			m.Status = s
		case "read_order":
			if v.Tag == "!!null" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(v.Value))
			if v.Kind != yaml.ScalarNode || err != nil || n < 0 {
				errs.Add(vpos, fmt.Errorf("%w: read_order must be a whole number, not %s", ErrBadFrontMatter, yamlValue(v)))
				continue
			}
			m.ReadOrder = n
		case "read", "added":
			if v.Tag == "!!null" {
				continue
			}
			t, err := decodeDate(v)
			if err != nil {
				errs.Add(vpos, fmt.Errorf("%w: %s: %v", ErrBadDate, k.Value, err))
				continue
			}
			if k.Value == "read" {
				m.Read = t
			} else {
				m.Added = t
			}
		default:
			var x any
			if err := v.Decode(&x); err != nil {
				errs.Add(vpos, fmt.Errorf("%w: %s: %v", ErrBadFrontMatter, k.Value, err))
				continue
			}
			if m.Extra == nil {
				m.Extra = make(map[string]any)
			}
			m.Extra[k.Value] = x
		}
	}
	return errs
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a scalar"
	default:
		return "something else"
	}
}

// decodeTags accepts a list of scalars or one scalar of comma-separated tags.
func decodeTags(v *yaml.Node) ([]string, error) {
	var tags []string
	switch v.Kind {
	case yaml.SequenceNode:
		for _, t := range v.Content {
			if t.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("%w: tags must be strings", ErrBadFrontMatter)
			}
			if s := strings.TrimSpace(t.Value); s != "" {
				tags = append(tags, s)
			}
		}
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return nil, nil
		}
		for _, s := range strings.Split(v.Value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				tags = append(tags, s)
			}
		}
	default:
		return nil, fmt.Errorf("%w: tags must be a list", ErrBadFrontMatter)
	}
	return tags, nil
}

var errNotDate = errors.New("want YYYY-MM-DD")

// decodeDate accepts YYYY-MM-DD, YYYY/MM/DD and RFC 3339 timestamps, and
// returns the date at midnight UTC.
func decodeDate(v *yaml.Node) (time.Time, error) {
	if v.Kind != yaml.ScalarNode {
		return time.Time{}, errNotDate
	}
	return decodeDateString(v.Value)
}

// decodeDateString is [decodeDate] on the text of a scalar.
func decodeDateString(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006/01/02", time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: %w", s, errNotDate)
}

// yamlValue shows a node in a message: a scalar quoted, anything else by kind.
func yamlValue(v *yaml.Node) string {
	if v.Kind == yaml.ScalarNode {
		return strconv.Quote(v.Value)
	}
	return kindName(v)
}
