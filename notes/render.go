package notes

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// RenderOptions configures [Render] and [RenderPage]. The zero value
// renders citations as plain keys, escapes raw HTML and needs no lookups.
type RenderOptions struct {
	// Resolver gives the cited paper's title (a tooltip) and says whether a
	// key is known. Nil means no titles, and no citation is marked unresolved
	// for lack of an entry.
	Resolver CiteResolver
	// NoteURL returns the URL of the cited paper's note, and whether it has
	// one. Nil means no note links.
	NoteURL func(key string) (string, bool)
	// EntryURL returns the URL of the cited paper's library entry, used when
	// the paper has no note. Nil means no entry links.
	EntryURL func(key string) string
	// AllowHTML passes raw HTML in the note through. Otherwise it is escaped
	// and shown as text; HTML comments are dropped either way when not allowed,
	// so scaffold prompts never show.
	AllowHTML bool
	// Lang is the page's lang attribute for [RenderPage] ("" means "zh").
	Lang string
	// MathTags is trusted HTML that [RenderPage] writes once, just before
	// </body>, when the note has math: the <style> and <script> that turn
	// the "math inline"/"math display" elements into rendered formulas
	// (internal/mathjs's tags, passed in by the CLI, so that notes knows no
	// browser assets). It is written as is: never put note text in it.
	// Empty means math stays TeX. [Render] ignores it.
	MathTags string
}

// Render writes n's body as an HTML fragment to w. Rendering the same note
// with the same options gives identical bytes. Text taken from the resolver
// is always escaped. It is safe to call concurrently on the same note.
func Render(w io.Writer, n *Note, opts RenderOptions) error {
	_, err := render(w, n, &opts)
	return err
}

// render is [Render], and reports whether the note had math.
func render(w io.Writer, n *Note, opts *RenderOptions) (math bool, err error) {
	doc := n.doc
	src := n.Source[n.BodyOffset:]
	if doc == nil {
		ctx := parser.NewContext(parser.WithIDs(newIDs()))
		doc = markdown().Parser().Parse(textReader(src), parser.WithContext(ctx))
	}
	ow := &optWriter{Writer: bufio.NewWriter(w), opts: opts}
	err = sharedRenderer().Render(ow, src, doc)
	return ow.math, err
}

// optWriter carries one call's options to the node renderers. goldmark
// hands its renderer funcs only the writer, the source and the node, and a
// renderer built per call cost a tenth of the render time, so the one shared
// renderer finds the options here: goldmark uses a writer that already is a
// util.BufWriter as it is.
type optWriter struct {
	*bufio.Writer
	opts *RenderOptions
	math bool // a formula was written
}

var sharedRenderer = sync.OnceValue(newRenderer)

// RenderMarkdown writes a markdown fragment (a section body, with no front
// matter) as HTML to w, with everything [Render] does: GFM tables,
// footnotes, math in "math inline"/"math display" elements, citations
// through opts, raw HTML escaped unless opts.AllowHTML. Heading ids are
// unique within the fragment only.
func RenderMarkdown(w io.Writer, src []byte, opts RenderOptions) error {
	return Render(w, &Note{Source: src}, opts)
}

// RenderPage writes n as a standalone HTML page with inline CSS and no
// external resources. The title is the note's title, or its key. When the
// note has math, opts.MathTags is written once before </body>.
func RenderPage(w io.Writer, n *Note, opts RenderOptions) error {
	bw := bufio.NewWriter(w)
	title := n.Title
	if title == "" {
		title = n.Key
	}
	lang := opts.Lang
	if lang == "" {
		lang = "zh"
	}
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n<article class=\"note\">\n",
		html.EscapeString(lang), html.EscapeString(title), pageCSS)
	if len(n.Meta.Tags) > 0 || n.Key != "" {
		bw.WriteString("<p class=\"meta\">")
		if n.Key != "" {
			fmt.Fprintf(bw, "<code class=\"key\">%s</code>", html.EscapeString(n.Key))
		}
		for _, t := range n.Meta.Tags {
			fmt.Fprintf(bw, " <span class=\"tag\">%s</span>", html.EscapeString(t))
		}
		if n.Meta.Status != "" {
			fmt.Fprintf(bw, " <span class=\"status\">%s</span>", html.EscapeString(n.Meta.Status))
		}
		if !n.Meta.Read.IsZero() {
			fmt.Fprintf(bw, " <time>%s</time>", n.Meta.Read.Format("2006-01-02"))
		}
		bw.WriteString("</p>\n")
	}
	math, err := render(bw, n, &opts)
	if err != nil {
		return err
	}
	bw.WriteString("</article>\n")
	if math {
		bw.WriteString(opts.MathTags)
	}
	bw.WriteString("</body>\n</html>\n")
	return bw.Flush()
}

