package bib

import (
	"strings"

	"github.com/nickng/bibtex"
)

// Field bits for the required-field check: each entry's fields are looked
// at once, into a bit set, rather than searched for every requirement.
const (
	fAuthor uint32 = 1 << iota
	fEditor
	fTitle
	fJournal
	fYear
	fPublisher
	fBooktitle
	fChapter
	fPages
	fSchool
	fInstitution
	fNote
)

// fieldBit returns the bit of a field name, with biblatex's aliases: date
// counts as year, journaltitle as journal, and institution as school too.
func fieldBit(name string) uint32 {
	switch name {
	case "author":
		return fAuthor
	case "editor":
		return fEditor
	case "title":
		return fTitle
	case "journal", "journaltitle":
		return fJournal
	case "year", "date":
		return fYear
	case "publisher":
		return fPublisher
	case "booktitle":
		return fBooktitle
	case "chapter":
		return fChapter
	case "pages":
		return fPages
	case "school":
		return fSchool
	case "institution":
		return fInstitution | fSchool
	case "note":
		return fNote
	}
	return 0
}

// requirement is one required field, satisfied by any of its bits.
type requirement struct {
	bits uint32
	name string // as printed: "author or editor"
}

// requiredFields lists, per entry type, the fields BibTeX's standard styles
// require. Types not listed (misc, online, software, ...) require nothing.
var requiredFields = map[string][]requirement{
	"article":       {{fAuthor, "author"}, {fTitle, "title"}, {fJournal, "journal"}, {fYear, "year"}},
	"book":          {{fAuthor | fEditor, "author or editor"}, {fTitle, "title"}, {fPublisher, "publisher"}, {fYear, "year"}},
	"booklet":       {{fTitle, "title"}},
	"inbook":        {{fAuthor | fEditor, "author or editor"}, {fTitle, "title"}, {fChapter | fPages, "chapter or pages"}, {fPublisher, "publisher"}, {fYear, "year"}},
	"incollection":  {{fAuthor, "author"}, {fTitle, "title"}, {fBooktitle, "booktitle"}, {fPublisher, "publisher"}, {fYear, "year"}},
	"inproceedings": {{fAuthor, "author"}, {fTitle, "title"}, {fBooktitle, "booktitle"}, {fYear, "year"}},
	"conference":    {{fAuthor, "author"}, {fTitle, "title"}, {fBooktitle, "booktitle"}, {fYear, "year"}},
	"manual":        {{fTitle, "title"}},
	"mastersthesis": {{fAuthor, "author"}, {fTitle, "title"}, {fSchool, "school"}, {fYear, "year"}},
	"phdthesis":     {{fAuthor, "author"}, {fTitle, "title"}, {fSchool, "school"}, {fYear, "year"}},
	"proceedings":   {{fTitle, "title"}, {fYear, "year"}},
	"techreport":    {{fAuthor, "author"}, {fTitle, "title"}, {fInstitution, "institution"}, {fYear, "year"}},
	"unpublished":   {{fAuthor, "author"}, {fTitle, "title"}, {fNote, "note"}},
}

// scanned is what Check needs of one entry, found in one pass over its
// fields (Entry.Field searches them all for every name).
type scanned struct {
	bits     uint32 // fields present and not blank
	crossref *Field
	doi      *Field
	url      string
}

func scan(e *Entry) scanned {
	var s scanned
	for i := range e.Fields {
		f := &e.Fields[i]
		switch f.Name {
		case "crossref":
			if s.crossref == nil {
				s.crossref = f
			}
			continue
		case "doi":
			if s.doi == nil {
				s.doi = f
			}
			continue
		case "url":
			if s.url == "" {
				s.url = Expand(f.Value)
			}
			continue
		}
		if b := fieldBit(f.Name); b != 0 && s.bits&b != b && !blank(f.Value) {
			s.bits |= b
		}
	}
	return s
}

// blank reports whether a value has nothing but braces and white space:
// `year = {}` does not count as a year.
func blank(v bibtex.BibString) bool {
	s := Expand(v)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{', '}', ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return true
}

