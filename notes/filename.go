package notes

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes bounds the readable part of a note file name, well under the
// 255-byte limit of common file systems once the hash and ".md" are added.
const maxNameBytes = 120

// FileName returns the note file name ("li2023blip.md") for a cite key: a
// single path element, safe on Linux, macOS and Windows, that never escapes
// the notes folder.
//
// Letters and digits of any script (Chinese keys stay readable), '-', '_',
// '.' and '+' are kept; every other rune ('/', '\', ':', NUL, spaces, ...)
// becomes '_'. A leading '.', a trailing '.' or a Windows-reserved device
// name (CON, NUL, COM1, ...) is rewritten too, and overlong keys are cut.
// Whenever anything was rewritten, or the key has upper-case letters (two
// keys differing only in case would collide on case-insensitive file
// systems), or the key itself ends like a hash suffix, "-" and the first 10
// hex digits of the key's SHA-256 are appended, so distinct keys map to
// distinct names.
func FileName(key string) string {
	var b strings.Builder
	changed := !utf8.ValidString(key) || key == ""
	upper := false
	for i, r := range key {
		switch {
		case r == utf8.RuneError:
			b.WriteByte('_')
			changed = true
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '+':
			if unicode.IsUpper(r) {
				upper = true
			}
			b.WriteRune(r)
		case r == '.' && i > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
			changed = true
		}
	}
	name := b.String()
	if strings.HasSuffix(name, ".") {
		name = strings.TrimRight(name, ".") + "_"
		changed = true
	}
	if isReservedName(name) {
		name = "_" + name
		changed = true
	}
	if len(name) > maxNameBytes {
		cut := maxNameBytes
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut]
		changed = true
	}
	if changed || upper || looksHashed(name) {
		sum := sha256.Sum256([]byte(key))
		name += "-" + hex.EncodeToString(sum[:])[:10]
	}
	return name + ".md"
}

// isReservedName reports Windows device names, which are reserved with any
// extension ("nul.txt") and in any case.
func isReservedName(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	switch strings.ToUpper(base) {
	case "CON", "PRN", "AUX", "NUL",
		"COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		return true
	}
	return false
}

// looksHashed reports whether name ends with "-" and 10 lower-case hex
// digits, the shape of the suffix [FileName] appends.
func looksHashed(name string) bool {
	if len(name) < 11 || name[len(name)-11] != '-' {
		return false
	}
	for _, c := range name[len(name)-10:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
