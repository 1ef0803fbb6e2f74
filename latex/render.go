package latex

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/report"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// RenderOptions configure the LaTeX renderer. The zero value renders
// headings from \section down, numbered, and citations for natbib.
type RenderOptions struct {
	// TopLevel is the sectioning command of the document's shallowest
	// heading (a note whose sections are `##` gets \section for them):
	// "part", "chapter", "section" (the default, "" means it),
	// "subsection", "subsubsection" or "paragraph". Deeper levels use the
	// next commands; past \subparagraph a heading becomes a bold paragraph.
	TopLevel string
	// Unnumbered uses the starred forms (\section*).
	Unnumbered bool
	// Biblatex writes biblatex citation commands (\parencite, \textcite);
	// otherwise natbib's (\citep, \citet), mapping each to the other's
	// nearest equivalent. `[@key]` becomes \cite either way.
	Biblatex bool
	// Figures puts a block image inside a figure environment with its alt
	// text as the caption; otherwise it is a centred \includegraphics.
	Figures bool
	// Image, when not nil, is asked about each local image that passed the
	// lexical check (a relative path inside the workspace, an image
	// extension): an error keeps it out, written as text with that reason.
	// The caller resolves the path where TeX will (the .tex file's folder)
	// and refuses a link leading out of the workspace.
	Image func(file string) error
}

// sectioning lists LaTeX's sectioning commands from the top.
var sectioning = []string{"part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph"}

// markdown is the goldmark parser for LaTeX rendering: the same extensions
// as package notes uses for notes (GFM, footnotes, citations, $ and $$
// math), so that a note reads the same in HTML and in LaTeX. goldmark
// parsers are safe for concurrent use.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			notes.CiteExtension{},
			passthrough.New(passthrough.Config{
				InlineDelimiters: []passthrough.Delimiters{{Open: "$", Close: "$"}},
				BlockDelimiters:  []passthrough.Delimiters{{Open: "$$", Close: "$$"}},
			}),
		),
	)
})

// RenderMarkdown writes the markdown src (a note body or a section, without
// front matter) as a LaTeX fragment to w. The fragment needs the packages
// that [Preamble] loads (hyperref, graphicx, booktabs, and natbib or
// biblatex for citations). Rendering the same input with the same options
// gives identical bytes; it is safe for concurrent use.
//
// A formula that uses TeX outside the math allow-list (see checkMath), an
// image that is not a relative path inside the workspace, and a link that
// [report.SafeURL] refuses are written as escaped text; RenderMarkdown
// does not report them (use [NoteFiles] or [ReportFiles] for warnings).
func RenderMarkdown(w io.Writer, src []byte, opts RenderOptions) error {
	_, _, err := renderFragment(w, src, opts, false, nil)
	return err
}

// renderFragment is [RenderMarkdown] that also returns the keys cited, in
// order with repeats, and the unsafe formulas, images and links it wrote as
// text ([ErrUnsafe] problems, placed by pos, a byte offset in src to a
// position; nil gives positions without a line). dropTitle leaves out a
// level-1 heading that opens the document (a note's title, which the
// document's \title shows).
func renderFragment(w io.Writer, src []byte, opts RenderOptions, dropTitle bool, pos func(int) token.Position) ([]string, ErrorList, error) {
	doc := markdown().Parser().Parse(text.NewReader(src))
	if dropTitle {
		if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 {
			doc.RemoveChild(doc, h)
		}
	}
	nr := newNodeRenderer(opts)
	nr.pos = pos
	err := renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(nr, 100))).Render(w, src, doc)
	return nr.cited, nr.problems, err
}

// NewRenderer returns a goldmark renderer that writes LaTeX for the nodes of
// CommonMark, the GFM extensions (tables, strikethrough, task lists,
// autolinks), footnotes, package notes' citations and math passthrough.
// Raw HTML is dropped, except that <br> becomes a line break.
func NewRenderer(opts RenderOptions) renderer.Renderer {
	return renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(newNodeRenderer(opts), 100)))
}

