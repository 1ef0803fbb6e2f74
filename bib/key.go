package bib

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// UnsafeKey reports whether a cite key is unsafe, and why. A key is unsafe
// when LaTeX and BibTeX cannot cite it, or when it is likely to do harm
// elsewhere:
//
//   - it is empty, or is not valid UTF-8;
//   - it holds white space or control characters;
//   - it holds one of `, { } ( ) % # " ' = ~ \ & $ ^`: BibTeX ends a key
//     at a comma or brace (and at a parenthesis in parenthesised entries),
//     `%` starts a comment, `#` and `=` are BibTeX operators, and the others
//     are LaTeX special characters that break `\cite{...}` or its .aux line;
//   - it starts or ends with a dot, or holds "..": harmless to LaTeX, but it
//     looks like a path, and no tool should ever be tempted to open it.
//
// `/`, `:`, `-`, `_`, `+`, `.` and non-ASCII letters (Chinese keys included)
// are safe: `\cite{DBLP:conf/cvpr/LiZZ22}` works. A cite key is never used
// as a path as it is: the mapping from keys to note file names lives in
// package notes, which makes any key a safe file name.
func UnsafeKey(key string) (reason string, unsafe bool) {
	reason, _, unsafe = keyProblem(key)
	return reason, unsafe
}

// keyProblem is [UnsafeKey] plus the severity [Library.Check] gives the
// problem: an error when a \cite of the key fails, a warning when the key is
// only suspicious (dots, quotes, parentheses, '=').
func keyProblem(key string) (reason string, sev Severity, unsafe bool) {
	if key == "" {
		return "empty key", SeverityError, true
	}
	if safeASCIIKey(key) {
		return "", SeverityWarning, false
	}
	if !utf8.ValidString(key) {
		return "key is not valid UTF-8", SeverityError, true
	}
	for _, r := range key {
		switch {
		case unicode.IsSpace(r):
			return "key contains white space", SeverityError, true
		case unicode.IsControl(r) || r == utf8.RuneError:
			return fmt.Sprintf("key contains control character %U", r), SeverityError, true
		case strings.ContainsRune(`,{}%#\~&$^`, r):
			return fmt.Sprintf("key contains %q, which BibTeX or LaTeX cannot cite", r), SeverityError, true
		case strings.ContainsRune(`()"'=`, r):
			return fmt.Sprintf("key contains %q", r), SeverityWarning, true
		}
	}
	if strings.HasPrefix(key, ".") || strings.HasSuffix(key, ".") {
		return "key starts or ends with a dot", SeverityWarning, true
	}
	if strings.Contains(key, "..") {
		return `key contains ".."`, SeverityWarning, true
	}
	return "", SeverityWarning, false
}

// NonASCIIKeyAdvice is what to do about a key [NonASCIIKey] reports.
const NonASCIIKeyAdvice = "pdflatex with BibTeX cannot cite it (xelatex with biber can); give it an ASCII key"

// NonASCIIKey reports whether key holds characters outside ASCII, as the
// keys Google Scholar makes for Chinese papers do
// (周飞燕2017卷积神经网络研究综述). Such a key is safe ([UnsafeKey]) and
// works with xelatex and biber, but 8-bit BibTeX and pdflatex fail on it
// with messages that do not name the key, so [Library.Check] warns
// ([ErrNonASCIIKey]) and import warns too.
func NonASCIIKey(key string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// safeKeyByte marks the ASCII bytes that may appear anywhere in a safe key.
var safeKeyByte = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = !strings.ContainsRune(`,{}%#\~&$^()"'=`, c)
	}
	return t
}()

// safeASCIIKey is the fast path of [keyProblem]: a key of safe ASCII bytes
// with no dot at either end and no "..".
func safeASCIIKey(key string) bool {
	for i := 0; i < len(key); i++ {
		if !safeKeyByte[key[i]] {
			return false
		}
	}
	return key[0] != '.' && key[len(key)-1] != '.' && !strings.Contains(key, "..")
}
