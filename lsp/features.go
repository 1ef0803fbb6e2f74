package lsp

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/scaffold"
)

// keyRef is a cite key under the cursor.
type keyRef struct {
	key      string
	from, to int
	kind     int // refCite, refNoteKey, refBibKey
}

const (
	refCite = iota
	refNoteKey
	refBibKey
)

// textLocked returns the text of path: the open buffer, else what the
// state read from disk; nil when unknown.
func (s *Server) textLocked(path string) *text {
	if d := s.docs[path]; d != nil {
		return d.text
	}
	st := s.st
	if st == nil {
		return nil
	}
	if nf := st.notes[path]; nf != nil {
		return nf.txt()
	}
	if cf := st.others[path]; cf != nil {
		return cf.text
	}
	return st.bibText(path)
}

// keyAtLocked finds the key at byte offset off of path.
func (s *Server) keyAtLocked(path string, t *text, off int) (keyRef, bool) {
	st := s.st
	in := func(from, to int) bool { return off >= from && off <= to }
	if st != nil {
		if nf := st.notes[path]; nf != nil {
			for _, c := range noteCites(nf) {
				if in(c.off, c.end) {
					return keyRef{c.key, c.off, c.end, refCite}, true
				}
			}
			if k := nf.note.Key; k != "" && nf.note.KeyPos.Line > 0 {
				from := t.fromRuneCol(nf.note.KeyPos.Line, nf.note.KeyPos.Column)
				if to := from + len(k); to <= len(t.s) && t.s[from:to] == k && in(from, to) {
					return keyRef{k, from, to, refNoteKey}, true
				}
			}
		}
		if cf := st.others[path]; cf != nil {
			for _, c := range cf.cites {
				if in(c.off, c.end) {
					return keyRef{c.key, c.off, c.end, refCite}, true
				}
			}
		}
	}
	if strings.EqualFold(pathExt(path), ".bib") {
		var f *bib.File
		if st != nil && st.bibs[path] != nil {
			f = st.bibs[path].file
		} else {
			f = parseBib(path, t.s).file
		}
		for _, e := range f.Entries {
			if e.Key == "" || e.KeyPos.Line == 0 {
				continue
			}
			from := t.fromRuneCol(e.KeyPos.Line, e.KeyPos.Column)
			if in(from, from+len(e.Key)) {
				return keyRef{e.Key, from, from + len(e.Key), refBibKey}, true
			}
		}
	}
	return keyRef{}, false
}

func pathExt(p string) string {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return ""
	}
	return p[i:]
}

// at decodes a position request and returns the document's path, text and
// byte offset, with the lock held on success (the caller unlocks).
func (s *Server) at(params json.RawMessage, full bool) (string, *text, int, bool, error) {
	var p textDocumentPositionParams
	if err := decode(params, &p); err != nil {
		return "", nil, 0, false, err
	}
	path, t := s.lockDoc(p.TextDocument.URI, full)
	if t == nil {
		s.mu.Unlock()
		return "", nil, 0, false, nil
	}
	return path, t, t.offset(p.Position), true, nil
}

// lockDoc waits for the workspace load (its first phase only, without
// full), takes the lock and returns the path and text of uri (nil when
// unknown). The caller unlocks.
func (s *Server) lockDoc(uri string, full bool) (string, *text) {
	if full {
		s.waitFull()
	} else {
		s.waitReady()
	}
	path := uriPath(uri)
	s.mu.Lock()
	return path, s.textLocked(path)
}

// keyAt decodes a position request and finds the cite key there, once the
// workspace is loaded. With ok the lock is held (the caller unlocks);
// otherwise it is released and err is the decoding error, if any.
func (s *Server) keyAt(params json.RawMessage) (ref keyRef, t *text, ok bool, err error) {
	path, t, off, ok, err := s.at(params, true)
	if !ok {
		return keyRef{}, nil, false, err
	}
	ref, ok = s.keyAtLocked(path, t, off)
	if !ok || s.st == nil {
		s.mu.Unlock()
		return keyRef{}, nil, false, nil
	}
	return ref, t, true, nil
}

