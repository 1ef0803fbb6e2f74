package citekey

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mozillazg/go-pinyin"

	"github.com/papernotes/papernotes/internal/testutil"
)

// updatePinyin (-update, shared with the golden files) regenerates
// pinyin.txt from go-pinyin.
var updatePinyin = testutil.Update

// TestPinyinTable checks that pinyin.txt gives what go-pinyin gives, for
// every character of its dictionary and the CJK blocks around them.
func TestPinyinTable(t *testing.T) {
	heteronym := pinyin.NewArgs()
	heteronym.Heteronym = true
	if *updatePinyin {
		codes := make([]int, 0, len(pinyin.PinyinDict))
		for c := range pinyin.PinyinDict {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		var b strings.Builder
		for _, c := range codes {
			if rs := pinyin.SinglePinyin(rune(c), heteronym); len(rs) > 0 {
				fmt.Fprintf(&b, "%x %s\n", c, strings.Join(rs, ","))
			}
		}
		if err := os.WriteFile("pinyin.txt", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Skip("pinyin.txt regenerated; run the test again")
	}
	check := func(r rune) {
		t.Helper()
		want := pinyin.SinglePinyin(r, heteronym)
		if len(want) == 0 {
			want = nil
		}
		if got := heteronyms(r); !slices.Equal(got, want) {
			t.Fatalf("heteronyms(%q) = %q, go-pinyin %q (go test -update regenerates pinyin.txt)", r, got, want)
		}
		if got, want := defaultReading(r), strings.Join(pinyin.LazyPinyin(string(r), pinyin.NewArgs()), ""); got != want {
			t.Fatalf("defaultReading(%q) = %q, go-pinyin %q (go test -update regenerates pinyin.txt)", r, got, want)
		}
	}
	for c := range pinyin.PinyinDict {
		check(rune(c))
	}
	for _, span := range [][2]rune{{0, 0x3000}, {0x3000, 0xa000}, {0xf900, 0xfb00}, {0x20000, 0x2fa20}} {
		for r := span[0]; r < span[1]; r++ {
			check(r)
		}
	}
}

func TestPinyinReading(t *testing.T) {
	for give, want := range map[string]string{"李俊男": "li jun nan ", "BLIP 李": "BLIP li ", "plain": "plain"} {
		if got, _ := Pinyin(give); got != want {
			t.Errorf("Pinyin(%q) = %q, want %q", give, got, want)
		}
	}
}
