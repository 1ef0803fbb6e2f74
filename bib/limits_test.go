package bib

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// withBudget runs fn and fails the test when it has not returned before a
// generous deadline: a pathological input must not hang (the figure is a
// budget for a loaded machine, not a speed measurement).
func withBudget(t *testing.T, budget time.Duration, fn func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("did not finish within %v", budget)
	}
}

// doublingChain is n @string levels, each the previous one twice: level n
// expands to 2^n bytes.
func doublingChain(n int) string {
	var b strings.Builder
	b.WriteString("@string{a0 = {x}}\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "@string{a%d = a%d # a%d}\n", i, i-1, i-1)
	}
	return b.String()
}

// fieldNames names e's fields (printing the values could expand them).
func fieldNames(e *Entry) []string {
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Name)
	}
	return out
}

func tooLarge(f *File) ErrorList {
	var out ErrorList
	for _, p := range f.Problems {
		if errors.Is(p, ErrTooLarge) {
			out = append(out, p)
		}
	}
	return out
}

func TestExpansionLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		// want are the first too-large problems, in order.
		want []string
		// fields are the expected expanded lengths of entry k's fields.
		fields map[string]int
	}{
		{
			name:   "under-limit",
			src:    doublingChain(20) + "@misc{k, title = a20}\n",
			fields: map[string]int{"title": 1 << 20},
		},
		{
			name: "doubling-28",
			src:  doublingChain(28) + "@misc{k, title = a28, year = 2020}\n",
			want: []string{
				"t.bib:22:1: too large: @string a21 expands to more than 1048576 bytes (1 MiB); it expands to nothing",
			},
			// a22..a28 use a21, which expands to nothing: so does title.
			fields: map[string]int{"title": 0, "year": 4},
		},
		{
			name: "doubling-60",
			src:  doublingChain(60) + "@misc{k, title = a60 # a60, year = 2020}\n",
			want: []string{
				"t.bib:22:1: too large: @string a21 expands to more than 1048576 bytes (1 MiB); it expands to nothing",
			},
			fields: map[string]int{"title": 0, "year": 4},
		},
		{
			name: "field-over-limit",
			src:  doublingChain(20) + "@misc{k,\n  title = a20 # a20,\n  year = 2020}\n",
			want: []string{
				"t.bib:23:3: too large: field title expands to more than 1048576 bytes (1 MiB); field ignored",
			},
			fields: map[string]int{"year": 4},
		},
		{
			// Empty macros doubled: nothing to expand, but 2^60 parts to visit.
			name: "doubling-empty",
			src:  strings.Replace(doublingChain(60), "a0 = {x}", "a0 = {}", 1) + "@misc{k, title = a60, year = 2020}\n",
			want: []string{
				"t.bib:22:1: too large: @string a21 expands through more than 1048576 parts; it expands to nothing",
			},
			fields: map[string]int{"title": 0, "year": 4},
		},
		{
			name: "deep-chain",
			src: func() string {
				var b strings.Builder
				b.WriteString("@string{m0 = {x}}\n")
				for i := 1; i <= 100000; i++ {
					fmt.Fprintf(&b, "@string{m%d = m%d}\n", i, i-1)
				}
				return b.String() + "@misc{k, title = m100000, note = m10}\n"
			}(),
			want: []string{
				"t.bib:66:1: too large: @string m65 macros nest more than 64 levels deep; it expands to nothing",
			},
			// Every 65th macro of the chain is cut: m65, m130, ...
			fields: map[string]int{"title": 0, "note": 1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f *File
			withBudget(t, 20*time.Second, func() { f = Parse("t.bib", []byte(tc.src), nil) })
			got := tooLarge(f)
			if len(tc.want) == 0 && len(got) > 0 {
				t.Fatalf("unexpected problems:\n%v", got)
			}
			for i, w := range tc.want {
				if i >= len(got) || got[i].Error() != w {
					t.Fatalf("problem %d:\n got %v\nwant %s\nall:\n%v", i, got[min(i, len(got)-1)], w, got)
				}
			}
			if len(f.Entries) != 1 {
				t.Fatalf("entries: %d", len(f.Entries))
			}
			e := f.Entries[0]
			if len(e.Fields) != len(tc.fields) {
				t.Errorf("fields: %v, want %v", fieldNames(e), tc.fields)
			}
			for name, n := range tc.fields {
				if got := len(e.Get(name)); got != n {
					t.Errorf("%s expands to %d bytes, want %d", name, got, n)
				}
			}
		})
	}
}

