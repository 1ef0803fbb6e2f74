package bib

import (
	"testing"
	"unicode/utf8"
)

func TestDecodeLaTeX(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, give, want string }{
		{"plain", "Attention is all you need", "Attention is all you need"},
		{"braced-umlaut", `Schr{\"o}dinger`, "Schrödinger"},
		{"bare-umlaut", `Schr\"odinger`, "Schrödinger"},
		{"acute-braced-arg", `Caf\'{e}`, "Café"},
		{"cedilla", `Fran\c{c}ois`, "François"},
		{"cedilla-space", `Fran\c cois`, "François"},
		{"eszett", `Stra{\ss}e`, "Straße"},
		{"eszett-empty-group", `Stra\ss{}e`, "Straße"},
		{"dotless-i", `Erd\H{o}s and \"{\i}`, "Erdős and ï"},
		{"acute-dotless-i", `Mart\'{\i}n and Mart\'\i n`, "Martín and Martín"},
		{"ring", `{\AA}ngstr{\"o}m`, "Ångström"},
		{"ring-accent", `\r{a}`, "å"},
		{"slash-o", `S{\o}ren Ki{\O}`, "Søren KiØ"},
		{"polish-l", `{\L}ukasz Kai{\l}`, "Łukasz Kaił"},
		{"caron", `Dvo\v{r}\'ak {\v S}koda`, "Dvořák Škoda"},
		{"tilde", `Espa\~na, Espa\~{n}a`, "España, España"},
		{"circumflex-macron-dot", `\^{o} \=a \.z`, "ô ā ż"},
		{"breve-ogonek", `\u{g} \k{a}`, "ğ ą"},
		{"grave", "\\`a", "à"},
		{"dashes", "pages 1--10 and---so", "pages 1–10 and—so"},
		{"hyphen", "pre-training", "pre-training"},
		{"tie", `Fig.~1`, "Fig. 1"},
		{"quotes", "``quoted'' and `single' don't", "“quoted” and ‘single' don't"},
		{"escapes", `A \& B, 50\%, \$5, a\_b, \#1, \{x\}`, "A & B, 50%, $5, a_b, #1, {x}"},
		{"protective-braces", `The {GPU} era of {BERT}`, "The GPU era of BERT"},
		{"nested-braces", `{{Deep}} {L}earning`, "Deep Learning"},
		{"math-kept", `An $O(n \log n)$ bound for {\"o}`, `An $O(n \log n)$ bound for ö`},
		{"display-math", `$$x--y$$ then --`, `$$x--y$$ then –`},
		{"unmatched-dollar", `costs $5`, `costs $5`},
		{"unknown-macro", `\foo{bar} and \baz x`, `\foo{bar} and \baz x`},
		{"emph", `\emph{Deep} \textbf{learning}`, "Deep learning"},
		{"em-declaration", `{\em Deep} learning`, "Deep learning"},
		{"ldots", `a\ldots b`, "a…b"},
		{"multiple-accents", `\^{\d{e}}`, "ệ"},
		{"tie-accent", `\t{oo}`, "o͡o"},
		{"accent-empty", `\'{}`, "'"},
		{"accent-at-group-end", `{\"}x`, `"x`},
		{"trailing-backslash", `abc\`, `abc\`},
		{"unbalanced-close", `a}b`, "ab"},
		{"unbalanced-open", `a{b`, "ab"},
		{"chinese", `张三的{论文}`, "张三的论文"},
		{"nfc", "Cafe\u0301", "Café"},
		{"control-space", `a\ b`, "a b"},
		{"linebreak", `a\\b`, "a b"},
		{"hyphenation-hint", `hy\-phen`, "hyphen"},
		{"biblatex-quote", `\mkbibquote{Hello} \mkbibemph{world}`, "“Hello” world"},
		{"acro-and-logos", `\acro{TUG} and \MF\ meet \ConTeXt`, "TUG and METAFONT meet ConTeXt"},
		{"phantom-dropped", `a\vphantom{\large X}b`, "ab"},
		{"dash-slash", `input\slash output\Dash fast`, "input/output—fast"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := DecodeLaTeX(tt.give); got != tt.want {
				t.Errorf("DecodeLaTeX(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestDecodeLaTeXFastPathDoesNotAllocate(t *testing.T) {
	s := "Attention is all you need (2017)"
	if n := testing.AllocsPerRun(100, func() { _ = DecodeLaTeX(s) }); n != 0 {
		t.Errorf("DecodeLaTeX on plain ASCII allocated %v times", n)
	}
}

func TestEncodeLaTeX(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, give, want string }{
		{"ascii-unchanged", `The {GPU} era \& more`, `The {GPU} era \& more`},
		{"umlaut", "Schrödinger", `Schr{\"o}dinger`},
		{"cedilla", "François", `Fran{\c{c}}ois`},
		{"eszett", "Straße", `Stra{\ss}e`},
		{"ring", "Ångström", `{\r{A}}ngstr{\"o}m`},
		{"polish", "Łukasz", `{\L}ukasz`},
		{"caron", "Dvořák", `Dvo{\v{r}}{\'a}k`},
		{"double-acute", "Erdős", `Erd{\H{o}}s`},
		{"stacked", "ệ", `{\^{\d{e}}}`},
		{"dashes", "1–10—x", `1--10---x`},
		{"quotes", "“q” ‘s’", "``q'' `s{\\textquoteright}"},
		{"nbsp", "Fig.\u00a01", "Fig.~1"},
		{"cjk-kept", "张三 Café", `张三 Caf{\'e}`},
		{"greek-kept", "α-helix", "α-helix"},
		{"decomposed-input", "Cafe\u0301", `Caf{\'e}`},
		{"dotless-i-accent", "ï", `{\"i}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := EncodeLaTeX(tt.give); got != tt.want {
				t.Errorf("EncodeLaTeX(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestUnencodable(t *testing.T) {
	t.Parallel()
	got := string(Unencodable("张三 Café α张"))
	if got != "张三α" {
		t.Errorf("Unencodable = %q, want %q", got, "张三α")
	}
	if Unencodable("Schrödinger") != nil {
		t.Errorf("Unencodable(Schrödinger) is not nil")
	}
}

// TestLaTeXRoundTrip checks that encoding keeps the meaning: decoding the
// encoded text gives the decoded original.
func TestLaTeXRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"Schrödinger", "Ångström–Łukasz—Dvořák", "Straße Søren Ærø œuvre", "Erdős ǿ ệ ğ ą ż",
		"“quoted” ‘single’", "张三 and 李四", "plain ASCII", `Schr{\"o}dinger`,
		"Ünïcödé ÀÉÎÕÜ ñ ç", "ı ȷ þ ð ŋ", "© ® ™ § ¶ £ € ° … «»",
	} {
		enc := EncodeLaTeX(s)
		if got, want := DecodeLaTeX(enc), DecodeLaTeX(s); got != want {
			t.Errorf("DecodeLaTeX(EncodeLaTeX(%q)) = %q (encoded %q), want %q", s, got, enc, want)
		}
		if Unencodable(s) == nil {
			for i := 0; i < len(enc); i++ {
				if enc[i] >= utf8.RuneSelf {
					t.Errorf("EncodeLaTeX(%q) = %q is not ASCII", s, enc)
					break
				}
			}
		}
	}
}

func FuzzDecodeLaTeX(f *testing.F) {
	for _, s := range []string{
		`Schr{\"o}dinger`, `\'{\i}`, `{\ss}`, `$x$ -- ---`, "``a''", `\foo{bar`, `{\"}`, `\t{oo}`,
		`\^{\d{e}}`, `{{{`, `}}}`, `\`, `$$`, "\xff\xfe", `\c`, `\"\"\"\"`, "张三",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := DecodeLaTeX(s)
		if !utf8.ValidString(out) {
			t.Fatalf("DecodeLaTeX(%q) = %q is not valid UTF-8", s, out)
		}
		if !isNFC(out) {
			t.Fatalf("DecodeLaTeX(%q) = %q is not NFC", s, out)
		}
		// Name parsing runs on the same kind of input and must not panic either.
		for _, n := range ParseNames(s) {
			_ = n.String() + n.LastText()
		}
		enc := EncodeLaTeX(out)
		if !utf8.ValidString(enc) {
			t.Fatalf("EncodeLaTeX(%q) = %q is not valid UTF-8", out, enc)
		}
	})
}

func BenchmarkDecodeLaTeX(b *testing.B) {
	s := `Schr{\"o}dinger's {GPU} era: a {\em new} look at 1--10 pages by Erd\H{o}s`
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		DecodeLaTeX(s)
	}
}
