package lsp

import (
	"path/filepath"
	"strings"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

// ScaffoldEntry is what [notes.Scaffold] needs to know about e: the one
// conversion `papernotes new` and the server's "create note" action share.
// Authors fall back to the editors; "and others" becomes "et al.".
func ScaffoldEntry(e *bib.Entry) notes.ScaffoldEntry {
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

func joinPath(dir, name string) string { return filepath.Join(dir, name) }
