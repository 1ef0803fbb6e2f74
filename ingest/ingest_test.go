package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
)

func parseFile(t *testing.T, path string) *bib.File {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := bib.Parse(path, src, nil)
	if errs := f.Problems.Errors(); len(errs) > 0 {
		t.Fatalf("fixture %s: %v", path, errs)
	}
	return f
}

func loadLib(t *testing.T, paths ...string) *bib.Library {
	t.Helper()
	return bib.Load(paths, bib.LoadOptions{})
}

// describe renders a plan for golden files.
func describe(p *Plan) string {
	var b strings.Builder
	for _, it := range p.Items {
		fmt.Fprintf(&b, "%s:%d %q: %s", filepath.Base(it.Entry.Pos.Filename), it.Entry.Pos.Line, it.Entry.Key, it.Action)
		if it.Added {
			fmt.Fprintf(&b, ", added as %q", it.Key)
		}
		if it.Rekeyed {
			fmt.Fprintf(&b, " (%s)", it.RekeyReason)
		}
		if it.Existing != nil {
			fmt.Fprintf(&b, ", existing %q", it.Existing.Key)
		}
		for _, g := range it.Duplicates {
			var keys []string
			for _, e := range g.Entries {
				keys = append(keys, e.Key)
			}
			fmt.Fprintf(&b, "; %s: %s", g.Reason, strings.Join(keys, " "))
		}
		for _, w := range it.Warnings {
			fmt.Fprintf(&b, "; warning: %s", w)
		}
		b.WriteString("\n")
	}
	b.WriteString("--- appended:\n")
	b.WriteString(p.Bytes())
	return b.String()
}

func TestPlan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"default", Options{}},
		{"force", Options{Force: true}},
		{"rekey", Options{Rekey: true}},
		{"pattern", Options{Pattern: "{auth}_{year}"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lib := loadLib(t, filepath.Join("testdata", "library.bib"))
			in := parseFile(t, filepath.Join("testdata", "incoming.bib"))
			tc.opts.Strings = in.Strings
			p := NewPlan(lib, in.Entries, tc.opts)
			testutil.Golden(t, filepath.Join("testdata", "plan-"+tc.name+".golden"), []byte(describe(p)))
			// Planning twice gives the same plan.
			if again := describe(NewPlan(lib, in.Entries, tc.opts)); again != describe(p) {
				t.Error("planning twice differs")
			}
		})
	}
}

func TestApply(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "library.bib")
	orig, err := os.ReadFile(filepath.Join("testdata", "library.bib"))
	if err != nil {
		t.Fatal(err)
	}
	// No final newline: Apply ends the line and leaves one blank line
	// before the new entries.
	orig = []byte(strings.TrimRight(string(orig), "\n"))
	if err := os.WriteFile(target, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	in := parseFile(t, filepath.Join("testdata", "incoming.bib"))
	p := NewPlan(loadLib(t, target), in.Entries, Options{Strings: in.Strings})
	if err := p.Apply(target); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if want := string(orig) + "\n\n" + p.Bytes(); string(got) != want {
		t.Errorf("after Apply the file is\n%s\nwant the old bytes, a blank line and the plan's bytes", got)
	}
	if err := p.Apply(target); !errors.Is(err, ErrApplied) {
		t.Errorf("second Apply: %v, want ErrApplied", err)
	}

	// The result reads without errors, has every added key, and a second
	// import of the same file adds nothing.
	lib := loadLib(t, target)
	if errs := append(lib.Problems().Errors(), lib.Check().Errors()...); len(errs) > 0 {
		t.Errorf("library after import has errors:\n%v", errs)
	}
	for _, e := range p.Entries() {
		if _, ok := lib.Lookup(e.Key); !ok {
			t.Errorf("added key %q not in the library", e.Key)
		}
	}
	p2 := NewPlan(lib, in.Entries, Options{Strings: in.Strings})
	for _, it := range p2.Items {
		if it.Added {
			t.Errorf("second import adds %q (%s)", it.Entry.Key, it.Action)
		}
	}
	if p2.Bytes() != "" {
		t.Errorf("second import appends %q", p2.Bytes())
	}
}

func TestApplyNewFileAndNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "sub", "new.bib")
	in := parseFile(t, filepath.Join("testdata", "incoming.bib"))
	p := NewPlan(nil, in.Entries[2:3], Options{Strings: in.Strings})
	if err := p.Apply(target); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(target)
	if !strings.HasPrefix(string(got), "@string{cvpr") || !strings.HasSuffix(string(got), "}\n") {
		t.Errorf("new file:\n%s", got)
	}
	// A plan that adds nothing writes nothing.
	empty := NewPlan(nil, nil, Options{})
	none := filepath.Join(dir, "none.bib")
	if err := empty.Apply(none); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(none); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an empty plan created %s", none)
	}
}

func TestReplaceKey(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ raw, key, want string }{
		{"@article{old,\n  title={T}}", "new", "@article{new,\n  title={T}}"},
		{"@article{ old , title={T}}", "new", "@article{new, title={T}}"},
		{"@misc{,title={T}}", "new", "@misc{new,title={T}}"},
		{"@misc(old, title={a,b})", "new", "@misc(new, title={a,b})"},
		{"@misc{old}", "new", "@misc{new}"},
		{"@ARTICLE{DBLP:conf/x/Y22,\r\n}", "y2022", "@ARTICLE{y2022,\r\n}"},
		{"no entry", "new", "no entry"},
		// A '%' comment line before the key (the parser skips it) is kept,
		// with the ')' and ',' in it (FuzzPlanProblemsShortcut/d30cab6b56bd9257).
		{"@misc{%)c, d\nold,\n title={T}}", "new", "@misc{%)c, d\nnew,\n title={T}}"},
		{"@misc{ % x\n  % y\n old}", "new", "@misc{ % x\n  % y\nnew}"},
		// And one before the opening delimiter, with a '(' in it
		// (FuzzPlanProblemsShortcut/7a8d378c37082768).
		{"@0%00000(\n{00}", "00", "@0%00000(\n{00}"},
		{"@misc % (x\n{old, title={T}}", "new", "@misc % (x\n{new, title={T}}"},
		{"@misc % (x", "new", "@misc % (x"},
	} {
		if got := ReplaceKey(tt.raw, tt.key); got != tt.want {
			t.Errorf("ReplaceKey(%q, %q) = %q, want %q", tt.raw, tt.key, got, tt.want)
		}
	}
}

func TestBrokenEntryIsNotAdded(t *testing.T) {
	t.Parallel()
	src := "@article{broken,\n  title = {Unclosed,\n  year = 2020\n\n@article{fine,\n  title = {Fine Work on Things},\n  year = 2021\n}\n"
	f := bib.Parse("in.bib", []byte(src), nil)
	p := NewPlan(nil, f.Entries, Options{})
	if len(p.Items) != 2 {
		t.Fatalf("got %d items, want 2:\n%s", len(p.Items), describe(p))
	}
	if it := p.Items[0]; it.Entry.Key != "broken" || it.Action != Broken || it.Added || it.Raw != "" {
		t.Errorf("broken entry: %+v, want Broken and not added", it)
	}
	if it := p.Items[1]; it.Entry.Key != "fine" || it.Action != Add {
		t.Errorf("fine entry: %s, want add", it.Action)
	}
	if got := len(p.Entries()); got != 1 {
		t.Errorf("Entries() has %d entries, want 1", got)
	}
}

// corpusFiles picks a spread of small corpus files.
func corpusFiles(t *testing.T, n int) []string {
	dir := testutil.CorpusDir(t)
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".bib") {
			if fi, err := d.Info(); err == nil && fi.Size() < 300<<10 {
				paths = append(paths, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	var out []string
	for i := 0; i < len(paths) && len(out) < n; i += max(1, len(paths)/n) {
		out = append(out, paths[i])
	}
	return out
}

// TestCorpusImportTwice imports real files into an empty library file
// (with --force, so that duplicates inside a file come in too), then
// imports them again: the second time nothing is added.
func TestCorpusImportTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	files := corpusFiles(t, 40)
	var added, second, broken, skipped int
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in := bib.Parse(path, src, nil)
		target := filepath.Join(t.TempDir(), "library.bib")
		p := NewPlan(nil, in.Entries, Options{Force: true, Strings: in.Strings})
		if err := p.Apply(target); err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			if it.Action == Broken {
				broken++
			}
			if it.Action == SkipSame {
				skipped++
			}
		}
		added += len(p.Entries())
		lib := loadLib(t, target)
		if got, want := len(lib.Entries()), len(p.Entries()); got != want {
			t.Errorf("%s: library has %d entries after import, want %d", path, got, want)
		}
		if errs := lib.Problems().Errors(); len(errs) > 0 {
			t.Errorf("%s: imported library has errors: %v", path, errs[:min(3, len(errs))])
		}
		p2 := NewPlan(lib, in.Entries, Options{Strings: in.Strings})
		for _, it := range p2.Items {
			if it.Added {
				second++
				t.Errorf("%s: second import adds %q as %q (%s)", path, it.Entry.Key, it.Key, it.Action)
			}
		}
	}
	t.Logf("%d files: %d entries added, %d identical repeats skipped, %d broken entries held back; second import added %d",
		len(files), added, skipped, broken, second)
}

