package report

import "strings"

// SafeURL returns u (trimmed of spaces) when it is safe to write as a link
// in a report, else "". A library is shared input: a bib entry's url field
// can hold javascript: or data: URLs that run or smuggle content when the
// report is opened in a browser or a PDF viewer (hyperref's run: and file:
// launch programs and open local files). Allowed are http and https URLs,
// doi: URLs, and relative references (no scheme, such as a bare DOI
// "10.1000/x" or "notes/a.md") that hold no `&` or `\` (which a markdown
// renderer would decode into a scheme: "javascript&#58;..."). Anything
// with a control character (a newline would end the link) is refused too.
// SafeURL is safe for concurrent use.
func SafeURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" {
		return ""
	}
	for i := 0; i < len(u); i++ {
		if u[i] < 0x20 || u[i] == 0x7f {
			return ""
		}
	}
	if scheme, _, ok := strings.Cut(u, ":"); ok && isScheme(scheme) {
		switch strings.ToLower(scheme) {
		case "http", "https", "doi":
			return u
		}
		return ""
	}
	if strings.ContainsAny(u, `&\`) {
		return ""
	}
	return u
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, '+', '-' or '.'.
func isScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}
