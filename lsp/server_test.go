package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtureBib = `@inproceedings{li2023blip,
  title = {{BLIP-2}: Bootstrapping Language-Image Pre-training with Frozen Image Encoders},
  author = {Li, Junnan and Li, Dongxu and Savarese, Silvio and Hoi, Steven},
  booktitle = {ICML},
  year = {2023},
  doi = {10.48550/arXiv.2301.12597},
}

@inproceedings{li2022grounded,
  title = {Grounded Language-Image Pre-training},
  author = {Li, Liunian Harold and Zhang, Pengchuan},
  booktitle = {CVPR},
  year = {2022},
}

@article{wang2020deep,
  title = {深度学习综述},
  author = {王小明 and 李华},
  journal = {计算机学报},
  year = {2020},
}
`

const fixtureNote = `---
key: li2023blip
tags: [vlm, llm]
status: read
read: 2025-11-14
---

# BLIP-2

## Problem

Aligning frozen image encoders with frozen LLMs cheaply.

## Relevance

Baseline for our captioning work; compare with [@li2022grounded] and 😀 [@li2022grounded].
`

const fixtureTeX = `\documentclass{article}
\begin{document}
BLIP-2~\citep[p.~3]{li2023blip} and GLIP \cite{li2022grounded, li2023blib}.
\end{document}
`

func fixture(t testing.TB) string {
	return workspaceFixture(t, map[string]string{
		"config.yaml":         "language: en\n",
		"bib/library.bib":     fixtureBib,
		"notes/li2023blip.md": fixtureNote,
		"paper/main.tex":      fixtureTeX,
		"journal/2025-W47.md": "# 2025-W47\n\n- read [@li2023blip]\n",
	})
}

func labels(l completionList) []string {
	var out []string
	for _, it := range l.Items {
		out = append(out, it.Label)
	}
	return out
}

func TestCompletion(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	tests := []struct {
		name, file, text, marker string
		want                     []string
	}{
		// wang2020deep: 李华 reads "li hua".
		{"latex-opt", "paper/a.tex", `\citep[p.~3]{li`, `{li`, []string{"li2023blip", "li2022grounded", "wang2020deep"}},
		{"latex-second", "paper/a.tex", `\cite{li2023blip, gro`, `gro`, []string{"li2022grounded"}},
		{"latex-cites", "paper/a.tex", `\cites[see]{li2023blip}{Gro`, `{Gro`, []string{"li2022grounded"}},
		{"latex-parencite", "paper/a.tex", `\parencite{}`, `{`, []string{"li2023blip", "li2022grounded", "wang2020deep"}},
		{"md-at", "notes/x.md", "see [@gr", "[@gr", []string{"li2022grounded"}},
		{"md-suppress", "notes/x.md", "see [-@blip", "[-@blip", []string{"li2023blip"}},
		{"md-semicolon", "notes/x.md", "see [@li2023blip; @gro", "@gro", []string{"li2022grounded"}},
		{"md-wiki", "notes/x.md", "see [[grounded", "[[grounded", []string{"li2022grounded"}},
		{"md-words", "notes/x.md", "see [@blip 2023", "blip 2023", []string{"li2023blip"}},
		{"md-chinese", "notes/x.md", "see [@李", "[@李", []string{"li2023blip", "li2022grounded", "wang2020deep"}},
		{"md-chinese-title", "notes/x.md", "see [@深度", "[@深度", []string{"wang2020deep"}},
		{"md-pinyin", "notes/x.md", "see [@wangxiaoming", "[@wangxiaoming", []string{"wang2020deep"}},
		{"md-plain-at", "notes/x.md", "mail me@li", "me@li", nil},
		{"tex-not-cite", "paper/a.tex", `\textbf{li`, `{li`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri := c.open(filepath.Join(root, tt.file), tt.text)
			var l completionList
			m := c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(tt.text, tt.marker, true)})
			if m.Error != nil {
				t.Fatal(m.Error)
			}
			if string(m.Result) != "null" {
				if err := json.Unmarshal(m.Result, &l); err != nil {
					t.Fatal(err)
				}
			}
			got := labels(l)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("completion = %v, want %v", got, tt.want)
			}
			if len(l.Items) > 0 && !strings.Contains(l.Items[0].Detail, " — ") {
				t.Errorf("detail %q has no author/year", l.Items[0].Detail)
			}
		})
	}
}

