package cli

import (
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// displayPath returns p relative to the working directory when it lies
// below it, as editors and terminals can open it, and p unchanged otherwise.
func (f *Factory) displayPath(p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	wd, err := f.workDir()
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return rel
}

// textSafe returns s for a line of text output: unchanged when every
// character is printable, else quoted as strconv.Quote does. A note's file
// name may hold a newline (a shared workspace can have any names), and
// printed raw it would start a fake "file:line:col: error: ..." line that
// editors and CI problem matchers believe. JSON output needs no quoting.
func textSafe(s string) string {
	if isPrintable(s) {
		return s
	}
	return strconv.Quote(s)
}

// escapeControls returns s with each character that is not printable
// written as its Go escape (\n, \x1b, \u2028), for messages that embed
// file names: the message stays one line.
func escapeControls(s string) string {
	if isPrintable(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == ' ' || unicode.IsPrint(r) && r != utf8.RuneError {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r != ' ' && (!unicode.IsPrint(r) || r == utf8.RuneError) {
			return false
		}
	}
	return true
}

// skippedWarning is the warning line for a file a scan skipped ("PATH: links
// outside ..."), naming PATH relative to the workspace as the other
// warnings do, and quoted when it holds a control character.
func skippedWarning(root string, e error) string {
	msg := e.Error()
	if rest, ok := strings.CutPrefix(msg, root+string(filepath.Separator)); ok && root != "" {
		if i := strings.Index(rest, ": "); i > 0 {
			return "warning: " + textSafe(rest[:i]) + rest[i:]
		}
	}
	return "warning: " + msg
}