// nodeRenderer renders every node kind; it also keeps its functions in a
// table so that it can render a footnote's body where the footnote is
// referenced (LaTeX's \footnote takes its text in place).
type nodeRenderer struct {
	opts      RenderOptions
	top       int // index into sectioning of a level-1 heading
	funcs     map[ast.NodeKind]renderer.NodeRendererFunc
	footnotes map[int]*east.Footnote
	tableCols int
	minLevel  int      // the shallowest heading level of the document
	cited     []string // keys cited, in order, with repeats
	problems  ErrorList
	pos       func(off int) token.Position // nil: no positions
}

// unsafe records that what starts at byte offset off of the source was
// written as text because it was refused.
func (r *nodeRenderer) unsafe(off int, key string, err error) {
	var p token.Position
	if r.pos != nil {
		p = r.pos(off)
	}
	r.problems.Add(p, key, fmt.Errorf("%w: %w", ErrUnsafe, err))
}

var _ renderer.NodeRenderer = (*nodeRenderer)(nil)

func newNodeRenderer(opts RenderOptions) *nodeRenderer {
	r := &nodeRenderer{opts: opts, top: 2}
	for i, s := range sectioning {
		if s == opts.TopLevel {
			r.top = i
		}
	}
	r.funcs = map[ast.NodeKind]renderer.NodeRendererFunc{
		ast.KindDocument:                  r.document,
		ast.KindHeading:                   r.heading,
		ast.KindParagraph:                 r.paragraph,
		ast.KindTextBlock:                 r.textBlock,
		ast.KindThematicBreak:             r.thematicBreak,
		ast.KindCodeBlock:                 r.codeBlock,
		ast.KindFencedCodeBlock:           r.codeBlock,
		ast.KindBlockquote:                r.blockquote,
		ast.KindList:                      r.list,
		ast.KindListItem:                  r.listItem,
		ast.KindHTMLBlock:                 r.skip,
		ast.KindText:                      r.text,
		ast.KindString:                    r.str,
		ast.KindCodeSpan:                  r.codeSpan,
		ast.KindEmphasis:                  r.emphasis,
		ast.KindLink:                      r.link,
		ast.KindImage:                     r.image,
		ast.KindAutoLink:                  r.autoLink,
		ast.KindRawHTML:                   r.rawHTML,
		east.KindTable:                    r.table,
		east.KindTableHeader:              r.tableRow,
		east.KindTableRow:                 r.tableRow,
		east.KindTableCell:                r.tableCell,
		east.KindStrikethrough:            r.passChildren,
		east.KindTaskCheckBox:             r.taskCheckBox,
		east.KindFootnoteLink:             r.footnoteLink,
		east.KindFootnoteBacklink:         r.skip,
		east.KindFootnoteList:             r.skip,
		east.KindFootnote:                 r.skip,
		notes.KindCitation:                r.citation,
		passthrough.KindPassthroughInline: r.mathInline,
		passthrough.KindPassthroughBlock:  r.mathBlock,
	}
	return r
}

// RegisterFuncs implements [renderer.NodeRenderer].
func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	for k, f := range r.funcs {
		reg.Register(k, f)
	}
}

// renderChildren renders n's children with r's functions, outside the
// renderer's own walk (for footnote bodies).
func (r *nodeRenderer) renderChildren(w util.BufWriter, src []byte, n ast.Node) error {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		err := ast.Walk(c, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if f := r.funcs[n.Kind()]; f != nil {
				return f(w, src, n, entering)
			}
			return ast.WalkContinue, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *nodeRenderer) skip(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) passChildren(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) document(_ util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		r.footnotes = map[int]*east.Footnote{}
		r.minLevel = 1
		shallowest := 7
		_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *east.Footnote:
				r.footnotes[n.Index] = n
			case *ast.Heading:
				if n.Level < shallowest {
					shallowest = n.Level
				}
			}
			return ast.WalkContinue, nil
		})
		if shallowest < 7 {
			r.minLevel = shallowest
		}
	}
	return ast.WalkContinue, nil
}

// blankLine ends a block: LaTeX needs an empty line between paragraphs.
func blankLine(w util.BufWriter, n ast.Node) {
	if n.NextSibling() != nil {
		_ = w.WriteByte('\n')
	}
}

