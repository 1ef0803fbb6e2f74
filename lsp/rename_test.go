package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

type testWorkspaceEdit struct {
	DocumentChanges []json.RawMessage `json:"documentChanges"`
}

// applyEdit applies a WorkspaceEdit as a client would: text edits to the
// files (open buffers given in bufs, else the disk), then renames. It
// returns the final text of every file it touched, by path relative to root.
func applyEdit(t *testing.T, root string, we testWorkspaceEdit, bufs map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, raw := range we.DocumentChanges {
		var ch struct {
			Kind         string          `json:"kind"`
			OldURI       string          `json:"oldUri"`
			NewURI       string          `json:"newUri"`
			TextDocument json.RawMessage `json:"textDocument"`
			Edits        []textEdit      `json:"edits"`
		}
		if err := json.Unmarshal(raw, &ch); err != nil {
			t.Fatal(err)
		}
		rel := func(uri string) string {
			r, err := filepath.Rel(root, uriPath(uri))
			if err != nil {
				t.Fatal(err)
			}
			return filepath.ToSlash(r)
		}
		if ch.Kind == "rename" {
			from, to := rel(ch.OldURI), rel(ch.NewURI)
			out[to] = out[from]
			delete(out, from)
			continue
		}
		var id versionedTextDocumentIdentifier
		if err := json.Unmarshal(ch.TextDocument, &id); err != nil {
			t.Fatal(err)
		}
		path := rel(id.URI)
		src, ok := bufs[path]
		if !ok {
			b, err := os.ReadFile(filepath.Join(root, path))
			if err != nil {
				t.Fatal(err)
			}
			src = string(b)
		}
		tx := newText(src)
		// Edits never overlap; apply from the last so offsets stay valid.
		sort.Slice(ch.Edits, func(i, j int) bool { return tx.offset(ch.Edits[i].Range.Start) > tx.offset(ch.Edits[j].Range.Start) })
		for _, e := range ch.Edits {
			from, to := tx.offset(e.Range.Start), tx.offset(e.Range.End)
			src = src[:from] + e.NewText + src[to:]
		}
		out[path] = src
	}
	return out
}

