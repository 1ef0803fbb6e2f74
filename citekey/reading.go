package citekey

import (
	"strings"
	"unicode"
)

// Pinyin returns s with every Chinese character it knows replaced by its
// most common reading without tones, each reading followed by a space
// ("李俊男" -> "li jun nan "); other characters are kept. It reports
// whether anything was replaced. Safe for concurrent use.
func Pinyin(s string) (string, bool) {
	var b strings.Builder
	changed := false
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			if p := defaultReading(r); p != "" {
				b.WriteString(p)
				b.WriteByte(' ')
				changed = true
				continue
			}
		}
		b.WriteRune(r)
	}
	if !changed {
		return s, false
	}
	return b.String(), true
}
