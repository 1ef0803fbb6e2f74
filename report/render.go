package report

import (
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"strings"
	texttemplate "text/template"

	"github.com/papernotes/papernotes/notes"
)

//go:embed templates/*.tmpl
var builtin embed.FS

// Formats lists the output formats [Render] knows, in the order the CLI shows them.
var Formats = []string{"md", "html"}

// RenderOptions controls [Render]. The zero value renders markdown with the
// built-in template.
type RenderOptions struct {
	// Format is "md" (the default when empty) or "html".
	Format string
	// Templates holds workspace overrides; nil means the built-in templates.
	// A file named "<lang>.<format>.tmpl" (zh.md.tmpl, en.html.tmpl) wins,
	// then "report.<format>.tmpl"; when neither exists the built-in is used.
	Templates fs.FS
	// MarkdownHTML renders a markdown fragment (a section body) to safe
	// HTML for the html format. Nil means notes' renderer ([notes.Render])
	// with raw HTML escaped.
	MarkdownHTML func(src string) (htmltemplate.HTML, error)
	// MathTags is trusted HTML that makes the report's math render in the
	// browser (internal/mathjs's <style> and <script>, passed in by the
	// CLI and serve). HTML templates write it with {{mathTags}}, which is
	// empty when no section or work-log line has math, so reports without
	// formulas stay small. Empty means math stays TeX.
	MathTags htmltemplate.HTML
}

// ErrUnknownFormat is returned by [Render] for a format it does not know.
var ErrUnknownFormat = errors.New("unknown report format")

// funcs are the helpers both kinds of template may call; TEMPLATES.md lists them.
var funcs = map[string]any{
	"mdEscape": mdEscape,
	"mdURL":    mdURL,
	"fence":    fenceFor,
	"date":     func(t interface{ Format(string) string }, layout string) string { return t.Format(layout) },
	"join":     strings.Join,
}

// fenceFor returns a backtick fence longer than any backtick run in s, at
// least three long, so that a code block holding s cannot be closed early.
func fenceFor(s string) string {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// Render writes the report d in opts.Format. Markdown goes through
// text/template and HTML through html/template, so every string of d is
// escaped in HTML except the [template.HTML] fields, which Render fills in
// itself from the markdown (d is not modified). Rendering the same d twice
// gives identical bytes. On a template error, part of the output may
// already be written to w. Render is safe for concurrent use.
func Render(w io.Writer, d *Data, opts RenderOptions) error {
	format := opts.Format
	if format == "" {
		format = "md"
	}
	src, name, err := templateSource(opts.Templates, d.Lang, format)
	if err != nil {
		return err
	}
	switch format {
	case "md":
		t, err := texttemplate.New(name).Funcs(funcs).Parse(src)
		if err != nil {
			return fmt.Errorf("parse template: %w", err)
		}
		if err := t.Execute(w, d); err != nil {
			return fmt.Errorf("execute template %s: %w", name, err)
		}
		return nil
	case "html":
		hd, math, err := withHTML(d, opts.MarkdownHTML)
		if err != nil {
			return err
		}
		mathTags := htmltemplate.HTML("")
		if math {
			mathTags = opts.MathTags
		}
		t, err := htmltemplate.New(name).Funcs(funcs).Funcs(htmltemplate.FuncMap{
			"mathTags": func() htmltemplate.HTML { return mathTags },
		}).Parse(src)
		if err != nil {
			return fmt.Errorf("parse template: %w", err)
		}
		if err := t.Execute(w, hd); err != nil {
			return fmt.Errorf("execute template %s: %w", name, err)
		}
		return nil
	}
	return fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, format, strings.Join(Formats, ", "))
}

// templateSource finds the template text for lang and format.
func templateSource(over fs.FS, lang, format string) (src, name string, err error) {
	known := false
	for _, f := range Formats {
		known = known || f == format
	}
	if !known {
		return "", "", fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, format, strings.Join(Formats, ", "))
	}
	if over != nil {
		for _, n := range []string{lang + "." + format + ".tmpl", "report." + format + ".tmpl"} {
			b, err := fs.ReadFile(over, n)
			if err == nil {
				return string(b), n, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", "", fmt.Errorf("read template: %w", err)
			}
		}
	}
	n := "report." + format + ".tmpl"
	b, err := builtin.ReadFile("templates/" + n)
	if err != nil {
		return "", "", fmt.Errorf("read built-in template: %w", err)
	}
	return string(b), n, nil
}

// withHTML returns a copy of d whose sections carry rendered HTML, and
// whether any of it has math (an element of class "math inline" or "math
// display", as notes writes them).
func withHTML(d *Data, render func(string) (htmltemplate.HTML, error)) (_ *Data, math bool, err error) {
	if render == nil {
		render = markdownHTML
	}
	hasMath := func(h htmltemplate.HTML) bool {
		return strings.Contains(string(h), `class="math inline"`) || strings.Contains(string(h), `class="math display"`)
	}
	c := *d
	c.WorkLog = append([]WorkItem(nil), d.WorkLog...)
	for i := range c.WorkLog {
		h, err := render(c.WorkLog[i].Text)
		if err != nil {
			return nil, false, fmt.Errorf("render work log: %w", err)
		}
		math = math || hasMath(h)
		// One line of text renders as one paragraph: keep its inside only.
		s := strings.TrimSpace(string(h))
		if inner, ok := strings.CutPrefix(s, "<p>"); ok && strings.HasSuffix(inner, "</p>") && !strings.Contains(inner, "<p>") {
			s = strings.TrimSuffix(inner, "</p>")
		}
		c.WorkLog[i].HTML = htmltemplate.HTML(s)
	}
	c.Papers = make([]Paper, len(d.Papers))
	for i, p := range d.Papers {
		p.Sections = append([]Section(nil), p.Sections...)
		for j := range p.Sections {
			s := &p.Sections[j]
			if s.ID == SectionBibTeX || s.Missing {
				continue
			}
			h, err := render(s.Markdown)
			if err != nil {
				return nil, false, fmt.Errorf("render %s section %s: %w", p.Key, s.ID, err)
			}
			math = math || hasMath(h)
			s.HTML = h
		}
		c.Papers[i] = p
	}
	return &c, math, nil
}

// markdownHTML renders a section body through notes' renderer, so report
// HTML and note pages share one goldmark setup: GFM tables, footnotes, math
// kept as TeX in "math inline"/"math display" elements (rendered in the
// browser by [RenderOptions.MathTags]), raw HTML
// escaped. Citations were already rewritten to links by [Build]; any left
// (unknown keys) are marked unresolved by notes.
func markdownHTML(src string) (htmltemplate.HTML, error) {
	var b strings.Builder
	if err := notes.Render(&b, &notes.Note{Source: []byte(src)}, notes.RenderOptions{}); err != nil {
		return "", err
	}
	return htmltemplate.HTML(b.String()), nil // notes.Render escapes text and raw HTML
}
