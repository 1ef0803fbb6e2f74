package bib

import (
	"strings"
)

// requiredFields lists, per entry type, the fields BibTeX's standard styles
// require. Each inner slice is a set of alternatives, one of which must be
// present ("author|editor"). Types not listed (misc, online, software, ...)
// require nothing.
var requiredFields = map[string][][]string{
	"article":       {{"author"}, {"title"}, {"journal"}, {"year"}},
	"book":          {{"author", "editor"}, {"title"}, {"publisher"}, {"year"}},
	"booklet":       {{"title"}},
	"inbook":        {{"author", "editor"}, {"title"}, {"chapter", "pages"}, {"publisher"}, {"year"}},
	"incollection":  {{"author"}, {"title"}, {"booktitle"}, {"publisher"}, {"year"}},
	"inproceedings": {{"author"}, {"title"}, {"booktitle"}, {"year"}},
	"conference":    {{"author"}, {"title"}, {"booktitle"}, {"year"}},
	"manual":        {{"title"}},
	"mastersthesis": {{"author"}, {"title"}, {"school"}, {"year"}},
	"phdthesis":     {{"author"}, {"title"}, {"school"}, {"year"}},
	"proceedings":   {{"title"}, {"year"}},
	"techreport":    {{"author"}, {"title"}, {"institution"}, {"year"}},
	"unpublished":   {{"author"}, {"title"}, {"note"}},
}

// aliases are the biblatex fields that stand in for a BibTeX field.
var aliases = map[string][]string{
	"year":    {"date"},
	"journal": {"journaltitle"},
	"school":  {"institution"},
	// biblatex inherits a parent's title as booktitle; see hasField.
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
		}
		var parent *Entry
		if cr, ok := e.Field("crossref"); ok {
			target := strings.TrimSpace(Expand(cr.Value))
			parent = l.crossrefParent(target)
			if parent == nil {
				out.Addf(cr.Pos, SeverityError, e.Key, ErrUndefinedCrossref, "%q has no entry", target)
			}
		}
		for _, alts := range requiredFields[e.Type] {
			if !l.hasAny(e, parent, alts) {
				out.Addf(e.Pos, SeverityWarning, e.Key, ErrMissingField, "@%s %q has no %s", e.Type, e.Key, strings.Join(alts, " or "))
			}
		}
		if d := e.DOI(); d != "" {
			if first, ok := firstDOI[d]; ok {
				pos := e.Pos
				if f, ok := e.Field("doi"); ok {
					pos = f.Pos
				}
				out.Addf(pos, SeverityWarning, e.Key, ErrDuplicateDOI, "%s is also the DOI of %q at %s", d, first.Key, where(first))
			} else {
				firstDOI[d] = e
			}
		}
	}
	out.Sort()
	return out
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

// hasAny reports whether e (or its crossref parent) has one of the fields
// alts, or a biblatex alias of one.
func (l *Library) hasAny(e, parent *Entry, alts []string) bool {
	for _, name := range alts {
		if hasField(e, name) {
			return true
		}
		if parent != nil && parent != e {
			if hasField(parent, name) || name == "booktitle" && nonEmpty(parent, "title") {
				return true
			}
		}
	}
	return false
}

func hasField(e *Entry, name string) bool {
	if nonEmpty(e, name) {
		return true
	}
	for _, a := range aliases[name] {
		if nonEmpty(e, a) {
			return true
		}
	}
	return false
}

// nonEmpty reports whether e has the field with a value that is not blank;
// `year = {}` does not count.
func nonEmpty(e *Entry, name string) bool {
	f, ok := e.Field(name)
	if !ok {
		return false
	}
	return strings.TrimSpace(strings.Trim(Expand(f.Value), "{} \t\r\n")) != ""
}
