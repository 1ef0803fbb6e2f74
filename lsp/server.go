package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options configures a [Server]. The zero value serves .bib files outside
// any workspace only.
type Options struct {
	// FindWorkspace returns the workspace that contains dir, or an error when
	// dir is in none. The CLI finds it as its commands do. Nil: no workspace.
	FindWorkspace func(dir string) (*Workspace, error)
	// TexRoots are extra folders with .tex files (`lsp --tex-root`), added
	// to the workspace's own.
	TexRoots []string
	// Today returns the date written into a new note's front matter; nil
	// writes none. The server never reads the clock itself.
	Today func() time.Time
	// Debounce delays diagnostics after a change; 0 means 150 ms and a
	// negative value publishes at once, before the change's handler returns.
	Debounce time.Duration
	// Log receives one line per internal problem (a recovered panic); nil
	// discards them.
	Log io.Writer
}

// document is an open buffer.
type document struct {
	uri     string
	path    string
	version int
	text    *text
}

// Server is a language server over one connection. All of its state is
// guarded by mu; requests are handled one at a time, in order, while
// diagnostics are computed on a timer.
type Server struct {
	opts Options
	conn *conn

	mu          sync.Mutex
	initialized bool
	shutdown    bool
	st          *state        // nil: no workspace
	ready       chan struct{} // closed when the library is loaded
	full        chan struct{} // closed when everything is loaded
	loading     bool
	fullLoaded  bool
	kick        chan struct{}        // starts the second phase of a load
	lastChanged string               // the document changed last
	stop        chan struct{}        // closed when Serve returns
	docs        map[string]*document // by path
	timer       *time.Timer
	pending     map[string]bool // paths whose diagnostics are due
	// changedEarly are the files reported changed on disk while a load was
	// reading: each phase re-reads them once it is installed, so that a
	// change is not lost to a copy read before it.
	changedEarly map[string]bool
	capabilities clientCaps
	// Reloading on disk changes (watch.go).
	clientReady bool       // the client sent initialized
	watchWS     *Workspace // the workspace whose files are watched
	watching    bool
	watcher     *fsnotify.Watcher // nil: the client watches, or nothing
}

type clientCaps struct {
	documentChanges   bool
	watchRegistration bool // workspace.didChangeWatchedFiles.dynamicRegistration
	relativePatterns  bool // workspace.didChangeWatchedFiles.relativePatternSupport
}

// NewServer returns a server; call [Server.Serve] to run it.
func NewServer(opts Options) *Server {
	if opts.Debounce == 0 {
		opts.Debounce = 150 * time.Millisecond
	}
	ready := make(chan struct{})
	close(ready)
	return &Server{
		opts: opts, docs: map[string]*document{}, pending: map[string]bool{},
		ready: ready, full: ready, kick: make(chan struct{}, 1), stop: make(chan struct{}),
	}
}

// ErrExitWithoutShutdown is returned by Serve when the client sent exit
// before shutdown (the protocol's exit code 1).
var ErrExitWithoutShutdown = errors.New("exit without shutdown")

// Serve reads requests from r and writes responses and notifications to w
// until the client sends exit, r ends, or ctx is done. It returns nil after
// shutdown and exit, ErrExitWithoutShutdown after a bare exit, and the read
// error when the stream breaks.
func (s *Server) Serve(ctx context.Context, r io.Reader, w io.Writer) error {
	s.conn = &conn{w: w}
	defer close(s.stop)
	defer s.stopWatching()
	br := bufio.NewReaderSize(r, 64<<10)
	type result struct {
		body []byte
		err  error
	}
	msgs := make(chan result)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			body, err := readMessage(br)
			select {
			case msgs <- result{body, err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer s.stopTimer()
	for {
		var m result
		select {
		case <-ctx.Done():
			return ctx.Err()
		case m = <-msgs:
		}
		if m.err != nil {
			if m.err == io.EOF {
				return nil
			}
			return m.err
		}
		exit := s.handle(m.body)
		s.kickLoad()
		if exit {
			s.mu.Lock()
			down := s.shutdown
			s.mu.Unlock()
			if !down {
				return ErrExitWithoutShutdown
			}
			return nil
		}
	}
}

func (s *Server) stopTimer() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
	}
}

