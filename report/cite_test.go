package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/papernotes/papernotes/notes"
)

func testResolver() *resolver {
	return &resolver{notes: map[string]*notes.Note{
		"a":     {Key: "a", Title: "Paper [A]"},
		"b2023": {Key: "b2023", Title: "Paper B"},
		"张2024": {Key: "张2024", Title: "论文"},
	}}
}

func TestRewrite(t *testing.T) {
	t.Parallel()
	r := testResolver()
	for _, tc := range []struct{ in, want string }{
		{"see [@a].", `see Paper \[A\] [a].`},
		{"[@a; @b2023, p. 3]", `Paper \[A\] [a]; Paper B [b2023, p. 3]`},
		{"[-@a]", `Paper \[A\] [a]`},
		{"[see @a, ch. 2]", `see Paper \[A\] [a, ch. 2]`},
		{`\citep[p. 1]{a, b2023}`, `Paper \[A\] [a]; Paper B [b2023, p. 1]`},
		{`\cite{a}`, `Paper \[A\] [a]`},
		{"[[b2023]] and [[a|alias]]", "Paper B [b2023] and Paper \\[A\\] [a]"},
		{"中文 [@张2024]。", "中文 论文 [张2024]。"},
		{"[@unknown] stays", "[@unknown] stays"},
		{"[@a; @unknown] stays whole", "[@a; @unknown] stays whole"},
		{"mail me@a.com [x@a]", "mail me@a.com [x@a]"},
		{"`[@a]` and $[@a]$ and \\[@a]", "`[@a]` and $[@a]$ and \\[@a]"},
		{"```\n[@a]\n```\n[@a]", "```\n[@a]\n```\nPaper \\[A\\] [a]"},
		{"$$\n[@a]\n$$", "$$\n[@a]\n$$"},
		{"# H1\n\n## H2\n\ntext", "##### H1\n\n###### H2\n\ntext"},
		{"###### deep", "###### deep"},
		{"#hashtag is not a heading", "#hashtag is not a heading"},
		{"[link](http://x) [@", "[link](http://x) [@"},
	} {
		if got := r.rewrite(tc.in); got != tc.want {
			t.Errorf("rewrite(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func FuzzRewrite(f *testing.F) {
	for _, s := range []string{"[@a; @b2023, p. 3]", `\citep[x][y]{a,b2023}`, "[[a|b]]", "```\n[@a]\n```", "$$\n$x$\n$$", "# h\n[@张2024]", "`` [@a] ``", "[@"} {
		f.Add(s)
	}
	r := testResolver()
	f.Fuzz(func(t *testing.T, s string) {
		out := r.rewrite(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("rewrite(%q) = %q: invalid UTF-8", s, out)
		}
		if !strings.Contains(s, "@") && !strings.Contains(s, "\\c") && !strings.Contains(s, "[[") && !strings.Contains(s, "#") && strings.TrimSpace(s) != out {
			t.Errorf("rewrite(%q) = %q changed text without citations or headings", s, out)
		}
	})
}