func (r *nodeRenderer) heading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	i := r.top + n.Level - r.minLevel
	if entering {
		if i >= len(sectioning) {
			_, _ = w.WriteString(`\paragraph*{\textbf{`)
			return ast.WalkContinue, nil
		}
		star := ""
		if r.opts.Unnumbered {
			star = "*"
		}
		_, _ = w.WriteString(`\` + sectioning[i] + star + "{")
		return ast.WalkContinue, nil
	}
	if i >= len(sectioning) {
		_, _ = w.WriteString("}}")
	} else {
		_ = w.WriteByte('}')
	}
	_ = w.WriteByte('\n')
	blankLine(w, node)
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) paragraph(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_ = w.WriteByte('\n')
		blankLine(w, n)
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) textBlock(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_ = w.WriteByte('\n')
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) thematicBreak(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("\\par\\noindent\\rule{\\linewidth}{0.4pt}\\par\n")
		blankLine(w, n)
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) codeBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	body := b.String()
	// verbatim ends at the first \end{verbatim}, whatever the block holds.
	body = strings.ReplaceAll(body, `\end{verbatim}`, `\end {verbatim}`)
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	_, _ = w.WriteString("\\begin{verbatim}\n" + body + "\\end{verbatim}\n")
	blankLine(w, n)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) blockquote(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("\\begin{quote}\n")
	} else {
		_, _ = w.WriteString("\\end{quote}\n")
		blankLine(w, n)
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) list(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.List)
	env := "itemize"
	if n.IsOrdered() {
		env = "enumerate"
	}
	if entering {
		_, _ = w.WriteString(`\begin{` + env + "}\n")
		if n.IsOrdered() && n.Start > 1 {
			depth := 0
			for p := node.Parent(); p != nil; p = p.Parent() {
				if l, ok := p.(*ast.List); ok && l.IsOrdered() {
					depth++
				}
			}
			if depth < 4 {
				counter := []string{"enumi", "enumii", "enumiii", "enumiv"}[depth]
				fmt.Fprintf(w, "\\setcounter{%s}{%d}\n", counter, n.Start-1)
			}
		}
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`\end{` + env + "}\n")
	blankLine(w, node)
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) listItem(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		// A task item's label is its check box, written by taskCheckBox.
		if fc := n.FirstChild(); fc != nil {
			if tc := fc.FirstChild(); tc != nil && tc.Kind() == east.KindTaskCheckBox {
				_, _ = w.WriteString(`\item`)
				return ast.WalkContinue, nil
			}
		}
		_, _ = w.WriteString(`\item `)
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) taskCheckBox(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		if node.(*east.TaskCheckBox).IsChecked {
			_, _ = w.WriteString(`[\texttt{[x]}] `)
		} else {
			_, _ = w.WriteString(`[\texttt{[\ ]}] `)
		}
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) text(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Text)
	_, _ = w.WriteString(Escape(mdText(n.Segment.Value(src))))
	switch {
	case n.HardLineBreak():
		if r.tableCols > 0 {
			_ = w.WriteByte(' ')
		} else {
			_, _ = w.WriteString("\\\\\n")
		}
	case n.SoftLineBreak():
		_ = w.WriteByte('\n')
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) str(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*ast.String)
		if n.IsCode() || n.IsRaw() {
			_, _ = w.Write(n.Value)
		} else {
			_, _ = w.WriteString(Escape(string(n.Value)))
		}
	}
	return ast.WalkContinue, nil
}

// mdText returns markdown text as the reader sees it: backslash escapes
// (`\*`, `\|`) undone and entities (`&amp;`, `&#35;`) resolved, as
// goldmark's HTML writer does.
func mdText(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	return string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v))))
}

// codeSpan writes \texttt with escaped text rather than \verb, because
// \verb breaks inside the arguments of other commands (\section, \footnote,
// \href) and inside table cells.
func (r *nodeRenderer) codeSpan(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
		case *ast.String:
			b.Write(c.Value)
		}
	}
	_, _ = w.WriteString(`\texttt{` + Escape(b.String()) + `}`)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) emphasis(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Emphasis)
	if entering {
		if n.Level >= 2 {
			_, _ = w.WriteString(`\textbf{`)
		} else {
			_, _ = w.WriteString(`\emph{`)
		}
	} else {
		_ = w.WriteByte('}')
	}
	return ast.WalkContinue, nil
}