// handle processes one message and reports whether it was exit.
func (s *Server) handle(body []byte) (exit bool) {
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		_ = s.conn.reply(nil, nil, &rpcError{Code: codeParseError, Message: "parse error: " + err.Error()})
		return false
	}
	isRequest := len(m.ID) > 0 && string(m.ID) != "null"
	if m.Method == "" {
		if !isRequest && m.Result == nil && m.Error == nil {
			_ = s.conn.reply(nil, nil, &rpcError{Code: codeInvalidRequest, Message: "invalid request: no method"})
		}
		return false // a response to one of our requests
	}
	if m.Method == "exit" {
		return true
	}
	result, err := s.dispatch(m.Method, m.Params, isRequest)
	if isRequest {
		_ = s.conn.reply(m.ID, result, err)
	}
	return false
}

// dispatch runs a handler, turning a panic into an internal error so that
// no input can bring the server down.
func (s *Server) dispatch(method string, params json.RawMessage, isRequest bool) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			if s.opts.Log != nil {
				fmt.Fprintf(s.opts.Log, "lsp: panic in %s: %v\n%s", method, p, debug.Stack())
			}
			result, err = nil, &rpcError{Code: codeInternalError, Message: fmt.Sprintf("internal error in %s: %v", method, p)}
		}
	}()
	h, ok := handlers[method]
	if !ok {
		if strings.HasPrefix(method, "$/") || !isRequest {
			return nil, nil
		}
		return nil, &rpcError{Code: codeMethodNotFound, Message: "method not found: " + method}
	}
	s.mu.Lock()
	inited, down := s.initialized, s.shutdown
	s.mu.Unlock()
	if !inited && method != "initialize" {
		return nil, &rpcError{Code: codeServerNotInitialized, Message: "server not initialized"}
	}
	if down && method != "shutdown" {
		return nil, &rpcError{Code: codeInvalidRequest, Message: "server is shutting down"}
	}
	return h(s, params)
}

type handler func(s *Server, params json.RawMessage) (any, error)

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"initialize":                       (*Server).initialize,
		"initialized":                      (*Server).didInitialize,
		"shutdown":                         (*Server).doShutdown,
		"textDocument/didOpen":             (*Server).didOpen,
		"textDocument/didChange":           (*Server).didChange,
		"textDocument/didClose":            (*Server).didClose,
		"textDocument/didSave":             func(*Server, json.RawMessage) (any, error) { return nil, nil },
		"workspace/didChangeWatchedFiles":  (*Server).didChangeWatched,
		"workspace/didChangeConfiguration": func(*Server, json.RawMessage) (any, error) { return nil, nil },
		"textDocument/completion":          (*Server).completion,
		"textDocument/hover":               (*Server).hover,
		"textDocument/definition":          (*Server).definition,
		"textDocument/references":          (*Server).references,
		"textDocument/codeAction":          (*Server).codeAction,
		"textDocument/documentSymbol":      (*Server).documentSymbol,
		"workspace/symbol":                 (*Server).workspaceSymbol,
		"textDocument/prepareRename":       (*Server).prepareRename,
		"textDocument/rename":              (*Server).rename,
	}
}

func decode(params json.RawMessage, v any) error {
	if len(params) == 0 {
		return &rpcError{Code: codeInvalidParams, Message: "invalid params: missing"}
	}
	if err := json.Unmarshal(params, v); err != nil {
		return &rpcError{Code: codeInvalidParams, Message: "invalid params: " + err.Error()}
	}
	return nil
}

func (s *Server) initialize(params json.RawMessage) (any, error) {
	var p initializeParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	var caps struct {
		Workspace struct {
			WorkspaceEdit struct {
				DocumentChanges bool `json:"documentChanges"`
			} `json:"workspaceEdit"`
			DidChangeWatchedFiles struct {
				DynamicRegistration    bool `json:"dynamicRegistration"`
				RelativePatternSupport bool `json:"relativePatternSupport"`
			} `json:"didChangeWatchedFiles"`
		} `json:"workspace"`
	}
	_ = json.Unmarshal(p.Capabilities, &caps)
	root := uriPath(p.RootURI)
	if root == "" && len(p.WorkspaceFolders) > 0 {
		root = uriPath(p.WorkspaceFolders[0].URI)
	}
	if root == "" {
		root = p.RootPath
	}
	s.mu.Lock()
	s.initialized = true
	s.capabilities.documentChanges = caps.Workspace.WorkspaceEdit.DocumentChanges
	s.capabilities.watchRegistration = caps.Workspace.DidChangeWatchedFiles.DynamicRegistration
	s.capabilities.relativePatterns = caps.Workspace.DidChangeWatchedFiles.RelativePatternSupport
	s.mu.Unlock()
	if root != "" {
		s.startLoad(root)
	}
	return map[string]any{
		"capabilities": map[string]any{
			"positionEncoding": "utf-16",
			"textDocumentSync": map[string]any{"openClose": true, "change": 2, "save": map[string]any{"includeText": false}},
			"completionProvider": map[string]any{
				"triggerCharacters": []string{"@", "{", ",", "["},
			},
			"hoverProvider":           true,
			"definitionProvider":      true,
			"referencesProvider":      true,
			"codeActionProvider":      map[string]any{"codeActionKinds": []string{"quickfix"}},
			"documentSymbolProvider":  true,
			"workspaceSymbolProvider": true,
			"renameProvider":          map[string]any{"prepareProvider": true},
		},
		"serverInfo": map[string]any{"name": "papernotes"},
	}, nil
}