func TestCompletionDocumentsNote(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	text := `\cite{li2023`
	uri := c.open(filepath.Join(root, "paper/b.tex"), text)
	var l completionList
	c.result("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(text, "li2023", true)}, &l)
	if len(l.Items) != 1 || l.Items[0].Documentation == nil || !strings.Contains(l.Items[0].Documentation.Value, "Aligning frozen") || !strings.Contains(l.Items[0].Documentation.Value, "read") {
		t.Fatalf("items = %+v", l.Items)
	}
	if !strings.HasPrefix(l.Items[0].Detail, "{BLIP-2}") && !strings.HasPrefix(l.Items[0].Detail, "BLIP-2") {
		t.Errorf("detail = %q", l.Items[0].Detail)
	}
	if e := l.Items[0].TextEdit; e == nil || e.NewText != "li2023blip" || e.Range.Start.Character != 6 || e.Range.End.Character != 12 {
		t.Errorf("text edit = %+v", e)
	}
}

func TestHover(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	uri := c.open(filepath.Join(root, "paper/main.tex"), fixtureTeX)
	var h hover
	c.result("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(fixtureTeX, "li2023blip}", false)}, &h)
	for _, want := range []string{"BLIP-2", "Junnan Li, Dongxu Li", "2023 · ICML", "https://doi.org/10.48550/arxiv.2301.12597", "**note** · read", "vlm, llm", "read 2025-11-14", "Aligning frozen image encoders"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	c.result("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(fixtureTeX, "li2023blib", false)}, &h)
	if !strings.Contains(h.Contents.Value, "not in the library") || !strings.Contains(h.Contents.Value, "`li2023blip`") {
		t.Errorf("unknown key hover:\n%s", h.Contents.Value)
	}
}

func TestDefinitionAndReferences(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	uri := c.open(filepath.Join(root, "paper/main.tex"), fixtureTeX)
	var locs []Location
	c.result("textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(fixtureTeX, "li2023blip}", false)}, &locs)
	if len(locs) != 2 || locs[0].URI != pathURI(filepath.Join(root, "notes/li2023blip.md")) || locs[1].URI != pathURI(filepath.Join(root, "bib/library.bib")) {
		t.Fatalf("definition = %+v", locs)
	}
	if r := locs[1].Range; r.Start.Line != 0 || r.Start.Character != 15 || r.End.Character != 25 {
		t.Errorf("entry range = %+v", r)
	}
	// From the note's key to the entry.
	nuri := c.open(filepath.Join(root, "notes/li2023blip.md"), fixtureNote)
	c.result("textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": nuri}, "position": posOf(fixtureNote, "key: li", true)}, &locs)
	if len(locs) != 1 || locs[0].URI != pathURI(filepath.Join(root, "bib/library.bib")) {
		t.Fatalf("definition from key = %+v", locs)
	}
	// References of li2022grounded from the note (after an emoji: UTF-16).
	c.result("textDocument/references", map[string]any{"textDocument": map[string]any{"uri": nuri}, "position": posOf(fixtureNote, "😀 [@li", true), "context": map[string]any{"includeDeclaration": false}}, &locs)
	if len(locs) != 3 {
		t.Fatalf("references = %+v", locs)
	}
	line := strings.Split(fixtureNote, "\n")[15]
	i := strings.LastIndex(line, "li2022grounded")
	if want := utf16Len(line[:i]); locs[1].Range.Start.Character != want || locs[1].Range.Start.Line != 15 {
		t.Errorf("second reference at %+v, want line 15 char %d", locs[1].Range, want)
	}
	if locs[2].URI != pathURI(filepath.Join(root, "paper/main.tex")) {
		t.Errorf("last reference %s", locs[2].URI)
	}
	// References of li2023blip from the bib entry: note key excluded, journal, tex.
	buri := c.open(filepath.Join(root, "bib/library.bib"), fixtureBib)
	c.result("textDocument/references", map[string]any{"textDocument": map[string]any{"uri": buri}, "position": Position{0, 18}, "context": map[string]any{"includeDeclaration": true}}, &locs)
	var files []string
	for _, l := range locs {
		files = append(files, filepath.Base(uriPath(l.URI)))
	}
	if got := strings.Join(files, " "); got != "library.bib 2025-W47.md li2023blip.md main.tex" {
		t.Errorf("reference files = %s", got)
	}
}

func TestDiagnostics(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	uri := c.open(filepath.Join(root, "paper/main.tex"), fixtureTeX)
	d := c.diagnostics(uri)
	if len(d) != 1 || d[0].Severity != severityError || !strings.Contains(d[0].Message, `unknown cite key: "li2023blib" (did you mean "li2023blip"?)`) {
		t.Fatalf("tex diagnostics = %+v", d)
	}
	// An edit fixes it.
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{map[string]any{"range": d[0].Range, "text": "li2023blip"}}})
	if d := c.diagnostics(uri); len(d) != 0 {
		t.Fatalf("after fix: %+v", d)
	}
	// A bib syntax error, at check's position.
	bad := strings.Replace(fixtureBib, "year = {2022},", "year = {2022", 1)
	buri := c.open(filepath.Join(root, "bib/library.bib"), bad)
	d = c.diagnostics(buri)
	if len(d) == 0 {
		t.Fatal("no bib diagnostics")
	}
	// Note front matter problem.
	nuri := c.open(filepath.Join(root, "notes/li2023blip.md"), strings.Replace(fixtureNote, "status: read", "status: done", 1))
	d = c.diagnostics(nuri)
	if len(d) != 1 || d[0].Code != "note-front-matter" || d[0].Range.Start.Line != 3 {
		t.Fatalf("note diagnostics = %+v", d)
	}
}

