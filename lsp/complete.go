package lsp

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/citekey"
	"github.com/papernotes/papernotes/internal/par"
	"github.com/papernotes/papernotes/latex"
)

// maxItems bounds a completion list; the list says it is incomplete, so
// the client asks again as the user types.
const maxItems = 100

// indexItem is one completable key.
type indexItem struct {
	key     string
	entry   *bib.Entry
	hay     string // lower-cased key, title, authors, year, venue, and their pinyin
	hasNote bool
}

// completionIndex is every key of the library, with what filtering needs,
// in library order.
type completionIndex struct {
	items []indexItem
}

func buildIndex(lib *bib.Library, notesByKey map[string][]string) *completionIndex {
	entries := lib.Entries()
	idx := &completionIndex{items: make([]indexItem, 0, len(entries))}
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if e.Key == "" || seen[e.Key] {
			continue
		}
		seen[e.Key] = true
		idx.items = append(idx.items, indexItem{key: e.Key, entry: e, hasNote: len(notesByKey[e.Key]) > 0})
	}
	// The haystacks (decoded title, author names, pinyin) are most of the
	// cost: build them on all cores.
	par.Runs(len(idx.items), 4096, func(lo, hi int) {
		var b strings.Builder
		for i := lo; i < hi; i++ {
			idx.items[i].hay = haystack(&b, idx.items[i].entry)
		}
	})
	return idx
}

func haystack(b *strings.Builder, e *bib.Entry) string {
	b.Reset()
	b.WriteString(e.Key)
	b.WriteByte(' ')
	b.WriteString(e.Title())
	for _, n := range authorNames(e) {
		b.WriteByte(' ')
		b.WriteString(n)
	}
	b.WriteByte(' ')
	b.WriteString(e.Year())
	b.WriteByte(' ')
	b.WriteString(e.Venue())
	hay := strings.ToLower(b.String())
	if p, ok := citekey.Pinyin(hay); ok {
		hay += " " + p + " " + strings.ReplaceAll(p, " ", "")
	}
	return hay
}

func authorNames(e *bib.Entry) []string {
	names := e.Authors()
	if len(names) == 0 {
		names = e.Editors()
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n.Others {
			continue
		}
		out = append(out, n.String())
	}
	return out
}

// queryTerms splits a query into lower-cased terms; a term with Chinese
// characters also matches its pinyin.
type queryTerm struct{ text, pinyin string }

func queryTerms(q string) []queryTerm {
	var out []queryTerm
	for _, f := range strings.Fields(strings.ToLower(q)) {
		t := queryTerm{text: f}
		if p, ok := citekey.Pinyin(f); ok {
			t.pinyin = strings.ReplaceAll(p, " ", "")
		}
		out = append(out, t)
	}
	return out
}

func (t queryTerm) match(hay string) bool {
	return strings.Contains(hay, t.text) || (t.pinyin != "" && strings.Contains(hay, t.pinyin))
}

