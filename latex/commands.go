package latex

// IsCiteCommand reports whether name (without backslash or star) is a
// citation command [ScanTeXSource] recognises, and whether it is one of
// biblatex's multicite commands (`\cites{a}{b}`), whose every brace group
// holds keys. Editors use it to know when a cursor is inside cite keys.
func IsCiteCommand(name string) (cite, multi bool) {
	if multiCiteCommands[name] {
		return true, true
	}
	return citeCommands[name], false
}
