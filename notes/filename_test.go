package notes

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/papernotes/papernotes/internal/safefile"
)

func TestFileName(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"li2023blip", "li2023blip.md"},
		{"张三2024深度", "张三2024深度.md"},
		{"a.b-c_d+e", "a.b-c_d+e.md"},
	} {
		if got := FileName(tc.key); got != tc.want {
			t.Errorf("FileName(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
	// Rewritten keys keep a readable prefix and get a hash suffix.
	for key, prefix := range map[string]string{
		"DBLP:conf/cvpr/LiZZ22": "DBLP_conf_cvpr_LiZZ22-",
		"../../x":               "_._.._x-",
		"a\\b":                  "a_b-",
		"nul\x00byte":           "nul_byte-",
		".hidden":               "_hidden-",
		"CON":                   "_CON-",
		"aux.2020":              "_aux.2020-",
		"trailing.":             "trailing_-",
		"Li2023":                "Li2023-",
		"":                      "-",
	} {
		got := FileName(key)
		if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, ".md") {
			t.Errorf("FileName(%q) = %q, want prefix %q", key, got, prefix)
		}
		checkSafeName(t, key, got)
	}
	long := strings.Repeat("长", 200)
	checkSafeName(t, long, FileName(long))
	if a, b := FileName("a:b"), FileName("a/b"); a == b {
		t.Errorf("a:b and a/b collide: %s", a)
	}
	if a, b := FileName("a_b"), FileName("a:b"); a == b {
		t.Errorf("a_b and a:b collide: %s", a)
	}
	if a := FileName(strings.TrimSuffix(FileName("a:b"), ".md")); a == FileName("a:b") {
		t.Errorf("a key shaped like a hashed name collides: %s", a)
	}
}

func checkSafeName(t *testing.T, key, name string) {
	t.Helper()
	if !utf8.ValidString(name) || len(name) > 200 {
		t.Errorf("FileName(%q) = %q: invalid UTF-8 or too long", key, name)
	}
	if strings.ContainsAny(name, "/\\:\x00*?\"<>|") || strings.HasPrefix(name, ".") || name != filepath.Base(name) {
		t.Errorf("FileName(%q) = %q: unsafe", key, name)
	}
	root := t.TempDir()
	p, err := safefile.Within(filepath.Join(root, "notes"), name)
	if err != nil || filepath.Dir(p) != filepath.Join(root, "notes") {
		t.Errorf("FileName(%q) = %q escapes notes/: %v", key, name, err)
	}
}

// FuzzFileName proves no key escapes the notes folder and that distinct
// keys seen together never share a name.
func FuzzFileName(f *testing.F) {
	for _, s := range []string{"li2023blip", "../../x", "DBLP:conf/cvpr/LiZZ22", "CON", ".", "..", "张三", "a\x00b", "\xff"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		na, nb := FileName(a), FileName(b)
		if a != b && na == nb {
			t.Fatalf("%q and %q both map to %q", a, b, na)
		}
		if strings.ContainsAny(na, "/\\:\x00") || strings.HasPrefix(na, ".") || len(na) > 200 || !utf8.ValidString(na) {
			t.Fatalf("FileName(%q) = %q is unsafe", a, na)
		}
		if _, err := safefile.Within("/notes", na); err != nil {
			t.Fatalf("FileName(%q) = %q escapes: %v", a, na, err)
		}
	})
}
