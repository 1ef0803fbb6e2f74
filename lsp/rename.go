package lsp

import (
	"encoding/json"

	"github.com/papernotes/papernotes/rekey"
)

// prepareRenameResult is the range of the key to rename and its text.
type prepareRenameResult struct {
	Range       Range  `json:"range"`
	Placeholder string `json:"placeholder"`
}

// prepareRename answers whether the cursor is on a cite key that can be
// renamed: a citation, a note's front matter key or a bib entry's key of
// the library. Anywhere else the answer is null (the client then says
// there is nothing to rename); a key that is not in the library is an
// error saying so.
func (s *Server) prepareRename(params json.RawMessage) (any, error) {
	path, t, off, ok, err := s.at(params)
	if !ok {
		return nil, err
	}
	defer s.mu.Unlock()
	if s.st == nil {
		return nil, nil
	}
	ref, found := s.keyAtLocked(path, t, off)
	if !found {
		return nil, nil
	}
	if _, ok := s.st.library().Lookup(ref.key); !ok {
		return nil, &rpcError{Code: codeRequestFailed, Message: "cannot rename " + ref.key + ": key is not in the library"}
	}
	return prepareRenameResult{Range: t.rangeOf(ref.from, ref.to), Placeholder: ref.key}, nil
}

// rename renames the key under the cursor with package rekey, over the
// open buffers as they are (unsaved text included), and returns one
// WorkspaceEdit: a TextDocumentEdit per file (the entry key, crossref and
// xdata fields, the note's front matter key, every citation), then a
// RenameFile of the note to its new safe file name. A taken or unsafe new
// key, a key missing from the library or a file with merge conflict
// markers is a request error with the reason; nothing is written.
func (s *Server) rename(params json.RawMessage) (any, error) {
	var p renameParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	raw, _ := json.Marshal(textDocumentPositionParams{TextDocument: p.TextDocument, Position: p.Position})
	path, t, off, ok, err := s.at(raw)
	if !ok {
		return nil, err
	}
	defer s.mu.Unlock()
	if s.st == nil {
		return nil, &rpcError{Code: codeRequestFailed, Message: "cannot rename: not in a papernotes workspace"}
	}
	ref, found := s.keyAtLocked(path, t, off)
	if !found {
		return nil, &rpcError{Code: codeRequestFailed, Message: "cannot rename: no cite key here"}
	}
	res, err := rekey.Plan(s.rekeyWorkspaceLocked(), ref.key, p.NewName)
	if err != nil {
		return nil, &rpcError{Code: codeRequestFailed, Message: "cannot rename " + ref.key + ": " + err.Error()}
	}
	return s.workspaceEditLocked(res), nil
}

// rekeyWorkspaceLocked describes the workspace to rekey, with the server's
// library and every open buffer as an override.
func (s *Server) rekeyWorkspaceLocked() rekey.Workspace {
	ws := s.st.ws
	rw := rekey.Workspace{
		Root:      ws.Root,
		BibPaths:  ws.BibPaths,
		Library:   s.st.library(),
		NotesDir:  ws.NotesDir,
		TexRoots:  ws.TexRoots,
		Overrides: make(map[string][]byte, len(s.docs)),
	}
	for _, d := range []string{ws.JournalDir, ws.ReportDir} {
		if d != "" {
			rw.MarkdownDirs = append(rw.MarkdownDirs, d)
		}
	}
	for path, d := range s.docs {
		rw.Overrides[path] = []byte(d.text.s)
	}
	return rw
}

// workspaceEditLocked turns a planned rename into documentChanges: the
// text edits on the old paths first (versioned for open buffers), then the
// file renames.
func (s *Server) workspaceEditLocked(res *rekey.Result) workspaceEdit {
	we := workspaceEdit{DocumentChanges: []any{}}
	for _, f := range res.Files {
		id := versionedTextDocumentIdentifier{URI: pathURI(f.Path)}
		if d := s.docs[f.Path]; d != nil {
			v := d.version
			id.URI, id.Version = d.uri, &v
		}
		edits := make([]textEdit, 0, len(f.Edits))
		for _, e := range f.Edits {
			edits = append(edits, textEdit{
				Range:   Range{Start: lspPosition(e.Start), End: lspPosition(e.End)},
				NewText: e.NewText,
			})
		}
		we.DocumentChanges = append(we.DocumentChanges, textDocumentEdit{TextDocument: id, Edits: edits})
	}
	for _, r := range res.Renames {
		we.DocumentChanges = append(we.DocumentChanges, renameFile{Kind: "rename", OldURI: pathURI(r.From), NewURI: pathURI(r.To)})
	}
	return we
}

func lspPosition(p rekey.Position) Position {
	return Position{Line: p.Line - 1, Character: p.Character}
}
