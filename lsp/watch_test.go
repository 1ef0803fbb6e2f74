package lsp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// completes polls completion of prefix in a .tex buffer until it offers
// key or ctx is done.
func (c *testClient) completes(ctx context.Context, uri, text, key string) bool {
	c.t.Helper()
	for {
		var l completionList
		m := c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(text, "{", true)})
		if m.Error != nil {
			c.t.Fatal(m.Error)
		}
		if string(m.Result) != "null" {
			if err := json.Unmarshal(m.Result, &l); err != nil {
				c.t.Fatal(err)
			}
		}
		if slices.Contains(labels(l), key) {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond): // poll interval, not an assertion
		}
	}
}

// A client that cannot watch files: the server watches the folders itself
// and finds entries written to disk without any notification.
func TestWatchFsnotify(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	text := `\cite{}`
	uri := c.open(filepath.Join(root, "paper/w.tex"), text)
	if c.completes(context.Background(), uri, text, "li2023blip") == false {
		t.Fatal("no completion before the change")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// A new entry in a library file.
	lib := filepath.Join(root, "bib/library.bib")
	old, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lib, append(old, "\n@article{zhou2026watch, title={Watched}, author={Zhou, Yi}, year={2026}}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if !c.completes(ctx, uri, text, "zhou2026watch") {
		t.Fatal("entry written to a library file not offered")
	}
	// A new library file in a folder of the library, in a new sub-folder.
	if err := os.MkdirAll(filepath.Join(root, "bib/more"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bib/more/new.bib"), []byte("@book{qian2026new, title={New}, author={Qian, Er}, year={2026}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !c.completes(ctx, uri, text, "qian2026new") {
		t.Fatal("entry of a new library file not offered")
	}
}

// A client that can watch files is asked to, with globs over every folder
// the server reads.
func TestWatchRegistration(t *testing.T) {
	root := fixture(t)
	texRoot := t.TempDir()
	ws := func(string) (*Workspace, error) {
		return &Workspace{
			Root:       root,
			BibPaths:   []string{filepath.Join(root, "bib"), filepath.Join(root, "extra.bib")},
			NotesDir:   filepath.Join(root, "notes"),
			JournalDir: filepath.Join(root, "journal"),
			ReportDir:  filepath.Join(root, "reports"),
			TexRoots:   []string{texRoot},
		}, nil
	}
	c := startServer(t, Options{Log: os.Stderr, FindWorkspace: ws})
	var res map[string]any
	c.result("initialize", map[string]any{"rootUri": pathURI(root), "capabilities": map[string]any{
		"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}},
	}}, &res)
	c.notify("initialized", map[string]any{})
	var req message
	for {
		req = c.read()
		if req.Method == "client/registerCapability" {
			break
		}
		c.notes = append(c.notes, req)
	}
	var p struct {
		Registrations []struct {
			ID              string `json:"id"`
			Method          string `json:"method"`
			RegisterOptions struct {
				Watchers []struct {
					GlobPattern string `json:"globPattern"`
				} `json:"watchers"`
			} `json:"registerOptions"`
		} `json:"registrations"`
	}
	if err := json.Unmarshal(req.Params, &p); err != nil {
		t.Fatal(err)
	}
	if len(req.ID) == 0 || len(p.Registrations) != 1 || p.Registrations[0].Method != "workspace/didChangeWatchedFiles" {
		t.Fatalf("request = %s %s", req.ID, req.Params)
	}
	var got []string
	for _, w := range p.Registrations[0].RegisterOptions.Watchers {
		got = append(got, w.GlobPattern)
	}
	r := filepath.ToSlash(root)
	want := []string{
		r + "/bib/**/*.bib", r + "/extra.bib", r + "/notes/**/*.md", r + "/journal/**/*.md",
		r + "/reports/**/*.md", r + "/**/*.tex", filepath.ToSlash(texRoot) + "/**/*.tex",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("globs = %q\nwant %q", got, want)
	}
	c.send(map[string]any{"jsonrpc": "2.0", "id": json.RawMessage(req.ID), "result": nil})
	c.srv.mu.Lock()
	w := c.srv.watcher
	c.srv.mu.Unlock()
	if w != nil {
		t.Error("an fsnotify watcher as well as the client's")
	}

	// The client then reports changes.
	text := `\cite{}`
	uri := c.open(filepath.Join(root, "paper/w.tex"), text)
	if err := os.WriteFile(filepath.Join(root, "extra.bib"), []byte("@misc{sun2026reg, title={Registered}, year={2026}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{{"uri": pathURI(filepath.Join(root, "extra.bib")), "type": 1}}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if !c.completes(ctx, uri, text, "sun2026reg") {
		t.Fatal("entry of a reported file not offered")
	}
}

// The fsnotify watcher is closed at shutdown; a client that watches gets
// no watcher at all.
func TestWatchClosedOnShutdown(t *testing.T) {
	root := fixture(t)
	c := initClient(t, root)
	c.call("workspace/symbol", map[string]any{"query": "blip"}) // after initialized
	c.srv.mu.Lock()
	w := c.srv.watcher
	c.srv.mu.Unlock()
	if w == nil {
		t.Fatal("no fsnotify watcher for a client without file watching")
	}
	if err := w.Add(root); err != nil {
		t.Fatalf("watcher before shutdown: %v", err)
	}
	if m := c.call("shutdown", nil); m.Error != nil {
		t.Fatal(m.Error)
	}
	c.srv.mu.Lock()
	after := c.srv.watcher
	c.srv.mu.Unlock()
	if after != nil {
		t.Fatal("watcher still set after shutdown")
	}
	if err := w.Add(root); err == nil {
		t.Fatal("watcher accepts folders after shutdown")
	}
}

func TestWatchersGlobCharacters(t *testing.T) {
	plain := []watchGlob{{"/ws/notes", "**/*.md"}, {"/ws/extra.bib", ""}}
	got, ok := watchers(plain, false)
	if !ok || len(got) != 2 || got[0]["globPattern"] != "/ws/notes/**/*.md" || got[1]["globPattern"] != "/ws/extra.bib" {
		t.Fatalf("plain paths, absolute: %v %v", got, ok)
	}
	odd := []watchGlob{{"/ws/papers [2024]/notes", "**/*.md"}, {"/ws/{a}/extra.bib", ""}}
	if got, ok := watchers(odd, false); ok {
		t.Fatalf("a path with glob characters sent as a glob: %v", got)
	}
	got, ok = watchers(odd, true)
	if !ok || len(got) != 2 {
		t.Fatalf("relative patterns: %v %v", got, ok)
	}
	rel := got[0]["globPattern"].(map[string]any)
	if rel["baseUri"] != pathURI("/ws/papers [2024]/notes") || rel["pattern"] != "**/*.md" {
		t.Errorf("folder as a relative pattern: %v", rel)
	}
	rel = got[1]["globPattern"].(map[string]any)
	if rel["baseUri"] != pathURI("/ws/{a}") || rel["pattern"] != "extra.bib" {
		t.Errorf("file as a relative pattern: %v", rel)
	}
	if got, ok := watchers([]watchGlob{{"/ws/lib[1].bib", ""}}, true); ok {
		t.Fatalf("a file name with glob characters sent as a pattern: %v", got)
	}
}