func TestDiagnosticsOutsideWorkspace(t *testing.T) {
	dir := t.TempDir()
	c := startServer(t, Options{})
	var res map[string]any
	c.result("initialize", map[string]any{"rootUri": nil, "capabilities": map[string]any{}}, &res)
	src := "@article{a,\n  title = {T},\n}\n@article{a,\n  title = {U},\n}\n"
	uri := c.open(filepath.Join(dir, "x.bib"), src)
	d := c.diagnostics(uri)
	found := false
	for _, x := range d {
		if x.Code == "duplicate-key" || strings.Contains(x.Message, "duplicate") {
			found = true
			if x.Range.Start.Line != 3 {
				t.Errorf("duplicate at %+v", x.Range)
			}
		}
	}
	if !found {
		t.Fatalf("diagnostics = %+v", d)
	}
}

func TestCodeActionCreatesNote(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	uri := c.open(filepath.Join(root, "paper/main.tex"), fixtureTeX)
	p := posOf(fixtureTeX, "li2022grounded,", false)
	var acts []struct {
		Title string `json:"title"`
		Edit  struct {
			DocumentChanges []map[string]any `json:"documentChanges"`
		} `json:"edit"`
	}
	c.result("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": Range{p, p}, "context": map[string]any{"diagnostics": []any{}}}, &acts)
	if len(acts) != 1 || acts[0].Title != "create note for li2022grounded" {
		t.Fatalf("actions = %+v", acts)
	}
	ch := acts[0].Edit.DocumentChanges
	if len(ch) != 2 || ch[0]["kind"] != "create" || ch[0]["uri"] != pathURI(filepath.Join(root, "notes/li2022grounded.md")) {
		t.Fatalf("changes = %+v", ch)
	}
	text := ch[1]["edits"].([]any)[0].(map[string]any)["newText"].(string)
	if !strings.Contains(text, "key: li2022grounded") || !strings.Contains(text, "added: 2026-12-03") {
		t.Errorf("scaffold:\n%s", text)
	}
	// A key with a note has no action.
	p = posOf(fixtureTeX, "li2023blip}", false)
	c.result("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": Range{p, p}, "context": map[string]any{}}, &acts)
	if len(acts) != 0 {
		t.Errorf("actions for a key with a note: %+v", acts)
	}
}

func TestSymbols(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	nuri := c.open(filepath.Join(root, "notes/li2023blip.md"), fixtureNote)
	var syms []documentSymbol
	c.result("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": nuri}}, &syms)
	var got []string
	for _, s := range syms {
		got = append(got, s.Name+s.Detail)
	}
	if strings.Join(got, " ") != "Problem#problem Relevance#relevance" {
		t.Errorf("document symbols = %v", got)
	}
	var ws []symbolInformation
	c.result("workspace/symbol", map[string]any{"query": "grounded"}, &ws)
	if len(ws) != 1 || ws[0].Name != "li2022grounded" || !strings.HasSuffix(ws[0].Location.URI, "library.bib") {
		t.Errorf("workspace symbols = %+v", ws)
	}
}

