package report

import (
	"strings"
	"unicode/utf8"

	"github.com/papernotes/papernotes/notes"
)

// resolver turns cite keys into the cited paper's title and URL, from the
// library first and the notes second.
type resolver struct {
	lib   Library
	notes map[string]*notes.Note
}

func (r *resolver) lookup(key string) (title, url string, ok bool) {
	if r.lib != nil {
		if e, found := r.lib.Lookup(key); found && e != nil {
			title, url, ok = e.Title(), SafeURL(e.URL()), true
		}
	}
	if n := r.notes[key]; n != nil {
		if t := oneLine(n.Title); t != "" {
			title = t // the note's title is the one the user edited
		}
		ok = true
	}
	if title == "" {
		title = key
	}
	return title, url, ok
}

// rewrite returns a section's markdown ready for the report: citations
// become references to the cited papers and headings are demoted below the
// report's own (the shallowest becomes level 5). Fenced code blocks, `$$`
// display math, code spans and `$…$` math are copied untouched.
//
// A citation of a known key becomes "[Title](URL) [key]" ("Title [key]"
// without a URL); a group "[@a; @b, p. 3]" becomes the references joined by
// "; " with the locator inside the key's brackets. Citations of unknown keys
// are left as written, so nothing is lost.
func (r *resolver) rewrite(md string) string {
	lines := strings.SplitAfter(md, "\n")
	minLevel := 7
	inFence, inMath := "", false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case inFence != "":
			if strings.HasPrefix(t, inFence) {
				inFence = ""
			}
		case fence(t) != "":
			inFence = fence(t)
		case t == "$$":
			inMath = !inMath
		case !inMath:
			if lv := headingLevel(l); lv > 0 && lv < minLevel {
				minLevel = lv
			}
		}
	}
	shift := 0
	if minLevel < 5 {
		shift = 5 - minLevel
	}
	var b strings.Builder
	inFence, inMath = "", false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case inFence != "":
			if strings.HasPrefix(t, inFence) {
				inFence = ""
			}
			b.WriteString(l)
		case fence(t) != "":
			inFence = fence(t)
			b.WriteString(l)
		case t == "$$":
			inMath = !inMath
			b.WriteString(l)
		case inMath:
			b.WriteString(l)
		default:
			if lv := headingLevel(l); lv > 0 && shift > 0 {
				l = strings.Repeat("#", min(lv+shift, 6)) + strings.TrimLeft(strings.TrimLeft(l, " "), "#")
			}
			r.rewriteLine(&b, l)
		}
	}
	return strings.TrimSpace(b.String())
}

// fence returns the fence marker that opens a fenced code block on this
// (trimmed) line, or "".
func fence(t string) string {
	for _, m := range []string{"```", "~~~"} {
		if strings.HasPrefix(t, m) {
			n := len(t) - len(strings.TrimLeft(t, m[:1]))
			return strings.Repeat(m[:1], n)
		}
	}
	return ""
}

// headingLevel returns the level of an ATX heading line, or 0.
func headingLevel(l string) int {
	s := strings.TrimLeft(l, " ")
	if len(l)-len(s) > 3 {
		return 0
	}
	n := len(s) - len(strings.TrimLeft(s, "#"))
	if n == 0 || n > 6 {
		return 0
	}
	if rest := s[n:]; rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '\n' && rest[0] != '\r' {
		return 0
	}
	return n
}