// Check returns the semantic problems of the library's entries, sorted:
//
//   - [ErrMissingField] (warning): a field that the entry type requires in
//     BibTeX's standard styles is absent (article: author, title, journal,
//     year; book: author or editor, title, publisher, year; inproceedings:
//     author, title, booktitle, year; and so on; misc and non-standard
//     types require nothing). biblatex's date counts for year, journaltitle
//     for journal and institution for school, and the fields of a crossref
//     parent count, as BibTeX inherits them (the parent's title counts for
//     booktitle, as in biblatex). A warning, because the entry still loads
//     and still prints, only less completely.
//   - [ErrUndefinedCrossref] (error): crossref names a key that no entry
//     has (compared ignoring case, as BibTeX does). An error, because BibTeX
//     then fails on every document that cites the entry.
//   - [ErrUnsafeKey]: see [UnsafeKey]. An error when LaTeX or BibTeX cannot
//     cite the key at all (empty, white space, `,{}%#\~&$^`), a warning when
//     it is only suspicious (quotes, parentheses, '=', dots).
//   - [ErrDuplicateDOI] (warning): an entry has the same DOI as an earlier
//     one, which it names; a warning, because two entries for one work are
//     untidy but break nothing.
//   - [ErrProbableDuplicate] (warning): an entry probably describes the same
//     work as an earlier one under another key: the same arXiv id, or the
//     same normalised title and year, as [Library.Duplicates] groups them
//     (and `import` holds back with [Library.FindDuplicates]). Groups of the
//     same DOI are left to [ErrDuplicateDOI], and entries of the same key to
//     [ErrDuplicateKey], so that one cause gives one problem.
//   - [ErrNonASCIIKey] (warning): see [NonASCIIKey].
//
// Problems are positioned at the entry's key (unsafe keys), its '@'
// (missing fields) or the field concerned (crossref, doi). Check does not
// repeat [Library.Problems]; a caller that wants everything appends both.
func (l *Library) Check() ErrorList {
	var out ErrorList
	firstDOI := map[string]*Entry{}
	for _, e := range l.entries {
		if reason, sev, bad := keyProblem(e.Key); bad {
			out.Addf(keyPos(e), sev, e.Key, ErrUnsafeKey, "%q: %s", e.Key, reason)
		} else if NonASCIIKey(e.Key) {
			out.Addf(keyPos(e), SeverityWarning, e.Key, ErrNonASCIIKey, "%q: %s", e.Key, NonASCIIKeyAdvice)
		}
		sc := scan(e)
		var parent *Entry
		if sc.crossref != nil {
			target := strings.TrimSpace(Expand(sc.crossref.Value))
			parent = l.crossrefParent(target)
			if parent == nil {
				out.Addf(sc.crossref.Pos(e.Pos.Filename), SeverityError, e.Key, ErrUndefinedCrossref, "%q has no entry", target)
			}
		}
		if reqs := requiredFields[e.Type]; reqs != nil {
			have := sc.bits
			if parent != nil && parent != e {
				pb := scan(parent).bits
				if pb&fTitle != 0 {
					pb |= fBooktitle // biblatex inherits the parent's title as booktitle
				}
				have |= pb
			}
			for _, r := range reqs {
				if have&r.bits == 0 {
					out.Addf(e.Pos, SeverityWarning, e.Key, ErrMissingField, "@%s %q has no %s", e.Type, e.Key, r.name)
				}
			}
		}
		doi := ""
		if sc.doi != nil {
			doi = Expand(sc.doi.Value)
		}
		if d := doiOf(doi, sc.url); d != "" {
			if first, ok := firstDOI[d]; ok {
				pos := e.Pos
				if sc.doi != nil {
					pos = sc.doi.Pos(e.Pos.Filename)
				}
				out.Addf(pos, SeverityWarning, e.Key, ErrDuplicateDOI, "%s is also the DOI of %q at %s", d, first.Key, where(first))
			} else {
				firstDOI[d] = e
			}
		}
	}
	l.checkDuplicates(&out)
	out.Sort()
	return out
}

// checkDuplicates adds an [ErrProbableDuplicate] warning for each entry of a
// [Library.Duplicates] group after the group's first, at its key.
func (l *Library) checkDuplicates(out *ErrorList) {
	for _, g := range l.Duplicates() {
		if strings.HasPrefix(g.Reason, "same DOI ") {
			continue
		}
		first := g.Entries[0]
		for _, e := range g.Entries[1:] {
			if e.Key == first.Key {
				continue // a duplicate key, already reported
			}
			if d := e.DOI(); d != "" && d == first.DOI() {
				continue // a duplicate DOI, already reported
			}
			out.Addf(keyPos(e), SeverityWarning, e.Key, ErrProbableDuplicate,
				"%q is probably %q at %s: %s", e.Key, first.Key, where(first), g.Reason)
		}
	}
}

// crossrefParent finds a crossref target: the exact key, else the first
// key equal ignoring case.
func (l *Library) crossrefParent(key string) *Entry {
	if e, ok := l.byKey[key]; ok {
		return e
	}
	if es := l.LookupFold(key); len(es) > 0 {
		return es[0]
	}
	return nil
}
