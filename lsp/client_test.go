package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testClient drives a Server over in-memory pipes.
type testClient struct {
	t      testing.TB
	root   string
	cancel context.CancelFunc
	in     *io.PipeWriter // to the server
	out    *bufio.Reader  // from the server
	nextID int
	// notifications received while waiting for responses, by method
	notes []message
	done  chan error
	msgs  chan []byte
	srv   *Server
}

func startServer(t testing.TB, opts Options) *testClient {
	t.Helper()
	c := startServerNoCleanup(t, opts)
	t.Cleanup(c.close)
	return c
}

// close stops the server and waits for it.
func (c *testClient) close() {
	c.cancel()
	c.in.Close()
	go func() {
		for range c.msgs {
		}
	}()
	<-c.done
}

func startServerNoCleanup(t testing.TB, opts Options) *testClient {
	t.Helper()
	if opts.Debounce == 0 {
		opts.Debounce = -1
	}
	sr, cw := io.Pipe()
	cr, sw := io.Pipe()
	srv := NewServer(opts)
	c := &testClient{t: t, in: cw, out: bufio.NewReader(cr), done: make(chan error, 1), msgs: make(chan []byte, 1<<16), srv: srv}
	// Read all the time, as a real client does: the server's writes (say,
	// diagnostics) must never block on a client busy writing.
	go func() {
		defer close(c.msgs)
		for {
			body, err := readMessage(c.out)
			if err != nil {
				return
			}
			c.msgs <- body
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		err := srv.Serve(ctx, sr, sw)
		sw.Close()
		c.done <- err
	}()
	c.cancel = cancel
	return c
}

func (c *testClient) send(v any) {
	c.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(body)
}

func (c *testClient) sendRaw(body []byte) {
	c.t.Helper()
	if _, err := io.WriteString(c.in, "Content-Length: "+itoa(len(body))+"\r\n\r\n"+string(body)); err != nil {
		c.t.Fatal(err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

var debugClient = os.Getenv("LSPDEBUG") != ""

func (c *testClient) read() message {
	c.t.Helper()
	body, ok := <-c.msgs
	if !ok {
		c.t.Fatal("read: server closed the connection")
	}
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		c.t.Fatalf("bad message %s: %v", body, err)
	}
	if debugClient {
		c.t.Logf("<- %.200s", body)
	}
	return m
}

// call sends a request and returns its response, keeping notifications.
func (c *testClient) call(method string, params any) message {
	c.t.Helper()
	c.nextID++
	id := c.nextID
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	for {
		m := c.read()
		if m.Method != "" {
			c.notes = append(c.notes, m)
			continue
		}
		if string(m.ID) == itoa(id) {
			return m
		}
	}
}

func (c *testClient) result(method string, params any, v any) {
	c.t.Helper()
	m := c.call(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: error %d %s", method, m.Error.Code, m.Error.Message)
	}
	if err := json.Unmarshal(m.Result, v); err != nil {
		c.t.Fatalf("%s: result %s: %v", method, m.Result, err)
	}
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// diagnostics returns the last diagnostics published for uri, reading
// until they come (a round trip flushes what the server sent before).
func (c *testClient) diagnostics(uri string) []diagnostic {
	c.t.Helper()
	c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}) // waits for the load; answers come in order
	var last *publishDiagnosticsParams
	for _, m := range c.notes {
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		var p publishDiagnosticsParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			c.t.Fatal(err)
		}
		if p.URI == uri {
			last = &p
		}
	}
	if last == nil {
		for _, m := range c.notes {
			c.t.Logf("%s %s", m.Method, m.Params)
		}
		c.t.Fatalf("no diagnostics for %s", uri)
	}
	return last.Diagnostics
}

// workspaceFixture writes a small workspace and returns its root.
func workspaceFixture(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func fixedWorkspace(root string) func(string) (*Workspace, error) {
	return func(string) (*Workspace, error) {
		return &Workspace{
			Root:       root,
			BibPaths:   []string{filepath.Join(root, "bib")},
			NotesDir:   filepath.Join(root, "notes"),
			JournalDir: filepath.Join(root, "journal"),
			Language:   "en",
		}, nil
	}
}

// initClient starts a server on root and opens nothing.
func initClient(t testing.TB, root string) *testClient {
	t.Helper()
	c := startServer(t, Options{Log: os.Stderr, FindWorkspace: fixedWorkspace(root), Today: func() time.Time { return time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC) }})
	var res map[string]any
	c.root = pathURI(root)
	c.result("initialize", map[string]any{"rootUri": pathURI(root), "capabilities": map[string]any{}}, &res)
	c.notify("initialized", map[string]any{})
	return c
}

func (c *testClient) open(path, text string) string {
	uri := pathURI(path)
	lang := map[string]string{".md": "markdown", ".tex": "tex", ".bib": "bibtex"}[filepath.Ext(path)]
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": lang, "version": 1, "text": text}})
	return uri
}

// posOf returns the LSP position just after the first occurrence of marker
// in text (or at it, with before).
func posOf(text, marker string, after bool) Position {
	i := strings.Index(text, marker)
	if i < 0 {
		panic("marker not found: " + marker)
	}
	if after {
		i += len(marker)
	}
	return newText(text).position(i)
}

// waitDiagnostics reads until diagnostics for uri arrive.
func (c *testClient) waitDiagnostics(uri string) []diagnostic {
	c.t.Helper()
	for {
		m := c.read()
		if m.Method != "textDocument/publishDiagnostics" {
			c.notes = append(c.notes, m)
			continue
		}
		var p publishDiagnosticsParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			c.t.Fatal(err)
		}
		if p.URI == uri {
			return p.Diagnostics
		}
	}
}
