package rekey_test

import (
	"fmt"

	"github.com/papernotes/papernotes/rekey"
)

// Plan over text that is only in memory (an editor's buffers): every path
// is an override, so nothing is read from disk and nothing is written.
func ExamplePlan() {
	ws := rekey.Workspace{
		Root:     "/nonexistent/ws",
		BibPaths: []string{"/nonexistent/ws/bib/library.bib"},
		NotesDir: "/nonexistent/ws/notes",
		Overrides: map[string][]byte{
			"/nonexistent/ws/bib/library.bib":     []byte("@misc{li2023blip,\n  title = {BLIP-2},\n}\n"),
			"/nonexistent/ws/notes/li2023blip.md": []byte("---\nkey: li2023blip\n---\nSee [@li2023blip].\n"),
			"/nonexistent/ws/paper/main.tex":      []byte("😀 \\citep{li2023blip}\n"),
		},
	}
	res, err := rekey.Plan(ws, "li2023blip", "li2023blip2")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Files {
		for _, e := range f.Edits {
			// Line and Column (runes) are 1-based; Character (UTF-16) is 0-based.
			fmt.Printf("%s:%d:%d (character %d): %s -> %s\n", f.Path, e.Start.Line, e.Start.Column, e.Start.Character, e.Kind, e.NewText)
		}
	}
	for _, r := range res.Renames {
		fmt.Println(r.From, "->", r.To)
	}
	// Output:
	// /nonexistent/ws/bib/library.bib:1:7 (character 6): entry key -> li2023blip2
	// /nonexistent/ws/notes/li2023blip.md:2:6 (character 5): note key -> li2023blip2
	// /nonexistent/ws/notes/li2023blip.md:4:7 (character 6): citation -> li2023blip2
	// /nonexistent/ws/paper/main.tex:1:10 (character 10): citation -> li2023blip2
	// /nonexistent/ws/notes/li2023blip.md -> /nonexistent/ws/notes/li2023blip2.md
}
