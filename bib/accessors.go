package bib

import (
	"regexp"
	"strings"
)

// Text returns the field called name as plain text: macros expanded, LaTeX
// decoded with [DecodeLaTeX], white space collapsed to single spaces and
// trimmed. It returns "" when the field is absent.
func (e *Entry) Text(name string) string {
	return collapseSpace(DecodeLaTeX(e.Get(name)))
}

// Title returns the title as plain text (see [Entry.Text]).
func (e *Entry) Title() string { return e.Text("title") }

// Authors returns the author list parsed with [ParseNames], or nil when
// there is no author field.
func (e *Entry) Authors() []Name { return ParseNames(e.Get("author")) }

// Editors returns the editor list parsed with [ParseNames], or nil when
// there is no editor field.
func (e *Entry) Editors() []Name { return ParseNames(e.Get("editor")) }

var yearRE = regexp.MustCompile(`\d{4}`)

// Year returns the year field as plain text, or, when it is absent, the
// year of a biblatex date field ("2023-05-01", "2023/2024" give "2023").
// It returns "" when neither gives one.
func (e *Entry) Year() string {
	if y := e.Text("year"); y != "" {
		return y
	}
	if d := e.Text("date"); d != "" {
		return yearRE.FindString(d)
	}
	return ""
}

var doiPrefixes = []string{
	"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
	"doi.org/", "dx.doi.org/", "doi:", "doi ",
}

// DOI returns the doi field normalised for comparison: LaTeX escapes such
// as `\_` undone, braces and white space removed, resolver prefixes
// (https://doi.org/, dx.doi.org/, doi:) stripped and lower-cased (DOIs are
// case-insensitive). When the doi field is absent it is taken from a
// doi.org url. It returns "" when the entry has no DOI.
func (e *Entry) DOI() string {
	return doiOf(e.Get("doi"), e.Get("url"))
}

// doiOf is [Entry.DOI] given the raw doi and url values.
func doiOf(doi, u string) string {
	if d := NormalizeDOI(doi); d != "" {
		return d
	}
	if i := indexFoldASCII(u, "doi.org/10."); i >= 0 {
		return NormalizeDOI(u[i+len("doi.org/"):])
	}
	return ""
}

// indexFoldASCII is strings.Index ignoring ASCII case; sub must be lower-case.
func indexFoldASCII(s, sub string) int {
	if len(sub) == 0 {
		return 0
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return i
		}
	}
	return -1
}

// Replacers are built once: building one costs far more than using it.
var (
	doiUnescaper = strings.NewReplacer(`\_`, "_", `\%`, "%", `\&`, "&", "{", "", "}", "")
	urlUnescaper = strings.NewReplacer(`\_`, "_", `\%`, "%", `\#`, "#", `\&`, "&", "{", "", "}", "")
)

// NormalizeDOI normalises a DOI as [Entry.DOI] does. A value that does not
// contain "10." after its prefix is returned normalised anyway; "" stays "".
func NormalizeDOI(s string) string {
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, `\{}`) {
		s = doiUnescaper.Replace(s)
	}
	s = strings.TrimSpace(s)
	if hasUpperASCII(s) {
		s = strings.ToLower(s)
	}
	for changed := true; changed; {
		changed = false
		for _, p := range doiPrefixes {
			if strings.HasPrefix(s, p) {
				s = strings.TrimSpace(s[len(p):])
				changed = true
			}
		}
	}
	return strings.TrimRight(s, ".,; ")
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' || c >= 0x80 {
			return true
		}
	}
	return false
}

// arxivRE matches a new-style (2301.12345) or old-style (hep-th/9901001)
// arXiv identifier after an "arXiv" marker, with an optional version.
var arxivRE = regexp.MustCompile(`(?i)arxiv(?:\s*preprint)?[\s:./]*(?:org/)?(?:abs/|pdf/)?(?:arxiv[.:])?(\d{4}\.\d{4,5}|[a-z][a-z.\-]*/\d{7})(?:v\d+)?`)

// bareArxivRE matches an identifier alone, as eprint fields hold it.
var bareArxivRE = regexp.MustCompile(`(?i)^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z][a-z.\-]*/\d{7})(?:v\d+)?$`)

// ArXiv returns the entry's arXiv identifier without its version, lower-cased
// ("2301.12597", "hep-th/9901001"), or "" when it has none. It looks, in
// order, at eprint (when archiveprefix or eprinttype is arXiv, or the value
// looks like an arXiv id), at an arXiv DOI (10.48550/arXiv.X), and at
// DBLP's journal CoRR with volume abs/X, and at arxiv.org URLs and
// "arXiv preprint arXiv:X" text in url, journal, booktitle, note,
// howpublished, volume and number.
func (e *Entry) ArXiv() string {
	ep := strings.TrimSpace(e.Text("eprint"))
	if ep != "" {
		if m := bareArxivRE.FindStringSubmatch(ep); m != nil {
			return strings.ToLower(m[1])
		}
		if strings.EqualFold(e.Text("archiveprefix"), "arxiv") || strings.EqualFold(e.Text("eprinttype"), "arxiv") {
			if m := arxivRE.FindStringSubmatch("arxiv:" + ep); m != nil {
				return strings.ToLower(m[1])
			}
		}
	}
	if d := e.DOI(); strings.HasPrefix(d, "10.48550/arxiv.") {
		if m := arxivRE.FindStringSubmatch(d[len("10.48550/"):]); m != nil {
			return strings.ToLower(m[1])
		}
	}
	// DBLP writes arXiv papers as journal CoRR, volume abs/2301.12597.
	if v := strings.TrimSpace(e.Get("volume")); strings.HasPrefix(v, "abs/") && strings.EqualFold(strings.TrimSpace(e.Text("journal")), "corr") {
		if m := bareArxivRE.FindStringSubmatch(v[len("abs/"):]); m != nil {
			return strings.ToLower(m[1])
		}
	}
	for _, name := range []string{"url", "journal", "journaltitle", "booktitle", "note", "howpublished", "volume", "number", "publisher"} {
		v := e.Get(name)
		if indexFoldASCII(v, "arxiv") < 0 {
			continue // arxivRE starts with "arxiv"; the regexp alone is slow
		}
		if m := arxivRE.FindStringSubmatch(v); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return ""
}

// venueFields are tried in order by [Entry.Venue].
var venueFields = []string{
	"journal", "journaltitle", "booktitle", "eventtitle", "series", "howpublished",
	"school", "institution", "organization", "publisher",
}

// Venue returns where the work appeared, as plain text: the first non-empty
// of journal, journaltitle, booktitle, eventtitle, series, howpublished,
// school, institution, organization and publisher, or "".
func (e *Entry) Venue() string {
	for _, f := range venueFields {
		if v := e.Text(f); v != "" {
			return v
		}
	}
	return ""
}

// URL returns a link to the work: the url field as written (trimmed, with
// `\_`, `\%` and `\#` unescaped), else a https://doi.org/ link built from
// [Entry.DOI], else an arxiv.org/abs link built from [Entry.ArXiv], else "".
func (e *Entry) URL() string {
	if u := strings.TrimSpace(e.Get("url")); u != "" {
		if strings.ContainsAny(u, `\{}`) {
			u = urlUnescaper.Replace(u)
		}
		return strings.TrimSpace(u)
	}
	if d := e.DOI(); d != "" {
		return "https://doi.org/" + d
	}
	if a := e.ArXiv(); a != "" {
		return "https://arxiv.org/abs/" + a
	}
	return ""
}