// escapeURL prepares a URL for \href and \url: `%` and `#` must be escaped
// there (a `%` would start a comment), and characters that TeX cannot take
// in an argument at all (`\`, braces, spaces) are percent-encoded, which
// leaves the URL pointing at the same place.
func escapeURL(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		switch c := u[i]; c {
		case '%', '#':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\\', '{', '}', ' ', '^', '\n', '\r', '\t':
			fmt.Fprintf(&b, `\%%%02X`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (r *nodeRenderer) link(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if report.SafeURL(string(n.Destination)) == "" {
		if entering {
			r.unsafe(nodeOffset(n), "", fmt.Errorf("link to %s written as text", printable(string(n.Destination))))
		}
		return ast.WalkContinue, nil // its text, without the link
	}
	if entering {
		_, _ = w.WriteString(`\href{` + escapeURL(string(n.Destination)) + `}{`)
	} else {
		_ = w.WriteByte('}')
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) autoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.AutoLink)
	u := string(n.URL(src))
	if n.AutoLinkType != ast.AutoLinkEmail && report.SafeURL(u) == "" {
		_, _ = w.WriteString(Escape(u))
		return ast.WalkSkipChildren, nil
	}
	if n.AutoLinkType == ast.AutoLinkEmail {
		_, _ = w.WriteString(`\href{mailto:` + escapeURL(u) + `}{` + Escape(string(n.Label(src))) + `}`)
	} else {
		_, _ = w.WriteString(`\url{` + escapeURL(u) + `}`)
	}
	return ast.WalkSkipChildren, nil
}

// plainText returns the text of n's descendants (an image's alt text).
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.WriteString(mdText(c.Segment.Value(src)))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

var remoteRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// image writes a local image with \includegraphics. A remote image (a URL)
// cannot be included, so it becomes a link labelled with its alt text.
func (r *nodeRenderer) image(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.Image)
	dest := string(n.Destination)
	alt := Escape(plainText(n, src))
	if remoteRE.MatchString(dest) && report.SafeURL(dest) != "" {
		if alt == "" {
			alt = Escape(dest)
		}
		_, _ = w.WriteString(`\href{` + escapeURL(dest) + `}{` + alt + `}`)
		return ast.WalkSkipChildren, nil
	}
	file, err := imageFile(dest)
	if err == nil && r.opts.Image != nil {
		if ierr := r.opts.Image(file); ierr != nil {
			err = fmt.Errorf("image %s written as text: %w", printable(dest), ierr)
		}
	}
	if err != nil {
		r.unsafe(nodeOffset(n), "", err)
		if alt == "" {
			alt = Escape(dest)
		}
		_, _ = w.WriteString(`[` + alt + `]`)
		return ast.WalkSkipChildren, nil
	}
	inc := `\includegraphics[width=\linewidth,height=0.4\textheight,keepaspectratio]{` + file + `}`
	alone := node.Parent() != nil && node.Parent().Kind() == ast.KindParagraph && node.Parent().ChildCount() == 1
	switch {
	case alone && r.opts.Figures:
		_, _ = w.WriteString("\\begin{figure}[htbp]\n\\centering\n" + inc + "\n")
		if alt != "" {
			_, _ = w.WriteString(`\caption{` + alt + "}\n")
		}
		_, _ = w.WriteString(`\end{figure}`)
	case alone:
		_, _ = w.WriteString("\\begin{center}\n" + inc + "\n\\end{center}")
	default:
		_, _ = w.WriteString(inc)
	}
	return ast.WalkSkipChildren, nil
}

var brRE = regexp.MustCompile(`(?i)^<br\s*/?>$`)

func (r *nodeRenderer) rawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var b bytes.Buffer
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		b.Write(seg.Value(src))
	}
	if brRE.Match(bytes.TrimSpace(b.Bytes())) {
		if r.tableCols > 0 {
			_ = w.WriteByte(' ')
		} else {
			_, _ = w.WriteString("\\newline{}")
		}
	}
	return ast.WalkSkipChildren, nil
}

