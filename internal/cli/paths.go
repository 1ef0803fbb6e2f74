package cli

import (
	"path/filepath"
	"strings"
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
