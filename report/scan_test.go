package report

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/papernotes/papernotes/notes"
)

func TestFrontMatterRead(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		src   string
		want  string // "" for the zero time
		known bool
	}{
		{"plain", "---\nkey: a\nread: 2025-11-19\n---\n", "2025-11-19", true},
		{"quoted and commented", "---\nread: \"2025-11-19\" # Wednesday\n---\n", "2025-11-19", true},
		{"crlf and bom", "\xef\xbb\xbf---\r\nread: 2025-11-19\r\n---\r\n", "2025-11-19", true},
		{"no read", "---\nkey: a\n---\nread: 2025-11-19\n", "", true},
		{"no front matter", "# Title\nread: 2025-11-19\n", "", true},
		{"timestamp is left to the parser", "---\nread: 2025-11-19T23:00:00-05:00\n---\n", "", false},
		{"block value", "---\nread:\n  2025-11-19\n---\n", "", false},
		{"unclosed", "---\nkey: a\n", "", false},
		{"nested read is not top level", "---\nmeta:\n  read: 2025-11-19\n---\n", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, known := frontMatterRead([]byte(tc.src))
			s := ""
			if !got.IsZero() {
				s = got.Format(time.DateOnly)
			}
			if s != tc.want || known != tc.known {
				t.Errorf("frontMatterRead = %q, %v; want %q, %v", s, known, tc.want, tc.known)
			}
		})
	}
}

func TestCandidates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("in.md", "---\nread: 2025-11-13\n---\n")
	write("sub/in2.md", "---\nread: 2025-11-19\n---\n")
	write("out.md", "---\nread: 2025-11-20\n---\n")
	write("unread.md", "---\nstatus: toread\n---\n")
	write("odd.md", "---\nread: 2025-11-19T08:00:00Z\n---\n")
	write(".hidden/in.md", "---\nread: 2025-11-19\n---\n")
	write("in.txt", "---\nread: 2025-11-19\n---\n")
	got, err := Candidates(dir, WeekEnding(date(t, "2025-11-19")))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "in.md"), filepath.Join(dir, "odd.md"), filepath.Join(dir, "sub/in2.md")}
	if len(got) != len(want) {
		t.Fatalf("Candidates = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Candidates[%d] = %q, want %q", i, got[i], want[i])
		}
	}
	if _, err := Candidates(filepath.Join(dir, "missing"), WeekEnding(date(t, "2025-11-19"))); err == nil {
		t.Error("Candidates on a missing folder succeeded")
	}
}

// FuzzFrontMatterKey: the cheap key scan never disagrees with the parser:
// when it finds a key in a note that parses, it is the note's key.
func FuzzFrontMatterKey(f *testing.F) {
	f.Add([]byte("---\nkey: li2023blip\nread: 2025-11-14\n---\n# T\n"))
	f.Add([]byte("---\nkey: \"a b\" # c\n---\n"))
	f.Add([]byte("\ufeff---\r\nkey: 'x'\r\n---\r\n"))
	f.Add([]byte("---\nkey: |\n  x\n---\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		k := frontMatterKey(src)
		n, err := notes.Parse("a.md", src, notes.Options{})
		if err != nil || k == "" {
			return
		}
		if k != n.Key {
			t.Fatalf("frontMatterKey(%q) = %q, Parse says %q", src, k, n.Key)
		}
	})
}
