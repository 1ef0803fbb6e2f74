// Package lsp is the language server behind `papernotes lsp`: completion,
// hover, definition, references, diagnostics, code actions and symbols for
// cite keys in markdown notes, LaTeX sources and .bib files, over the
// Language Server Protocol 3.17 (JSON-RPC 2.0 with Content-Length framing on
// a byte stream, normally stdin/stdout).
//
// # Protocol layer
//
// The package has its own small framing layer (jsonrpc.go) and declares only
// the protocol types it uses (protocol.go), instead of depending on
// github.com/tliron/glsp or go.lsp.dev/protocol. glsp v0.2.2 pulls in a
// logging framework, a websocket server and their dependencies, and its
// handler table hides the request loop we need to control for debouncing and
// for answering malformed requests with JSON-RPC errors rather than panics;
// go.lsp.dev/protocol brings go.lsp.dev/jsonrpc2, go.lsp.dev/uri and zap.
// The subset of LSP a citation server needs is about twenty structs, and
// owning the framing lets the fuzz test drive the whole server through an
// in-memory pipe.
//
// # State
//
// All state (open documents, the library, the notes, the citations of .tex
// and report files) lives in one [Server] behind one mutex. The server
// never writes a file: edits (rename, "create note") are returned to the
// client as WorkspaceEdits that the client applies.
//
// Files changed on disk are re-read one at a time (watch.go): a client
// that can watch files (workspace.didChangeWatchedFiles.dynamicRegistration)
// is sent client/registerCapability with globs over the library, the notes,
// the journal and reports and the .tex roots; otherwise the server watches
// those folders with fsnotify, debounced, until shutdown.
//
// Positions: LSP counts columns in UTF-16 code units; bib, notes and latex
// positions count runes. The conversions are in position.go and always go
// through the document's text.
package lsp
