package catalog

import (
	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

// Entry is one entry as `show --json` prints it, a documented contract
// {"key","type","file","line","fields","text","raw"} plus "note" when the
// paper has one. The web view's /api/entry/KEY sends the same object.
type Entry struct {
	Key  string `json:"key"`
	Type string `json:"type"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Fields are the BibTeX values with macros expanded, LaTeX as written.
	Fields map[string]string `json:"fields"`
	// Text are the same values as plain Unicode text.
	Text map[string]string `json:"text"`
	Raw  string            `json:"raw"`
	// Note is the paper's note (a [Note] when there is one); nil is omitted.
	Note any `json:"note,omitempty"`

	// Entry is the entry shown.
	Entry *bib.Entry `json:"-"`
}

// NewEntry returns e as an [Entry] without its note; display turns its
// file name into the one shown (nil: as is).
func NewEntry(e *bib.Entry, display func(string) string) *Entry {
	if display == nil {
		display = func(s string) string { return s }
	}
	res := &Entry{
		Key: e.Key, Type: e.Type, File: display(e.Pos.Filename), Line: e.Pos.Line,
		Fields: make(map[string]string, len(e.Fields)), Text: make(map[string]string, len(e.Fields)),
		Raw: e.Raw, Entry: e,
	}
	for _, fl := range e.Fields {
		v := bib.Expand(fl.Value)
		res.Fields[fl.Name] = v
		res.Text[fl.Name] = bib.DecodeLaTeX(v)
	}
	return res
}

// Note is a note as the "note" object of `show --json` and the web view's
// /api/note/KEY give it.
type Note struct {
	Path     string    `json:"path"`
	Meta     NoteMeta  `json:"meta"`
	Sections []Section `json:"sections"`
	Cites    []Cite    `json:"cites"`
	CitedBy  []string  `json:"cited_by"`
}

// NoteMeta is a note's front matter in [Note].
type NoteMeta struct {
	Key    string         `json:"key"`
	Tags   []string       `json:"tags"`
	Status string         `json:"status,omitempty"`
	Read   string         `json:"read,omitempty"`
	Added  string         `json:"added,omitempty"`
	Extra  map[string]any `json:"extra,omitempty"`
}

// Section is one section of a [Note].
type Section struct {
	ID       string `json:"id"`
	Heading  string `json:"heading"`
	Markdown string `json:"markdown"`
	Text     string `json:"text"`
	Line     int    `json:"line"`
}

// Cite is one citation in a [Note]; Resolved says whether the library
// knows the key.
type Cite struct {
	Key      string `json:"key"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Resolved bool   `json:"resolved"`
}

// NewNote returns n as a [Note]: citedBy are the keys of the notes citing
// it (nil: none), lib says which cited keys are known (nil: none are),
// display turns its path into the one shown (nil: as is). Slices are never
// nil, so they encode as [].
func NewNote(n *notes.Note, lib notes.CiteResolver, citedBy []string, display func(string) string) Note {
	if display == nil {
		display = func(s string) string { return s }
	}
	out := Note{
		Path:     display(n.Path),
		Meta:     NoteMeta{Key: n.Meta.Key, Tags: n.Meta.Tags, Status: n.Meta.Status, Extra: n.Meta.Extra},
		Sections: []Section{}, Cites: []Cite{}, CitedBy: citedBy,
	}
	if out.Meta.Tags == nil {
		out.Meta.Tags = []string{}
	}
	if out.CitedBy == nil {
		out.CitedBy = []string{}
	}
	if !n.Meta.Read.IsZero() {
		out.Meta.Read = n.Meta.Read.Format("2006-01-02")
	}
	if !n.Meta.Added.IsZero() {
		out.Meta.Added = n.Meta.Added.Format("2006-01-02")
	}
	for _, sec := range n.Sections {
		out.Sections = append(out.Sections, Section{ID: sec.ID, Heading: sec.Heading, Markdown: sec.Markdown, Text: sec.Text, Line: sec.Line})
	}
	for _, c := range n.Cites {
		ok := false
		if lib != nil {
			_, ok = lib.CiteTitle(c.Key)
		}
		out.Cites = append(out.Cites, Cite{Key: c.Key, Line: c.Pos.Line, Col: c.Pos.Column, Resolved: ok})
	}
	return out
}
