package notes

import (
	"bytes"
	"fmt"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown returns the one goldmark instance used for parsing. goldmark
// parsers are safe for concurrent use; rendering builds its own renderer per
// call (see [Render]) because citation links depend on per-call options.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			CiteExtension{},
			passthrough.New(passthrough.Config{
				InlineDelimiters: []passthrough.Delimiters{{Open: "$", Close: "$"}},
				BlockDelimiters:  []passthrough.Delimiters{{Open: "$$", Close: "$$"}},
			}),
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
})

// Parse parses one note: YAML front matter (optional) and a markdown body.
// filename is used only for positions; pass the real path.
//
// Parse always returns a non-nil *Note holding everything it could read: a
// note with a bad front matter still has its sections and citations. The
// error, when not nil, is an [ErrorList] of positioned [*Error] values,
// sorted, wrapping [ErrBadFrontMatter], [ErrMissingKey], [ErrBadStatus] or
// [ErrBadDate]. Parse never fails on the markdown itself: any byte sequence
// is a markdown document.
func Parse(filename string, src []byte, opts Options) (*Note, error) {
	n := &Note{Path: filename, Source: src}
	file := token.NewFileSet().AddFile(filename, -1, len(src))
	file.SetLinesForContent(src)
	pos := func(off int) token.Position { return runePosition(file, src, off) }

	var errs ErrorList
	ys, ye, body, hasFM, closed := splitFrontMatter(src)
	n.KeyPos = pos(0)
	if hasFM {
		if !closed {
			errs.Add(pos(0), fmt.Errorf("%w: no closing --- line", ErrBadFrontMatter))
		}
		if !fastFrontMatter(file, src, ys, ye, &n.Meta, &n.KeyPos) {
			errs = append(errs, parseFrontMatter(file, src, ys, ye, &n.Meta, &n.KeyPos)...)
		}
	}
	n.Key = n.Meta.Key
	if n.Key == "" && len(errs) == 0 {
		errs.Add(pos(0), ErrMissingKey)
	}
	n.BodyOffset = body
	n.BodyLine = bytes.Count(src[:body], []byte("\n")) + 1
	if opts.MetaOnly {
		errs.Sort()
		return n, errs.Err()
	}

	bsrc := src[body:]
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	doc := markdown().Parser().Parse(text.NewReader(bsrc), parser.WithContext(ctx))
	n.doc = doc
	n.Sections, n.Title = sections(doc, bsrc, newMatcher(opts.Aliases), func(off int) int { return pos(body + off).Line })
	n.Cites = cites(doc, func(off int) token.Position { return pos(body + off) })
	errs.Sort()
	return n, errs.Err()
}

// runePosition returns the position of byte offset off in src, whose lines
// file holds, with the column counted in runes (1-based), as bib counts them:
// an editor or a reader counts characters, not UTF-8 bytes, and CJK text
// before a citation would otherwise push the column two bytes per character
// off.
func runePosition(file *token.File, src []byte, off int) token.Position {
	p := file.Position(file.Pos(off))
	if start := off - (p.Column - 1); p.Column > 1 && start >= 0 && off <= len(src) {
		p.Column = utf8.RuneCount(src[start:off]) + 1
	}
	return p
}

// sections splits doc's top-level blocks at the headings of the section level.
func sections(doc ast.Node, src []byte, m matcher, line func(int) int) ([]Section, string) {
	var hs []*ast.Heading
	texts := map[*ast.Heading]string{}
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok {
			hs = append(hs, h)
			texts[h] = inlineText(h, src)
		}
	}
	if len(hs) == 0 {
		return nil, ""
	}
	// The section level is the shallowest level of a heading that names a
	// known section; without any, the shallowest level below a lone title.
	level := 0
	for _, h := range hs {
		if _, ok := m.match(texts[h]); ok && (level == 0 || h.Level < level) {
			level = h.Level
		}
	}
	if level == 0 {
		rest := hs
		h1 := 0
		for _, h := range hs {
			if h.Level == 1 {
				h1++
			}
		}
		if hs[0].Level == 1 && h1 == 1 {
			rest = hs[1:]
		}
		for _, h := range rest {
			if level == 0 || h.Level < level {
				level = h.Level
			}
		}
		if level == 0 { // only a title
			return nil, texts[hs[0]]
		}
	}
	title := ""
	for _, h := range hs {
		if h.Level == 1 && h.Level < level {
			title = texts[h]
			break
		}
		if h.Level <= level {
			break
		}
	}

	var out []Section
	used := map[string]bool{}
	var cur *Section
	var curStart int
	var curBlocks []ast.Node
	finish := func(end int) {
		if cur == nil {
			return
		}
		cur.Markdown = trimBlankLines(string(src[curStart:end]))
		cur.Text = blocksText(curBlocks, src)
		out = append(out, *cur)
		cur, curBlocks = nil, nil
	}
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		h, ok := c.(*ast.Heading)
		if !ok || h.Level > level {
			if cur != nil && c.Kind() != east.KindFootnoteList {
				curBlocks = append(curBlocks, c)
			}
			continue
		}
		start, end := headingSpan(h, src)
		finish(start)
		if h.Level < level {
			continue // the title, or a heading above the sections
		}
		heading := texts[h]
		s := Section{Heading: heading, Level: h.Level, Line: line(start)}
		if id, ok := m.match(heading); ok {
			s.ID, s.Canonical = id, isCanonical(id)
		} else {
			base := slug(heading)
			s.ID = base
			for i := 2; used[s.ID]; i++ {
				s.ID = base + "-" + strconv.Itoa(i)
			}
		}
		used[s.ID] = true
		cur, curStart = &s, end
	}
	finish(len(src))
	return out, title
}

