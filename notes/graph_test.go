package notes_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/papernotes/papernotes/notes"
)

func TestCiteEdges(t *testing.T) {
	t.Parallel()
	parse := func(name, src string) *notes.Note {
		n, _ := notes.Parse(name, []byte(src), notes.Options{}) // nokey.md has a problem, and a note
		if n == nil {
			t.Fatalf("parse %s: no note", name)
		}
		return n
	}
	ns := []*notes.Note{
		parse("b.md", "---\nkey: b\ntags: [vision]\nread: 2025-11-18\n---\n# B\n\nSee [@a; @c] and [@a] and [@b].\n"),
		parse("a.md", "---\nkey: a\ntags: [nlp]\nread: 2025-11-01\n---\n# A\n\nBuilds on [@c].\n"),
		parse("nokey.md", "# none\n\n[@a]\n"),
		parse("d.md", "---\nkey: d\ntags: [vision]\n---\n# D\n\n[@b]\n"),
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name string
		f    notes.GraphFilter
		want []notes.Edge
	}{
		{"all", notes.GraphFilter{}, []notes.Edge{{"a", "c"}, {"b", "a"}, {"b", "c"}, {"d", "b"}}},
		{"tag", notes.GraphFilter{Tag: "vision"}, []notes.Edge{{"b", "a"}, {"b", "c"}, {"d", "b"}}},
		{"week", notes.GraphFilter{From: day("2025-11-13"), To: day("2025-11-19")}, []notes.Edge{{"b", "a"}, {"b", "c"}}},
		{"tag-and-week", notes.GraphFilter{Tag: "nlp", From: day("2025-11-13"), To: day("2025-11-19")}, nil},
		{"open-end", notes.GraphFilter{To: day("2025-11-02")}, []notes.Edge{{"a", "c"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := notes.CiteEdges(ns, tt.f)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CiteEdges (-want +got):\n%s", diff)
			}
		})
	}
}
