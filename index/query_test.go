package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// dump renders a query tree for tests.
func dump(n node) string {
	switch n := n.(type) {
	case nil:
		return "<empty>"
	case *andNode:
		return "AND(" + dumpAll(n.kids) + ")"
	case *orNode:
		return "OR(" + dumpAll(n.kids) + ")"
	case *notNode:
		return "NOT(" + dump(n.kid) + ")"
	case *termNode:
		s := n.text
		if n.phrase {
			s = `"` + s + `"`
		}
		if n.field != "" {
			s = n.field + ":" + s
		}
		return s
	case *yearNode:
		return "year:" + n.years.String()
	case *tagNode:
		return "tag:" + n.tag
	case *statusNode:
		return "status:" + n.status
	}
	return fmt.Sprintf("%T", n)
}

func dumpAll(ns []node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = dump(n)
	}
	return strings.Join(parts, " ")
}

func TestParseQuery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ give, want string }{
		{"", "<empty>"},
		{"   ", "<empty>"},
		{"开放词汇", "开放词汇"},
		{"a b", "AND(a b)"},
		{"a AND b", "AND(a b)"},
		{"a b OR c", "AND(a OR(b c))"},
		{"(a b) OR c", "OR(AND(a b) c)"},
		{`"open vocabulary" -sam`, `AND("open vocabulary" NOT(sam))`},
		{"NOT a b", "AND(NOT(a) b)"},
		{"--a", "a"},
		{"a -", "a"},
		{"a-b", "a-b"},
		{"a - b", "AND(a b)"},
		{"relevance:SAM", "relevance:SAM"},
		{`Title:"Grounded language"`, `title:"Grounded language"`},
		{"author:li year:2022..2023", "AND(author:li year:2022..2023)"},
		{"year:2022 year:..2019 year:2020..", "AND(year:2022 year:..2019 year:2020..)"},
		{"tag:VLM status:Read", "AND(tag:vlm status:read)"},
		{"实验结果:检测", "实验结果:检测"},
		{"http://x.org", "http://x.org"},
		{"title:OR", "title:OR"},
		{"-(a OR b) c", "AND(NOT(OR(a b)) c)"},
		{`segment -"segment object"`, `AND(segment NOT("segment object"))`},
		{"10:30", "10:30"},
	} {
		t.Run(tc.give, func(t *testing.T) {
			q, err := ParseQuery(tc.give)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tc.give, err)
			}
			if got := dump(q.root); got != tc.want {
				t.Errorf("ParseQuery(%q) = %s, want %s", tc.give, got, tc.want)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ give, want string }{
		{`foo "bar`, "query:1:5: unclosed quote"},
		{`开放 "词汇`, "query:1:4: unclosed quote"},
		{"(a b", `query:1:1: unclosed "("`},
		{"a b)", `query:1:4: unexpected ")"`},
		{"()", "query:1:1: empty group"},
		{"OR a", "query:1:1: OR needs a term on both sides"},
		{"a OR", "query:1:3: OR needs a term on both sides"},
		{"a AND", "query:1:3: AND needs a term on both sides"},
		{"title:", `query:1:6: missing value after "title:"`},
		{"title: x", `query:1:6: missing value after "title:"`},
		{"year:20x", `query:1:6: bad year "20x" (want 2022 or 2022..2023)`},
		{"year:2023..2020", `query:1:6: year range "2023..2020" runs backwards`},
		{"year:..", `query:1:6: bad year range ".." (want 2022..2023)`},
		{`"。"`, `query:1:1: "。" has nothing to search for`},
		{"relevance:。", `query:1:11: "。" has nothing to search for`},
		{"tag:(x)", `query:1:4: missing value after "tag:"`},
		{"NOT", "query:1:1: NOT needs a term after it"},
		{strings.Repeat("(", 40) + "a" + strings.Repeat(")", 40), "query:1:33: query nests too deeply"},
		{strings.Repeat("a ", 65), "query:1:129: too many terms (at most 64)"},
		{"a\xffb", "query:1:1: query is not valid UTF-8"},
	} {
		t.Run(tc.give, func(t *testing.T) {
			_, err := ParseQuery(tc.give)
			if err == nil {
				t.Fatalf("ParseQuery(%q): no error, want %s", tc.give, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("ParseQuery(%q):\n got %s\nwant %s", tc.give, err, tc.want)
			}
			var qe *Error
			if !errors.As(err, &qe) || !errors.Is(err, ErrSyntax) {
				t.Errorf("error %v is not an *Error wrapping ErrSyntax", err)
			}
		})
	}
}

func TestParseYears(t *testing.T) {
	t.Parallel()
	for give, want := range map[string]YearRange{"2022": {2022, 2022}, "2020..2022": {2020, 2022}, "..2019": {0, 2019}, "2021..": {2021, 0}} {
		got, err := ParseYears(give)
		if err != nil || got != want {
			t.Errorf("ParseYears(%q) = %v, %v; want %v", give, got, err, want)
		}
	}
}

// memIndex returns an empty index in memory, with the schema, for checking
// that compiled statements are valid SQL.
func memIndex(t testing.TB) *Index {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		t.Fatal(err)
	}
	// One row so that FTS5 parses and runs every MATCH expression.
	id := rowID(1, classOther, 0)
	for _, q := range []string{
		`INSERT INTO keys(id, key) VALUES (1, 'k')`,
		fmt.Sprintf(`INSERT INTO sections(id, file, section, heading, line) VALUES (%d, 'notes/k.md', 'relevance', '', 3)`, id),
		fmt.Sprintf(`INSERT INTO texts(id, text) VALUES (%d, 'a 检测')`, id),
		fmt.Sprintf(`INSERT INTO fts(rowid, sect, heading, body) VALUES (%d, '%s', '', 'a 检测 测')`, id, sectToken("relevance")),
		`INSERT INTO notes(file, kid, title, status, read, added) VALUES ('notes/k.md', 1, 'A', 'read', '', '')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { db.Close() })
	return &Index{db: db}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"开放词汇", `"open vocabulary" -sam OR (a b)`, "relevance:SAM year:2022..2023 tag:x",
		`title:"a""b"`, `author:"张 三" status:read`, "检", "-(-a)", `"`, "a:b:c", "\x00", `"*" ^ NEAR(a b)`, "a OR OR b"} {
		f.Add(s)
	}
	ix := memIndex(f)
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q): error %v is not an *Error", s, err)
			}
			if qe.Pos.Line != 1 || qe.Pos.Column < 1 || qe.Pos.Column > utf8.RuneCountInString(s)+1 {
				t.Fatalf("ParseQuery(%q): position %v out of range", s, qe.Pos)
			}
			return
		}
		if q.Empty() {
			return
		}
		// Every accepted query runs: each MATCH expression and statement is
		// accepted by SQLite.
		for _, f := range []Filters{{Section: "relevance"}, {}} {
			_, err := ix.Search(context.Background(), q, SearchOptions{Filters: f})
			var qe *Error
			if errors.Is(err, ErrUnknownSection) && errors.As(err, &qe) {
				continue // a field naming no section: reported, not run
			}
			if err != nil {
				t.Fatalf("Search(%q): %v", s, err)
			}
		}
	})
}
