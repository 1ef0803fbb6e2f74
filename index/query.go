package index

import (
	"errors"
	"fmt"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/papernotes/papernotes/notes"
)

// The query language, informally (OR binds tighter than the implicit AND,
// as in web search engines, so `a b OR c` means a AND (b OR c)):
//
//	query   = { and }
//	and     = or { ["AND"] or }
//	or      = unary { "OR" unary }
//	unary   = ( "-" | "NOT" ) unary | primary
//	primary = "(" and ")" | [ field ":" ] ( word | '"' phrase '"' )
//
// A word is a run of characters other than space, quotes and parentheses.
// A field is a name of letters, digits, '-' and '_' directly followed by ':'
// and a value: title, author, tag, status, year, or any section id.

// Limits keep every accepted query within SQLite's limits on compound
// SELECTs and expression depth.
const (
	maxTerms = 64
	maxDepth = 32
)

// ErrSyntax is wrapped by every query syntax [Error].
var ErrSyntax = errors.New("query syntax error")

// Error is a problem in a query, at a position whose Filename is "query",
// Line is 1 and Column counts runes from 1. Err wraps [ErrSyntax], or
// [ErrUnknownSection] for a field that names no section of any note.
type Error struct {
	Pos token.Position
	Err error
}

// Error returns "query:1:7: unclosed quote".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Err.Error() }

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// syntaxError is a message that matches [ErrSyntax] under errors.Is.
type syntaxError string

func (e syntaxError) Error() string        { return string(e) }
func (e syntaxError) Is(target error) bool { return target == ErrSyntax }

// YearRange is an inclusive range of years; 0 leaves a side open. The zero
// value is no restriction.
type YearRange struct {
	From, To int
}

// IsZero reports whether r restricts nothing.
func (r YearRange) IsZero() bool { return r.From == 0 && r.To == 0 }

// String returns the range as written in queries: "2022", "2022..2023",
// "..2021" or "2020..".
func (r YearRange) String() string {
	switch {
	case r.IsZero():
		return ""
	case r.From == r.To:
		return strconv.Itoa(r.From)
	case r.From == 0:
		return ".." + strconv.Itoa(r.To)
	case r.To == 0:
		return strconv.Itoa(r.From) + ".."
	}
	return strconv.Itoa(r.From) + ".." + strconv.Itoa(r.To)
}

// ParseYears parses "2022", "2022..2023", "..2021" or "2020..". Years have
// one to four digits and a range must not run backwards.
func ParseYears(s string) (YearRange, error) {
	from, to, ok := strings.Cut(s, "..")
	if !ok {
		y, err := parseYear(s)
		if err != nil || y == 0 {
			return YearRange{}, syntaxError(fmt.Sprintf("bad year %q (want 2022 or 2022..2023)", s))
		}
		return YearRange{y, y}, nil
	}
	f, err1 := parseYear(from)
	t, err2 := parseYear(to)
	if err1 != nil || err2 != nil || f == 0 && t == 0 {
		return YearRange{}, syntaxError(fmt.Sprintf("bad year range %q (want 2022..2023)", s))
	}
	if t != 0 && f > t {
		return YearRange{}, syntaxError(fmt.Sprintf("year range %q runs backwards", s))
	}
	return YearRange{f, t}, nil
}

// parseYear parses up to four digits; "" gives 0.
func parseYear(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	if len(s) > 4 {
		return 0, errors.New("too long")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.New("not a number")
		}
	}
	return strconv.Atoi(s)
}

// Query is a parsed search query. The zero value and the result of parsing
// blank text are empty queries, which match every paper (so that a search
// by filters alone works). A Query is immutable and safe for concurrent use.
type Query struct {
	root  node // nil when empty
	text  string
	terms int
}

// String returns the text the query was parsed from.
func (q *Query) String() string {
	if q == nil {
		return ""
	}
	return q.text
}

// Empty reports whether the query has no terms or filters.
func (q *Query) Empty() bool { return q == nil || q.root == nil }

// node is a query syntax tree node: *andNode, *orNode, *notNode, *termNode,
// *yearNode, *tagNode or *statusNode.
type node interface{ isNode() }

type (
	andNode struct{ kids []node }
	orNode  struct{ kids []node }
	notNode struct{ kid node }
	// termNode is a word or phrase searched in the FTS table.
	termNode struct {
		field string // "" for any field; "title", "author" or a section id
		text  string
		// phrase is true for quoted text.
		phrase bool
		col    int // rune column of the term, for errors
	}
	yearNode   struct{ years YearRange }
	tagNode    struct{ tag string }
	statusNode struct{ status string }
)

func (*andNode) isNode()    {}
func (*orNode) isNode()     {}
func (*notNode) isNode()    {}
func (*termNode) isNode()   {}
func (*yearNode) isNode()   {}
func (*tagNode) isNode()    {}
func (*statusNode) isNode() {}

// ParseQuery parses a query (see the package documentation for the
// language). Errors are [*Error] values such as `query:1:7: unclosed quote`.
// Blank text gives an empty query and no error.
func ParseQuery(s string) (*Query, error) {
	return parseQuery("query", s)
}

