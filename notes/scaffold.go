package notes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ScaffoldEntry is what [Scaffold] needs to know about a paper. The CLI fills
// it from a bib entry (notes never imports bib); every field may be empty.
type ScaffoldEntry struct {
	Key      string
	Title    string
	Authors  []string // display names, "Junnan Li"
	Venue    string
	Year     string
	Abstract string
	URL      string
	DOI      string
}

// ScaffoldOptions are the front matter values of a new note. The zero value
// gives status "toread", no tags and no dates.
type ScaffoldOptions struct {
	Tags   []string
	Status string // "" means "toread"
	// Read and Added are written as dates when not zero. The library never
	// reads the clock: the caller passes today.
	Read  time.Time
	Added time.Time
	// ReadOrder, when above 0 and Read is set, is written as `read_order:`
	// (see [Meta.ReadOrder]).
	ReadOrder int
	// Sections fills canonical sections by id with markdown bodies (used by
	// import-report); a filled section replaces the prompt, and the abstract
	// given here wins over ScaffoldEntry.Abstract.
	Sections map[string]string
	// Only, when true, writes only the sections that have a body (from
	// Sections or the abstract) instead of all canonical sections.
	Only bool
	// Headings overrides the heading written for a section id; missing ids
	// use [Heading] in the scaffold's language.
	Headings map[string]string
}

// Scaffold returns the source of a new note for e in lang ("zh" or "en";
// anything else is "en"): front matter (key, tags, status, read, added),
// "# Title", a line with authors, venue, year and link, then the canonical
// sections as "##" headings in canonical order. The abstract section holds
// e.Abstract when there is one; every other empty section holds a one-line
// prompt as an HTML comment, which renders to nothing.
// The result parses with [Parse] without error when e.Key is not empty.
func Scaffold(e ScaffoldEntry, lang string, opts ScaffoldOptions) []byte {
	var b strings.Builder
	b.WriteString("---\n")
	b.WriteString("key: " + yamlString(e.Key) + "\n")
	b.WriteString("tags: [")
	for i, t := range opts.Tags {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(yamlString(t))
	}
	b.WriteString("]\n")
	status := opts.Status
	if status == "" {
		status = "toread"
	}
	b.WriteString("status: " + yamlString(status) + "\n")
	if !opts.Read.IsZero() {
		b.WriteString("read: " + opts.Read.Format("2006-01-02") + "\n")
		if opts.ReadOrder > 0 {
			b.WriteString("read_order: " + strconv.Itoa(opts.ReadOrder) + "\n")
		}
	}
	if !opts.Added.IsZero() {
		b.WriteString("added: " + opts.Added.Format("2006-01-02") + "\n")
	}
	b.WriteString("---\n\n")

	title := oneLine(e.Title)
	if title == "" {
		title = e.Key
	}
	b.WriteString("# " + escapeMarkdown(title) + "\n\n")
	var byline []string
	if len(e.Authors) > 0 {
		a := escapeMarkdown(strings.Join(e.Authors, ", "))
		if !strings.HasSuffix(a, ".") { // "A, B, et al." has its period already
			a += "."
		}
		byline = append(byline, a)
	}
	var vy []string
	if v := oneLine(e.Venue); v != "" {
		vy = append(vy, "*"+escapeMarkdown(v)+"*")
	}
	if y := oneLine(e.Year); y != "" {
		vy = append(vy, escapeMarkdown(y))
	}
	if len(vy) > 0 {
		byline = append(byline, strings.Join(vy, ", ")+".")
	}
	if u := oneLine(e.URL); isWebURL(u) {
		byline = append(byline, "<"+u+">")
	}
	if d := oneLine(e.DOI); d != "" {
		byline = append(byline, "doi:"+escapeMarkdown(d))
	}
	if len(byline) > 0 {
		b.WriteString(strings.Join(byline, " ") + "\n\n")
	}

	for _, id := range CanonicalSections {
		body := strings.TrimSpace(opts.Sections[id])
		if body == "" && id == SectionAbstract {
			body = strings.TrimSpace(e.Abstract)
		}
		if body == "" && opts.Only {
			continue
		}
		h := opts.Headings[id]
		if h == "" {
			h = Heading(id, lang)
		}
		b.WriteString("## " + h + "\n\n")
		if body == "" {
			p := prompts[lang]
			if p == nil {
				p = prompts["en"]
			}
			body = "<!-- " + p[id] + " -->"
		}
		b.WriteString(body + "\n\n")
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

var plainYAML = regexp.MustCompile(`^[\p{L}\p{N}_][\p{L}\p{N}_.+/\-]*$`)

// yamlString writes s as a YAML scalar: plain when unambiguous, otherwise
// double-quoted (JSON strings are valid YAML).
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		return yamlQuote(s)
	}
	if plainYAML.MatchString(s) && !isNumberLike(s) {
		return s
	}
	return yamlQuote(s)
}

// yamlQuote writes s as a YAML double-quoted scalar. Every character YAML
// does not allow raw (C0 and C1 controls, DEL, BOM, line and paragraph
// separators) is escaped as \uXXXX; invalid UTF-8 becomes U+FFFD.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0xfeff || r == 0x2028 || r == 0x2029 || r >= 0xfffe && r <= 0xffff:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func isNumberLike(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == '_') {
			return false
		}
	}
	return true
}

// oneLine collapses white space runs (newlines in bib values) to one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// escapeMarkdown backslash-escapes the characters that would turn bib text
// into markup: emphasis, links, raw HTML, code, entities, strikethrough and
// heading marks (a trailing " #" would close an ATX heading). '$' is left
// alone so that LaTeX math in a title renders as math.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '*', '_', '[', ']', '<', '>', '`', '|', '#', '&', '~':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isWebURL(u string) bool {
	return (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && !strings.ContainsAny(u, " <>")
}
