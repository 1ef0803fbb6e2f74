package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
)

// exampleSources returns the repository's example workspace.
func exampleSources(t testing.TB) Sources {
	root := filepath.Join(testutil.RepoRoot(t), "examples", "workspace")
	return Sources{
		Root:     root,
		NotesDir: filepath.Join(root, "notes"),
		BibPaths: []string{filepath.Join(root, "bib")},
	}
}

func TestExampleWorkspace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ix, err := Open(filepath.Join(t.TempDir(), "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	src := exampleSources(t)
	st, err := ix.Sync(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Rebuilt || st.Indexed != 3 || st.Files != 3 {
		t.Errorf("first sync: %+v", st)
	}
	for _, tc := range []struct {
		query string
		f     Filters
		want  []string
	}{
		{"开放词汇", Filters{}, []string{"li2022grounded"}},
		{"SAM", Filters{Section: "relevance"}, []string{"li2022grounded"}},
		{"relevance:SAM", Filters{}, []string{"li2022grounded"}},
	} {
		q, err := ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(ctx, q, SearchOptions{Filters: tc.f})
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Key)
			t.Logf("%s: %s %q %d %s %s:%d %.3f %s", tc.query, h.Key, h.Title, h.Year, h.Section, h.Heading, h.Line, h.Score, h.Snippet.Marked("[", "]"))
		}
		if len(got) == 0 || got[0] != tc.want[0] {
			t.Errorf("%s: got %v, want %v first", tc.query, got, tc.want)
		}
	}
	st, err = ix.Sync(ctx, src)
	if err != nil || st.Indexed != 0 || st.Rebuilt {
		t.Errorf("second sync: %+v, %v", st, err)
	}
}