// table writes a GFM table as a booktabs tabular. A table wider than the
// text (the example report's 9-column results) is scaled down to the line
// width; a narrower one keeps its size. The test happens in TeX, where
// widths are known: the tabular is set in box 0, measured, and then either
// used or passed through graphicx's \resizebox.
func (r *nodeRenderer) table(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.Table)
	if entering {
		var spec strings.Builder
		for _, a := range n.Alignments {
			switch a {
			case east.AlignRight:
				spec.WriteByte('r')
			case east.AlignCenter:
				spec.WriteByte('c')
			default:
				spec.WriteByte('l')
			}
		}
		r.tableCols = len(n.Alignments)
		_, _ = w.WriteString("\\begin{center}\n\\small\n\\setbox0=\\hbox{\\begin{tabular}{" + spec.String() + "}\n\\toprule\n")
		return ast.WalkContinue, nil
	}
	r.tableCols = 0
	_, _ = w.WriteString("\\bottomrule\n\\end{tabular}}%\n\\ifdim\\wd0>\\linewidth\\resizebox{\\linewidth}{!}{\\box0}\\else\\box0\\fi\n\\end{center}\n")
	blankLine(w, node)
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) tableRow(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		return ast.WalkContinue, nil
	}
	// GFM rows may have fewer cells than the header: pad them.
	for i := node.ChildCount(); i < r.tableCols; i++ {
		_, _ = w.WriteString(" &")
	}
	_, _ = w.WriteString(" \\\\\n")
	if node.Kind() == east.KindTableHeader {
		_, _ = w.WriteString("\\midrule\n")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) tableCell(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		if node.PreviousSibling() != nil {
			_, _ = w.WriteString(" & ")
		}
		if node.Parent() != nil && node.Parent().Kind() == east.KindTableHeader {
			_, _ = w.WriteString(`\textbf{`)
		}
		return ast.WalkContinue, nil
	}
	if node.Parent() != nil && node.Parent().Kind() == east.KindTableHeader {
		_ = w.WriteByte('}')
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) footnoteLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*east.FootnoteLink)
	f := r.footnotes[n.Index]
	if f == nil {
		return ast.WalkSkipChildren, nil
	}
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	if err := r.renderChildren(bw, src, f); err != nil {
		return ast.WalkStop, err
	}
	_ = bw.Flush()
	body := strings.TrimSpace(b.String())
	// Paragraph breaks inside \footnote are fine, but a blank line is not
	// allowed in a moving argument; \par is.
	body = strings.ReplaceAll(body, "\n\n", "\\par\n")
	_, _ = w.WriteString(`\footnote{` + body + `}`)
	return ast.WalkSkipChildren, nil
}

// citeMap maps a citation command written in a note to the command
// written for natbib (index 0) and for biblatex (index 1).
var citeMap = map[string][2]string{
	"cite":       {"cite", "cite"},
	"citep":      {"citep", "parencite"},
	"citet":      {"citet", "textcite"},
	"parencite":  {"citep", "parencite"},
	"textcite":   {"citet", "textcite"},
	"autocite":   {"citep", "autocite"},
	"footcite":   {"citep", "footcite"},
	"citeauthor": {"citeauthor", "citeauthor"},
	"citeyear":   {"citeyear", "citeyear"},
	"citealp":    {"citealp", "cite"},
	"citealt":    {"citealt", "cite"},
	"nocite":     {"nocite", "nocite"},
}

