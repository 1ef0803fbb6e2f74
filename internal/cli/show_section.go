package cli

// The note extension of `show` lives in show_note.go; this file only makes
// `show KEY --section ID` print that section alone (see showExclusive).

var _ showExclusive = (*showNote)(nil)

// ExclusiveText reports whether --section was given: then `show` prints
// only the section, not the entry.
func (s *showNote) ExclusiveText() bool { return s.section != "" }
