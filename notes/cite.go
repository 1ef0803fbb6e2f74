package notes

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindCitation is the [ast.NodeKind] of [Citation].
var KindCitation = ast.NewNodeKind("Citation")

// Citation is an inline node for one citation group: `[@a; @b]`,
// `\citep{a,b}` or `[[a]]`. It has no children; renderers draw it from Items.
type Citation struct {
	ast.BaseInline
	// Items are the cited keys in order.
	Items []CiteItem
	// Command is "" for pandoc syntax, "wiki" for `[[key]]`, or the LaTeX
	// command name ("cite", "citep", ...).
	Command string
	// Segment is the whole citation's source, brackets included.
	Segment text.Segment
	// Alias is the display text of `[[key|alias]]`, "" otherwise.
	Alias string
}

// CiteItem is one key of a [Citation].
type CiteItem struct {
	Key string
	// Offset is the byte offset of the key in the parsed source.
	Offset         int
	Prefix         string
	Locator        string
	SuppressAuthor bool
}

var _ ast.Node = (*Citation)(nil)

// Kind implements [ast.Node].
func (n *Citation) Kind() ast.NodeKind { return KindCitation }

// Dump implements [ast.Node].
func (n *Citation) Dump(source []byte, level int) {
	keys := make([]string, len(n.Items))
	for i, it := range n.Items {
		keys[i] = it.Key
	}
	ast.DumpHelper(n, source, level, map[string]string{"Keys": strings.Join(keys, ";"), "Command": n.Command}, nil)
}

// CiteExtension is a goldmark extender that parses citations into
// [Citation] nodes. Its zero value is ready to use.
type CiteExtension struct{}

var _ goldmark.Extender = CiteExtension{}

// Extend implements [goldmark.Extender].
//
// The parser runs at priority 199, just ahead of goldmark's link parser
// (200), because both trigger on '[': `[@key]` and `[[key]]` must become
// citations before the link parser claims the bracket (the same reasoning as
// goldmark-wikilink). When the text is not a citation the parser returns nil
// and the link parser sees the bracket as usual. The code span parser (100)
// and the math passthrough (201, trigger '$') never compete for '[' or '\',
// and since inline parsing goes left to right, a citation inside `code` or
// $math$ is consumed by those parsers first.
func (CiteExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(citeParser{}, 199),
	))
}

type citeParser struct{}

var _ parser.InlineParser = citeParser{}

// Trigger implements [parser.InlineParser]: a citation starts at a bracket
// (`[@`, `[-@`, `[[`) or a backslash (`\cite`).
func (citeParser) Trigger() []byte { return []byte{'[', '\\'} }

// Parse implements [parser.InlineParser]. Citations never span lines.
func (citeParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	var c *Citation
	var n int
	if len(line) > 0 && line[0] == '\\' {
		c, n = parseLatexCite(line, seg.Start)
	} else {
		c, n = parseBracketCite(line, seg.Start)
	}
	if c == nil {
		return nil
	}
	c.Segment = text.NewSegment(seg.Start, seg.Start+n)
	block.Advance(n)
	return c
}

// ParseCitations finds the citations in text that is not markdown (one
// line or many: code spans and math are not recognised here), as
// [CiteItem] values whose Offset is a byte offset into src. It runs the
// inline parser's scanners, exposed for fuzzing and for callers with plain
// text. It is safe for concurrent use.
func ParseCitations(src []byte) []CiteItem {
	var items []CiteItem
	for i := 0; i < len(src); i++ {
		if src[i] != '[' && src[i] != '\\' {
			continue
		}
		end := bytes.IndexByte(src[i:], '\n')
		if end < 0 {
			end = len(src) - i
		}
		line := src[i : i+end]
		var c *Citation
		var n int
		if src[i] == '\\' {
			c, n = parseLatexCite(line, i)
		} else {
			c, n = parseBracketCite(line, i)
		}
		if c != nil {
			items = append(items, c.Items...)
			i += n - 1
		}
	}
	return items
}

// isKeyRune reports whether r may appear inside a cite key: letters and
// digits of any script, and the punctuation BibTeX keys commonly hold.
func isKeyRune(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	switch r {
	case ':', '/', '.', '-', '_', '+', '#', '&', '?', '~', '\'', '*', '=':
		return true
	}
	return false
}

// scanKey reads a key at the start of b and returns its length in bytes.
// Trailing punctuation (a final '.' or ':') is not part of the key, as in
// pandoc, so "[@li2023blip.]" cites li2023blip.
func scanKey(b []byte) int {
	n := 0
	for n < len(b) {
		r, size := utf8.DecodeRune(b[n:])
		if r == utf8.RuneError && size <= 1 || !isKeyRune(r) {
			break
		}
		n += size
	}
	for n > 0 && strings.IndexByte(":./-+#&?~'*=", b[n-1]) >= 0 {
		n--
	}
	return n
}

