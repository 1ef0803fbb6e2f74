package bib

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give string
		want []Name
	}{
		{"last-first", "Li, Junnan and Li, Dongxu", []Name{{First: "Junnan", Last: "Li"}, {First: "Dongxu", Last: "Li"}}},
		{"first-last", "Liunian Harold Li and Pengchuan Zhang", []Name{{First: "Liunian Harold", Last: "Li"}, {First: "Pengchuan", Last: "Zhang"}}},
		{"von-first-form", "Ludwig van Beethoven", []Name{{First: "Ludwig", Von: "van", Last: "Beethoven"}}},
		{"von-comma-form", "van der Maaten, Laurens", []Name{{First: "Laurens", Von: "van der", Last: "Maaten"}}},
		{"von-multi", "Jean de la Fontaine", []Name{{First: "Jean", Von: "de la", Last: "Fontaine"}}},
		{"von-last-word-kept", "Charles de Gaulle de", []Name{{First: "Charles", Von: "de", Last: "Gaulle de"}}},
		{"jr", "King, Jr, Martin Luther", []Name{{First: "Martin Luther", Jr: "Jr", Last: "King"}}},
		{"corporate", "{Google DeepMind} and {OpenAI Team}", []Name{{Last: "{Google DeepMind}"}, {Last: "{OpenAI Team}"}}},
		{"others", "Vaswani, Ashish and others", []Name{{First: "Ashish", Last: "Vaswani"}, {Others: true}}},
		{"and-case-insensitive", "A. Smith AND B. Jones And C. Doe", []Name{{First: "A.", Last: "Smith"}, {First: "B.", Last: "Jones"}, {First: "C.", Last: "Doe"}}},
		{"and-in-braces", "{Barnes and Noble} and Doe, J.", []Name{{Last: "{Barnes and Noble}"}, {First: "J.", Last: "Doe"}}},
		{"chinese-one-token", "张三 and 李四", []Name{{Last: "张三"}, {Last: "李四"}}},
		{"chinese-comma", "张, 三", []Name{{First: "三", Last: "张"}}},
		{"chinese-spaced", "欧阳 修", []Name{{Last: "欧阳 修"}}},
		{"accented", `Erd{\H{o}}s, Paul and Kurt G{\"o}del`, []Name{{First: "Paul", Last: `Erd{\H{o}}s`}, {First: "Kurt", Last: `G{\"o}del`}}},
		{"special-char-lower-von", `Jean {\'e}t{\'e} Dupont`, []Name{{First: "Jean", Von: `{\'e}t{\'e}`, Last: "Dupont"}}},
		{"brace-caseless", "Maria {de} Souza", []Name{{First: "Maria {de}", Last: "Souza"}}},
		{"newlines-tilde", "Donald~E.\n  Knuth", []Name{{First: "Donald E.", Last: "Knuth"}}},
		{"single", "Aristotle", []Name{{Last: "Aristotle"}}},
		{"empty-names", "A and and B", []Name{{Last: "A"}, {Last: "B"}}},
		{"empty", "  ", nil},
		{"trailing-comma", "Doe,", []Name{{Last: "Doe"}}},
		{"three-commas", "Doe, Jr, John, Extra", []Name{{Last: "Doe", Jr: "Jr", First: "John, Extra"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, ParseNames(tt.give)); diff != "" {
				t.Errorf("ParseNames(%q) mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

func TestNameText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give      Name
		str, last string
	}{
		{Name{First: "Kurt", Last: `G{\"o}del`}, "Kurt Gödel", "Gödel"},
		{Name{First: "Laurens", Von: "van der", Last: "Maaten"}, "Laurens van der Maaten", "Maaten"},
		{Name{First: "Martin Luther", Last: "King", Jr: "Jr"}, "Martin Luther King, Jr", "King"},
		{Name{Last: "{Google DeepMind}"}, "Google DeepMind", "Google DeepMind"},
		{Name{Last: "张三"}, "张三", "张三"},
		{Name{Last: "张", First: "三"}, "张三", "张"},
		{Name{Others: true}, "others", ""},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.str {
			t.Errorf("%#v.String() = %q, want %q", tt.give, got, tt.str)
		}
		if got := tt.give.LastText(); got != tt.last {
			t.Errorf("%#v.LastText() = %q, want %q", tt.give, got, tt.last)
		}
	}
}