// TestCorpusSuspectedDuplicates imports changed copies of real entries
// into a library that holds the originals: every copy with a DOI is a
// suspected duplicate and nothing is added without --force.
func TestCorpusSuspectedDuplicates(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	var withDOI, suspected int
	for _, path := range corpusFiles(t, 40) {
		lib := loadLib(t, path)
		var b strings.Builder
		for i, e := range lib.Entries() {
			if e.DOI() == "" {
				continue
			}
			raw := ReplaceKey(e.Raw, fmt.Sprintf("copy%d", i))
			// Change the content: a new field after the key.
			j := strings.IndexByte(raw, ',')
			if j < 0 {
				continue
			}
			b.WriteString(raw[:j+1] + " keywords = {imported copy}," + raw[j+1:] + "\n\n")
		}
		if b.Len() == 0 {
			continue
		}
		in := bib.Parse("copies.bib", []byte(b.String()), &bib.ParseOptions{Macros: lib.Macros()})
		p := NewPlan(lib, in.Entries, Options{})
		for _, it := range p.Items {
			withDOI++
			switch it.Action {
			case SuspectedDuplicate:
				suspected++
				if it.Added || !strings.HasPrefix(it.Duplicates[0].Reason, "same DOI") {
					t.Errorf("%s: %q: added %v, first reason %q", path, it.Entry.Key, it.Added, it.Duplicates[0].Reason)
				}
			case Broken:
			default:
				t.Errorf("%s: copy %q with DOI %s: %s, want suspected-duplicate", path, it.Entry.Key, it.Entry.DOI(), it.Action)
			}
		}
	}
	if withDOI == 0 {
		t.Skip("no corpus entry with a DOI in the sample")
	}
	t.Logf("%d copies with a DOI, %d suspected duplicates", withDOI, suspected)
}

func TestAppendEntries(t *testing.T) {
	t.Parallel()
	const entry = "@misc{a,\n  title = {A}\n}\n"
	tests := []struct{ desc, old, want string }{
		{"empty file", "", entry},
		{"blank file", "\n", "\n" + entry},
		{"no final newline", "@misc{x}", "@misc{x}\n\n" + entry},
		{"final newline", "@misc{x}\n", "@misc{x}\n\n" + entry},
		{"blank line already", "@misc{x}\n\n", "@misc{x}\n\n" + entry},
		{"several blank lines kept", "@misc{x}\n\n\n", "@misc{x}\n\n\n" + entry},
		{"trailing spaces", "@misc{x}\n  ", "@misc{x}\n  \n" + entry},
		{"crlf", "@misc{x,\r\n  t = {1}\r\n}\r\n", "@misc{x,\r\n  t = {1}\r\n}\r\n\r\n@misc{a,\r\n  title = {A}\r\n}\r\n"},
		{"crlf no final newline", "@misc{x}\r\n@misc{y}", "@misc{x}\r\n@misc{y}\r\n\r\n@misc{a,\r\n  title = {A}\r\n}\r\n"},
		{"mostly lf", "a\r\nb\nc\n", "a\r\nb\nc\n\n" + entry},
	}
	for _, tt := range tests {
		if got := string(appendEntries([]byte(tt.old), entry)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.desc, got, tt.want)
		}
	}
	// Entries read from a CRLF file go into an LF file with LF.
	if got := string(appendEntries([]byte("@misc{x}\n"), "@misc{a,\r\n}\n")); got != "@misc{x}\n\n@misc{a,\n}\n" {
		t.Errorf("crlf entry into lf file: %q", got)
	}
}

