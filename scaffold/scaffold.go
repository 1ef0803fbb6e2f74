// Package scaffold joins bib and notes for a new note: it turns a bib entry
// into what [notes.Scaffold] needs. notes never imports bib, so this small
// conversion, shared by `papernotes new` (and the other commands that
// create notes) and the language server's "create note" action, lives here.
package scaffold

import (
	"strings"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

// Entry is what [notes.Scaffold] needs to know about e. Authors fall back
// to the editors; "and others" becomes "et al.".
func Entry(e *bib.Entry) notes.ScaffoldEntry {
	se := notes.ScaffoldEntry{
		Key: e.Key, Title: e.Title(), Venue: e.Venue(), Year: e.Year(),
		Abstract: e.Text("abstract"), URL: e.URL(), DOI: e.DOI(),
	}
	names := e.Authors()
	if len(names) == 0 {
		names = e.Editors()
	}
	for _, n := range names {
		if n.Others {
			se.Authors = append(se.Authors, "et al.")
			continue
		}
		parts := []string{n.FirstText()}
		if n.Von != "" {
			parts = append(parts, bib.DecodeLaTeX(n.Von))
		}
		parts = append(parts, n.LastText())
		se.Authors = append(se.Authors, strings.TrimSpace(strings.Join(parts, " ")))
	}
	return se
}
