package ingest

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/bib"
)

// planBoth plans src (read with lib's macros) into lib twice: reading every
// added entry back on its own, and with the parse's problems, which lets
// clean entries skip the read-back. Both plans must be the same.
func planBoth(t *testing.T, libSrc, src string, rekey bool) (slow, fast string) {
	t.Helper()
	var lib *bib.Library
	if libSrc != "" {
		lib = bib.NewLibrary([]*bib.File{bib.Parse("lib.bib", []byte(libSrc), nil)}, bib.LoadOptions{})
	} else {
		lib = bib.NewLibrary(nil, bib.LoadOptions{})
	}
	f := bib.Parse("in.bib", []byte(src), &bib.ParseOptions{Macros: lib.Macros()})
	opts := Options{Strings: f.Strings, Rekey: rekey}
	slow = describe(NewPlan(lib, f.Entries, opts))
	opts.Problems = f.Problems
	if opts.Problems == nil {
		opts.Problems = bib.ErrorList{}
	}
	fast = describe(NewPlan(lib, f.Entries, opts))
	return slow, fast
}

var shortcutSeeds = []struct{ lib, src string }{
	{"", "@article{broken,\n  title = {Unclosed,\n  year = 2020\n\n@article{fine,\n  title = {Fine Work on Things},\n  year = 2021\n}\n"},
	{"", "@misc{a, title={T}} @misc{b, title={U}\n@misc{c, title = x # {y}}\n"},
	{"@string{j = {Journal}}\n", "@string{j = {Other}}\n@article{a, journal = j, title={T}}\n@string{j = {Third}}\n@article{b, journal = j}\n"},
	{"", "@article{a, journal = j, title={T}}\n@string{j = {Later}}\n@misc{m, month = jan}\n@string{jan = {Janvier}}\n@misc{n, month = jan}\n"},
	{"", "@misc{a, title = {x}, title = {y}}\n@misc{bad key, title={z}}\n@misc{, title={e}}\n"},
	{"", "@misc{a,\r\n title = {x\r\n}}\r\n@misc{b, title = {y}"},
	{"", "\ufeff@misc{a, title = {x}}\n@comment{@misc{b, title={c}}}\n@misc{c, note = \"q{\"}\n"},
}

func TestPlanProblemsShortcutSame(t *testing.T) {
	t.Parallel()
	for _, s := range shortcutSeeds {
		for _, rekey := range []bool{false, true} {
			slow, fast := planBoth(t, s.lib, s.src, rekey)
			if slow != fast {
				t.Errorf("lib %q src %q rekey %v:\nread back:\n%s\nshortcut:\n%s", s.lib, s.src, rekey, slow, fast)
			}
		}
	}
}

// TestPlanProblemsShortcutCorpus compares both plans on corpus files,
// including the malformed ones, when the corpus is there.
func TestPlanProblemsShortcutCorpus(t *testing.T) {
	t.Parallel()
	for _, path := range corpusFiles(t, 40) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		slow, fast := planBoth(t, "", string(src), false)
		if slow != fast {
			t.Errorf("%s: the shortcut changes the plan", path)
		}
	}
}

// FuzzPlanProblemsShortcut checks that skipping the read-back of entries
// the whole-file parse read cleanly never changes a plan.
func FuzzPlanProblemsShortcut(f *testing.F) {
	for _, s := range shortcutSeeds {
		f.Add(s.lib, s.src)
	}
	f.Fuzz(func(t *testing.T, libSrc, src string) {
		if len(libSrc)+len(src) > 4096 {
			return
		}
		slow, fast := planBoth(t, libSrc, src, false)
		if slow != fast {
			t.Errorf("read back:\n%s\nshortcut:\n%s", slow, fast)
		}
	})
}

// signatureOld is the signature as first written: the reference that the
// one-buffer signature must match.
func signatureOld(e *bib.Entry) string {
	seen := make(map[string]bool, len(e.Fields))
	fields := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		name := strings.ToLower(f.Name)
		if seen[name] {
			continue
		}
		seen[name] = true
		fields = append(fields, name+"\x00"+strings.Join(strings.Fields(bib.Expand(f.Value)), " "))
	}
	sort.Strings(fields)
	return strings.ToLower(e.Type) + "\x01" + strings.Join(fields, "\x01")
}

func FuzzSignature(f *testing.F) {
	for _, s := range shortcutSeeds {
		f.Add(s.src)
	}
	f.Add("@misc{a, b = { x \t y\n z }, a = {\u00a0u\u2003v w }, B = {dup}}")
	f.Add("@misc{a, f1={1}, f2={2}, f3={3}, f4={4}, f5={5}, f6={6}, f7={7}, f8={8}, f9={9}, f10={10}, f11={11}, f12={12}, f13={13}, f14={14}, f15={15}, f16={16}, f17={17}, f1={x}}")
	f.Fuzz(func(t *testing.T, src string) {
		for _, e := range bib.Parse("in.bib", []byte(src), nil).Entries {
			if got, want := signature(e), signatureOld(e); got != want {
				t.Errorf("signature %q, want %q", got, want)
			}
		}
	})
}

// TestReplaceKeySameKeyNoCopy checks that keeping the key returns the
// entry's bytes as they are: a million-entry import copied each one.
func TestReplaceKeySameKeyNoCopy(t *testing.T) {
	raw := "@misc{k1, title={T}}"
	if got := ReplaceKey(raw, "k1"); got != raw {
		t.Fatalf("ReplaceKey = %q", got)
	}
	if n := testing.AllocsPerRun(10, func() { ReplaceKey(raw, "k1") }); n != 0 {
		t.Errorf("ReplaceKey with the same key allocates %v times, want 0", n)
	}
	if got := ReplaceKey(raw, "k2"); got != "@misc{k2, title={T}}" {
		t.Errorf("ReplaceKey = %q", got)
	}
}
