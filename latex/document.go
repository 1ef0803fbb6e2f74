package latex

import (
	"bufio"
	"bytes"
	"fmt"
	"go/token"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/report"
)

// DocOptions configure the standalone documents of [RenderNote] and
// [RenderReport]. The zero value writes an English (pdflatex) document with
// natbib and no bibliography.
type DocOptions struct {
	// Lang is "zh" for a ctexart document compiled with xelatex, or "en" (or
	// "") for an article compiled with pdflatex. A document whose text holds
	// Chinese characters is always ctexart, since pdflatex cannot set them.
	Lang string
	// BibName is the .bib file beside the document, without the extension,
	// named in \bibliography. "" leaves the bibliography out.
	BibName string
	// BibStyle is the natbib style; "" means plainnat.
	BibStyle string
	// Image checks local images, as [RenderOptions.Image]; nil checks
	// their paths lexically only.
	Image func(file string) error
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// xeHyperref loads hyperref under xelatex only when the ZapfDingbats
// metrics (pzdr.tfm, in texlive-fonts-recommended) are installed: hyperref
// loads that font whenever it runs on XeTeX, and a minimal TeX install
// (texlive-xetex without the recommended fonts) lacks it. Without it, the
// url package gives \url and \href prints its text.
const xeHyperref = `\IfFileExists{pzdr.tfm}{\usepackage[hidelinks]{hyperref}}{\usepackage{url}\providecommand{\href}[2]{##2}}`

// preamble writes everything up to \begin{document}. Only packages of
// texlive-latex-base and texlive-latex-recommended (plus ctex for Chinese)
// are used, so the documents compile on a minimal TeX install.
func preamble(w *bufio.Writer, zh bool, title, author, date string) {
	if zh {
		w.WriteString("% !TEX program = xelatex\n\\documentclass[11pt,a4paper]{ctexart}\n")
	} else {
		w.WriteString("% !TEX program = pdflatex\n\\documentclass[11pt,a4paper]{article}\n\\usepackage[utf8]{inputenc}\n")
	}
	w.WriteString(`\usepackage[margin=2.5cm]{geometry}
\usepackage{amsmath}
\usepackage{graphicx}
\usepackage{booktabs}
\usepackage[authoryear,round]{natbib}
`)
	if zh {
		w.WriteString(xeHyperref + "\n")
	} else {
		w.WriteString("\\usepackage[hidelinks]{hyperref}\n")
	}
	// Long URLs and words: let TeX stretch lines a little more rather than
	// overflow the margin, and let URLs stretch between their characters.
	w.WriteString("\\setlength{\\emergencystretch}{3em}\n\\AtBeginDocument{\\ifdefined\\Urlmuskip\\Urlmuskip=0mu plus 1mu\\relax\\fi}\n")
	fmt.Fprintf(w, "\\title{%s}\n\\author{%s}\n\\date{%s}\n\\begin{document}\n\\maketitle\n\n", title, author, date)
}

func (o DocOptions) bibliography(w *bufio.Writer, cited []string) {
	if o.BibName == "" || len(cited) == 0 {
		return
	}
	style := o.BibStyle
	if style == "" {
		style = "plainnat"
	}
	fmt.Fprintf(w, "\n\\bibliographystyle{%s}\n\\bibliography{%s}\n", style, o.BibName)
}

// citeList turns keys into citations without positions, first use first.
func citeList(keys []string) []Citation {
	seen := map[string]bool{}
	var out []Citation
	for _, k := range keys {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, Citation{Key: k})
		}
	}
	return out
}

// RenderNote writes the note n as a standalone LaTeX document (render KEY
// --format tex): the title and authors from the library entry (or the
// note), the note's body with its sections as \section, and a
// bibliography of the papers cited when opts.BibName is set. The note's own
// paper is \nocite-d so that it is always in the bibliography. It returns
// the citations the document makes, for [Export] to write the .bib beside
// it. lib may be nil. Rendering twice gives identical bytes.
func RenderNote(w io.Writer, n *notes.Note, lib Library, opts DocOptions) ([]Citation, error) {
	cited, _, err := renderNote(w, n, lib, opts)
	return cited, err
}

