package cli

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/catalog"
)

// runFlags runs the command made by newCmd on args with a runF that captures
// the options, and returns them and the error.
// usageErrorCase checks a flag-parsing case: when wantErr is set, err must
// be a usage error (*FlagError) with exactly that text, and the case is over
// (true); otherwise err must be nil and the caller goes on to check the
// options (false).
func usageErrorCase(t *testing.T, err error, wantErr string) bool {
	t.Helper()
	if wantErr != "" {
		var fe *FlagError
		if err == nil || err.Error() != wantErr || !errors.As(err, &fe) {
			t.Fatalf("err = %v, want usage error %q", err, wantErr)
		}
		return true
	}
	if err != nil {
		t.Fatal(err)
	}
	return false
}

func runFlags[O any](t *testing.T, newCmd func(*Factory, func(*O) error) *cobra.Command, args string) (*O, error) {
	t.Helper()
	ios, _, _, _ := Test()
	f := NewFactory(ios, nil)
	f.WorkDir = "/work"
	var got *O
	cmd := newCmd(f, func(o *O) error { got = o; return nil })
	cmd.SetArgs(strings.Fields(args))
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{Err: err} })
	err := cmd.Execute()
	return got, err
}

func TestListFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    listOptions
		wantErr string
	}{
		{args: "", want: listOptions{Sort: "key"}},
		{args: "--year 2022 grounding", want: listOptions{Filter: catalog.Filter{YearFrom: 2022, YearTo: 2022, Text: "grounding"}, Sort: "key"}},
		{args: "--year 2020..2023 --author li --type Article --sort year --json", want: listOptions{Filter: catalog.Filter{YearFrom: 2020, YearTo: 2023, Author: "li", Type: "article"}, Sort: "year", JSON: true}},
		{args: "--year 2020..", want: listOptions{Filter: catalog.Filter{YearFrom: 2020}, Sort: "key"}},
		{args: "--year ..2020", want: listOptions{Filter: catalog.Filter{YearTo: 2020}, Sort: "key"}},
		{args: "--tag a --tag b --status read", want: listOptions{Filter: catalog.Filter{Tags: []string{"a", "b"}, Status: "read"}, Sort: "key"}},
		{args: "--has-note", want: listOptions{Filter: catalog.Filter{HasNote: ptr(true)}, Sort: "key"}},
		{args: "--no-note", want: listOptions{Filter: catalog.Filter{HasNote: ptr(false)}, Sort: "key"}},
		{args: "--status done", wantErr: `--status must be one of toread, reading, read, not "done"`},
		{args: "--has-note --no-note", wantErr: "--has-note and --no-note exclude each other"},
		{args: "--no-note --tag x", wantErr: "--no-note cannot go with --status or --tag, which look at the note"},
		{args: "--year 2023..2020", wantErr: `--year: "2023..2020" is an empty range`},
		{args: "--year ..", wantErr: `--year: ".." is not a year or a range A..B`},
		{args: "--sort color", wantErr: `--sort must be one of key, year, title, author, not "color"`},
		{args: "a b", wantErr: "accepts at most 1 arg(s), received 2"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			got, err := runFlags(t, newCmdList, tt.args)
			if usageErrorCase(t, err, tt.wantErr) {
				return
			}
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(listOptions{}, "IO", "Library", "NoteMetas", "DisplayPath")); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckFlags(t *testing.T) {
	got, err := runFlags(t, newCmdCheck, "--json a.bib b.bib")
	if err != nil {
		t.Fatal(err)
	}
	if !got.JSON || !cmp.Equal(got.Files, []string{"a.bib", "b.bib"}) {
		t.Errorf("got %+v", got)
	}
	if _, err := runFlags(t, newCmdCheck, "--jsn"); err == nil || !strings.Contains(err.Error(), "unknown flag: --jsn") {
		t.Errorf("err = %v", err)
	}
}

func TestShowFlags(t *testing.T) {
	got, err := runFlags(t, newCmdShow, "li2023blip --json")
	if err != nil || got.Key != "li2023blip" || !got.JSON {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := runFlags(t, newCmdShow, "a b"); err == nil || err.Error() != "accepts 1 arg(s), received 2" {
		t.Errorf("err = %v", err)
	}
}

func TestInitFlags(t *testing.T) {
	for args, want := range map[string]string{
		"":            "/work",
		"papers":      "/work/papers",
		"/abs/papers": "/abs/papers",
		"a/../b":      "/work/b",
	} {
		got, err := runFlags(t, newCmdInit, args)
		if err != nil {
			t.Fatal(err)
		}
		if got.Dir != filepath.FromSlash(want) {
			t.Errorf("init %s: Dir = %q, want %q", args, got.Dir, want)
		}
	}
}

func ptr[T any](v T) *T { return &v }
