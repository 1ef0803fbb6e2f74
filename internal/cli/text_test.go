package cli

import (
	"bytes"
	"testing"
)

func TestDisplayWidth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"周飞燕", 6},
		{"ＡＢ", 4},         // fullwidth
		{"ｱｲ", 2},         // halfwidth katakana
		{"e\u0301", 1},    // combining accent
		{"Müller 综述", 11}, // mixed
		{"한국어", 6},
	}
	for _, tt := range tests {
		if got := displayWidth(tt.give); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.give, got, tt.want)
		}
	}
}

func TestTableAlignsByDisplayWidth(t *testing.T) {
	t.Parallel()
	var tb table
	tb.add("周飞燕", "x")
	tb.add("abc", "y", "")
	tb.style(0, func(s string) string { return "<" + s + ">" })
	var b bytes.Buffer
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	want := "周飞燕  x\n<abc>     y\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}
