package bib

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The tests in this file check the generated tables and the functions of
// compose.go against golang.org/x/text/unicode/norm, which bib's tests (but
// not bib itself) may import.

// isNFC reports whether s is in Normalization Form C.
func isNFC(s string) bool { return norm.NFC.IsNormalString(s) }

func skipOtherUnicode(t *testing.T) {
	t.Helper()
	if norm.Version != unicodeVersion {
		t.Skipf("x/text has Unicode %s, the tables %s: run go generate ./bib", norm.Version, unicodeVersion)
	}
}

// TestComposeEveryRune checks every rune alone against NFC and NFD.
func TestComposeEveryRune(t *testing.T) {
	t.Parallel()
	skipOtherUnicode(t)
	bad := 0
	for r := rune(0); r <= utf8.MaxRune && bad < 10; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		if got, want := composeString(s), norm.NFC.String(s); got != want {
			t.Errorf("composeString(%+q) = %+q, want %+q", s, got, want)
			bad++
		}
		if got, want := string(decomposeString(s)), norm.NFD.String(s); got != want {
			t.Errorf("decomposeString(%+q) = %+q, want %+q", s, got, want)
			bad++
		}
		base, marks := decompose(r)
		if got, want := string(append([]rune{base}, marks...)), norm.NFD.String(s); got != want {
			t.Errorf("decompose(%U) = %+q, want %+q", r, got, want)
			bad++
		}
		if got, want := combiningClass(r), norm.NFC.PropertiesString(s).CCC(); got != want {
			t.Errorf("combiningClass(%U) = %d, want %d", r, got, want)
			bad++
		}
	}
}

// TestComposePairs checks compose on every base up to U+2FFF (Latin, Greek,
// Cyrillic and more) with every mark U+0300..U+036F, and the Hangul jamo.
func TestComposePairs(t *testing.T) {
	t.Parallel()
	skipOtherUnicode(t)
	check := func(base, mark rune) {
		t.Helper()
		got, ok := compose(base, mark)
		b, m := string(base), string(mark)
		if norm.NFC.String(b) != b || norm.NFD.String(m) != m {
			// NFC decomposes base or mark first: compose is not asked.
			if ok {
				t.Fatalf("compose(%U, %U) = %U, want none", base, mark, got)
			}
			return
		}
		// The pair composes when NFC makes one rune of it whose
		// decomposition is that of base followed by mark.
		want := []rune(norm.NFC.String(b + m))
		wantOK := len(want) == 1 && norm.NFD.String(string(want)) == norm.NFD.String(b)+m
		if ok != wantOK || ok && got != want[0] {
			t.Fatalf("compose(%U, %U) = %U, %t; NFC gives %+q", base, mark, got, ok, string(want))
		}
	}
	n := 0
	for base := rune(0); base <= 0x2FFF; base++ {
		for mark := rune(0x300); mark <= 0x36F; mark++ {
			check(base, mark)
			n++
		}
	}
	for l := rune(0x1100); l < 0x1113; l++ {
		for v := rune(0x1161); v < 0x1176; v++ {
			check(l, v)
		}
	}
	for s := rune(0xAC00); s <= 0xD7A3; s += 97 {
		for tr := rune(0x11A7); tr < 0x11C3; tr++ {
			check(s, tr)
		}
	}
	if n < len(compositions) {
		t.Errorf("checked %d pairs, fewer than the %d compositions", n, len(compositions))
	}
	for _, c := range compositions {
		check(c.a, c.b)
	}
}

// TestComposeStringRandom checks composeString and decomposeString against
// norm on random text made of letters, precomposed letters, marks of
// several classes, characters that NFC replaces and Hangul, including runs
// of more than 30 marks.
func TestComposeStringRandom(t *testing.T) {
	t.Parallel()
	skipOtherUnicode(t)
	pool := []rune("aeiouAEOnszcgkIJ .-'{}0ıøßåéöçñǿệḗἀᾂӝЙйёΩΆᾷ张\u0300\u0301\u0302\u0303\u0304" +
		"\u0306\u0307\u0308\u030a\u030b\u030c\u0313\u0314\u031b\u0323\u0327\u0328\u0331\u0338\u0340\u0341" +
		"\u0342\u0343\u0344\u0345\u034f\u0361\u0591\u05b0\u05bc\u0653\u0654\u093c\u0b47\u0b3e\u0f71\u0f72\u0f73" +
		"\u1100\u1161\u11a8\u1112\u1175\u11c2\uac00\uac01\ud7a3\u212b\u2126\u0374\uf900\u2000\u3099\u309a" +
		"\u304b\u00a8\u00b4\uff9e\u1fc1\u0385\u0b3e\u0cc2\u1175\u11a8\uac01\u1e0a\u1e0c\u2260\u226e\U0001d15e\U0001d165\U0001d16e\U0002f800")
	marks := []rune("\u0300\u0301\u0323\u0327\u0344\u0345\u05b0\u3099\u0f73\uff9e\u0b3e\u1175")
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 4000
	}
	for range n {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteRune(pool[rng.IntN(len(pool))])
			if rng.IntN(40) == 0 {
				for range 20 + rng.IntN(50) {
					b.WriteRune(marks[rng.IntN(len(marks))])
				}
			}
		}
		s := b.String()
		if got, want := composeString(s), norm.NFC.String(s); got != want {
			t.Fatalf("composeString(%+q) = %+q, want %+q", s, got, want)
		}
		if got, want := string(decomposeString(s)), norm.NFD.String(s); got != want {
			t.Fatalf("decomposeString(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

func TestComposeStringDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"", "plain", "Schrödinger Ångström Łukasz ệ 张三 Ωμέγα Ёж"} {
		if n := testing.AllocsPerRun(100, func() { _ = composeString(s) }); n != 0 {
			t.Errorf("composeString(%q) allocated %v times", s, n)
		}
	}
}

// TestComposeTableUpToDate runs gencompose and compares its output with
// compose_table.go.
func TestComposeTableUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run; skipped with -short")
	}
	skipOtherUnicode(t)
	out := filepath.Join(t.TempDir(), "compose_table.go")
	cmd := exec.Command("go", "run", "./internal/gencompose/main.go", "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gencompose: %v\n%s", err, msg)
	}
	got, err := os.ReadFile("compose_table.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("compose_table.go is out of date: run go generate ./bib")
	}
	if !slices.IsSortedFunc(decompositions, func(a, b decomposition) int { return int(a.r - b.r) }) {
		t.Errorf("decompositions is not sorted")
	}
}