// FuzzAppendEntries checks that appending keeps the old bytes unchanged as
// a prefix, separates them from the entries by a blank line, and writes the
// entries in one line ending only.
func FuzzAppendEntries(f *testing.F) {
	f.Add("", "@misc{a}\n")
	f.Add("@misc{x}", "@misc{a,\n t={1}\n}\n")
	f.Add("@misc{x}\r\n", "@misc{a,\r\n}\n")
	f.Add("a\r\nb\nc", "x\n")
	f.Fuzz(func(t *testing.T, old, data string) {
		out := string(appendEntries([]byte(old), data))
		if !strings.HasPrefix(out, old) {
			t.Fatalf("old bytes changed: %q -> %q", old, out)
		}
		added := out[len(old):]
		crlf := strings.Count(old, "\r\n") > strings.Count(old, "\n")-strings.Count(old, "\r\n")
		body := strings.ReplaceAll(data, "\r\n", "\n")
		if crlf {
			body = strings.ReplaceAll(body, "\n", "\r\n")
		}
		if !strings.HasSuffix(added, body) {
			t.Fatalf("entries not at the end in the file's line ending: %q", added)
		}
		sep := added[:len(added)-len(body)]
		if strings.Trim(sep, "\r\n") != "" {
			t.Fatalf("separator %q is not newlines", sep)
		}
		// A blank line: two newlines after old's last non-blank character
		// (a line of spaces counts as blank).
		joined := old + sep
		tail := joined[len(strings.TrimRight(joined, " \t\r\n")):]
		if strings.TrimSpace(old) != "" && strings.Count(tail, "\n") < 2 {
			t.Fatalf("no blank line between %q and the entries (sep %q)", old, sep)
		}
	})
}

// planWithin builds a plan for src in an empty library and fails when it
// takes longer than a generous budget (enforced by a context, not timed):
// the plan must be linear in the input.
func planWithin(t *testing.T, src string, budget time.Duration) *Plan {
	t.Helper()
	f := bib.Parse("in.bib", []byte(src), nil)
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	done := make(chan *Plan, 1)
	go func() { done <- NewPlan(nil, f.Entries, Options{Strings: f.Strings}) }()
	select {
	case p := <-done:
		return p
	case <-ctx.Done():
		t.Fatalf("plan of %d entries did not finish within %v", len(f.Entries), budget)
		return nil
	}
}

// TestPlanOneKeyLinear: 20,000 different entries that all have one key get
// 20,000 distinct keys, without rescanning the suffixes for each.
func TestPlanOneKeyLinear(t *testing.T) {
	var b strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&b, "@misc{same, title = {Title number %d}, year = {2020}}\n", i)
	}
	p := planWithin(t, b.String(), 60*time.Second)
	keys := map[string]bool{}
	for _, it := range p.Items {
		if !it.Added || keys[strings.ToLower(it.Key)] {
			t.Fatalf("item %+v: not added or key reused", it.Key)
		}
		keys[strings.ToLower(it.Key)] = true
	}
}

// TestPlanManyTinyEntries: 200,000 tiny entries plan in linear time.
func TestPlanManyTinyEntries(t *testing.T) {
	var b strings.Builder
	for i := range 200000 {
		fmt.Fprintf(&b, "@misc{k%d, title={T%d}}\n", i, i)
	}
	p := planWithin(t, b.String(), 60*time.Second)
	if len(p.Items) != 200000 || !p.Items[199999].Added {
		t.Fatalf("%d items", len(p.Items))
	}
}

func BenchmarkPlanTinyEntries(b *testing.B) {
	var sb strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&sb, "@misc{k%d, title={T%d}}\n", i, i)
	}
	f := bib.Parse("in.bib", []byte(sb.String()), nil)
	b.SetBytes(int64(sb.Len()))
	for b.Loop() {
		NewPlan(nil, f.Entries, Options{})
	}
}

func BenchmarkPlanOneKey(b *testing.B) {
	var sb strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&sb, "@misc{same, title = {Title number %d}, year = {2020}}\n", i)
	}
	f := bib.Parse("in.bib", []byte(sb.String()), nil)
	b.SetBytes(int64(sb.Len()))
	for b.Loop() {
		NewPlan(nil, f.Entries, Options{})
	}
}