// rewriteLine copies one line, rewriting citations outside code spans and
// inline math.
func (r *resolver) rewriteLine(b *strings.Builder, l string) {
	i := 0
	for i < len(l) {
		c := l[i]
		switch {
		case c == '\\' && i+1 < len(l) && l[i+1] != 'c':
			b.WriteString(l[i : i+2])
			i += 2
		case c == '`':
			n := len(l[i:]) - len(strings.TrimLeft(l[i:], "`"))
			end := strings.Index(l[i+n:], l[i:i+n])
			if end < 0 {
				b.WriteString(l[i : i+n])
				i += n
				continue
			}
			end += i + n + n
			b.WriteString(l[i:end])
			i = end
		case c == '$':
			end := strings.IndexByte(l[i+1:], '$')
			if end < 0 {
				b.WriteString(l[i:])
				return
			}
			end += i + 2
			b.WriteString(l[i:end])
			i = end
		case c == '[' || c == '\\':
			if out, n := r.citation(l[i:]); n > 0 {
				b.WriteString(out)
				i += n
				continue
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
}

type citeRef struct{ key, prefix, locator string }

// citation parses a citation at the start of s and returns its rewrite and
// length, or n == 0 when s does not start with a citation of known keys.
func (r *resolver) citation(s string) (string, int) {
	var refs []citeRef
	n := 0
	switch {
	case strings.HasPrefix(s, "[["):
		end := strings.Index(s, "]]")
		if end < 0 {
			return "", 0
		}
		key, _, _ := strings.Cut(s[2:end], "|")
		if key == "" || strings.ContainsAny(key, " \t[]") {
			return "", 0
		}
		refs, n = []citeRef{{key: key}}, end+2
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 || !strings.Contains(s[:end], "@") {
			return "", 0
		}
		for part := range strings.SplitSeq(s[1:end], ";") {
			at := strings.IndexByte(part, '@')
			if at < 0 {
				return "", 0
			}
			if at > 0 && !strings.ContainsRune(" \t-", rune(part[at-1])) {
				return "", 0 // foo@bar.com, not a citation
			}
			prefix := strings.TrimSpace(part[:at])
			prefix = strings.TrimSpace(strings.TrimSuffix(prefix, "-"))
			rest := part[at+1:]
			k := keyEnd(rest)
			if k == 0 {
				return "", 0
			}
			loc := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest[k:]), ","))
			refs = append(refs, citeRef{key: rest[:k], prefix: prefix, locator: loc})
		}
		n = end + 1
	case strings.HasPrefix(s, "\\"):
		name := ""
		for _, c := range []string{"parencite", "textcite", "citep", "citet", "cite"} {
			if strings.HasPrefix(s[1:], c) {
				name = c
				break
			}
		}
		if name == "" {
			return "", 0
		}
		i := 1 + len(name)
		var opts []string
		for i < len(s) && s[i] == '[' {
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return "", 0
			}
			opts = append(opts, s[i+1:i+end])
			i += end + 1
		}
		if i >= len(s) || s[i] != '{' {
			return "", 0
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", 0
		}
		loc := ""
		if len(opts) > 0 {
			loc = opts[len(opts)-1]
		}
		for k := range strings.SplitSeq(s[i+1:i+end], ",") {
			if k = strings.TrimSpace(k); k != "" {
				refs = append(refs, citeRef{key: k})
			}
		}
		if len(refs) == 0 {
			return "", 0
		}
		refs[len(refs)-1].locator = loc
		n = i + end + 1
	default:
		return "", 0
	}
	out := make([]string, 0, len(refs))
	for _, ref := range refs {
		title, url, ok := r.lookup(ref.key)
		if !ok {
			return "", 0 // an unknown key: keep the citation as written
		}
		var b strings.Builder
		if ref.prefix != "" {
			b.WriteString(mdEscape(ref.prefix) + " ")
		}
		if url != "" {
			b.WriteString("[" + mdEscape(title) + "](" + mdURL(url) + ")")
		} else {
			b.WriteString(mdEscape(title))
		}
		b.WriteString(" [" + mdEscape(ref.key))
		if ref.locator != "" {
			b.WriteString(", " + mdEscape(ref.locator))
		}
		b.WriteString("]")
		out = append(out, b.String())
	}
	return strings.Join(out, "; "), n
}

// keyEnd returns the length of the cite key at the start of s: everything up
// to space, ',', ';', or a bracket, with trailing punctuation dropped as pandoc does.
func keyEnd(s string) int {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == ' ' || r == '\t' || r == ',' || r == ';' || r == ']' || r == '[' || r == '{' || r == '}' {
			break
		}
		i += size
	}
	for i > 0 && strings.ContainsRune(".:?!", rune(s[i-1])) {
		i--
	}
	return i
}

// mdEscape escapes the characters that markdown (with tables, math and
// citations) would interpret in running text.
func mdEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune("\\`*_[]<>$|#", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// mdURL returns u as a markdown link destination.
func mdURL(u string) string {
	if strings.ContainsAny(u, " ()<>") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(u) + ">"
	}
	return u
}