// renderNote is [RenderNote] that also returns what was written as text
// because it was unsafe ([ErrUnsafe] problems).
func renderNote(w io.Writer, n *notes.Note, lib Library, opts DocOptions) ([]Citation, ErrorList, error) {
	var e *bib.Entry
	if lib != nil && n.Key != "" {
		e, _ = lib.Lookup(n.Key)
	}
	if !safeKey(n.Key) {
		e = nil // never written into \nocite
	}
	title := n.Title
	if e != nil && title == "" {
		title = e.Title()
	}
	if title == "" {
		title = n.Key
	}
	body := n.Source[n.BodyOffset:]
	zh := opts.Lang == "zh" || hasHan(title) || hasHan(string(body))
	var author, date string
	if e != nil {
		// Names as text, every author listed; "and others" is "et al."
		// (等 in Chinese), never an author called "others".
		etAl := "et al."
		if zh {
			etAl = "等"
		}
		names := e.Authors()
		author = bib.Byline(names, bib.BylineOptions{Max: max(len(names), 1), EtAl: etAl})
		date = e.Year()
	}

	var frag bytes.Buffer
	cited, problems, err := renderFragment(&frag, body, RenderOptions{Image: opts.Image}, true, notePos(n))
	if err != nil {
		return nil, nil, fmt.Errorf("render note %s: %w", n.Key, err)
	}
	if e != nil {
		cited = append([]string{n.Key}, cited...)
	}
	bw := bufio.NewWriter(w)
	preamble(bw, zh, Escape(title), Escape(author), Escape(date))
	if e != nil {
		fmt.Fprintf(bw, "\\nocite{%s}\n\n", n.Key)
	}
	bw.Write(frag.Bytes())
	opts.bibliography(bw, cited)
	bw.WriteString("\\end{document}\n")
	return citeList(cited), problems, bw.Flush()
}

// notePos maps a byte offset in n's body to a position in n's file
// (column in runes, as for other note problems).
func notePos(n *notes.Note) func(int) token.Position {
	return func(off int) token.Position {
		off += n.BodyOffset
		if off > len(n.Source) {
			off = len(n.Source)
		}
		before := n.Source[:off]
		line := 1 + bytes.Count(before, []byte("\n"))
		col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
		return token.Position{Filename: n.Path, Offset: off, Line: line, Column: col}
	}
}

// reportTexts are the fixed texts of the LaTeX report not in report.Data's headings.
var reportTexts = map[string]map[string]string{
	"zh": {"authors": "作者", "cite": "引用"},
	"en": {"authors": "Authors", "cite": "Cite as"},
}

// RenderReport writes the weekly report d as a standalone LaTeX document
// in d.Lang: zh is a ctexart document for xelatex, en an article for
// pdflatex (or ctexart when the report holds Chinese text). Its layout
// follows the markdown report: the work log, then each paper with its
// title (linked), a \cite of the paper, and its sections in order; the
// BibTeX section is a verbatim block. Section bodies are rendered with
// [RenderMarkdown], so their tables, lists, math and citations carry over.
// It returns the citations made (the papers and the keys cited in their
// sections), for [Export] to write the .bib named by opts.BibName.
func RenderReport(w io.Writer, d *report.Data, opts DocOptions) ([]Citation, error) {
	cited, _, err := renderReport(w, d, opts)
	return cited, err
}