// headingSpan returns the offsets of the start of the heading's first line
// and of the end of its last line (after the newline), underline included
// for setext headings.
func headingSpan(h *ast.Heading, src []byte) (start, end int) {
	start = h.Pos()
	if lines := h.Lines(); lines.Len() > 0 {
		start = min(start, lines.At(0).Start)
		if start < 0 {
			start = lines.At(0).Start
		}
	}
	start = max(start, 0)
	start = bytes.LastIndexByte(src[:start], '\n') + 1
	end = lineEnd(src, start)
	// ATX headings start with '#' after at most three spaces; anything else
	// is a setext heading whose underline follows its last text line.
	if t := bytes.TrimLeft(src[start:end], " "); len(t) == 0 || t[0] != '#' {
		if lines := h.Lines(); lines.Len() > 0 {
			end = lineEnd(src, lines.At(lines.Len()-1).Start)
			end = lineEnd(src, end)
		}
	}
	return start, end
}

// lineEnd returns the offset just after the newline ending the line that
// holds off, or len(src).
func lineEnd(src []byte, off int) int {
	if off >= len(src) {
		return len(src)
	}
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}

// trimBlankLines drops leading blank lines (keeping the first content line's
// indentation) and all trailing white space.
func trimBlankLines(s string) string {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 || strings.TrimSpace(s[:i]) != "" {
			break
		}
		s = s[i+1:]
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return strings.TrimRight(s, " \t\r\n")
}

// cites collects every citation of the tree, sorted by offset (footnote
// definitions are moved to the end of the tree by goldmark).
func cites(doc ast.Node, pos func(int) token.Position) []Cite {
	var items []CiteItem
	cmds := map[int]string{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*Citation); ok && entering {
			for _, it := range c.Items {
				cmds[it.Offset] = c.Command
				items = append(items, it)
			}
		}
		return ast.WalkContinue, nil
	})
	slices.SortStableFunc(items, func(a, b CiteItem) int { return a.Offset - b.Offset })
	out := make([]Cite, 0, len(items))
	for _, it := range items {
		out = append(out, Cite{
			Key: it.Key, Pos: pos(it.Offset), Prefix: it.Prefix, Locator: it.Locator,
			SuppressAuthor: it.SuppressAuthor, Command: cmds[it.Offset],
		})
	}
	return out
}

// inlineText returns the plain text of an inline container (a heading, a
// paragraph, a table cell).
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	writeInline(&b, n, src)
	return strings.TrimSpace(b.String())
}

func writeInline(b *strings.Builder, n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			// Text segments keep backslash escapes and entities as written.
			v := c.Segment.Value(src)
			if bytes.IndexByte(v, '\\') >= 0 || bytes.IndexByte(v, '&') >= 0 {
				v = util.ResolveNumericReferences(util.ResolveEntityNames(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if c.HardLineBreak() || c.SoftLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			b.Write(c.Value)
		case *Citation:
			b.Write(c.Segment.Value(src))
		case *ast.RawHTML:
			// HTML in a note is markup, not text.
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *passthrough.PassthroughInline:
			b.Write(c.Segment.Value(src))
		case *east.FootnoteLink:
		default:
			writeInline(b, c, src)
		}
	}
}

// blocksText joins the plain text of blocks with blank lines.
func blocksText(blocks []ast.Node, src []byte) string {
	var parts []string
	for _, n := range blocks {
		if t := blockText(n, src); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n")
}

func blockText(n ast.Node, src []byte) string {
	switch n := n.(type) {
	case *ast.HTMLBlock:
		return ""
	case *ast.FencedCodeBlock, *ast.CodeBlock, *passthrough.PassthroughBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		return strings.TrimRight(b.String(), "\n")
	case *ast.List:
		var items []string
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t := blockText(c, src); t != "" {
				items = append(items, t)
			}
		}
		return strings.Join(items, "\n")
	case *ast.ListItem:
		var parts []string
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t := blockText(c, src); t != "" {
				parts = append(parts, t)
			}
		}
		return strings.Join(parts, "\n")
	case *east.Table:
		var rows []string
		for r := n.FirstChild(); r != nil; r = r.NextSibling() {
			var cells []string
			for c := r.FirstChild(); c != nil; c = c.NextSibling() {
				cells = append(cells, inlineText(c, src))
			}
			rows = append(rows, strings.Join(cells, "\t"))
		}
		return strings.Join(rows, "\n")
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		return inlineText(n, src)
	case *ast.ThematicBreak:
		return ""
	default:
		if n.Type() == ast.TypeInline {
			return inlineText(n, src)
		}
		var parts []string
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t := blockText(c, src); t != "" {
				parts = append(parts, t)
			}
		}
		return strings.Join(parts, "\n\n")
	}
}

func textReader(src []byte) text.Reader { return text.NewReader(src) }
