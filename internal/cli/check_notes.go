package cli

import (
	"errors"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

// checkNotes is the `check` extension for the workspace's notes: front
// matter errors, note keys not in the library, unresolved citations, empty
// required sections and two notes claiming one key.
type checkNotes struct{ f *Factory }

var _ checkExtension = checkNotes{}

func newCheckNotes(f *Factory) checkNotes { return checkNotes{f: f} }

// noteCodes maps each notes sentinel to its `check --json` code and severity.
// A citation of an unknown key and an empty required section are warnings:
// the note is still usable.
var noteCodes = []struct {
	err      error
	code     string
	severity string
}{
	{notes.ErrBadFrontMatter, "note-front-matter", "error"},
	{notes.ErrBadStatus, "note-front-matter", "error"},
	{notes.ErrBadDate, "note-front-matter", "error"},
	{notes.ErrMissingKey, "note-missing-key", "error"},
	{notes.ErrDuplicateNote, "duplicate-note", "error"},
	{notes.ErrUnknownKey, "note-unknown-key", "error"},
	{notes.ErrUnknownCite, "unknown-cite", "warning"},
	{notes.ErrEmptySection, "empty-section", "warning"},
	{notes.ErrReadStatus, "read-status", "warning"},
	{notes.ErrIO, "io", "error"},
	// A note that links out of the workspace or is a FIFO is skipped:
	// every other command goes on without it, so check warns too.
	{notes.ErrOutside, "link-outside", "warning"},
	{notes.ErrNotRegular, "not-regular", "warning"},
}

func (c checkNotes) Check(_ *checkOptions, lib *bib.Library) ([]checkProblem, error) {
	cfg, err := c.f.Config()
	if err != nil {
		return nil, err
	}
	set, err := c.f.Notes()
	if err != nil {
		return nil, err
	}
	all := append(notes.ErrorList(nil), set.Problems...)
	all = append(all, notes.Check(set.Notes, notes.CheckOptions{Resolver: lib, Required: cfg.Notes.RequiredSections})...)
	keys := map[string]string{}
	for _, n := range set.Notes {
		keys[n.Path] = n.Key
	}
	var out []checkProblem
	for _, e := range all {
		code, sev := "note", "error"
		for _, nc := range noteCodes {
			if errors.Is(e, nc.err) {
				code, sev = nc.code, nc.severity
				break
			}
		}
		out = append(out, newCheckProblem(e.Pos, sev, code, e.Err.Error(), keys[e.Pos.Filename]))
	}
	return out, nil
}