// search returns up to limit items matching every term of q, papers with a
// note first, then keys starting with the query, then by key; and whether
// more matched.
func (idx *completionIndex) search(q string, limit int) ([]*indexItem, bool) {
	terms := queryTerms(q)
	// Four ranks: note and key prefix, note, key prefix, the rest. Only the
	// ranks needed to fill the list are sorted.
	var ranks [4][]*indexItem
	first := ""
	if len(terms) > 0 {
		first = terms[0].text
	}
	total := 0
	for i := range idx.items {
		it := &idx.items[i]
		ok := true
		for _, t := range terms {
			if !t.match(it.hay) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		score := 0
		if !it.hasNote {
			score += 2
		}
		if first == "" || !strings.HasPrefix(strings.ToLower(it.key), first) {
			score++
		}
		ranks[score] = append(ranks[score], it)
		total++
	}
	out := make([]*indexItem, 0, min(total, limit))
	for _, r := range ranks {
		if len(out) == limit {
			break
		}
		sort.Slice(r, func(i, j int) bool { return r[i].key < r[j].key })
		out = append(out, r[:min(len(r), limit-len(out))]...)
	}
	return out, total > limit
}

// citeContext is where a key is being typed: the byte range of what is
// typed so far (the query), which the chosen key replaces.
type citeContext struct {
	from, to int
	query    string
}

func isKeyByte(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	return strings.ContainsRune(":/.-_+#&?~'*=", r)
}

// markdownContext finds a pandoc or wiki citation being typed before off:
// `[@`, `[-@`, `; @`, `@` inside brackets, `[[`.
func markdownContext(s string, off int) (citeContext, bool) {
	lineStart := strings.LastIndexByte(s[:off], '\n') + 1
	line := s[lineStart:off]
	// [[key  (no ] or | after it)
	if i := strings.LastIndex(line, "[["); i >= 0 {
		rest := line[i+2:]
		if !strings.ContainsAny(rest, "]|[") {
			return citeContext{from: lineStart + i + 2, to: off, query: rest}, true
		}
	}
	at := strings.LastIndexByte(line, '@')
	if at < 0 {
		return citeContext{}, false
	}
	typed := line[at+1:]
	for _, r := range typed {
		if !isKeyByte(r) && r != ' ' {
			return citeContext{}, false
		}
	}
	// A space ends a key unless the query is inside an open bracket.
	open := strings.LastIndexByte(line[:at], '[')
	closed := strings.LastIndexByte(line[:at], ']')
	inBracket := open >= 0 && open > closed
	before := strings.TrimSuffix(strings.TrimRight(line[:at], " "), "-")
	switch {
	case inBracket:
	case strings.HasSuffix(before, "["), strings.HasSuffix(before, ";"):
	default:
		return citeContext{}, false
	}
	if !inBracket && strings.Contains(typed, " ") {
		return citeContext{}, false
	}
	if strings.HasSuffix(typed, " ") && strings.TrimSpace(typed) != "" && !inBracket {
		return citeContext{}, false
	}
	return citeContext{from: lineStart + at + 1, to: off, query: typed}, true
}

// latexContext finds the keys argument of a citation command around off:
// `\citep[p.~3]{a,|`, `\cites{a}{|`.
func latexContext(s string, off int) (citeContext, bool) {
	lo := max(0, off-2000)
	// the unmatched '{' before off
	depth := 0
	open := -1
	for i := off - 1; i >= lo; i-- {
		switch s[i] {
		case '}':
			depth++
		case '{':
			if depth == 0 {
				open = i
			} else {
				depth--
			}
		}
		if open >= 0 {
			break
		}
	}
	if open < 0 {
		return citeContext{}, false
	}
	inside := s[open+1 : off]
	if strings.ContainsAny(inside, "\\%") {
		return citeContext{}, false
	}
	start := open + 1
	if i := strings.LastIndexByte(inside, ','); i >= 0 {
		start = open + 1 + i + 1
	}
	for start < off && (s[start] == ' ' || s[start] == '\t' || s[start] == '\n') {
		start++
	}
	// back over [opt] (pre) {keys} groups to the command name
	i := open - 1
	groups := 0
	for i >= lo {
		for i >= lo && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i--
		}
		if i < lo {
			return citeContext{}, false
		}
		var closeCh, openCh byte
		switch s[i] {
		case ']':
			closeCh, openCh = ']', '['
		case ')':
			closeCh, openCh = ')', '('
		case '}':
			closeCh, openCh = '}', '{'
			groups++
		}
		if closeCh == 0 {
			break
		}
		d := 0
		for ; i >= lo; i-- {
			if s[i] == closeCh {
				d++
			} else if s[i] == openCh {
				d--
				if d == 0 {
					break
				}
			}
		}
		i--
	}
	if i >= lo && s[i] == '*' {
		i--
	}
	end := i + 1
	for i >= lo && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i--
	}
	if i < lo || s[i] != '\\' || end == i+1 {
		return citeContext{}, false
	}
	ok, multi := latex.IsCiteCommand(s[i+1 : end])
	if !ok || (groups > 0 && !multi) {
		return citeContext{}, false
	}
	return citeContext{from: start, to: off, query: s[start:off]}, true
}

// completionItems turns index hits into LSP items replacing the typed query.
func (s *Server) completionItems(st *state, t *text, cc citeContext) completionList {
	hits, more := st.index().search(cc.query, maxItems)
	r := t.rangeOf(cc.from, cc.to)
	items := make([]completionItem, 0, len(hits))
	for i, it := range hits {
		items = append(items, completionItem{
			Label:         it.key,
			Kind:          18, // Reference
			Detail:        detailLine(it.entry),
			Documentation: s.noteDoc(st, it.key),
			SortText:      fmt.Sprintf("%04d", i),
			// The query may hold spaces ("blip 2023"): filtering on it keeps
			// the client from dropping what the server matched.
			FilterText: cc.query,
			TextEdit:   &textEdit{Range: r, NewText: it.key},
		})
	}
	return completionList{IsIncomplete: more || cc.query == "", Items: items}
}

// detailLine is "Title — First Author 2023, Venue".
func detailLine(e *bib.Entry) string {
	var b strings.Builder
	b.WriteString(e.Title())
	names := authorNames(e)
	who := ""
	if len(names) > 0 {
		who = names[0]
		if n := e.Authors(); len(n) > 1 {
			who += " et al."
		}
	}
	yv := strings.TrimSpace(strings.Join(nonEmpty(who, e.Year()), " "))
	if v := e.Venue(); v != "" {
		yv = strings.Join(nonEmpty(yv, v), ", ")
	}
	if yv != "" {
		b.WriteString(" — ")
		b.WriteString(yv)
	}
	return b.String()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// noteDoc documents a completion item with the note's status, tags and the
// first lines of its problem section; nil without a note.
func (s *Server) noteDoc(st *state, key string) *markupContent {
	nf := st.noteFor(key)
	if nf == nil {
		return nil
	}
	var b strings.Builder
	m := nf.note.Meta
	fmt.Fprintf(&b, "**note** · %s", orDash(m.Status))
	if len(m.Tags) > 0 {
		fmt.Fprintf(&b, " · %s", strings.Join(m.Tags, ", "))
	}
	if sec, ok := nf.note.Section("problem"); ok && strings.TrimSpace(sec.Text) != "" {
		b.WriteString("\n\n")
		b.WriteString(trimLines(sec.Text, 3, 300))
	}
	return &markupContent{Kind: "markdown", Value: b.String()}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// trimLines keeps the first n non-empty lines of s and at most max runes.
func trimLines(s string, n, maxRunes int) string {
	var kept []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		kept = append(kept, l)
		if len(kept) == n {
			break
		}
	}
	out := strings.Join(kept, "\n")
	if utf8.RuneCountInString(out) > maxRunes {
		r := []rune(out)
		out = string(r[:maxRunes]) + "…"
	}
	return out
}