func parseQuery(name, s string) (*Query, error) {
	if !utf8.ValidString(s) {
		return nil, &Error{Pos: token.Position{Filename: name, Line: 1, Column: 1}, Err: syntaxError("query is not valid UTF-8")}
	}
	p := &parser{name: name, src: s}
	if err := p.lex(); err != nil {
		return nil, err
	}
	root, err := p.parseAnd(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, p.errAt(t.col, fmt.Sprintf("unexpected %s", t.describe()))
	}
	return &Query{root: root, text: s, terms: p.terms}, nil
}

type tokKind int

const (
	tokWord tokKind = iota
	tokPhrase
	tokField // field name; a tokWord or tokPhrase value follows
	tokLParen
	tokRParen
	tokMinus
	tokOr
	tokAnd
	tokNot
)

type tok struct {
	kind tokKind
	text string
	col  int // 1-based rune column
}

func (t tok) describe() string {
	switch t.kind {
	case tokRParen:
		return `")"`
	case tokLParen:
		return `"("`
	case tokOr:
		return "OR"
	}
	return strconv.Quote(t.text)
}

type parser struct {
	name  string
	src   string
	toks  []tok
	i     int
	terms int
}

func (p *parser) errAt(col int, msg string) error {
	return &Error{Pos: token.Position{Filename: p.name, Line: 1, Column: col}, Err: syntaxError(msg)}
}

// lex splits the query into tokens.
func (p *parser) lex() error {
	s := p.src
	col := 1
	// atUnitStart is true where a '-' is a negation: at the start, after
	// space, '(' or a field's ':'.
	atUnitStart := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
			col++
			atUnitStart = true
		case r == '"':
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return p.errAt(col, "unclosed quote")
			}
			text := s[i+1 : i+1+end]
			p.toks = append(p.toks, tok{tokPhrase, text, col})
			col += 2 + utf8.RuneCountInString(text)
			i += end + 2
			atUnitStart = false
		case r == '(':
			p.toks = append(p.toks, tok{tokLParen, "(", col})
			i++
			col++
			atUnitStart = true
		case r == ')':
			p.toks = append(p.toks, tok{tokRParen, ")", col})
			i++
			col++
			atUnitStart = false
		case r == '-' && atUnitStart && i+1 < len(s) && !isSpaceByte(s[i+1]) && s[i+1] != ')':
			p.toks = append(p.toks, tok{tokMinus, "-", col})
			i++
			col++
		default:
			j := i
			for j < len(s) {
				r, m := utf8.DecodeRuneInString(s[j:])
				if r == '"' || r == '(' || r == ')' || unicode.IsSpace(r) {
					break
				}
				j += m
			}
			word := s[i:j]
			if k := strings.IndexByte(word, ':'); k > 0 && isFieldName(word[:k]) {
				p.toks = append(p.toks, tok{tokField, strings.ToLower(word[:k]), col})
				col += utf8.RuneCountInString(word[:k+1])
				i += k + 1
				if i == len(s) || isBreak(s[i]) && s[i] != '"' {
					return p.errAt(col-1, fmt.Sprintf("missing value after %q", word[:k+1]))
				}
				atUnitStart = false
				continue
			}
			kind := tokWord
			switch word {
			case "OR":
				kind = tokOr
			case "AND":
				kind = tokAnd
			case "NOT":
				kind = tokNot
			}
			p.toks = append(p.toks, tok{kind, word, col})
			col += utf8.RuneCountInString(word)
			i = j
			atUnitStart = false
		}
	}
	return nil
}

// isBreak reports whether byte c ends a word or cannot start a negated unit.
func isBreak(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '(' || c == ')' || c == '"'
}

