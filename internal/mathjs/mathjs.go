package mathjs

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html"
	"io"
	"strings"
	"sync"
)

// Version is the vendored Temml release (npm package temml).
const Version = "0.13.5"

var (
	//go:embed temml/temml.min.js
	temmlJS string
	//go:embed temml/Temml-Local.css
	temmlCSS string
	//go:embed temml/Temml.woff2
	temmlFont string
	//go:embed render.js
	renderJS string
	//go:embed render.css
	renderCSS string
)

// fontURL is how Temml-Local.css names its one font (script capitals for
// \mathscr, and the prime): it becomes a data: URL so pages stay
// self-contained. A Temml update that renames it fails TestStyleEmbedsFont.
const fontURL = "url('Temml.woff2')"

type bundle struct{ script, style, scriptHash, styleHash string }

// assets is built once, on first use, and never changes after.
var assets = sync.OnceValue(func() (a bundle) {
	a.script = temmlJS + "\n" + renderJS
	font := "url(data:font/woff2;base64," + base64.StdEncoding.EncodeToString([]byte(temmlFont)) + ")"
	a.style = strings.Replace(temmlCSS, fontURL, font, 1) + renderCSS
	a.scriptHash = cspHash(a.script)
	a.styleHash = cspHash(a.style)
	return a
})

// Script returns the JavaScript that renders a page's math: Temml, then
// papernotes' script, which on load replaces the text of every element with
// the classes "math inline" or "math display" by MathML (the $ delimiters
// are stripped). A formula that fails keeps its TeX source as escaped text
// with the class "math-error" and the message as tooltip. The script also
// defines window.papernotesRenderMath(root), which renders the math
// elements under root added later (each element is rendered once). The
// text contains no "</script" or "<!--", so it can be written inline as is.
// Every call returns the same string.
func Script() string { return assets().script }

// Style returns the CSS for the rendered math: Temml's stylesheet (its font
// embedded as a data: URL, so a CSP needs font-src data:) and the style of
// math-error elements. Every call returns the same string.
func Style() string { return assets().style }

// ScriptHash returns the CSP source of [Script]: "sha256-" and the
// base64 SHA-256 of its bytes, for script-src '<hash>' (quote it). It
// matches the inline script written by [WriteTags].
func ScriptHash() string { return assets().scriptHash }

// StyleHash returns the CSP source of [Style] for style-src, as
// [ScriptHash] does for the script.
func StyleHash() string { return assets().styleHash }

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// Tags returns what [WriteTags] writes.
func Tags() string {
	return "<style>" + Style() + "</style>\n<script>" + Script() + "</script>\n"
}

// WriteTags writes the inline <style> and <script> elements that make the
// page's math render: put them once, at the end of <body>. It returns the
// writer's error.
func WriteTags(w io.Writer) error {
	_, err := io.WriteString(w, Tags())
	return err
}

// LinkTags returns the tags that load [Style] and [Script] from URLs instead
// of inline, for a server whose Content-Security-Policy allows scripts from
// its own origin ('self') rather than by hash: a <link rel="stylesheet">
// to cssURL and a <script src> to jsURL, both attribute-escaped. Pass them
// where the inline tags would go (report.RenderOptions.MathTags,
// notes.RenderOptions.MathTags) and serve the two URLs with the bytes of
// Style and Script (text/css and text/javascript).
func LinkTags(jsURL, cssURL string) string {
	return `<link rel="stylesheet" href="` + html.EscapeString(cssURL) + `">` + "\n" +
		`<script src="` + html.EscapeString(jsURL) + `"></script>` + "\n"
}