const pageCSS = `body{margin:0;background:#fdfdfc;color:#222;font:16px/1.7 -apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
.note{max-width:46rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;line-height:1.3}h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#666;font-size:.9rem}.tag{background:#eef;border-radius:3px;padding:0 .3rem}.status{color:#080}
table{border-collapse:collapse;margin:1rem 0;font-size:.85rem;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}th{background:#f3f3f3}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}pre{background:#f5f5f5;padding:.6rem;overflow-x:auto}
a.cite{text-decoration:none;border-bottom:1px dotted #36c}.cite.unresolved{color:#b00;border-bottom:1px dashed #b00}
.math.display{overflow-x:auto;margin:1rem 0}.footnotes{font-size:.9rem;color:#444}
`

// newRenderer builds the HTML renderer. goldmark's node
// renderers are registered from the highest priority number to the lowest,
// and the last registration of a kind wins, so ours (priority 10) replace the
// passthrough and raw-HTML renderers.
func newRenderer() renderer.Renderer {
	return renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(ghtml.NewRenderer(), 1000),
		// Align cells with the align attribute: the style method appends to the
		// node's attributes on every render, so a second render would differ.
		util.Prioritized(extension.NewTableHTMLRenderer(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)), 500),
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
		util.Prioritized(extension.NewTaskCheckBoxHTMLRenderer(), 500),
		util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500),
		util.Prioritized(nodeRenderer{}, 10),
	))
}

type nodeRenderer struct{}

var _ renderer.NodeRenderer = nodeRenderer{}

var _ util.BufWriter = (*optWriter)(nil)

// options returns the options of the current call (zero options when a
// caller renders a tree with our renderer through another writer).
func options(w util.BufWriter) *RenderOptions {
	if ow, ok := w.(*optWriter); ok {
		return ow.opts
	}
	return &RenderOptions{}
}

// sawMath notes that the current call wrote a formula.
func sawMath(w util.BufWriter) {
	if ow, ok := w.(*optWriter); ok {
		ow.math = true
	}
}

// RegisterFuncs implements [renderer.NodeRenderer].
func (r nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCitation, r.citation)
	reg.Register(passthrough.KindPassthroughInline, r.mathInline)
	reg.Register(passthrough.KindPassthroughBlock, r.mathBlock)
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
}

func (r nodeRenderer) mathInline(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		sawMath(w)
		w.WriteString(`<span class="math inline">`)
		w.WriteString(html.EscapeString(string(n.(*passthrough.PassthroughInline).Segment.Value(src))))
		w.WriteString(`</span>`)
	}
	return ast.WalkSkipChildren, nil
}

func (r nodeRenderer) mathBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		sawMath(w)
		w.WriteString(`<div class="math display">`)
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			w.WriteString(html.EscapeString(string(seg.Value(src))))
		}
		w.WriteString("</div>\n")
	}
	return ast.WalkSkipChildren, nil
}

func (r nodeRenderer) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := n.(*ast.RawHTML).Segments
	var b bytes.Buffer
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		b.Write(seg.Value(src))
	}
	switch {
	case options(w).AllowHTML:
		w.Write(b.Bytes())
	case bytes.HasPrefix(b.Bytes(), []byte("<!--")):
		// A comment is a note to self (scaffold prompts): never shown.
	default:
		w.WriteString(html.EscapeString(b.String()))
	}
	return ast.WalkSkipChildren, nil
}

