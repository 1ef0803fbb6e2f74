package bib

import "testing"

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