func (s *Server) completion(params json.RawMessage) (any, error) {
	path, t, off, ok, err := s.at(params, false)
	if !ok {
		return nil, err
	}
	defer s.mu.Unlock()
	if s.st == nil {
		return nil, nil
	}
	kind := s.st.kindOf(path)
	var cc citeContext
	found := false
	if kind == kindNote || kind == kindMarkdown {
		cc, found = markdownContext(t.s, off)
	}
	if !found && kind != kindBib {
		cc, found = latexContext(t.s, off)
	}
	if !found {
		return nil, nil
	}
	return s.completionItems(s.st, t, cc), nil
}

func (s *Server) hover(params json.RawMessage) (any, error) {
	ref, t, ok, err := s.keyAt(params)
	if !ok {
		return nil, err
	}
	defer s.mu.Unlock()
	r := t.rangeOf(ref.from, ref.to)
	return hover{Contents: markupContent{Kind: "markdown", Value: s.hoverText(s.st, ref.key)}, Range: &r}, nil
}

// hoverText describes a key: the entry, then the note.
func (s *Server) hoverText(st *state, key string) string {
	lib := st.library()
	e, ok := lib.Lookup(key)
	nf := st.noteFor(key)
	var b strings.Builder
	if !ok {
		fmt.Fprintf(&b, "**%s** is not in the library.", key)
		if c := lib.Closest(key, 3); len(c) > 0 {
			b.WriteString(" Closest keys: ")
			for i, k := range c {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "`%s`", k)
			}
			b.WriteString(".")
		}
		if nf == nil {
			return b.String()
		}
		b.WriteString("\n\n")
	} else {
		fmt.Fprintf(&b, "**%s**\n\n", mdEscape(e.Title()))
		if names := authorNames(e); len(names) > 0 {
			if len(names) > 8 {
				names = append(names[:8], "et al.")
			}
			b.WriteString(mdEscape(strings.Join(names, ", ")))
			b.WriteString("\n\n")
		}
		if yv := strings.Join(nonEmpty(e.Year(), e.Venue()), " · "); yv != "" {
			b.WriteString(mdEscape(yv))
			b.WriteString("\n\n")
		}
		var links []string
		if d := e.DOI(); d != "" {
			links = append(links, fmt.Sprintf("[doi:%s](https://doi.org/%s)", d, d))
		}
		if a := e.ArXiv(); a != "" {
			links = append(links, fmt.Sprintf("[arXiv:%s](https://arxiv.org/abs/%s)", a, a))
		}
		if len(links) > 0 {
			b.WriteString(strings.Join(links, " · "))
			b.WriteString("\n\n")
		}
	}
	if nf != nil {
		m := nf.note.Meta
		b.WriteString("---\n\n")
		fmt.Fprintf(&b, "**note** · %s", orDash(m.Status))
		if len(m.Tags) > 0 {
			fmt.Fprintf(&b, " · tags: %s", strings.Join(m.Tags, ", "))
		}
		if !m.Read.IsZero() {
			fmt.Fprintf(&b, " · read %s", m.Read.Format("2006-01-02"))
		}
		b.WriteString("\n")
		for _, id := range []string{notes.SectionProblem, notes.SectionRelevance} {
			if sec, ok := nf.note.Section(id); ok && strings.TrimSpace(sec.Text) != "" {
				fmt.Fprintf(&b, "\n**%s**: %s\n", sec.Heading, trimLines(sec.Text, 4, 400))
			}
		}
		if sec, ok := nf.note.Section(notes.SectionAbstract); ok && strings.TrimSpace(sec.Text) != "" {
			fmt.Fprintf(&b, "\n**%s**: %s\n", sec.Heading, trimLines(sec.Text, 2, 300))
		}
	} else if ok {
		if a := e.Text("abstract"); a != "" {
			fmt.Fprintf(&b, "**abstract**: %s\n", trimLines(a, 2, 300))
		}
	}
	return b.String()
}

