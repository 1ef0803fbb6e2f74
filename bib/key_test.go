package bib

import (
	"errors"
	"strings"
	"testing"
)

func TestUnsafeKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key    string
		unsafe bool
		sev    Severity
	}{
		{"li2023blip", false, 0},
		{"DBLP:conf/cvpr/LiZZ22", false, 0},
		{"Smith_2020-a+b", false, 0},
		{"张三2024论文", false, 0},
		{"doi:10.1000/x.y", false, 0},
		{"", true, SeverityError},
		{"a b", true, SeverityError},
		{"a\tb", true, SeverityError},
		{"a\u00a0b", true, SeverityError},
		{"a\x01b", true, SeverityError},
		{"a,b", true, SeverityError},
		{"a{b", true, SeverityError},
		{"a}b", true, SeverityError},
		{"a%b", true, SeverityError},
		{"a#b", true, SeverityError},
		{`a\b`, true, SeverityError},
		{"a~b", true, SeverityError},
		{"a&b", true, SeverityError},
		{"a$b", true, SeverityError},
		{"a\xffb", true, SeverityError},
		{"a(b)", true, SeverityWarning},
		{`a"b`, true, SeverityWarning},
		{"a'b", true, SeverityWarning},
		{"a=b", true, SeverityWarning},
		{".hidden", true, SeverityWarning},
		{"trailing.", true, SeverityWarning},
		{"../../x", true, SeverityWarning},
		{"a..b", true, SeverityWarning},
	}
	for _, tt := range tests {
		reason, sev, unsafe := keyProblem(tt.key)
		if unsafe != tt.unsafe {
			t.Errorf("keyProblem(%q) unsafe = %v (%q), want %v", tt.key, unsafe, reason, tt.unsafe)
			continue
		}
		if unsafe && sev != tt.sev {
			t.Errorf("keyProblem(%q) severity = %v, want %v", tt.key, sev, tt.sev)
		}
		if r2, u2 := UnsafeKey(tt.key); r2 != reason || u2 != unsafe {
			t.Errorf("UnsafeKey(%q) disagrees with keyProblem", tt.key)
		}
		if unsafe && reason == "" {
			t.Errorf("UnsafeKey(%q) gives no reason", tt.key)
		}
	}
}

// TestCheckNonASCIIKey checks that Check warns about keys pdflatex and
// BibTeX cannot cite, once, and not about unsafe keys (already reported).
func TestCheckNonASCIIKey(t *testing.T) {
	t.Parallel()
	src := "@misc{周飞燕2017卷积神经网络研究综述, title={A}}\n@misc{müller2019, title={B}}\n@misc{li2023blip, title={C}}\n@misc{a b, title={D}}\n"
	lib := NewLibrary([]*File{Parse("x.bib", []byte(src), nil)}, LoadOptions{})
	var got []string
	for _, p := range lib.Check() {
		if errors.Is(p, ErrNonASCIIKey) {
			if Code(p) != "non-ascii-key" || p.Severity != SeverityWarning {
				t.Errorf("%v: code %s severity %v", p, Code(p), p.Severity)
			}
			got = append(got, p.Pos.String()+" "+p.Key)
		}
	}
	want := []string{"x.bib:1:7 周飞燕2017卷积神经网络研究综述", "x.bib:2:7 müller2019"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
	if !NonASCIIKey("é") || NonASCIIKey("li2023blip") {
		t.Error("NonASCIIKey is wrong")
	}
}
