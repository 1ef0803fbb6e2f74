package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/index"
)

func TestSearchFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    index.SearchOptions
		query   string
		json    bool
		wantErr string
	}{
		{args: []string{"开放词汇"}, query: "开放词汇", want: index.SearchOptions{Limit: 20}},
		{args: []string{"--section", "relevance", "SAM"}, query: "SAM", want: index.SearchOptions{Limit: 20, Filters: index.Filters{Section: "relevance"}}},
		{args: []string{"--tag", "vlm", "--year", "2022..2023", "--author", "Li", "--status", "read", "--limit", "0", "--json"},
			want: index.SearchOptions{Limit: -1, Filters: index.Filters{Tag: "vlm", Author: "Li", Status: "read", Years: index.YearRange{From: 2022, To: 2023}}}, json: true},
		{args: []string{"-n", "5", "a b"}, query: "a b", want: index.SearchOptions{Limit: 5}},
		{args: []string{`foo "bar`}, wantErr: "query:1:5: unclosed quote"},
		{args: []string{"--year", "20x", "a"}, wantErr: `--year: bad year "20x" (want 2022 or 2022..2023)`},
		{args: []string{"--limit", "-1", "a"}, wantErr: "--limit must be 0 (no limit) or more, not -1"},
		{args: []string{}, wantErr: "give a query or a filter (--tag, --year, --author, --status)"},
		{args: []string{"a", "b"}, wantErr: "accepts at most 1 arg(s), received 2"},
	}
	for _, tt := range tests {
		t.Run(tt.wantErr+tt.query, func(t *testing.T) {
			ios, _, _, _ := Test()
			f := NewFactory(ios, nil)
			var got *searchOptions
			cmd := newCmdSearch(f, func(o *searchOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if usageErrorCase(t, err, tt.wantErr) {
				return
			}
			if got.Search != tt.want || got.Query.String() != tt.query || got.JSON != tt.json {
				t.Errorf("got %+v %q json=%v, want %+v %q json=%v", got.Search, got.Query, got.JSON, tt.want, tt.query, tt.json)
			}
		})
	}
}

func TestSearchRun(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	note := "---\nkey: a2022\n---\n\n## Relevance\n\nWe could use SAM.\n"
	if err := os.WriteFile(filepath.Join(dir, "notes", "a.md"), []byte(note), 0o644); err != nil {
		t.Fatal(err)
	}
	src := index.Sources{Root: dir, NotesDir: filepath.Join(dir, "notes")}
	q, err := index.ParseQuery("sam")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		tty  bool
		json bool
		want string
	}{
		{"plain", false, false, "a2022  ----\n    notes/a.md:7:14 [relevance] We could use **SAM**.\n"},
		{"tty", true, false, "\x1b[1ma2022\x1b[0m  ----\n    \x1b[36mnotes/a.md:7:14\x1b[0m [relevance] We could use \x1b[1;33mSAM\x1b[0m.\n"},
		{"json", false, true, `"snippet": "We could use **SAM**."`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := Test()
			ios.OutTTY = tt.tty
			opts := &searchOptions{
				IO:          ios,
				Index:       func() (*index.Index, error) { return index.Open(filepath.Join(t.TempDir(), "index.db")) },
				Sources:     func() (index.Sources, error) { return src, nil },
				DisplayPath: func(p string) string { r, _ := filepath.Rel(dir, p); return r },
				Query:       q,
				Search:      index.SearchOptions{Limit: -1},
				JSON:        tt.json,
			}
			if err := searchRun(opts); err != nil {
				t.Fatal(err)
			}
			if tt.json {
				if !strings.Contains(out.String(), tt.want) {
					t.Errorf("output %q lacks %q", out, tt.want)
				}
				return
			}
			if out.String() != tt.want {
				t.Errorf("output\n got %q\nwant %q", out, tt.want)
			}
		})
	}
}