func (r nodeRenderer) htmlBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	hb := n.(*ast.HTMLBlock)
	var b bytes.Buffer
	lines := hb.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	if hb.HasClosure() {
		b.Write(hb.ClosureLine.Value(src))
	}
	switch {
	case options(w).AllowHTML:
		w.Write(b.Bytes())
	case hb.HTMLBlockType == ast.HTMLBlockType2:
		// Comments are dropped, whatever follows them on their last line.
	default:
		w.WriteString("<pre class=\"raw-html\">")
		w.WriteString(html.EscapeString(strings.TrimRight(b.String(), "\n")))
		w.WriteString("</pre>\n")
	}
	return ast.WalkSkipChildren, nil
}

// citation renders a citation group. Each key becomes a link to the cited
// paper's note, else to its entry, with the title as tooltip; a key the
// resolver does not know (and that has no note) is marked unresolved.
func (r nodeRenderer) citation(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	c := node.(*Citation)
	wiki := c.Command == "wiki"
	w.WriteString(`<span class="citation">`)
	if !wiki {
		w.WriteString("[")
	}
	for i, it := range c.Items {
		if i > 0 {
			w.WriteString("; ")
		}
		if it.Prefix != "" {
			w.WriteString(html.EscapeString(it.Prefix))
			w.WriteString(" ")
		}
		label := it.Key
		if wiki && c.Alias != "" {
			label = c.Alias
		}
		r.citeKey(w, options(w), it.Key, label)
		if it.Locator != "" {
			w.WriteString(", ")
			w.WriteString(html.EscapeString(it.Locator))
		}
	}
	if !wiki {
		w.WriteString("]")
	}
	w.WriteString(`</span>`)
	return ast.WalkSkipChildren, nil
}

func (r nodeRenderer) citeKey(w util.BufWriter, opts *RenderOptions, key, label string) {
	title, known := "", false
	if opts.Resolver != nil {
		title, known = opts.Resolver.CiteTitle(key)
	}
	href, hasNote := "", false
	if opts.NoteURL != nil {
		href, hasNote = opts.NoteURL(key)
	}
	if !hasNote && known && opts.EntryURL != nil {
		href = opts.EntryURL(key)
	}
	unresolved := opts.Resolver != nil && !known && !hasNote
	esc := html.EscapeString
	switch {
	case unresolved:
		fmt.Fprintf(w, `<span class="cite unresolved" data-key="%s" title="unknown cite key">%s<sup>?</sup></span>`, esc(key), esc(label))
	case href != "" && isSafeURL(href):
		w.WriteString(`<a class="cite" href="`)
		w.WriteString(esc(href))
		fmt.Fprintf(w, `" data-key="%s"`, esc(key))
		if title != "" {
			fmt.Fprintf(w, ` title="%s"`, esc(title))
		}
		fmt.Fprintf(w, `>%s</a>`, esc(label))
	default:
		fmt.Fprintf(w, `<span class="cite" data-key="%s"`, esc(key))
		if title != "" {
			fmt.Fprintf(w, ` title="%s"`, esc(title))
		}
		fmt.Fprintf(w, `>%s</span>`, esc(label))
	}
}

// isSafeURL refuses javascript:, vbscript:, data: and file: URLs from the
// URL callbacks, as goldmark does for links in the note.
func isSafeURL(u string) bool {
	return !ghtml.IsDangerousURL([]byte(u))
}

// ids generates heading ids that keep letters of every script, so Chinese
// headings get readable anchors ("摘要", "method", "本文采用什么方法及其优缺点"),
// and makes repeats unique with "-1", "-2" suffixes. One ids serves one
// document.
type ids struct{ used map[string]bool }

var _ parser.IDs = (*ids)(nil)

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// Generate implements [parser.IDs].
func (s *ids) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range string(value) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	base := b.String()
	if base == "" {
		base = "heading"
	}
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements [parser.IDs].
func (s *ids) Put(value []byte) { s.used[string(value)] = true }