// isSpaceByte reports whether c is ASCII white space.
func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// isFieldName reports whether s can name a field: letters, digits, '-' and
// '_', starting with a letter.
func isFieldName(s string) bool {
	for i, r := range s {
		if i == 0 && !unicode.IsLetter(r) {
			return false
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return s != ""
}

func (p *parser) peek() (tok, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return tok{}, false
}

// parseAnd parses juxtaposed units up to a ')' or the end.
func (p *parser) parseAnd(depth int) (node, error) {
	var kids []node
	for {
		t, ok := p.peek()
		if !ok || t.kind == tokRParen {
			break
		}
		if t.kind == tokAnd {
			if len(kids) == 0 {
				return nil, p.errAt(t.col, "AND needs a term on both sides")
			}
			p.i++
			if n, ok := p.peek(); !ok || n.kind == tokRParen || n.kind == tokOr || n.kind == tokAnd {
				return nil, p.errAt(t.col, "AND needs a term on both sides")
			}
			continue
		}
		n, err := p.parseOr(depth)
		if err != nil {
			return nil, err
		}
		if n != nil {
			kids = append(kids, n)
		}
	}
	switch len(kids) {
	case 0:
		return nil, nil
	case 1:
		return kids[0], nil
	}
	return &andNode{kids}, nil
}

// parseOr parses unary { OR unary }.
func (p *parser) parseOr(depth int) (node, error) {
	if t, _ := p.peek(); t.kind == tokOr {
		return nil, p.errAt(t.col, "OR needs a term on both sides")
	}
	first, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for {
		t, ok := p.peek()
		if !ok || t.kind != tokOr {
			break
		}
		p.i++
		if n, ok := p.peek(); !ok || n.kind == tokRParen || n.kind == tokOr || n.kind == tokAnd {
			return nil, p.errAt(t.col, "OR needs a term on both sides")
		}
		n, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	// Words with nothing to search for (a lone "-" or "&") vanish; an OR
	// keeps its other branches.
	out := kids[:0]
	for _, k := range kids {
		if k != nil {
			out = append(out, k)
		}
	}
	switch len(out) {
	case 0:
		return nil, nil
	case 1:
		return out[0], nil
	}
	return &orNode{out}, nil
}

func (p *parser) parseUnary(depth int) (node, error) {
	t, ok := p.peek()
	if !ok {
		return nil, p.errAt(utf8.RuneCountInString(p.src)+1, "unexpected end of query")
	}
	if t.kind == tokMinus || t.kind == tokNot {
		p.i++
		if depth >= maxDepth {
			return nil, p.errAt(t.col, "query nests too deeply")
		}
		if n, ok := p.peek(); !ok || n.kind == tokRParen || n.kind == tokOr || n.kind == tokAnd {
			return nil, p.errAt(t.col, fmt.Sprintf("%s needs a term after it", t.text))
		}
		kid, err := p.parseUnary(depth + 1)
		if err != nil || kid == nil {
			return nil, err
		}
		if k, ok := kid.(*notNode); ok {
			return k.kid, nil
		}
		return &notNode{kid}, nil
	}
	return p.parsePrimary(depth)
}

func (p *parser) parsePrimary(depth int) (node, error) {
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case tokLParen:
		if depth >= maxDepth {
			return nil, p.errAt(t.col, "query nests too deeply")
		}
		n, err := p.parseAnd(depth + 1)
		if err != nil {
			return nil, err
		}
		c, ok := p.peek()
		if !ok || c.kind != tokRParen {
			return nil, p.errAt(t.col, `unclosed "("`)
		}
		p.i++
		if n == nil {
			return nil, p.errAt(t.col, "empty group")
		}
		return n, nil
	case tokRParen:
		return nil, p.errAt(t.col, `unexpected ")"`)
	case tokField:
		v, ok := p.peek()
		if !ok || v.kind != tokWord && v.kind != tokPhrase && v.kind != tokOr && v.kind != tokAnd && v.kind != tokNot {
			return nil, p.errAt(t.col, fmt.Sprintf("missing value after %q", t.text+":"))
		}
		p.i++
		return p.fieldNode(t, v)
	case tokPhrase:
		return p.term("", t.text, true, t.col)
	}
	// tokWord (and tokOr/tokAnd/tokNot never arrive here: the callers
	// consume or reject them).
	return p.term("", t.text, false, t.col)
}

// fieldNode builds the node for field:value.
func (p *parser) fieldNode(f, v tok) (node, error) {
	switch f.text {
	case "year":
		r, err := ParseYears(v.text)
		if err != nil {
			return nil, p.errAt(v.col, err.Error())
		}
		return p.count(&yearNode{r}, f.col)
	case "tag":
		tag := normTag(v.text)
		if tag == "" {
			return nil, p.errAt(v.col, "empty tag")
		}
		return p.count(&tagNode{tag}, f.col)
	case "status":
		st := strings.ToLower(strings.TrimSpace(v.text))
		if st == "" {
			return nil, p.errAt(v.col, "empty status")
		}
		if !slices.Contains(notes.Statuses, st) {
			return nil, p.errAt(v.col, fmt.Sprintf("status %q is not one of %s", v.text, strings.Join(notes.Statuses, ", ")))
		}
		return p.count(&statusNode{st}, f.col)
	}
	n, err := p.term(f.text, v.text, v.kind == tokPhrase, v.col)
	if err == nil && n == nil {
		err = p.errAt(v.col, fmt.Sprintf("%q has nothing to search for", v.text))
	}
	return n, err
}

// term builds a term node, or nil for a bare word with nothing to search
// for. A quoted phrase with nothing to search for is an error.
func (p *parser) term(field, text string, phrase bool, col int) (node, error) {
	if !hasSearchable(text) {
		if phrase {
			return nil, p.errAt(col, fmt.Sprintf("%q has nothing to search for", text))
		}
		return nil, nil
	}
	return p.count(&termNode{field: field, text: text, phrase: phrase, col: col}, col)
}

func (p *parser) count(n node, col int) (node, error) {
	p.terms++
	if p.terms > maxTerms {
		return nil, p.errAt(col, fmt.Sprintf("too many terms (at most %d)", maxTerms))
	}
	return n, nil
}

// hasSearchable reports whether s holds a character that FTS5 indexes.
func hasSearchable(s string) bool {
	for _, r := range s {
		if isCJK(r) || isTokenRune(r) {
			return true
		}
	}
	return false
}

// normTag normalises a tag for storage and comparison: trimmed and
// lower-cased.
func normTag(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