// mdEscape keeps markdown from reading titles as markup.
func mdEscape(s string) string {
	r := strings.NewReplacer("*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// entryLocation is where the entry's key is written.
func (s *Server) entryLocationLocked(e *bib.Entry) (Location, bool) {
	path := e.KeyPos.Filename
	t := s.textLocked(path)
	if t == nil || e.KeyPos.Line == 0 {
		return Location{}, false
	}
	from := t.fromRuneCol(e.KeyPos.Line, e.KeyPos.Column)
	return Location{URI: pathURI(path), Range: t.rangeOf(from, from+len(e.Key))}, true
}

// noteLocation is the note's front matter key, or its first line.
func (s *Server) noteLocationLocked(nf *noteFile) Location {
	t := s.textLocked(nf.note.Path)
	if t == nil {
		t = nf.txt()
	}
	r := Range{}
	if nf.note.KeyPos.Line > 0 {
		from := t.fromRuneCol(nf.note.KeyPos.Line, nf.note.KeyPos.Column)
		r = t.rangeOf(from, from+len(nf.note.Key))
	}
	return Location{URI: pathURI(nf.note.Path), Range: r}
}

func (s *Server) definition(params json.RawMessage) (any, error) {
	ref, _, ok, err := s.keyAt(params)
	if !ok {
		return nil, err
	}
	defer s.mu.Unlock()
	locs := []Location{}
	nf := s.st.noteFor(ref.key)
	if nf != nil && ref.kind != refNoteKey {
		locs = append(locs, s.noteLocationLocked(nf))
	}
	if e, ok := s.st.library().Lookup(ref.key); ok && ref.kind != refBibKey {
		if l, ok := s.entryLocationLocked(e); ok {
			locs = append(locs, l)
		}
	}
	return locs, nil
}

func (s *Server) references(params json.RawMessage) (any, error) {
	var rp referenceParams
	if err := decode(params, &rp); err != nil {
		return nil, err
	}
	ref, _, ok, err := s.keyAt(params)
	if !ok {
		return nil, err
	}
	defer s.mu.Unlock()
	return s.referencesLocked(ref.key, rp.Context.IncludeDeclaration), nil
}

// referencesLocked lists every citation of key: notes, .tex and report
// files, sorted by file and position; with decl, the entry and note keys.
func (s *Server) referencesLocked(key string, decl bool) []Location {
	st := s.st
	locs := []Location{}
	for p, nf := range st.notes {
		for _, c := range noteCites(nf) {
			if c.key == key {
				t := s.textLocked(p)
				locs = append(locs, Location{URI: pathURI(p), Range: t.rangeOf(c.off, c.end)})
			}
		}
	}
	for p, cf := range st.others {
		for _, c := range cf.cites {
			if c.key == key {
				locs = append(locs, Location{URI: pathURI(p), Range: cf.text.rangeOf(c.off, c.end)})
			}
		}
	}
	if decl {
		if e, ok := st.library().Lookup(key); ok {
			if l, ok := s.entryLocationLocked(e); ok {
				locs = append(locs, l)
			}
		}
		if nf := st.noteFor(key); nf != nil {
			locs = append(locs, s.noteLocationLocked(nf))
		}
	}
	sort.Slice(locs, func(i, j int) bool {
		a, b := locs[i], locs[j]
		if a.URI != b.URI {
			return a.URI < b.URI
		}
		if a.Range.Start.Line != b.Range.Start.Line {
			return a.Range.Start.Line < b.Range.Start.Line
		}
		return a.Range.Start.Character < b.Range.Start.Character
	})
	return locs
}

func (s *Server) codeAction(params json.RawMessage) (any, error) {
	var p codeActionParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	path, t := s.lockDoc(p.TextDocument.URI, true)
	defer s.mu.Unlock()
	if t == nil || s.st == nil || s.st.ws.NotesDir == "" {
		return []codeAction{}, nil
	}
	ref, ok := s.keyAtLocked(path, t, t.offset(p.Range.Start))
	if !ok || ref.kind == refNoteKey || s.st.noteFor(ref.key) != nil {
		return []codeAction{}, nil
	}
	e, ok := s.st.library().Lookup(ref.key)
	if !ok {
		return []codeAction{}, nil
	}
	src := notes.Scaffold(scaffold.Entry(e), s.st.ws.Language, notes.ScaffoldOptions{
		Added: s.today(), Headings: s.st.ws.Headings,
	})
	uri := pathURI(filepath.Join(s.st.ws.NotesDir, notes.FileName(e.Key)))
	edit := workspaceEdit{DocumentChanges: []any{
		createFile{Kind: "create", URI: uri, Options: &createFileOpts{IgnoreIfExists: true}},
		textDocumentEdit{
			TextDocument: versionedTextDocumentIdentifier{URI: uri},
			Edits:        []textEdit{{Range: Range{}, NewText: string(src)}},
		},
	}}
	return []codeAction{{Title: "create note for " + e.Key, Kind: "quickfix", Edit: &edit}}, nil
}

func (s *Server) documentSymbol(params json.RawMessage) (any, error) {
	var p struct {
		TextDocument textDocumentIdentifier `json:"textDocument"`
	}
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	path, t := s.lockDoc(p.TextDocument.URI, true)
	defer s.mu.Unlock()
	syms := []documentSymbol{}
	if t == nil {
		return syms, nil
	}
	if s.st != nil {
		if nf := s.st.notes[path]; nf != nil {
			secs := nf.note.Sections
			for i, sec := range secs {
				start, _ := t.lineBounds(sec.Line - 1)
				endLine := len(t.lines) - 1
				if i+1 < len(secs) {
					endLine = secs[i+1].Line - 2
				}
				_, end := t.lineBounds(endLine)
				if end < start {
					end = start
				}
				_, hEnd := t.lineBounds(sec.Line - 1)
				syms = append(syms, documentSymbol{
					Name: sec.Heading, Detail: "#" + sec.ID, Kind: symbolString,
					Range: t.rangeOf(start, end), SelectionRange: t.rangeOf(start, hEnd),
				})
			}
			return syms, nil
		}
	}
	if strings.EqualFold(pathExt(path), ".bib") {
		f := parseBib(path, t.s).file
		for _, e := range f.Entries {
			if e.Key == "" {
				continue
			}
			from := t.fromRuneCol(e.Pos.Line, e.Pos.Column)
			kf := t.fromRuneCol(e.KeyPos.Line, e.KeyPos.Column)
			syms = append(syms, documentSymbol{
				Name: e.Key, Detail: e.Title(), Kind: symbolKey,
				Range: t.rangeOf(from, min(len(t.s), from+len(e.Raw))), SelectionRange: t.rangeOf(kf, kf+len(e.Key)),
			})
		}
	}
	return syms, nil
}

func (s *Server) workspaceSymbol(params json.RawMessage) (any, error) {
	var p workspaceSymbolParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	s.waitReady()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []symbolInformation{}
	if s.st == nil {
		return out, nil
	}
	hits, _ := s.st.index().search(p.Query, 200)
	for _, it := range hits {
		var loc Location
		if nf := s.st.noteFor(it.key); nf != nil {
			loc = s.noteLocationLocked(nf)
		} else if l, ok := s.entryLocationLocked(it.entry); ok {
			loc = l
		} else {
			continue
		}
		out = append(out, symbolInformation{Name: it.key, Kind: symbolKey, Location: loc, ContainerName: it.entry.Title()})
	}
	return out, nil
}