// renderReport is [RenderReport] that also returns what was written as
// text because it was unsafe ([ErrUnsafe] problems, placed at the note's
// file without a line: report sections are copies of the notes' text).
func renderReport(w io.Writer, d *report.Data, opts DocOptions) ([]Citation, ErrorList, error) {
	var problems ErrorList
	lang := d.Lang
	if lang != "en" {
		lang = "zh"
	}
	texts := reportTexts[lang]
	var body bytes.Buffer
	var cited []string
	h := func(id string) string { return Escape(d.Headings[id]) }

	fmt.Fprintf(&body, "\\section*{%s}\n\n", h("worklog"))
	if len(d.WorkLog) == 0 {
		fmt.Fprintf(&body, "%s\n\n", h("noworklog"))
	} else {
		body.WriteString("\\begin{itemize}\n")
		for _, it := range d.WorkLog {
			fmt.Fprintf(&body, "\\item %s %s\n", it.Date.Format("2006-01-02"), Escape(it.Text))
		}
		body.WriteString("\\end{itemize}\n\n")
	}
	fmt.Fprintf(&body, "\\section*{%s}\n\n", h("papers"))
	if d.Empty {
		fmt.Fprintf(&body, "%s\n\n", h("nopapers"))
	}
	for i, p := range d.Papers {
		title := Escape(p.Title)
		if report.SafeURL(p.URL) != "" {
			title = `\href{` + escapeURL(p.URL) + `}{` + title + `}`
		}
		fmt.Fprintf(&body, "\\subsection*{%d. %s}\n\n", i+1, title)
		var meta []string
		if p.Authors != "" {
			meta = append(meta, texts["authors"]+": "+Escape(p.Authors))
		}
		if p.InLibrary && safeKey(p.Key) {
			meta = append(meta, texts["cite"]+": \\cite{"+p.Key+"}")
			cited = append(cited, p.Key)
		}
		if len(meta) > 0 {
			// "et al." already ends with a period: never write "et al.. ".
			sep := ". "
			if lang == "zh" {
				sep = "；"
			}
			for i := range meta[:len(meta)-1] {
				if sep == ". " {
					meta[i] = strings.TrimSuffix(meta[i], ".")
				}
			}
			body.WriteString(strings.Join(meta, sep) + "\n\n")
		}
		for _, s := range p.Sections {
			fmt.Fprintf(&body, "\\subsubsection*{%s}\n\n", Escape(s.Heading))
			switch {
			case s.Missing:
				body.WriteString("---\n\n")
			case s.ID == report.SectionBibTeX:
				src := strings.ReplaceAll(wrapVerbatim(s.Markdown, verbatimColumns), `\end{verbatim}`, `\end {verbatim}`)
				body.WriteString("{\\small\n\\begin{verbatim}\n" + strings.TrimRight(src, "\n") + "\n\\end{verbatim}\n}\n\n")
			default:
				src := sectionSource(s)
				path := p.NotePath
				keys, probs, err := renderFragment(&body, []byte(src), RenderOptions{TopLevel: "paragraph", Unnumbered: true, Image: opts.Image}, false,
					func(int) token.Position { return token.Position{Filename: path} })
				if err != nil {
					return nil, nil, fmt.Errorf("render section %s of %s: %w", s.ID, p.Key, err)
				}
				problems = append(problems, probs...)
				cited = append(cited, keys...)
				body.WriteString("\n")
			}
		}
	}

	bw := bufio.NewWriter(w)
	zh := lang == "zh" || hasHan(body.String()) || hasHan(d.Title)
	preamble(bw, zh, Escape(d.Title), "", d.Date.Format("2006-01-02"))
	bw.Write(body.Bytes())
	opts.bibliography(bw, cited)
	bw.WriteString("\\end{document}\n")
	return citeList(cited), problems, bw.Flush()
}

// sectionSource returns a report section's markdown as written in the note
// (citations as written, so they become \cite), else the report's markdown.
func sectionSource(s report.Section) string {
	if s.Source != "" {
		return s.Source
	}
	return s.Markdown
}

// ReportFiles renders d as LaTeX with [RenderReport] and exports the
// entries it cites from lib with [Export] (exact source bytes, citation
// order). opts.BibName should be the base name of the .bib written beside
// the .tex. lib may be nil (or a nil *bib.Library): the .bib is then empty.
// problems lists cited keys missing from lib (the document still
// compiles, with those citations undefined); err is a rendering failure.
func ReportFiles(d *report.Data, lib Library, opts DocOptions) (tex, bibText []byte, problems ErrorList, err error) {
	var b bytes.Buffer
	cited, unsafe, err := renderReport(&b, d, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	bibText, problems = exportFor(lib, cited)
	return b.Bytes(), bibText, append(unsafe, problems...), nil
}

// NoteFiles is [ReportFiles] for one note, with [RenderNote].
func NoteFiles(n *notes.Note, lib Library, opts DocOptions) (tex, bibText []byte, problems ErrorList, err error) {
	var b bytes.Buffer
	cited, unsafe, err := renderNote(&b, n, lib, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	bibText, problems = exportFor(lib, cited)
	return b.Bytes(), bibText, append(unsafe, problems...), nil
}

func exportFor(lib Library, cited []Citation) ([]byte, ErrorList) {
	if l, ok := lib.(*bib.Library); lib == nil || ok && l == nil {
		return nil, nil
	}
	r, _ := Export(lib, cited, ExportOptions{})
	return r.Bytes(), r.Problems
}
