package rekey

import (
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzPlan plans renames over random documents (a .bib file, a note, a
// report and a .tex file given as overrides): Plan never panics, and every
// edit is in range, sorted, non-overlapping, replaces the old key (or its
// quoted front matter value), and carries positions that agree with its
// offset.
func FuzzPlan(f *testing.F) {
	f.Add(libraryBib, noteMD, otherMD, mainTeX, "fresh2024")
	f.Add(libraryBib, "---\nkey: 'li2023blip'\n---\n[@li2023blip]", reportMD, `\cites{li2023blip}{li2023blip}`, "DBLP:conf/x")
	f.Add("@misc{li2023blip, crossref={li2023blip}, xdata={ li2023blip , li2023blip}}", "---\nkey: \"li2023blip\"\n---\n", "[[li2023blip|x]]", "\\cite{li2023blip,li2023blip}", "李2023")
	f.Add("@misc{li2023blip,}\n<<<<<<< HEAD\n", "", "", "", "x")
	f.Add("@misc(li2023blip, crossref=\"li2023blip\")", "---\nkey: li2023blip\n", "\r\n[@li2023blip]\r\n", "%\n\\citep[{]{li2023blip}", "Li2023BLIP")
	f.Fuzz(func(t *testing.T, bibSrc, noteSrc, reportSrc, texSrc, newKey string) {
		root := t.TempDir()
		paths := map[string]string{
			filepath.Join(root, "bib", "library.bib"):      bibSrc,
			filepath.Join(root, "notes", "li2023blip.md"):  noteSrc,
			filepath.Join(root, "reports", "2025-W47.md"):  reportSrc,
			filepath.Join(root, "paper", "main.tex"):       texSrc,
			filepath.Join(root, "paper", "sub", "b.tex"):   texSrc + "\n" + noteSrc,
			filepath.Join(root, "notes", "sub", "copy.md"): reportSrc,
		}
		ws := Workspace{
			Root:         root,
			BibPaths:     []string{filepath.Join(root, "bib")},
			NotesDir:     filepath.Join(root, "notes"),
			MarkdownDirs: []string{filepath.Join(root, "reports")},
			Overrides:    map[string][]byte{},
		}
		for p, s := range paths {
			ws.Overrides[p] = []byte(s)
		}
		for _, old := range []string{"li2023blip", "Li2023BLIP"} {
			r, err := Plan(ws, old, newKey)
			if err != nil {
				continue
			}
			checkResult(t, r)
		}
	})
}

func checkResult(t *testing.T, r *Result) {
	t.Helper()
	for _, fe := range r.Files {
		src := fe.Original
		x := newLineIndex(src)
		prev := 0
		for _, e := range fe.Edits {
			s, end := e.Start.Offset, e.End.Offset
			if s < prev || end < s || end > len(src) {
				t.Fatalf("%s: edit [%d,%d) out of order or range (prev end %d, len %d)", fe.Path, s, end, prev, len(src))
			}
			prev = end
			if got := string(src[s:end]); got != r.Old {
				t.Fatalf("%s: edit [%d,%d) replaces %q, not the old key %q", fe.Path, s, end, got, r.Old)
			}
			if e.Start != x.pos(s) || e.End != x.pos(end) {
				t.Fatalf("%s: positions %+v %+v disagree with offsets", fe.Path, e.Start, e.End)
			}
			if !utf8.ValidString(e.NewText) {
				t.Fatalf("%s: new text %q is not UTF-8", fe.Path, e.NewText)
			}
		}
		_ = fe.Rewrite(src)
	}
	for _, rn := range r.Renames {
		if filepath.Dir(rn.From) != filepath.Dir(rn.To) {
			t.Fatalf("rename %s -> %s leaves the folder", rn.From, rn.To)
		}
	}
}
