package notes

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/papernotes/papernotes/internal/testutil"
)

func reportJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	out, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// TestParseReportExample reads the real hand-written report, exactly as
// given, from ../shared/examples beside the repository.
func TestParseReportExample(t *testing.T) {
	path := filepath.Join(testutil.RepoRoot(t), "..", "shared", "examples", "group-meeting-20251119.txt")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("example report %s is absent (a user's clone): %v", path, err)
	}
	r, err := ParseReport("group-meeting-20251119.txt", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	testutil.Golden(t, "testdata/report-example.golden", reportJSON(t, r))
}

// TestParseReportMarkdown reads the same report written in markdown with
// "#" headings and a real link, and checks it splits like the plain text.
func TestParseReportMarkdown(t *testing.T) {
	src, err := os.ReadFile("testdata/report-20251119.md")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseReport("testdata/report-20251119.md", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	testutil.Golden(t, "testdata/report-20251119.golden", reportJSON(t, r))
	if got := r.Date.Format("2006-01-02"); got != "2025-11-19" {
		t.Errorf("date = %s", got)
	}
	if len(r.Papers) != 2 {
		t.Fatalf("got %d papers, want 2", len(r.Papers))
	}
	if got := r.Papers[0].URL; got != "https://arxiv.org/abs/2301.12597" {
		t.Errorf("url = %q", got)
	}
	var ids []string
	for _, s := range r.Papers[1].Sections {
		ids = append(ids, s.ID)
	}
	want := []string{"abstract", "problem", "prior", "method", "data", "relevance"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("GLIP sections (-want +got):\n%s", diff)
	}
}

// TestParseReportVariants covers English headings with colons (full-width
// too), bold headings, an unfenced BibTeX block and no work part.
func TestParseReportVariants(t *testing.T) {
	src, err := os.ReadFile("testdata/report-variants.md")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseReport("testdata/report-variants.md", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	testutil.Golden(t, "testdata/report-variants.golden", reportJSON(t, r))
}
