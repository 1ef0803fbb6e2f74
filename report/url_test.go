package report

import "testing"

func TestSafeURL(t *testing.T) {
	for give, want := range map[string]string{
		"https://arxiv.org/abs/2301.12597":   "https://arxiv.org/abs/2301.12597",
		" http://x.org/a?b=1&c=2 ":           "http://x.org/a?b=1&c=2",
		"HTTPS://X.ORG":                      "HTTPS://X.ORG",
		"doi:10.1000/182":                    "doi:10.1000/182",
		"10.1000/182":                        "10.1000/182",
		"notes/a.md":                         "notes/a.md",
		"javascript:alert(1)":                "",
		"JavaScript:alert(1)":                "",
		" javascript:alert(1)":               "",
		"data:text/html;base64,PHNjcmlwdD4=": "",
		"vbscript:x":                         "",
		"file:///etc/passwd":                 "",
		"run:/bin/sh":                        "",
		"javascript&#58;alert(1)":            "",
		`javascript\:alert(1)`:               "",
		"https://x.org/\nfake.md:1:1: error": "",
		"":                                   "",
	} {
		if got := SafeURL(give); got != want {
			t.Errorf("SafeURL(%q) = %q, want %q", give, got, want)
		}
	}
}
