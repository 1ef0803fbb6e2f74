package bib

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClosest(t *testing.T) {
	t.Parallel()
	src := `@misc{kirillov2023segment, title={Segment Anything}}
@misc{Mueller2019Deep, title={A}}
@misc{li2023blip, title={B}}
@misc{li2022blip, title={C}}
@misc{li2023blip2, title={D}}
@misc{li2022grounded, title={E}}
@misc{周飞燕2017卷积神经网络研究综述, title={F}}
@misc{kirillov2023segment, title={dup}}
`
	lib := NewLibrary([]*File{Parse("x.bib", []byte(src), nil)}, LoadOptions{})
	tests := []struct {
		key  string
		n    int
		want []string
	}{
		{"kirilov2023segment", 3, []string{"kirillov2023segment"}},             // one deletion
		{"kirillov2023segmnet", 3, []string{"kirillov2023segment"}},            // a swap is one edit
		{"mueller2019deep", 3, []string{"Mueller2019Deep"}},                    // case only
		{"li2023bilp", 3, []string{"li2023blip", "li2022blip", "li2023blip2"}}, // ties in library order
		{"li2023bilp", 1, []string{"li2023blip"}},
		{"li2023blip", 3, []string{"li2022blip", "li2023blip2"}}, // never the key itself
		{"周飞燕2017卷积神经网络综述", 3, []string{"周飞燕2017卷积神经网络研究综述"}},
		{"smith2020", 3, nil},
		{"", 3, nil},
		{"li2023blip", 0, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.key, tt.n), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, lib.Closest(tt.key, tt.n)); diff != "" {
				t.Errorf("Closest(%q, %d) (-want +got):\n%s", tt.key, tt.n, diff)
			}
		})
	}
}

// TestClosestDistance checks the bounded distance against the plain one.
func TestClosestDistance(t *testing.T) {
	t.Parallel()
	words := []string{"", "a", "ab", "ba", "abc", "acb", "kitten", "sitting", "li2023blip", "li2023bilp", "周飞燕", "飞周燕x"}
	var r distRows
	for _, a := range words {
		for _, b := range words {
			want := plainOSA([]rune(a), []rune(b))
			for bound := 0; bound < 6; bound++ {
				got := r.distance([]rune(a), []rune(b), bound)
				if (want <= bound) != (got <= bound) || (want <= bound && got != want) {
					t.Errorf("distance(%q, %q, %d) = %d, want %d", a, b, bound, got, want)
				}
			}
		}
	}
}

func plainOSA(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// BenchmarkClosest looks up a typo in an 80,000-entry library of keys
// shaped like Google Scholar's (author, year, first title word).
func BenchmarkClosest(b *testing.B) {
	var sb strings.Builder
	names := []string{"li", "wang", "zhang", "kirillov", "radford", "he", "chen", "liu", "smith", "mueller"}
	words := []string{"segment", "blip", "grounded", "learning", "deep", "attention", "vision", "graph", "neural", "language"}
	for i := range 80000 {
		fmt.Fprintf(&sb, "@misc{%s%d%s%d, title={T}}\n", names[i%len(names)], 1990+i%35, words[(i/10)%len(words)], i)
	}
	lib := NewLibrary([]*File{Parse("big.bib", []byte(sb.String()), nil)}, LoadOptions{})
	if len(lib.Entries()) != 80000 {
		b.Fatalf("%d entries", len(lib.Entries()))
	}
	lib.Closest("warmup", 3)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		lib.Closest("kirilov2023segment4", 3)
	}
}

// FuzzClosestDistance checks the banded, early-exit distance of Closest
// against the plain table on any pair of strings and bound.
func FuzzClosestDistance(f *testing.F) {
	for _, s := range [][2]string{{"kirilov2023segment", "kirillov2023segment"}, {"li2023bilp", "li2023blip"}, {"周飞燕2017", "周燕飞2017"}, {"", "abc"}, {"ab", "ba"}} {
		f.Add(s[0], s[1], uint8(2))
	}
	f.Fuzz(func(t *testing.T, a, b string, bound uint8) {
		ra, rb := []rune(a), []rune(b)
		if len(ra) > 64 || len(rb) > 64 {
			return
		}
		bd := int(bound % 6)
		var r distRows
		got := r.distance(ra, rb, bd)
		want := plainOSA(ra, rb)
		if want <= bd && got != want || want > bd && got <= bd {
			t.Fatalf("distance(%q, %q, %d) = %d, want %d", a, b, bd, got, want)
		}
	})
}