// TestExpansionLimitsChunks: a chain split across the chunks of a big file
// is joined when the chunks are merged, and still capped.
func TestExpansionLimitsChunks(t *testing.T) {
	src := doublingChain(40) + strings.Repeat("@misc{pad, title = {padding}}\n", 4000) +
		"@string{b = a40 # a40}\n@misc{k, title = b, year = 2020}\n"
	for _, n := range []int{1, 4} {
		var f *File
		withBudget(t, 20*time.Second, func() { f = parse("t.bib", []byte(src), nil, n) })
		if len(tooLarge(f)) == 0 {
			t.Fatalf("chunks=%d: no too-large problem", n)
		}
		last := f.Entries[len(f.Entries)-1]
		if !last.Has("title") || last.Get("title") != "" || last.Get("year") != "2020" {
			t.Errorf("chunks=%d: fields %v", n, fieldNames(last))
		}
	}
}

// TestExpansionLimitsAcrossFiles: macros of one file used by the next are
// measured once they are resolved (Load, Resolve).
func TestExpansionLimitsAcrossFiles(t *testing.T) {
	// a.bib's chain stays under the limits; b.bib doubles it past them
	// through macros a.bib defines, which b.bib sees only when loaded after it.
	a := Parse("a.bib", []byte(doublingChain(19)), nil)
	var b strings.Builder
	b.WriteString("@string{c1 = a19 # a19}\n")
	for i := 2; i <= 18; i++ {
		fmt.Fprintf(&b, "@string{c%d = c%d # c%d}\n", i, i-1, i-1)
	}
	b.WriteString("@misc{k, title = c18, year = 2020}\n")
	bf := Parse("b.bib", []byte(b.String()), nil)
	if n := len(tooLarge(bf)); n != 0 {
		t.Fatalf("b.bib alone: %d too-large problems", n)
	}
	var lib *Library
	withBudget(t, 20*time.Second, func() { lib = NewLibrary([]*File{a, bf}, LoadOptions{}) })
	var got []string
	for _, p := range lib.Problems() {
		if errors.Is(p, ErrTooLarge) {
			got = append(got, p.Error())
		}
	}
	want := "b.bib:2:1: too large: @string c2 expands to more than 1048576 bytes (1 MiB); it expands to nothing"
	if len(got) == 0 || got[0] != want {
		t.Fatalf("got %q, want first %q", got, want)
	}
	e, _ := lib.Lookup("k")
	if !e.Has("title") || e.Get("title") != "" || e.Get("year") != "2020" {
		t.Errorf("fields %v", fieldNames(e))
	}
}

// TestExpansionBudget: many fields each under the limit, together over the
// file's budget.
func TestExpansionBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(doublingChain(20))
	for i := range 100 {
		fmt.Fprintf(&b, "@misc{k%d, title = a20}\n", i)
	}
	var f *File
	withBudget(t, 20*time.Second, func() { f = Parse("t.bib", []byte(b.String()), nil) })
	got := tooLarge(f)
	if len(got) == 0 {
		t.Fatal("no too-large problem")
	}
	if !strings.Contains(got[0].Error(), "the file's macros expand to more than") {
		t.Errorf("got %v", got[0])
	}
	kept := 0
	for _, e := range f.Entries {
		if e.Has("title") {
			kept++
		}
	}
	// Each title costs its 2^20 bytes plus its 2^20 parts.
	if budget := expansionBudgetBase + expansionBudgetFactor*len(b.String()); kept != budget/(2<<20) {
		t.Errorf("%d titles kept, want %d", kept, budget/(2<<20))
	}
}

func BenchmarkExpansionLimits(b *testing.B) {
	src := []byte(doublingChain(60) + "@misc{k, title = a60}\n")
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Parse("t.bib", src, nil)
	}
}

func TestFileTooLarge(t *testing.T) {
	defer func(n int) { maxFileBytes = n }(maxFileBytes)
	maxFileBytes = 40
	src := "@misc{a, title = {A}}\n@misc{b, title = {B}}\n"
	f := Parse("big.bib", []byte(src), nil)
	if len(f.Entries) != 0 || len(f.Problems) != 1 || !errors.Is(f.Problems[0], ErrTooLarge) || f.Problems[0].Pos.Line != 1 {
		t.Fatalf("a file over the limit: %d entries, problems %v", len(f.Entries), f.Problems)
	}
	maxFileBytes = len(src)
	if f := Parse("ok.bib", []byte(src), nil); len(f.Entries) != 2 || len(f.Problems) != 0 {
		t.Fatalf("a file at the limit: %d entries, problems %v", len(f.Entries), f.Problems)
	}
}