func TestMalformedRequests(t *testing.T) {
	c := startServer(t, Options{})
	c.sendRaw([]byte(`{not json`))
	if m := c.read(); m.Error == nil || m.Error.Code != codeParseError {
		t.Fatalf("parse error: %+v", m)
	}
	if m := c.call("textDocument/hover", map[string]any{}); m.Error == nil || m.Error.Code != codeServerNotInitialized {
		t.Fatalf("before initialize: %+v", m.Error)
	}
	var res map[string]any
	c.result("initialize", map[string]any{"capabilities": map[string]any{}}, &res)
	if m := c.call("textDocument/hover", "nonsense"); m.Error == nil || m.Error.Code != codeInvalidParams {
		t.Fatalf("bad params: %+v", m.Error)
	}
	if m := c.call("no/such", nil); m.Error == nil || m.Error.Code != codeMethodNotFound {
		t.Fatalf("unknown method: %+v", m.Error)
	}
	if m := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///nowhere.md"}, "position": Position{-5, 1 << 30}}); m.Error != nil {
		t.Fatalf("unknown document: %+v", m.Error)
	}
	c.result("shutdown", nil, &res)
	c.notify("exit", nil)
	if err := <-c.done; err != nil {
		t.Fatalf("serve after exit: %v", err)
	}
	c.done <- nil
}

func TestRenameFromTeX(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	uri := c.open(filepath.Join(root, "paper/main.tex"), fixtureTeX)
	p := posOf(fixtureTeX, "li2023blip}", false)
	var prep struct {
		Range       Range  `json:"range"`
		Placeholder string `json:"placeholder"`
	}
	c.result("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p}, &prep)
	if prep.Placeholder != "li2023blip" || prep.Range.Start != p {
		t.Fatalf("prepareRename = %+v", prep)
	}
	var edit struct {
		DocumentChanges []struct {
			Kind         string `json:"kind"`
			OldURI       string `json:"oldUri"`
			NewURI       string `json:"newUri"`
			TextDocument struct {
				URI     string `json:"uri"`
				Version *int   `json:"version"`
			} `json:"textDocument"`
			Edits []textEdit `json:"edits"`
		} `json:"documentChanges"`
	}
	c.result("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p, "newName": "li2023blip2"}, &edit)
	var got []string
	for _, ch := range edit.DocumentChanges {
		if ch.Kind == "rename" {
			got = append(got, "rename "+filepath.Base(uriPath(ch.OldURI))+" "+filepath.Base(uriPath(ch.NewURI)))
			continue
		}
		got = append(got, filepath.Base(uriPath(ch.TextDocument.URI))+":"+itoa(len(ch.Edits)))
		if filepath.Base(uriPath(ch.TextDocument.URI)) == "main.tex" {
			if ch.TextDocument.Version == nil || *ch.TextDocument.Version != 1 {
				t.Errorf("open buffer's version = %v", ch.TextDocument.Version)
			}
			if e := ch.Edits[0]; e.Range.Start != p || e.NewText != "li2023blip2" {
				t.Errorf("tex edit = %+v", e)
			}
		}
	}
	if want := "library.bib:1 2025-W47.md:1 li2023blip.md:1 main.tex:1 rename li2023blip.md li2023blip2.md"; strings.Join(got, " ") != want {
		t.Errorf("changes = %s\nwant      %s", strings.Join(got, " "), want)
	}
	for _, bad := range []struct{ name, want string }{
		{"li2022grounded", "taken"},
		{"a b", "unsafe"},
	} {
		m := c.call("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p, "newName": bad.name})
		if m.Error == nil || !strings.Contains(m.Error.Message, bad.want) {
			t.Errorf("rename to %q: %+v", bad.name, m.Error)
		}
	}
	// An unknown key cannot be renamed.
	m := c.call("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(fixtureTeX, "li2023blib", false)})
	if m.Error == nil || !strings.Contains(m.Error.Message, "not in the library") {
		t.Errorf("prepareRename of an unknown key: %+v", m.Error)
	}
}

func TestWatchedFiles(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	text := `\cite{newpaper`
	uri := c.open(filepath.Join(root, "paper/c.tex"), text)
	complete := func() []string {
		var l completionList
		m := c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(text, "newpaper", true)})
		if string(m.Result) != "null" {
			if err := json.Unmarshal(m.Result, &l); err != nil {
				t.Fatal(err)
			}
		}
		return labels(l)
	}
	if got := complete(); len(got) != 0 {
		t.Fatalf("before: %v", got)
	}
	// A new .bib file in the library folder, then its removal.
	more := filepath.Join(root, "bib", "more.bib")
	if err := os.WriteFile(more, []byte("@misc{newpaper2026,\n  title = {A New Paper},\n  year = {2026},\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": pathURI(more), "type": 1}}})
	if got := complete(); strings.Join(got, " ") != "newpaper2026" {
		t.Fatalf("after create: %v", got)
	}
	if err := os.Remove(more); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": pathURI(more), "type": 3}}})
	if got := complete(); len(got) != 0 {
		t.Fatalf("after delete: %v", got)
	}
}