// parseBracketCite parses `[@a, p. 3; -@b]` or `[[key]]` or
// `[[key|alias]]` at the start of line; off is line's offset in the source.
func parseBracketCite(line []byte, off int) (*Citation, int) {
	if len(line) < 3 || line[0] != '[' {
		return nil, 0
	}
	if line[1] == '[' {
		end := bytes.Index(line, []byte("]]"))
		if end < 0 {
			return nil, 0
		}
		inner := line[2:end]
		alias := ""
		if bar := bytes.IndexByte(inner, '|'); bar >= 0 {
			alias = strings.TrimSpace(string(inner[bar+1:]))
			inner = inner[:bar]
		}
		// Measure the leading space with the same rule TrimSpace uses, so
		// the offset is right after a tab or '\r' too.
		key := bytes.TrimSpace(inner)
		lead := len(inner) - len(bytes.TrimLeftFunc(inner, unicode.IsSpace))
		if len(key) == 0 || scanKey(key) != len(key) {
			return nil, 0
		}
		return &Citation{
			Command: "wiki",
			Alias:   alias,
			Items:   []CiteItem{{Key: string(key), Offset: off + 2 + lead}},
		}, end + 2
	}
	// Pandoc citation: find the closing bracket; nested brackets are not
	// allowed inside a citation.
	end := -1
	for i := 1; i < len(line); i++ {
		if line[i] == ']' {
			end = i
			break
		}
		if line[i] == '[' {
			return nil, 0
		}
	}
	if end < 0 {
		return nil, 0
	}
	c := &Citation{}
	start := 1
	for start <= end {
		semi := bytes.IndexByte(line[start:end], ';')
		partEnd := end
		if semi >= 0 {
			partEnd = start + semi
		}
		it, ok := parseCiteItem(line[start:partEnd], off+start)
		if !ok {
			return nil, 0
		}
		c.Items = append(c.Items, it)
		start = partEnd + 1
	}
	if len(c.Items) == 0 {
		return nil, 0
	}
	return c, end + 1
}

// parseCiteItem parses "prefix -@key, locator"; off is part's offset.
func parseCiteItem(part []byte, off int) (CiteItem, bool) {
	at := -1
	for i := 0; i < len(part); i++ {
		if part[i] != '@' {
			continue
		}
		// '@' must start a word (or follow '-'), so "a@b.c" is no citation.
		if i == 0 || part[i-1] == ' ' || part[i-1] == '-' && (i == 1 || part[i-2] == ' ') {
			at = i
			break
		}
		return CiteItem{}, false
	}
	if at < 0 {
		return CiteItem{}, false
	}
	it := CiteItem{}
	pre := at
	if at > 0 && part[at-1] == '-' {
		it.SuppressAuthor = true
		pre--
	}
	it.Prefix = strings.TrimSpace(string(part[:pre]))
	k := scanKey(part[at+1:])
	if k == 0 {
		return CiteItem{}, false
	}
	it.Key = string(part[at+1 : at+1+k])
	it.Offset = off + at + 1
	rest := strings.TrimSpace(string(part[at+1+k:]))
	rest = strings.TrimSpace(strings.TrimPrefix(rest, ","))
	if strings.Contains(rest, "@") {
		return CiteItem{}, false
	}
	it.Locator = rest
	return it, true
}

// latexCommands are the citation commands recognised after a backslash.
var latexCommands = []string{
	"parencite", "textcite", "autocite", "footcite", "citeauthor", "citeyear",
	"citealp", "citealt", "citep", "citet", "cite",
}

// parseLatexCite parses `\cite{a,b}`, `\citep[p.~3]{a}` or
// `\citep[see][p. 3]{a}` (with an optional '*') at the start of line.
func parseLatexCite(line []byte, off int) (*Citation, int) {
	if len(line) < 2 || line[0] != '\\' {
		return nil, 0
	}
	cmd := ""
	for _, c := range latexCommands {
		if bytes.HasPrefix(line[1:], []byte(c)) {
			cmd = c
			break
		}
	}
	if cmd == "" {
		return nil, 0
	}
	i := 1 + len(cmd)
	if i < len(line) && line[i] == '*' {
		i++
	}
	var opts []string
	for len(opts) < 2 && i < len(line) && line[i] == '[' {
		j := bytes.IndexByte(line[i:], ']')
		if j < 0 {
			return nil, 0
		}
		opts = append(opts, string(line[i+1:i+j]))
		i += j + 1
	}
	if i >= len(line) || line[i] != '{' {
		return nil, 0
	}
	j := bytes.IndexByte(line[i:], '}')
	if j < 0 {
		return nil, 0
	}
	c := &Citation{Command: cmd}
	keysStart := i + 1
	for p := keysStart; p <= i+j; {
		comma := bytes.IndexByte(line[p:i+j], ',')
		partEnd := i + j
		if comma >= 0 {
			partEnd = p + comma
		}
		part := line[p:partEnd]
		key := bytes.TrimSpace(part)
		lead := len(part) - len(bytes.TrimLeftFunc(part, unicode.IsSpace))
		if len(key) == 0 || scanKey(key) != len(key) {
			return nil, 0
		}
		c.Items = append(c.Items, CiteItem{Key: string(key), Offset: off + p + lead})
		p = partEnd + 1
	}
	// With one optional argument it is the postnote (locator); with two,
	// prenote then postnote, as natbib and biblatex read them.
	switch len(opts) {
	case 1:
		c.Items[len(c.Items)-1].Locator = opts[0]
	case 2:
		c.Items[0].Prefix = opts[0]
		c.Items[len(c.Items)-1].Locator = opts[1]
	}
	return c, i + j + 1
}
