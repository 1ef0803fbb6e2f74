package index

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// withBudget runs fn and fails the test when it has not returned when ctx,
// given to fn, is done: a generous budget that only a hang or a quadratic
// blow-up exceeds, enforced by the context rather than by timing.
func withBudget(t *testing.T, budget time.Duration, fn func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatalf("not done within the budget of %v", budget)
	}
}

// allocated returns the bytes allocated by fn.
func allocated(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestHugeField indexes a bib entry with a 40 MB abstract and a note with a
// 40 MB section, each with the term everywhere, and searches them: the
// text beyond maxRowText is left out with a positioned problem, and a search
// costs what a normal one does. Before the limit, a 200 MB field made each
// matching search take 47 s and 6.7 GB.
func TestHugeField(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 80 MB")
	}
	dir := t.TempDir()
	big := strings.Repeat("开放词汇 detection words. ", 40<<20/32)
	writeFile(t, filepath.Join(dir, "bib", "big.bib"), "@article{big2020,\n  title = {Big},\n  year = {2020},\n  abstract = {"+big+"}\n}\n")
	writeFile(t, filepath.Join(dir, "notes", "big.md"), "---\nkey: bignote\n---\n\n# Big note\n\n## Method\n\n"+big+"\n")
	src := Sources{Root: dir, NotesDir: filepath.Join(dir, "notes"), BibPaths: []string{filepath.Join(dir, "bib")}}
	ix, err := Open(filepath.Join(dir, "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	withBudget(t, 2*time.Minute, func(ctx context.Context) error {
		st, err := ix.Sync(ctx, src)
		if err != nil {
			return err
		}
		var msgs []string
		for _, p := range st.Problems {
			msgs = append(msgs, p.Error())
		}
		want := []string{
			filepath.Join(dir, "notes", "big.md") + ":1:1: the note is over 8 MiB; only its first 8 MiB is indexed",
			filepath.Join(dir, "notes", "big.md") + ":7:1: section method is over 1 MiB; only its first 1 MiB is indexed",
			filepath.Join(dir, "bib", "big.bib") + ":1:1: big2020: abstract is over 1 MiB; only its first 1 MiB is indexed",
		}
		if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
			return fmt.Errorf("problems:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
		}
		return nil
	})
	q, _ := ParseQuery("开放词汇 detection")
	var n uint64
	withBudget(t, time.Minute, func(ctx context.Context) error {
		var res *Result
		var err error
		n = allocated(func() { res, err = ix.Search(ctx, q, SearchOptions{}) })
		if err == nil && res.Total != 2 {
			err = fmt.Errorf("found %d papers, want 2", res.Total)
		}
		return err
	})
	if n > 64<<20 {
		t.Errorf("a search allocated %d MB", n>>20)
	}
}

// TestManyTags indexes and searches a note with 200,000 tags, half of them
// repeated: they are deduplicated in linear time. Before, a search of such a
// workspace did not finish in 30 s.
func TestManyTags(t *testing.T) {
	if testing.Short() {
		t.Skip("parses a big note")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("---\nkey: tags2020\ntags: [")
	for i := range 200000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "t%d", i%100000)
	}
	b.WriteString("]\n---\n\n# Tags\n\n## Method\n\nmany tags\n")
	writeFile(t, filepath.Join(dir, "notes", "tags.md"), b.String())
	src := Sources{Root: dir, NotesDir: filepath.Join(dir, "notes")}
	ix, err := Open(filepath.Join(dir, "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	withBudget(t, 2*time.Minute, func(ctx context.Context) error {
		for _, qs := range []string{"many", "tag:t99999", "tag:t5 many"} {
			q, _ := ParseQuery(qs)
			res, _, err := ix.SyncSearch(ctx, src, q, SearchOptions{})
			if err != nil {
				return err
			}
			if res.Total != 1 {
				return fmt.Errorf("%s: %d papers, want 1", qs, res.Total)
			}
		}
		var n int
		if err := ix.db.QueryRowContext(ctx, `SELECT count(*) FROM tags`).Scan(&n); err != nil || n != 100000 {
			return fmt.Errorf("%d tag rows, want 100000 (%v)", n, err)
		}
		return nil
	})
}
