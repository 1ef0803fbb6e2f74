package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/papernotes/papernotes/notes"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const noteA = `---
key: a2022
tags: [vlm]
status: read
---

# Paper A

## 摘要

开放词汇目标检测。

## Relevance to our work

We could use SAM here.
`

const bibA = `@inproceedings{a2022, title={Paper {A}}, author={Li, Liunian Harold}, year={2022}}
@article{b2021, title={Only an entry}, author={Zhang, San}, year={2021}, abstract={对比学习}}
`

func smallWorkspace(t *testing.T) (Sources, string) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "notes", "a2022.md"), noteA)
	writeFile(t, filepath.Join(dir, "bib", "library.bib"), bibA)
	return Sources{Root: dir, NotesDir: filepath.Join(dir, "notes"), BibPaths: []string{filepath.Join(dir, "bib")}}, dir
}

func keysOf(t *testing.T, ix *Index, q string) string {
	t.Helper()
	return strings.Join(searchKeys(t, ix, q, Filters{}), ",")
}

// bump moves a file's modification time so that a sync sees a change even
// within the file system's time resolution.
func bump(t *testing.T, path string, d time.Duration) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, fi.ModTime().Add(d), fi.ModTime().Add(d)); err != nil {
		t.Fatal(err)
	}
}

func TestSyncIncremental(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, dir := smallWorkspace(t)
	db := filepath.Join(dir, ".papernotes", "index.db")
	ix, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var progress []int
	src.Progress = func(done, total int) { progress = append(progress, done, total) }
	var indexing []int64
	src.Indexing = func(n int, size int64) { indexing = append(indexing, int64(n), size) }
	st, err := ix.Sync(ctx, src)
	if err != nil || !st.Rebuilt || st.Indexed != 2 || st.Files != 2 {
		t.Fatalf("first sync: %+v, %v", st, err)
	}
	if len(progress) != 4 || progress[2] != 2 || progress[3] != 2 {
		t.Errorf("progress calls %v, want done/total 1/2 2/2", progress)
	}
	var size int64
	for _, p := range []string{filepath.Join(dir, "notes", "a2022.md"), filepath.Join(dir, "bib", "library.bib")} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		size += fi.Size()
	}
	if want := []int64{2, size}; !slices.Equal(indexing, want) {
		t.Errorf("Indexing calls %v, want once with 2 files of %d bytes", indexing, size)
	}
	indexing = nil
	if got := keysOf(t, ix, "开放词汇"); got != "a2022" {
		t.Errorf("开放词汇: %s", got)
	}
	if got := keysOf(t, ix, "对比学习"); got != "b2021" {
		t.Errorf("a paper with no note is found by its abstract: got %q", got)
	}

	// Nothing changed: nothing read.
	if st, err := ix.Sync(ctx, src); err != nil || st.Indexed != 0 || st.Rebuilt || st.Removed != 0 {
		t.Errorf("no-op sync: %+v, %v", st, err)
	}
	if indexing != nil {
		t.Errorf("Indexing called by a no-op sync: %v", indexing)
	}

	// A new modification time with the same content: not reindexed.
	note := filepath.Join(dir, "notes", "a2022.md")
	bump(t, note, time.Second)
	if st, err := ix.Sync(ctx, src); err != nil || st.Indexed != 0 {
		t.Errorf("touched file: %+v, %v", st, err)
	}

	// An edit: only that file is reindexed.
	writeFile(t, note, strings.Replace(noteA, "SAM", "CLIP", 1))
	bump(t, note, 2*time.Second)
	if st, err := ix.Sync(ctx, src); err != nil || st.Indexed != 1 {
		t.Errorf("edited note: %+v, %v", st, err)
	}
	if got := keysOf(t, ix, "relevance:SAM"); got != "" {
		t.Errorf("relevance:SAM after the edit: %q", got)
	}
	if got := keysOf(t, ix, "relevance:CLIP"); got != "a2022" {
		t.Errorf("relevance:CLIP after the edit: %q", got)
	}
	if got := keysOf(t, ix, "title:paper"); got != "a2022" {
		t.Errorf("the bib entry of an edited note survives: %q", got)
	}

	// A new note, then a deleted one.
	writeFile(t, filepath.Join(dir, "notes", "sub", "c.md"), "---\nkey: c2020\n---\n\n## Method\n\n目标检测\n")
	if st, err := ix.Sync(ctx, src); err != nil || st.Indexed != 1 {
		t.Errorf("added note: %+v, %v", st, err)
	}
	if got := keysOf(t, ix, "目标检测"); got != "a2022,c2020" {
		t.Errorf("目标检测: %q", got)
	}
	if err := os.Remove(note); err != nil {
		t.Fatal(err)
	}
	if st, err := ix.Sync(ctx, src); err != nil || st.Removed != 1 || st.Indexed != 0 {
		t.Errorf("deleted note: %+v, %v", st, err)
	}
	if got := keysOf(t, ix, "目标检测"); got != "c2020" {
		t.Errorf("目标检测 after delete: %q", got)
	}
	if got := keysOf(t, ix, "tag:vlm"); got != "" {
		t.Errorf("tags of a deleted note: %q", got)
	}

	// Other section aliases: a rebuild.
	src.Notes = notes.Options{Aliases: map[string][]string{"method": {"Method"}}}
	if st, err := ix.Sync(ctx, src); err != nil || !st.Rebuilt || st.Indexed != 2 {
		t.Errorf("new aliases: %+v, %v", st, err)
	}
}

func TestOpenRebuildsBadFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, name := range []string{"empty", "old-version", "legacy", "corrupt-page", "half-built-new"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, dir := smallWorkspace(t)
			db := filepath.Join(dir, "index.db")
			switch name {
			case "empty":
				writeFile(t, db, "")
			case "old-version":
				ix, err := Open(db)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := ix.Sync(ctx, src); err != nil {
					t.Fatal(err)
				}
				if _, err := ix.db.Exec(`UPDATE meta SET value = '0' WHERE name = 'schema'`); err != nil {
					t.Fatal(err)
				}
				ix.Close()
			case "legacy":
				// An index made before schema 7 has no application id.
				ix, err := Open(db)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := ix.Sync(ctx, src); err != nil {
					t.Fatal(err)
				}
				if _, err := ix.db.Exec(`PRAGMA application_id=0; UPDATE meta SET value = '6' WHERE name = 'schema'`); err != nil {
					t.Fatal(err)
				}
				ix.Close()
			case "corrupt-page":
				ix, err := Open(db)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := ix.Sync(ctx, src); err != nil {
					t.Fatal(err)
				}
				ix.Close()
				// Garbage over every page but the first: the header still
				// says it is ours, the tables are unreadable.
				b, err := os.ReadFile(db)
				if err != nil {
					t.Fatal(err)
				}
				for i := pageSize; i < len(b); i++ {
					b[i] = byte(i * 7)
				}
				writeFile(t, db, string(b))
			case "half-built-new":
				// A build killed before its rename.
				writeFile(t, db+".new", "half a database")
			}
			ix, err := Open(db)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer ix.Close()
			q, _ := ParseQuery("开放词汇")
			res, st, err := ix.SyncSearch(ctx, src, q, SearchOptions{})
			if err != nil || !st.Rebuilt || st.Indexed != 2 {
				t.Fatalf("sync: %+v, %v", st, err)
			}
			if len(res.Hits) != 1 || res.Hits[0].Key != "a2022" {
				t.Errorf("开放词汇: %+v", res.Hits)
			}
			if _, err := os.Stat(db + ".new"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s.new left behind: %v", db, err)
			}
		})
	}
}

// TestOpenRefusesForeignFiles checks that a file at the index path that is
// not an index (another program's database, any other file) is neither
// deleted nor changed: Open, Sync and Rebuild stop with ErrNotIndex.
func TestOpenRefusesForeignFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	other := func(t *testing.T, path string, appID int) {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range []string{fmt.Sprintf("PRAGMA application_id=%d", appID), "CREATE TABLE meta(name TEXT, value TEXT)", "INSERT INTO meta VALUES ('schema', '6')"} {
			if _, err := db.Exec(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, name := range []string{"garbage", "other-app", "other-app-id", "folder"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, dir := smallWorkspace(t)
			db := filepath.Join(dir, "index.db")
			switch name {
			case "garbage":
				writeFile(t, db, strings.Repeat("not a database ", 1000))
			case "other-app":
				other(t, db, 0)
			case "other-app-id":
				other(t, db, 0x12345678)
			case "folder":
				if err := os.Mkdir(db, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := os.ReadFile(db)
			ix, err := Open(db)
			if !errors.Is(err, ErrNotIndex) {
				if err == nil {
					_, err = ix.Rebuild(ctx, src)
					ix.Close()
				}
				if !errors.Is(err, ErrNotIndex) {
					t.Fatalf("Open, Rebuild: %v, want ErrNotIndex", err)
				}
			}
			if err.Error() != db+": "+ErrNotIndex.Error() {
				t.Errorf("message %q", err)
			}
			after, _ := os.ReadFile(db)
			if string(before) != string(after) {
				t.Errorf("the file was changed")
			}
		})
	}
}

func TestHitFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, dir := smallWorkspace(t)
	ix, err := Open(filepath.Join(dir, "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, src); err != nil {
		t.Fatal(err)
	}
	q, _ := ParseQuery("SAM")
	res, err := ix.Search(ctx, q, SearchOptions{})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("SAM: %+v, %v", res, err)
	}
	h := res.Hits[0]
	want := Hit{Key: "a2022", Title: "Paper A", Year: 2022, Section: "relevance", Heading: "Relevance to our work",
		Path: filepath.Join(dir, "notes", "a2022.md"), Line: 15, Column: 14}
	got := h
	got.Snippet, got.Score = Snippet{}, 0
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hit (-want +got)\n%s", diff)
	}
	if m := h.Snippet.Marked("[", "]"); m != "We could use [SAM] here." {
		t.Errorf("snippet %q", m)
	}
	if h.Score <= 0 {
		t.Errorf("score %v, want > 0", h.Score)
	}
	// The line and rune column of the hit, not of its section's heading.
	for _, c := range []struct {
		q, section string
		line, col  int
	}{
		{"目标", "abstract", 11, 5},
		{"开放词汇", "abstract", 11, 1},
		{"relevance:here", "relevance", 15, 18},
		{"Paper", "title", 7, 3},
		{"对比学习", "abstract", 2, 84}, // a bib field, in its entry
	} {
		q, _ := ParseQuery(c.q)
		res, err := ix.Search(ctx, q, SearchOptions{})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("%s: %+v, %v", c.q, res, err)
		}
		h := res.Hits[0]
		if h.Section != c.section || h.Line != c.line || h.Column != c.col {
			t.Errorf("%s: %s at %d:%d, want %s at %d:%d", c.q, h.Section, h.Line, h.Column, c.section, c.line, c.col)
		}
	}
	// Filters only: no section, the note's path.
	res, err = ix.Search(ctx, nil, SearchOptions{Filters: Filters{Status: "read"}})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Key != "a2022" || res.Hits[0].Section != "" || res.Hits[0].Score != 0 {
		t.Errorf("status:read: %+v, %v", res, err)
	}
	q, _ = ParseQuery("SAM relevence:SAM")
	if _, err = ix.Search(ctx, q, SearchOptions{}); !errors.Is(err, ErrUnknownSection) || err.Error() != `query:1:5: "relevence": no note has this section` {
		t.Errorf("a misspelt section: %v", err)
	}
	if _, err = ix.Search(ctx, q, SearchOptions{Filters: Filters{Section: "Methods"}}); !errors.Is(err, ErrUnknownSection) || err.Error() != `section "Methods": no note has this section` {
		t.Errorf("a misspelt --section: %v", err)
	}
	q, _ = ParseQuery("title:paper venue:x abstract:y")
	if _, err = ix.Search(ctx, q, SearchOptions{}); err != nil {
		t.Errorf("bib fields are always known: %v", err)
	}
	if _, err := ix.Search(ctx, nil, SearchOptions{}); err != ErrEmptyQuery {
		t.Errorf("empty search: %v", err)
	}
}

// TestConcurrentSync opens one index file twice, as two processes would,
// and syncs both at once after an edit: both succeed, one waits.
func TestConcurrentSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, dir := smallWorkspace(t)
	db := filepath.Join(dir, "index.db")
	first, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := first.Sync(ctx, src); err != nil {
		t.Fatal(err)
	}
	second, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	note := filepath.Join(dir, "notes", "a2022.md")
	writeFile(t, note, noteA+"\n## Notes\n\n并发\n")
	bump(t, note, time.Second)
	errs := make(chan error, 2)
	for _, ix := range []*Index{first, second} {
		go func() {
			_, err := ix.Sync(ctx, src)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent sync: %v", err)
		}
	}
	for _, ix := range []*Index{first, second} {
		if got := strings.Join(searchKeys(t, ix, "并发", Filters{}), ","); got != "a2022" {
			t.Errorf("并发: %q", got)
		}
	}
}

// TestSyncSearch checks that the search run during the scan is kept only
// when nothing changed.
func TestSyncSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, dir := smallWorkspace(t)
	ix, err := Open(filepath.Join(dir, "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	q, _ := ParseQuery("SAM")
	keys := func(res *Result) string {
		var ks []string
		for _, h := range res.Hits {
			ks = append(ks, h.Key)
		}
		return strings.Join(ks, ",")
	}
	// First call: builds the index.
	res, st, err := ix.SyncSearch(ctx, src, q, SearchOptions{})
	if err != nil || !st.Rebuilt || keys(res) != "a2022" {
		t.Fatalf("first: %v %+v %v", keys(res), st, err)
	}
	// Unchanged: the speculative search stands.
	res, st, err = ix.SyncSearch(ctx, src, q, SearchOptions{})
	if err != nil || st.Indexed != 0 || st.Files != 2 || keys(res) != "a2022" {
		t.Fatalf("unchanged: %v %+v %v", keys(res), st, err)
	}
	// An edit: the search sees it.
	note := filepath.Join(dir, "notes", "a2022.md")
	writeFile(t, note, strings.Replace(noteA, "SAM", "CLIP", 1))
	bump(t, note, time.Second)
	res, st, err = ix.SyncSearch(ctx, src, q, SearchOptions{})
	if err != nil || st.Indexed != 1 || keys(res) != "" {
		t.Fatalf("after the edit: %q %+v %v", keys(res), st, err)
	}
	// Errors of the query come through.
	q, _ = ParseQuery("nosuch:x")
	if _, _, err = ix.SyncSearch(ctx, src, q, SearchOptions{}); !errors.Is(err, ErrUnknownSection) {
		t.Errorf("unknown section: %v", err)
	}
}

func TestPreamble(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "notes", "x.md"), "---\nkey: x2020\n---\n\n# Title\n\nLi, Wei. *CVPR*, 2020.\n\n## Method\n\nText.\n")
	writeFile(t, filepath.Join(dir, "notes", "y.md"), "---\nkey: y2021\n---\n\nA quick note with no headings: 对比学习.\n")
	ix, err := Open(filepath.Join(dir, "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, Sources{Root: dir, NotesDir: filepath.Join(dir, "notes")}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"CVPR": "x2020", "对比学习": "y2021", "text": "x2020"} {
		if got := keysOf(t, ix, q); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
	q, _ := ParseQuery("cvpr")
	res, err := ix.Search(ctx, q, SearchOptions{})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Section != "preamble" || res.Hits[0].Line != 7 {
		t.Errorf("cvpr: %+v, %v", res, err)
	}
}

// TestFreshBuildOneSegment checks that a new index gets its full-text rows
// in rowid order: FTS5 starts a new segment at every rowid that is not
// above the last one, which made a build of 10,000 notes spend a third of
// its time writing and merging segments. Rowids group rows by paper and
// weight class, so notes listed in another order, bib entries for the same
// papers and sections in any order would each break the order.
func TestFreshBuildOneSegment(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var bibText strings.Builder
	for i, k := range []string{"zeta2020", "eta2021", "alpha2019", "mu2018"} {
		fmt.Fprintf(&bibText, "@article{%s, title={Paper %d}, author={Li, San}, year={2020}, abstract={对比学习 %d}}\n", k, i, i)
		writeFile(t, filepath.Join(dir, "notes", fmt.Sprintf("%d-%s.md", 9-i, k)), fmt.Sprintf(
			"---\nkey: %s\nstatus: read\n---\n\n# Paper %d\n\n## Relevance to our work\n\nWe could use it %d.\n\n## 摘要\n\n开放词汇目标检测 %d。\n\n## Method\n\nFrozen encoders.\n", k, i, i, i))
	}
	writeFile(t, filepath.Join(dir, "bib", "library.bib"), bibText.String())
	src := Sources{Root: dir, NotesDir: filepath.Join(dir, "notes"), BibPaths: []string{filepath.Join(dir, "bib")}}
	ix, err := Open(filepath.Join(dir, ".papernotes", "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Rebuild(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	var segs, missing int
	if err := ix.db.QueryRow(`SELECT count(DISTINCT segid) FROM fts_idx`).Scan(&segs); err != nil {
		t.Fatal(err)
	}
	if segs != 1 {
		t.Errorf("a fresh index has %d full-text segments, want 1", segs)
	}
	if err := ix.db.QueryRow(`SELECT count(*) FROM sections WHERE id NOT IN (SELECT rowid FROM fts)`).Scan(&missing); err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Errorf("%d sections have no full-text row", missing)
	}
	if got := keysOf(t, ix, "开放词汇"); got == "" || strings.Count(got, ",") != 3 {
		t.Errorf("开放词汇 finds %q, want the 4 notes", got)
	}
}

// TestSectionsByFileAndLine checks that a hit's section end (the file's
// next row) is found by a seek: with sections indexed by file alone, a
// search whose 20 hits were in one 10,000-entry .bib file scanned all its
// rows per hit (a name search took 670 ms instead of 220 ms).
func TestSectionsByFileAndLine(t *testing.T) {
	t.Parallel()
	src, dir := smallWorkspace(t)
	ix, err := Open(filepath.Join(dir, ".papernotes", "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	rows, err := ix.db.Query(`EXPLAIN QUERY PLAN SELECT min(n.line) FROM sections n WHERE n.file = ? AND n.line > ?`, "bib/library.bib", 3)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "COVERING INDEX sections_file (file=? AND line>?)") {
		t.Errorf("the next row of a file is not found by a seek: %s", got)
	}
}
