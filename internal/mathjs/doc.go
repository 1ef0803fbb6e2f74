// Package mathjs holds the browser assets that make papernotes' HTML show
// math: Temml (https://temml.org, MIT licence, vendored from the npm
// registry under temml/, see README.md for the version and how to update
// it) and a small script that replaces the TeX of each "math inline" /
// "math display" element that notes.Render writes with Temml's MathML,
// which Chromium, Firefox and Safari draw natively. Nothing is fetched from
// the network: the pages of `render --format html` and `report --format
// html` carry the tags of [WriteTags] inline; a server sends the same
// bytes, either inline, allowed by the hashes of [ScriptHash] and
// [StyleHash] in its Content-Security-Policy, or from its own URLs loaded
// by the tags of [LinkTags] (script-src 'self'). Temml's stylesheet embeds
// its font as a data: URL (font-src data:), and \cancelto draws its arrow
// with a data: SVG mask (img-src data:); Temml sets styles through the
// CSSOM, which a CSP does not block.
//
// The package imports only the standard library; it knows nothing about
// notes or reports, so any HTML writer can use it.
package mathjs
