package lsp

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

// FuzzRequests opens a random document of each kind, applies a random edit
// and sends every position request at random positions: the server must
// answer each request (a result or a JSON-RPC error) and never panic.
// Handler panics are recovered and reported as internal errors, so the test
// fails on any internal error.
func FuzzRequests(f *testing.F) {
	f.Add(fixtureTeX, uint16(2), uint16(20), uint16(1), uint16(5), "li", ".tex")
	f.Add(fixtureNote, uint16(15), uint16(60), uint16(3), uint16(0), "[@gr", ".md")
	f.Add(fixtureBib, uint16(0), uint16(18), uint16(0), uint16(3), "}", ".bib")
	f.Add("\\cites[a]{x}{", uint16(0), uint16(13), uint16(0), uint16(0), "😀李", ".tex")
	f.Add("[[li|x]] [-@li; @", uint16(0), uint16(1000), uint16(9), uint16(9), "\r\n", ".md")
	root := fixture(f)
	// One server for every input, as in an editor session: state from one
	// input (a broken .bib, a note with a duplicate key) carries over.
	c := initClient(f, root)
	n := 0
	f.Fuzz(func(t *testing.T, doc string, line, char, eline, echar uint16, insert, ext string) {
		switch ext {
		case ".tex", ".md", ".bib":
		default:
			ext = ".md"
		}
		c.t = t
		defer func() { c.t = f }()
		dir := "paper"
		if ext == ".md" {
			dir = "notes"
		}
		n++
		uri := c.open(filepath.Join(root, dir, fmt.Sprintf("fuzz%d%s", n%4, ext)), doc)
		pos := Position{Line: int(line % 64), Character: int(char % 512)}
		end := Position{Line: int(eline % 64), Character: int(echar % 512)}
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": 2},
			"contentChanges": []any{map[string]any{"range": Range{pos, end}, "text": insert}},
		})
		tp := map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos}
		for _, m := range []string{"textDocument/completion", "textDocument/hover", "textDocument/definition", "textDocument/documentSymbol"} {
			expectNoInternal(t, c.call(m, tp))
		}
		expectNoInternal(t, c.call("textDocument/references", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": end, "context": map[string]any{"includeDeclaration": true}}))
		expectNoInternal(t, c.call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": Range{pos, end}, "context": map[string]any{}}))
		expectNoInternal(t, c.call("workspace/symbol", map[string]any{"query": insert}))
		c.diagnostics(uri)
	})
}

func expectNoInternal(t *testing.T, m message) {
	t.Helper()
	if m.Error != nil && m.Error.Code == codeInternalError {
		t.Fatalf("internal error: %s", m.Error.Message)
	}
	var v any
	if m.Error == nil && json.Unmarshal(m.Result, &v) != nil {
		t.Fatalf("bad result %s", m.Result)
	}
}
