package notes

import (
	"go/token"
	"time"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// Canonical section ids, in canonical order.
const (
	SectionAbstract  = "abstract"
	SectionProblem   = "problem"
	SectionPrior     = "prior"
	SectionMethod    = "method"
	SectionData      = "data"
	SectionResults   = "results"
	SectionRelevance = "relevance"
)

// CanonicalSections lists the canonical section ids in canonical order.
// It is read-only.
var CanonicalSections = []string{SectionAbstract, SectionProblem, SectionPrior, SectionMethod, SectionData, SectionResults, SectionRelevance}

// Note is one parsed reading note. A Note is safe for concurrent reads
// (rendering included) once [Parse] has returned it.
type Note struct {
	// Path is the file name given to the parser, used for positions.
	Path string
	// Key is the cite key from the front matter ("" when missing).
	Key string
	// KeyPos is the position of the key's value in the front matter, or of
	// the start of the file when there is no key.
	KeyPos token.Position
	// Meta is the front matter.
	Meta Meta
	// Title is the text of the first level-1 heading, if any.
	Title string
	// Sections are the body's sections in source order.
	Sections []Section
	// Cites are all citations in the body, in source order.
	Cites []Cite
	// Source is the whole file.
	Source []byte
	// BodyOffset is the byte offset where the markdown body starts (after front matter).
	BodyOffset int
	// BodyLine is the 1-based line where the markdown body starts.
	BodyLine int

	// doc is the goldmark tree of Source[BodyOffset:], kept so that rendering
	// does not parse a second time.
	doc ast.Node
}

// Section returns the first section with this id and whether there is one.
func (n *Note) Section(id string) (Section, bool) {
	for _, s := range n.Sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// Lang guesses the language the note is written in from its section
// headings: "zh" when at least half of them hold a Chinese character, "en"
// when fewer do, and "" when the note has no sections (the caller then
// uses the workspace's language). Headings are what a template or the
// scaffold wrote, so they tell the note's language better than its body,
// where Chinese notes quote English titles and English notes cite Chinese
// papers.
func (n *Note) Lang() string {
	if len(n.Sections) == 0 {
		return ""
	}
	han := 0
	for _, s := range n.Sections {
		for _, r := range s.Heading {
			if unicode.Is(unicode.Han, r) {
				han++
				break
			}
		}
	}
	if 2*han >= len(n.Sections) {
		return "zh"
	}
	return "en"
}

// Meta is a note's front matter.
type Meta struct {
	Key    string
	Tags   []string
	Status string // "toread", "reading" or "read"; "" when unset
	// Read and Added are dates (midnight UTC); the zero Time means unset.
	Read  time.Time
	Added time.Time
	// ReadOrder orders the papers read on one day (`read_order:`, from 1);
	// 0 means unset. import-report writes it so that a report comes back
	// in its own order.
	ReadOrder int
	// Extra holds every other front-matter field as decoded YAML, kept as written.
	Extra map[string]any
}

// Statuses lists the valid values of [Meta.Status].
var Statuses = []string{"toread", "reading", "read"}

// Section is one heading-delimited part of a note's body.
type Section struct {
	// ID is the canonical id ("method") when the heading matches an alias,
	// otherwise a slug of the heading (made unique within the note).
	ID string
	// Canonical reports whether ID is one of [CanonicalSections].
	Canonical bool
	// Heading is the heading's text as written.
	Heading string
	// Level is the heading level (1-6).
	Level int
	// Markdown is the section's markdown source, without its heading line and
	// without leading and trailing blank lines.
	Markdown string
	// Text is the section as plain text: blocks separated by blank lines,
	// HTML comments dropped.
	Text string
	// Line is the 1-based line of the heading in the file.
	Line int
}

// Cite is one citation of a cite key in a note.
type Cite struct {
	Key string
	// Pos is the position of the key itself (column in runes): for `[@a; @b]`
	// each key has its own position.
	Pos token.Position
	// Prefix and Locator are the pandoc prefix and locator ("p. 3"), if any;
	// for `\cite[see][p. 3]{a}` they are the LaTeX optional arguments.
	Prefix  string
	Locator string
	// SuppressAuthor is true for `[-@key]`.
	SuppressAuthor bool
	// Command is the LaTeX command for `\cite`-style citations ("citep"), "" for
	// pandoc `[@key]` citations and "wiki" for `[[key]]`.
	Command string
}

// CiteResolver looks up the cited paper of a cite key. A *bib.Library
// satisfies it; notes never imports bib.
type CiteResolver interface {
	// CiteTitle returns the title of the entry with this key as plain text, and
	// whether the key is known.
	CiteTitle(key string) (title string, ok bool)
}

// Options configures [Parse]. The zero value uses [DefaultAliases].
type Options struct {
	// Aliases maps a canonical section id to the headings that name it.
	// Matching ignores case, spacing, full-width/half-width differences and a
	// trailing colon or question mark. Nil means [DefaultAliases]; a non-nil
	// map replaces the defaults entirely.
	Aliases map[string][]string
	// Root is the workspace folder, for [LoadDir]: a note that is a link
	// may lead inside the notes folder or Root, nowhere else. "" confines
	// links to the notes folder. [Parse] ignores it.
	Root string
	// MetaOnly makes [Parse] read the front matter alone: the note has its
	// key and [Meta] but no title, sections or citations, and the markdown
	// body is not parsed. Listing and shell completion use it, where
	// parsing every body of a large notes folder would cost most of the time.
	MetaOnly bool
}
