package notes

import (
	"bytes"
	"fmt"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Report is a weekly group-meeting report split into its parts, as written
// by hand in the group's style (see [ParseReport]).
type Report struct {
	// Title is the report's title line without markup ("组会_20251119").
	Title string
	// Date is the date in the title (midnight UTC), zero when there is none.
	Date time.Time
	// WorkLog holds the non-blank lines of the work part ("一、上周工作").
	WorkLog []string
	// Papers are the papers of the reading part, in order.
	Papers []ReportPaper
}

// ReportPaper is one paper of a report.
type ReportPaper struct {
	Title string
	// URL is the link target of a title written as a markdown link; "" when
	// the title is plain or the target is a placeholder such as "#".
	URL string
	// Line is the 1-based line of the title in the report.
	Line int
	// BibTeX is the paper's BibTeX source: the contents of the code blocks
	// under the citation heading joined together (a BibTeX entry split across
	// two code blocks comes back whole), trailing spaces removed. "" when the
	// report gives none.
	BibTeX string
	// BibTeXLine is the report line of the first BibTeX line, 0 when none.
	BibTeXLine int
	// Sections are the paper's sections in order, with canonical ids.
	Sections []ReportSection
}

// ReportSection is one section of a paper in a report.
type ReportSection struct {
	ID      string
	Heading string
	// Markdown is the section body as markdown: tab-separated tables become
	// GFM tables, list items and code blocks are kept, blank-line runs are
	// collapsed and trailing spaces removed.
	Markdown string
	Line     int
}

// SectionBodies returns the markdown of each section by id, in the form
// [ScaffoldOptions.Sections] takes; repeated ids are joined.
func (p *ReportPaper) SectionBodies() map[string]string {
	out := map[string]string{}
	for _, s := range p.Sections {
		if prev := out[s.ID]; prev != "" {
			out[s.ID] = prev + "\n\n" + s.Markdown
		} else {
			out[s.ID] = s.Markdown
		}
	}
	return out
}

// SectionHeadings returns the heading each section id had in the report,
// in the form [ScaffoldOptions.Headings] takes.
func (p *ReportPaper) SectionHeadings() map[string]string {
	out := map[string]string{}
	for _, s := range p.Sections {
		if _, ok := out[s.ID]; !ok {
			out[s.ID] = s.Heading
		}
	}
	return out
}

// bibtexAliases name the pseudo-section holding a paper's BibTeX.
var bibtexAliases = []string{"引用信息 (BibTeX格式)", "引用信息", "BibTeX", "BibTeX格式", "引用", "Citation", "Citation (BibTeX)", "Cite as"}

// ReportPlaceholders are the lines papernotes' own reports write for an
// empty part ("本周没有工作记录。"); reading a report back, they are not work
// to log. The report package's tests keep them in step with its headings.
var ReportPlaceholders = []string{"本周没有工作记录。", "本周没有阅读论文。", "Nothing was logged this week.", "No papers were read this week."}

const bibtexID = "\x00bibtex"

var (
	reportDateRE = regexp.MustCompile(`(\d{4})[-_/.年]?(\d{2})[-_/.月]?(\d{2})`)
	partRE       = regexp.MustCompile(`^[一二三四五六七八九十]+[、.．]\s*(.*)$`)
	// mdPartRE is a numbered part as a markdown heading: "## 1. Last week's work".
	mdPartRE   = regexp.MustCompile(`^[0-9]+[、.．]\s*(.*)$`)
	linkLineRE = regexp.MustCompile(`^\[(.+)\]\(([^()\s]*)\)$`)
	headingRE  = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
)

type reportLine struct {
	raw     string // without trailing white space
	text    string // trimmed, heading marks and bold markers removed
	md      bool   // a markdown "#" heading
	fence   bool   // a ``` or ~~~ line
	inFence bool   // inside a code block
	blank   bool
}

// ParseReport splits a weekly report written in the group's style into its
// title and date, the work log, and the papers with their sections and
// BibTeX. It reads both the plain-text form (a title line such as
// "组会_20251119"; parts "一、上周工作" and "二、论文阅读"; a paper title that is
// a line written as a markdown link, or a plain line followed by a section
// heading; a section heading that is a line equal to a known alias) and the
// same report in markdown with "#" headings.
//
// A plain line followed by a section heading starts a new paper when there
// is no paper yet, or when that heading's section comes no later (in
// canonical order) than the section being read: so a paragraph followed by
// the next section heading of the same paper stays a paragraph.
//
// filename is used only for positions. The error, when not nil, wraps
// [ErrReport] (for a report with no paper); the partial report is returned.
func ParseReport(filename string, src []byte, opts Options) (*Report, error) {
	m := buildMatcher(opts.Aliases)
	for _, a := range bibtexAliases {
		m[normalizeHeading(a)] = bibtexID
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	raw := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	lines := make([]reportLine, len(raw))
	inFence := false
	for i, r := range raw {
		l := reportLine{raw: strings.TrimRight(r, " \t\r")}
		t := strings.TrimSpace(l.raw)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			l.fence = true
			inFence = !inFence
		} else if inFence {
			l.inFence = true
		}
		if sm := headingRE.FindStringSubmatch(t); sm != nil && !l.inFence {
			t, l.md = sm[2], true
		}
		if len(t) > 4 && strings.HasPrefix(t, "**") && strings.HasSuffix(t, "**") {
			t = strings.TrimSpace(t[2 : len(t)-2])
		}
		l.text = t
		l.blank = t == "" && !l.inFence
		lines[i] = l
	}
	heading := func(i int) (string, bool) {
		l := lines[i]
		if l.blank || l.fence || l.inFence {
			return "", false
		}
		return m.match(l.text)
	}
	nextHeading := func(i int) (string, bool) {
		for j := i + 1; j < len(lines); j++ {
			if !lines[j].blank {
				return heading(j)
			}
		}
		return "", false
	}

	r := &Report{}
	const (
		partNone = iota
		partWork
		partPapers
	)
	part := partNone
	var paper *ReportPaper
	var sec *ReportSection
	var body []reportLine
	bib := []string(nil)
	seen := map[string]bool{}
	flush := func() {
		if paper == nil {
			return
		}
		if sec != nil {
			if sec.ID == bibtexID {
				paper.BibTeX = strings.TrimSpace(strings.Join(bib, "\n"))
			} else {
				sec.Markdown = reportMarkdown(body)
				paper.Sections = append(paper.Sections, *sec)
			}
		}
		sec, body, bib = nil, nil, nil
	}
	for i, l := range lines {
		if r.Title == "" && !l.blank {
			if !l.fence && !l.inFence && !partRE.MatchString(l.text) {
				if _, ok := heading(i); !ok {
					r.Title = l.text
					if sm := reportDateRE.FindStringSubmatch(l.text); sm != nil {
						y, _ := strconv.Atoi(sm[1])
						mo, _ := strconv.Atoi(sm[2])
						d, _ := strconv.Atoi(sm[3])
						if t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC); t.Month() == time.Month(mo) && t.Day() == d {
							r.Date = t
						}
					}
					continue
				}
			}
		}
		if !l.fence && !l.inFence {
			sm := partRE.FindStringSubmatch(l.text)
			if sm == nil && l.md {
				sm = mdPartRE.FindStringSubmatch(l.text)
			}
			if sm != nil {
				if _, isHeading := heading(i); !isHeading {
					switch partKind(sm[1]) {
					case "work":
						flush()
						paper, part = nil, partWork
						continue
					case "papers":
						flush()
						paper, part = nil, partPapers
						continue
					}
				}
			}
		}
		if part == partWork {
			if !l.blank && !slices.Contains(ReportPlaceholders, l.text) {
				r.WorkLog = append(r.WorkLog, l.text)
			}
			continue
		}
		if id, ok := heading(i); ok {
			if paper == nil {
				continue // a section heading before any paper title
			}
			flush()
			sec = &ReportSection{ID: id, Heading: l.text, Line: i + 1}
			seen[id] = true
			continue
		}
		if !l.blank && !l.fence && !l.inFence {
			if next, ok := nextHeading(i); ok {
				startsPaper := paper == nil || l.md || seen[next] ||
					(sec != nil && sectionOrder(next) <= sectionOrder(sec.ID))
				if startsPaper {
					flush()
					r.Papers = append(r.Papers, ReportPaper{Line: i + 1})
					paper = &r.Papers[len(r.Papers)-1]
					paper.Title = l.text
					if sm := linkLineRE.FindStringSubmatch(l.text); sm != nil {
						paper.Title = strings.TrimSpace(sm[1])
						if u := strings.TrimSpace(sm[2]); u != "#" {
							paper.URL = u
						}
					}
					seen = map[string]bool{}
					continue
				}
			}
		}
		if sec == nil {
			continue // text between a paper title and its first section
		}
		if sec.ID == bibtexID {
			if l.fence || l.blank {
				continue
			}
			if paper.BibTeXLine == 0 {
				paper.BibTeXLine = i + 1
			}
			bib = append(bib, l.raw)
			continue
		}
		body = append(body, l)
	}
	flush()
	// Paper pointers into r.Papers stay valid: append happens only after the
	// previous paper is flushed.
	if len(r.Papers) == 0 {
		return r, &Error{Pos: token.Position{Filename: filename, Line: 1, Column: 1}, Err: fmt.Errorf("%w: no paper found (a paper is a title line followed by a section heading such as 摘要)", ErrReport)}
	}
	return r, nil
}