// startLoad finds the workspace of dir and loads it in the background;
// requests that need it wait for it (see waitReady).
func (s *Server) startLoad(dir string) {
	if s.opts.FindWorkspace == nil {
		return
	}
	s.mu.Lock()
	if s.loading {
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	ws, err := s.opts.FindWorkspace(dir)
	if err != nil || ws == nil {
		return
	}
	ws.TexRoots = append(append([]string(nil), ws.TexRoots...), s.opts.TexRoots...)
	st := newState(*ws)
	ready := make(chan struct{})
	s.mu.Lock()
	if s.loading {
		s.mu.Unlock()
		return
	}
	s.loading = true
	s.ready = ready
	full := make(chan struct{})
	s.full = full
	s.watchWS = &st.ws
	s.mu.Unlock()
	go s.load(st, ready, full)
	s.startWatching()
}

func (s *Server) didInitialize(json.RawMessage) (any, error) {
	s.mu.Lock()
	s.clientReady = true
	s.mu.Unlock()
	s.startWatching()
	return nil, nil
}

// load reads the workspace in two phases. The first (library, completion
// index, note keys) is what completion needs, so that the first completion
// comes quickly; the second parses every note, .tex and report file, which
// hover, references and diagnostics need. Each phase is computed without
// the lock and then installed under it.
func (s *Server) load(st *state, ready, full chan struct{}) {
	readyClosed := false
	defer close(full)
	defer func() {
		if !readyClosed {
			close(ready)
		}
	}()
	defer func() {
		if p := recover(); p != nil && s.opts.Log != nil {
			fmt.Fprintf(s.opts.Log, "lsp: panic loading %s: %v\n%s", st.ws.Root, p, debug.Stack())
		}
	}()
	st.loadBib()
	st.quickKeys()
	st.index()
	s.mu.Lock()
	s.st = st
	for _, d := range s.docs {
		src := d.text.s
		st.update(d.path, &src)
	}
	s.reloadEarlyLocked(false)
	s.mu.Unlock()
	select { // forget kicks from before the first phase was done
	case <-s.kick:
	default:
	}
	close(ready)
	readyClosed = true

	// The second phase waits for the request that follows (the first
	// completion, say) so as not to take the CPU from it, or for a request
	// that needs it, or 300 ms at most.
	select {
	case <-s.kick:
	case <-time.After(300 * time.Millisecond):
	case <-s.stop:
		return
	}
	nd := st.readNotes()
	od := st.readOthers()
	s.mu.Lock()
	defer s.mu.Unlock()
	st.installNotes(nd)
	st.installOthers(od)
	for _, d := range s.docs {
		src := d.text.s
		st.update(d.path, &src)
		s.pending[d.path] = true
	}
	s.fullLoaded = true
	s.reloadEarlyLocked(true)
	s.scheduleLocked()
}

// waitReady waits for the first phase of a workspace load in progress:
// the library and the note keys.
func (s *Server) waitReady() {
	s.mu.Lock()
	ready := s.ready
	s.mu.Unlock()
	<-ready
}

// kickLoad lets the second phase of a load start.
func (s *Server) kickLoad() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// waitFull waits for a workspace load in progress to finish.
func (s *Server) waitFull() {
	s.kickLoad()
	s.mu.Lock()
	full := s.full
	s.mu.Unlock()
	<-full
}

func (s *Server) doShutdown(json.RawMessage) (any, error) {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	s.stopWatching()
	return nil, nil
}

// uriPath returns the file path of a file:// URI, or "" for anything else.
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	p := u.Path
	if p == "" {
		return ""
	}
	return filepath.Clean(filepath.FromSlash(p))
}

// pathURI returns the file:// URI of an absolute path.
func pathURI(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	return u.String()
}