func TestRenameEdits(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	// An unsaved buffer: its new citation is renamed too.
	buf := strings.Replace(fixtureTeX, "\\end{document}", "Again 😀 \\cite{li2023blip}.\n\\end{document}", 1)
	uri := c.open(filepath.Join(root, "paper/main.tex"), buf)

	var prep prepareRenameResult
	c.result("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(buf, "li2023blip}", false)}, &prep)
	if prep.Placeholder != "li2023blip" || prep.Range.Start != (Position{2, 20}) || prep.Range.End != (Position{2, 30}) {
		t.Errorf("prepareRename = %+v", prep)
	}
	if m := c.call("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(buf, "documentclass", true)}); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("prepareRename off a key = %s %+v", m.Result, m.Error)
	}
	if m := c.call("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(buf, "li2023blib", false)}); m.Error == nil || !strings.Contains(m.Error.Message, "not in the library") {
		t.Errorf("prepareRename of an unknown key = %s %+v", m.Result, m.Error)
	}

	var we testWorkspaceEdit
	c.result("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(buf, "li2023blip}", false), "newName": "li2023blip2"}, &we)
	got := applyEdit(t, root, we, map[string]string{"paper/main.tex": buf})
	want := map[string]string{
		"bib/library.bib":      strings.Replace(fixtureBib, "{li2023blip,", "{li2023blip2,", 1),
		"journal/2025-W47.md":  "# 2025-W47\n\n- read [@li2023blip2]\n",
		"notes/li2023blip2.md": strings.Replace(fixtureNote, "key: li2023blip", "key: li2023blip2", 1),
		"paper/main.tex":       strings.ReplaceAll(buf, "li2023blip}", "li2023blip2}"),
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("%s after the rename:\n%s\nwant:\n%s", path, got[path], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("files changed: %v", got)
	}
	// The open buffer's edit carries its version; the rename comes last.
	var first struct {
		TextDocument versionedTextDocumentIdentifier `json:"textDocument"`
	}
	for _, raw := range we.DocumentChanges {
		_ = json.Unmarshal(raw, &first)
		if first.TextDocument.URI == uri && (first.TextDocument.Version == nil || *first.TextDocument.Version != 1) {
			t.Errorf("open buffer edit without its version: %s", raw)
		}
	}
	if last := string(we.DocumentChanges[len(we.DocumentChanges)-1]); !strings.Contains(last, `"kind":"rename"`) {
		t.Errorf("last change is not the file rename: %s", last)
	}
	// The server wrote nothing.
	if _, err := os.Stat(filepath.Join(root, "notes/li2023blip.md")); err != nil {
		t.Errorf("the server renamed the note itself: %v", err)
	}
}

func TestRenameFromBibAndNote(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	for _, tc := range []struct{ file, text, marker string }{
		{"bib/library.bib", fixtureBib, "li2023blip,"},
		{"notes/li2023blip.md", fixtureNote, "key: li"},
	} {
		uri := c.open(filepath.Join(root, tc.file), tc.text)
		var we testWorkspaceEdit
		c.result("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(tc.text, tc.marker, strings.HasPrefix(tc.marker, "key")), "newName": "blip2"}, &we)
		got := applyEdit(t, root, we, map[string]string{tc.file: tc.text})
		if !strings.Contains(got["bib/library.bib"], "@inproceedings{blip2,") || !strings.Contains(got["notes/blip2.md"], "key: blip2") || !strings.Contains(got["paper/main.tex"], `\citep[p.~3]{blip2}`) {
			t.Errorf("rename from %s: %v", tc.file, got)
		}
	}
}

func TestRenameRefused(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	uri := c.open(filepath.Join(root, "paper/main.tex"), fixtureTeX)
	for _, tc := range []struct{ newName, want string }{
		{"li2022grounded", "new key is taken"},
		{"LI2022GROUNDED", "new key is taken"},
		{"a b", "new key is unsafe"},
		{"li2023blip", "the new key is the old key"},
	} {
		m := c.call("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(fixtureTeX, "li2023blip}", false), "newName": tc.newName})
		if m.Error == nil || m.Error.Code != codeRequestFailed || !strings.Contains(m.Error.Message, tc.want) {
			t.Errorf("rename to %q: %s %+v, want an error with %q", tc.newName, m.Result, m.Error, tc.want)
		}
	}
	m := c.call("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(fixtureTeX, "documentclass", true), "newName": "x"})
	if m.Error == nil || !strings.Contains(m.Error.Message, "no cite key to rename here") {
		t.Errorf("rename off a key: %+v", m.Error)
	}
}

// FuzzRename sends prepareRename and rename at random positions of a random
// open document with a random new name: the server never fails internally
// (a recovered panic is an internal error), and a WorkspaceEdit's ranges
// are ordered.
func FuzzRename(f *testing.F) {
	f.Add(fixtureTeX, uint16(2), uint16(21), "li2023blip2", true)
	f.Add(fixtureNote, uint16(1), uint16(6), "blip", false)
	f.Add(fixtureNote, uint16(15), uint16(60), "a b", false)
	f.Add("[@li2023blip] 😀 [[li2023blip]]", uint16(0), uint16(20), "x:y/z", false)
	f.Add("\\cites{li2023blip}{li2022grounded}", uint16(0), uint16(9), "", true)
	f.Fuzz(func(t *testing.T, doc string, line, char uint16, newName string, tex bool) {
		root := fixture(t)
		c := initClient(t, root)
		name := "notes/fuzz.md"
		if tex {
			name = "paper/fuzz.tex"
		}
		uri := c.open(filepath.Join(root, name), doc)
		pos := Position{Line: int(line % 64), Character: int(char)}
		td := map[string]any{"uri": uri}
		if m := c.call("textDocument/prepareRename", map[string]any{"textDocument": td, "position": pos}); m.Error != nil && m.Error.Code == codeInternalError {
			t.Fatalf("prepareRename: %s", m.Error.Message)
		}
		m := c.call("textDocument/rename", map[string]any{"textDocument": td, "position": pos, "newName": newName})
		if m.Error != nil {
			if m.Error.Code == codeInternalError {
				t.Fatalf("rename: %s", m.Error.Message)
			}
			return
		}
		var we struct {
			DocumentChanges []struct {
				Edits []textEdit `json:"edits"`
			} `json:"documentChanges"`
		}
		if err := json.Unmarshal(m.Result, &we); err != nil {
			t.Fatal(err)
		}
		for _, ch := range we.DocumentChanges {
			for _, e := range ch.Edits {
				s, en := e.Range.Start, e.Range.End
				if s.Line > en.Line || s.Line == en.Line && s.Character > en.Character || s.Line < 0 || s.Character < 0 {
					t.Fatalf("bad range %+v", e.Range)
				}
			}
		}
	})
}

// prepareRenameResult is the answer to textDocument/prepareRename.
type prepareRenameResult struct {
	Range       Range  `json:"range"`
	Placeholder string `json:"placeholder"`
}