func partKind(s string) string {
	ls := strings.ToLower(s)
	switch {
	case strings.Contains(s, "论文") || strings.Contains(s, "阅读") || strings.Contains(ls, "paper") || strings.Contains(ls, "reading"):
		return "papers"
	case strings.Contains(s, "工作") || strings.Contains(ls, "work"):
		return "work"
	}
	return "other"
}

// sectionOrder places the BibTeX pseudo-section right after the abstract.
func sectionOrder(id string) int {
	if id == bibtexID {
		return 1
	}
	for i, c := range CanonicalSections {
		if c == id {
			return 2 * i
		}
	}
	return 100
}

// reportMarkdown turns a section's lines into markdown: runs of two or more
// lines holding tabs become GFM tables, blank runs collapse, code blocks are
// kept verbatim.
func reportMarkdown(lines []reportLine) string {
	var out []string
	blank := func() {
		if len(out) > 0 && out[len(out)-1] != "" {
			out = append(out, "")
		}
	}
	for i := 0; i < len(lines); {
		l := lines[i]
		if l.fence || l.inFence {
			out = append(out, l.raw)
			i++
			continue
		}
		if l.blank {
			blank()
			i++
			continue
		}
		j := i
		for j < len(lines) && !lines[j].blank && !lines[j].fence && !lines[j].inFence && strings.Contains(lines[j].raw, "\t") {
			j++
		}
		if j-i >= 2 {
			blank()
			out = append(out, gfmTable(lines[i:j])...)
			out = append(out, "")
			i = j
			continue
		}
		out = append(out, l.raw)
		i++
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// gfmTable converts tab-separated rows into a GFM table whose first row is
// the header. Rows are padded to the widest row; '|' in cells is escaped.
func gfmTable(rows []reportLine) []string {
	cells := make([][]string, len(rows))
	width := 0
	for i, r := range rows {
		cells[i] = strings.Split(r.raw, "\t")
		width = max(width, len(cells[i]))
	}
	row := func(cs []string) string {
		var b strings.Builder
		b.WriteString("|")
		for k := range width {
			c := ""
			if k < len(cs) {
				c = strings.TrimSpace(cs[k])
			}
			b.WriteString(" " + strings.ReplaceAll(c, "|", `\|`) + " |")
		}
		return strings.ReplaceAll(b.String(), "  |", " |")
	}
	out := []string{row(cells[0]), "|" + strings.Repeat("---|", width)}
	for _, cs := range cells[1:] {
		out = append(out, row(cs))
	}
	return out
}
