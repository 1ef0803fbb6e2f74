package latex

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
)

func newLib(t testing.TB, paths ...string) *bib.Library {
	t.Helper()
	return bib.Load(paths, bib.LoadOptions{})
}

func libOf(name, src string) *bib.Library {
	return bib.NewLibrary([]*bib.File{bib.Parse(name, []byte(src), nil)}, bib.LoadOptions{})
}

func cites(keys ...string) []Citation {
	var out []Citation
	for i, k := range keys {
		out = append(out, Citation{Key: k, Pos: posAt("paper.tex", i+1, 7)})
	}
	return out
}

var testFieldOrder = []string{"author", "editor", "title", "booktitle", "journal", "journaltitle", "year", "month", "date", "volume", "number", "pages", "publisher", "address", "location", "crossref"}
var testDrop = []string{"abstract", "file", "bdsk-*", "urldate"}

func TestExport(t *testing.T) {
	t.Parallel()
	lib := newLib(t, filepath.Join("testdata", "export", "lib.bib"))
	all := cites("muller2020", "child2021", "xbook", "bl2022", "thesis2018", "web2023", "CaseKey2020", "other2021")
	tests := []struct {
		name  string
		cited []Citation
		opts  ExportOptions
	}{
		{"raw", all, ExportOptions{}},
		{"raw-sorted", all, ExportOptions{Order: OrderKey}},
		{"clean", all, ExportOptions{Clean: &CleanOptions{FieldOrder: testFieldOrder, Drop: testDrop}}},
		{"clean-ascii", cites("muller2020"), ExportOptions{Clean: &CleanOptions{FieldOrder: testFieldOrder, ASCII: true}}},
		{"to-bibtex", all, ExportOptions{Clean: &CleanOptions{FieldOrder: testFieldOrder, Drop: testDrop, To: DialectBibTeX}}},
		{"to-biblatex", all, ExportOptions{Clean: &CleanOptions{FieldOrder: testFieldOrder, Drop: testDrop, To: DialectBiblatex}}},
		{"parent-cited-first", cites("conf2021", "child2021"), ExportOptions{}},
		{"nocite-all", cites("web2023", "*"), ExportOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Export(lib, tt.cited, tt.opts)
			var errs ErrorList
			if err != nil && !errors.As(err, &errs) {
				t.Fatalf("err = %v", err)
			}
			got := r.Bytes()
			testutil.Golden(t, filepath.Join("testdata", "export", tt.name+".bib.golden"), got)
			// Running twice gives identical bytes.
			r2, _ := Export(lib, tt.cited, tt.opts)
			if !bytes.Equal(got, r2.Bytes()) {
				t.Error("second export differs from the first")
			}
			// The output reads back with no problems and the same keys.
			f := bib.Parse("out.bib", got, nil)
			if f.Problems.Errors().Err() != nil || len(f.Problems) != 0 {
				t.Errorf("output does not read back cleanly:\n%v", f.Problems)
			}
			var keys []string
			for _, e := range f.Entries {
				keys = append(keys, e.Key)
			}
			if diff := cmp.Diff(r.Keys(), keys); diff != "" {
				t.Errorf("keys read back (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExportOrderAndProblems(t *testing.T) {
	t.Parallel()
	lib := newLib(t, filepath.Join("testdata", "export", "lib.bib"))
	r, err := Export(lib, cites("muller2020", "child2021", "nope", "casekey2020", "xbook", "muller2020"), ExportOptions{})
	// conf2021 after child2021 (its child), series after conf2021, pubdata after xbook.
	want := []string{"muller2020", "child2021", "CaseKey2020", "xbook", "conf2021", "pubdata", "series"}
	if diff := cmp.Diff(want, r.Keys()); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	wantErr := "paper.tex:3:7: cited key not in the library: nope\n" +
		"paper.tex:4:7: cited key matches only when case is ignored: casekey2020 (the library has CaseKey2020)"
	if err == nil || err.Error() != wantErr {
		t.Errorf("err =\n%v\nwant\n%s", err, wantErr)
	}
	if !errors.Is(err, ErrMissingKey) || !errors.Is(err, ErrKeyCase) {
		t.Errorf("err does not wrap the sentinels: %v", err)
	}
	var names []string
	for _, s := range r.Strings {
		names = append(names, s.Name)
	}
	// tpami uses ieee, so ieee comes first; CVPR through conf2021; ieee again through series.
	if diff := cmp.Diff([]string{"ieee", "tpami", "CVPR"}, names); diff != "" {
		t.Errorf("strings (-want +got):\n%s", diff)
	}
}

func TestExportMissingParent(t *testing.T) {
	t.Parallel()
	lib := libOf("x.bib", "@inproceedings{a,\n  title = {A},\n  crossref = {gone},\n}\n")
	r, err := Export(lib, cites("a"), ExportOptions{})
	if err != nil {
		t.Errorf("a missing parent is a warning, got err %v", err)
	}
	if got := r.Problems.Error(); got != "x.bib:3:3: parent entry not in the library: gone (of a)" {
		t.Errorf("problems = %q", got)
	}
}

func TestMonthMacro(t *testing.T) {
	t.Parallel()
	for give, want := range map[string]string{"January": "jan", "jan": "jan", "Sept.": "sep", "9": "sep", "09": "sep", "Dec": "dec", "13": "", "Spring": "", "ma": ""} {
		got, _ := monthMacro(bibConst(give))
		if got != want {
			t.Errorf("monthMacro(%q) = %q, want %q", give, got, want)
		}
	}
}

func TestCleanKeepsBackslashesAndNewlines(t *testing.T) {
	t.Parallel()
	src := "@misc{k,\n  note = \"a \\& b\nsecond line\",\n  title = {Plain},\n}\n"
	lib := libOf("k.bib", src)
	r, err := Export(lib, cites("k"), ExportOptions{Clean: &CleanOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	got := string(r.Bytes())
	if !strings.Contains(got, "{a \\& b\nsecond line}") || !strings.Contains(got, "{Plain}") {
		t.Errorf("clean output lost the value as written:\n%s", got)
	}
}

// TestExportManyFields: an entry with 200,000 fields exports, plain and
// clean (--ascii, --to biblatex), in time linear in its fields. The budget
// is generous (a loaded machine), enforced by a context, not measured.
func TestExportManyFields(t *testing.T) {
	var b strings.Builder
	b.WriteString("@misc{big,\n")
	for i := range 200000 {
		fmt.Fprintf(&b, "  f%d = {v%d},\n", i, i)
	}
	b.WriteString("  f7 = {duplicate},\n}\n")
	lib := libOf("big.bib", b.String())
	for _, clean := range []*CleanOptions{nil, {}, {ASCII: true, To: DialectBiblatex}} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		done := make(chan *Result, 1)
		go func() {
			r, err := Export(lib, cites("big"), ExportOptions{Clean: clean})
			if err != nil {
				t.Error(err)
			}
			done <- r
		}()
		select {
		case r := <-done:
			if got := strings.Count(string(r.Bytes()), "= {v"); got != 200000 {
				t.Errorf("clean=%v: %d fields written, want 200000", clean != nil, got)
			}
		case <-ctx.Done():
			t.Fatalf("clean=%v: export did not finish within the budget", clean != nil)
		}
		cancel()
	}
}
