package report

import (
	"slices"
	"testing"

	"github.com/papernotes/papernotes/notes"
)

// TestPlaceholdersKnownToNotes: import-report (notes.ParseReport) must not
// log the line a report writes for an empty part as work done.
func TestPlaceholdersKnownToNotes(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		h := defaultHeadings(lang)
		for _, k := range []string{"noworklog", "nopapers"} {
			if !slices.Contains(notes.ReportPlaceholders, h[k]) {
				t.Errorf("%s %s placeholder %q is not in notes.ReportPlaceholders", lang, k, h[k])
			}
		}
	}
}