func (r *nodeRenderer) citation(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*notes.Citation)
	if len(n.Items) == 0 {
		return ast.WalkSkipChildren, nil
	}
	dialect := 0
	if r.opts.Biblatex {
		dialect = 1
	}
	cmd := "cite"
	if m, ok := citeMap[n.Command]; ok {
		cmd = m[dialect]
	}
	keys := make([]string, len(n.Items))
	for i, it := range n.Items {
		keys[i] = it.Key
	}
	for _, k := range keys {
		if !safeKey(k) {
			r.unsafe(nodeOffset(n), k, fmt.Errorf("cite key %s written as text", printable(k)))
			_, _ = w.WriteString(Escape("[@" + strings.Join(keys, "; @") + "]"))
			return ast.WalkSkipChildren, nil
		}
	}
	r.cited = append(r.cited, keys...)
	first := n.Items[0]
	if n.Command == "" && len(n.Items) == 1 && first.SuppressAuthor {
		cmd = "citeyear" // [-@key]
	}
	var opt string
	if len(n.Items) == 1 && (first.Prefix != "" || first.Locator != "") {
		loc := Escape(strings.TrimSpace(first.Locator))
		if pre := strings.TrimSpace(first.Prefix); pre != "" {
			opt = "[" + Escape(pre) + "][" + loc + "]"
		} else {
			opt = "[" + loc + "]"
		}
	}
	_, _ = w.WriteString(`\` + cmd + opt + `{` + strings.Join(keys, ",") + `}`)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) mathInline(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	seg := node.(*passthrough.PassthroughInline).Segment
	m := string(seg.Value(src))
	inner := strings.TrimSuffix(strings.TrimPrefix(m, "$"), "$")
	if err := checkMath(inner); err != nil {
		r.unsafe(seg.Start, "", fmt.Errorf("formula written as text: %w", err))
		_, _ = w.WriteString(Escape(m))
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(m)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) mathBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var b bytes.Buffer
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	m := strings.TrimSpace(b.String())
	// $$...$$ is plain TeX; LaTeX's display math is \[...\].
	inner, ok := strings.CutPrefix(m, "$$")
	if ok {
		inner, ok = strings.CutSuffix(inner, "$$")
	}
	if err := checkMath(inner); !ok || err != nil {
		if err == nil {
			err = errors.New("unclosed $$")
		}
		off := 0
		if lines.Len() > 0 {
			off = lines.At(0).Start
		}
		r.unsafe(off, "", fmt.Errorf("formula written as text: %w", err))
		var lines []string
		for _, l := range strings.Split(m, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, Escape(l))
			}
		}
		_, _ = w.WriteString("\\par\\noindent{\\ttfamily " + strings.Join(lines, "\\newline\n") + "}\\par\n")
		blankLine(w, node)
		return ast.WalkSkipChildren, nil
	}
	m = "\\[" + strings.TrimSpace(inner) + "\\]"
	_, _ = w.WriteString(m + "\n")
	blankLine(w, node)
	return ast.WalkSkipChildren, nil
}

// imageFile returns the file name to write in \includegraphics for a
// local image, or why it is refused. Only a relative path that stays inside
// the workspace is allowed (no /etc/passwd, no ../../x), with an image
// extension graphicx reads itself (an .eps would be converted by running
// a program), and no character that TeX would read as markup.
func imageFile(dest string) (string, error) {
	refuse := func(why string) (string, error) {
		return "", fmt.Errorf("image %s written as text: %s", printable(dest), why)
	}
	switch {
	case dest == "":
		return refuse("no file")
	case remoteRE.MatchString(dest):
		return refuse("not a local file or an http(s) URL")
	case strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, `\`) || strings.HasPrefix(dest, "~"):
		return refuse("not a relative path")
	}
	for i := 0; i < len(dest); i++ {
		if c := dest[i]; c < 0x20 || c == 0x7f || strings.IndexByte(`\{}%#$&^~"`, c) >= 0 {
			return refuse("it holds TeX markup")
		}
	}
	clean := path.Clean(dest)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return refuse("outside the workspace")
	}
	switch strings.ToLower(path.Ext(clean)) {
	case ".png", ".jpg", ".jpeg", ".pdf":
	default:
		return refuse("not a .png, .jpg or .pdf file")
	}
	return clean, nil
}

// nodeOffset returns the byte offset where n starts in the source, or 0.
func nodeOffset(n ast.Node) int {
	for c := ast.Node(n); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
		if c.Kind() != ast.KindDocument && c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return c.Lines().At(0).Start
		}
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}