func (s *Server) didOpen(params json.RawMessage) (any, error) {
	var p didOpenParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	path := uriPath(p.TextDocument.URI)
	if path == "" {
		return nil, nil
	}
	s.mu.Lock()
	noWorkspace := s.st == nil && !s.loading
	s.mu.Unlock()
	if noWorkspace {
		s.startLoad(filepath.Dir(path))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &document{uri: p.TextDocument.URI, path: path, version: p.TextDocument.Version, text: newText(p.TextDocument.Text)}
	s.docs[path] = d
	s.changedLocked(d)
	return nil, nil
}

func (s *Server) didChange(params json.RawMessage) (any, error) {
	var p didChangeParams
	d, err := s.lockOpen(params, &p)
	if d == nil {
		return nil, err
	}
	defer s.mu.Unlock()
	src := d.text.s
	for _, c := range p.ContentChanges {
		if c.Range == nil {
			src = c.Text
			continue
		}
		t := newText(src)
		from, to := t.offset(c.Range.Start), t.offset(c.Range.End)
		if to < from {
			from, to = to, from
		}
		src = src[:from] + c.Text + src[to:]
	}
	d.text = newText(src)
	if p.TextDocument.Version != nil {
		d.version = *p.TextDocument.Version
	}
	s.changedLocked(d)
	return nil, nil
}

// lockOpen decodes params into p and returns the open document p names
// with the lock held (the caller unlocks); nil, with the lock released,
// when the document is not open or params are bad.
func (s *Server) lockOpen(params json.RawMessage, p interface{ docURI() string }) (*document, error) {
	if err := decode(params, p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	d := s.docs[uriPath(p.docURI())]
	if d == nil {
		s.mu.Unlock()
	}
	return d, nil
}

func (p *didChangeParams) docURI() string { return p.TextDocument.URI }
func (p *didCloseParams) docURI() string  { return p.TextDocument.URI }

func (s *Server) didClose(params json.RawMessage) (any, error) {
	var p didCloseParams
	d, err := s.lockOpen(params, &p)
	if d == nil {
		return nil, err
	}
	defer s.mu.Unlock()
	path := d.path
	delete(s.docs, path)
	delete(s.pending, path)
	// Back to the file on disk.
	if s.st != nil {
		src, err := readFile(path)
		if err != nil {
			s.st.update(path, nil)
		} else {
			s.st.update(path, &src)
		}
	}
	_ = s.conn.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: d.uri, Diagnostics: []diagnostic{}})
	return nil, nil
}

func (s *Server) didChangeWatched(params json.RawMessage) (any, error) {
	var p didChangeWatchedFilesParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(p.Changes))
	for _, c := range p.Changes {
		paths = append(paths, uriPath(c.URI))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reloadLocked(paths)
	return nil, nil
}

// changedLocked re-parses an open document and schedules diagnostics of
// every open document (a .bib edit can change what a note's citations mean).
func (s *Server) changedLocked(d *document) {
	s.lastChanged = d.path
	if s.st != nil {
		src := d.text.s
		s.st.update(d.path, &src)
	}
	for p := range s.docs {
		s.pending[p] = true
	}
	s.scheduleLocked()
}

// scheduleLocked publishes pending diagnostics after the debounce delay,
// or at once when Debounce is negative.
func (s *Server) scheduleLocked() {
	if s.opts.Debounce < 0 {
		s.publishLocked()
		return
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(s.opts.Debounce, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.publishLocked()
	})
}

func (s *Server) publishLocked() {
	if s.loading && !s.fullLoaded {
		return // the loader publishes when it is done
	}
	defer func() {
		if p := recover(); p != nil && s.opts.Log != nil {
			fmt.Fprintf(s.opts.Log, "lsp: panic in diagnostics: %v\n%s", p, debug.Stack())
		}
	}()
	// The document just changed first: its diagnostics are the ones the
	// user waits for; others (a note citing a key of an edited .bib) follow.
	order := make([]string, 0, len(s.pending))
	if s.pending[s.lastChanged] {
		order = append(order, s.lastChanged)
	}
	for path := range s.pending {
		if path != s.lastChanged {
			order = append(order, path)
		}
	}
	for _, path := range order {
		d := s.docs[path]
		delete(s.pending, path)
		if d == nil {
			continue
		}
		diags := s.diagnosticsLocked(d)
		v := d.version
		_ = s.conn.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: d.uri, Version: &v, Diagnostics: diags})
	}
}
