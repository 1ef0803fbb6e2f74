package lsp

import (
	"encoding/json"
	"errors"

	"github.com/papernotes/papernotes/rekey"
)

// prepareRename answers with the key under the cursor when it can be
// renamed (it is in the library), so the client asks for the new name.
func (s *Server) prepareRename(params json.RawMessage) (any, error) {
	ref, t, ok, err := s.keyAt(params)
	if !ok {
		return nil, err
	}
	defer s.mu.Unlock()
	if _, ok := s.st.library().Lookup(ref.key); !ok {
		return nil, &rpcError{Code: codeRequestFailed, Message: "cannot rename " + ref.key + ": " + rekey.ErrUnknownKey.Error()}
	}
	return map[string]any{"range": t.rangeOf(ref.from, ref.to), "placeholder": ref.key}, nil
}

// rename plans the rename of the key under the cursor with rekey, over
// the open buffers, and returns it as one WorkspaceEdit: the edits of every
// file (on their old paths) and then the note's RenameFile. A refused new
// key (taken, unsafe) is a request error with rekey's reason.
func (s *Server) rename(params json.RawMessage) (any, error) {
	var p renameParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	ref, _, ok, err := s.keyAt(params)
	if !ok {
		if err == nil {
			err = &rpcError{Code: codeRequestFailed, Message: "no cite key to rename here"}
		}
		return nil, err
	}
	defer s.mu.Unlock()
	st := s.st
	ws := rekey.Workspace{
		Root:      st.ws.Root,
		BibPaths:  st.ws.BibPaths,
		Library:   st.library(),
		NotesDir:  st.ws.NotesDir,
		TexRoots:  st.ws.TexRoots,
		Overrides: map[string][]byte{},
	}
	for _, d := range []string{st.ws.ReportDir, st.ws.JournalDir} {
		if d != "" {
			ws.MarkdownDirs = append(ws.MarkdownDirs, d)
		}
	}
	for p, d := range s.docs {
		ws.Overrides[p] = []byte(d.text.s)
	}
	res, err := rekey.Plan(ws, ref.key, p.NewName)
	if err != nil {
		var re *rekey.Error
		msg := err.Error()
		if errors.As(err, &re) && re.Pos.Line == 0 {
			msg = re.Err.Error()
		}
		return nil, &rpcError{Code: codeRequestFailed, Message: "rename " + ref.key + " to " + p.NewName + ": " + msg}
	}
	return s.workspaceEditLocked(res), nil
}

// workspaceEditLocked turns a rekey plan into documentChanges.
func (s *Server) workspaceEditLocked(res *rekey.Result) workspaceEdit {
	changes := []any{}
	for _, f := range res.Files {
		var version *int
		if d := s.docs[f.Path]; d != nil {
			v := d.version
			version = &v
		}
		edits := make([]textEdit, 0, len(f.Edits))
		for _, e := range f.Edits {
			edits = append(edits, textEdit{
				Range: Range{
					Start: Position{Line: e.Start.Line - 1, Character: e.Start.Character},
					End:   Position{Line: e.End.Line - 1, Character: e.End.Character},
				},
				NewText: e.NewText,
			})
		}
		changes = append(changes, textDocumentEdit{
			TextDocument: versionedTextDocumentIdentifier{URI: pathURI(f.Path), Version: version},
			Edits:        edits,
		})
	}
	for _, r := range res.Renames {
		changes = append(changes, renameFile{Kind: "rename", OldURI: pathURI(r.From), NewURI: pathURI(r.To)})
	}
	return workspaceEdit{DocumentChanges: changes}
}
