package report

import (
	"bytes"
	htmltemplate "html/template"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// TODO(report): replace with notes' fragment renderer once it exists
// (requested in .coord/requests.md), so that there is one goldmark setup.

var md = goldmark.New(
	goldmark.WithExtensions(
		extension.GFM,
		extension.Footnote,
		passthrough.New(passthrough.Config{
			InlineDelimiters: []passthrough.Delimiters{{Open: "$", Close: "$"}, {Open: `\(`, Close: `\)`}},
			BlockDelimiters:  []passthrough.Delimiters{{Open: "$$", Close: "$$"}, {Open: `\[`, Close: `\]`}},
		}),
	),
	goldmark.WithRendererOptions(
		html.WithXHTML(),
		renderer.WithNodeRenderers(util.Prioritized(mathRenderer{}, 100)),
	),
)

// MarkdownToHTML renders a markdown fragment to HTML with GFM tables,
// footnotes and math kept as TeX for KaTeX: `$x$` becomes
// `<span class="math inline">\(x\)</span>` and `$$x$$` becomes
// `<div class="math display">\[x\]</div>`. Raw HTML in the markdown is
// not passed through (goldmark's safe default). It is safe for concurrent use.
func MarkdownToHTML(src string) (htmltemplate.HTML, error) {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return "", err
	}
	return htmltemplate.HTML(b.String()), nil //nolint:gosec // goldmark escapes text and drops raw HTML
}

type mathRenderer struct{}

func (mathRenderer) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(passthrough.KindPassthroughInline, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			tex := trimDelims(string(n.(*passthrough.PassthroughInline).Segment.Value(src)))
			_, _ = w.WriteString(`<span class="math inline">\(`)
			_, _ = w.WriteString(htmltemplate.HTMLEscapeString(tex))
			_, _ = w.WriteString(`\)</span>`)
		}
		return ast.WalkSkipChildren, nil
	})
	r.Register(passthrough.KindPassthroughBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			var b bytes.Buffer
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(src))
			}
			_, _ = w.WriteString(`<div class="math display">\[`)
			_, _ = w.WriteString(htmltemplate.HTMLEscapeString(trimDelims(b.String())))
			_, _ = w.WriteString("\\]</div>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}

// trimDelims strips the math delimiters passthrough keeps in the node.
func trimDelims(s string) string {
	for _, d := range [][2]string{{"$$", "$$"}, {`\[`, `\]`}, {`\(`, `\)`}, {"$", "$"}} {
		if len(s) >= len(d[0])+len(d[1]) && s[:len(d[0])] == d[0] && s[len(s)-len(d[1]):] == d[1] {
			return s[len(d[0]) : len(s)-len(d[1])]
		}
	}
	return s
}
