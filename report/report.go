package report

import (
	"html/template"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

// Pseudo-section ids accepted in [Options.Sections] besides the canonical
// note sections.
const (
	// SectionBibTeX is the paper's BibTeX entry, taken from the library.
	SectionBibTeX = "bibtex"
)

// Library looks up BibTeX entries by cite key. A *bib.Library satisfies it.
// A nil Library is allowed: papers then have no BibTeX and no URL.
type Library interface {
	Lookup(key string) (*bib.Entry, bool)
}

// Options controls [Build]. The zero value gives the Chinese report with the
// default section order.
type Options struct {
	// Lang is "zh" (the default when empty) or "en". It picks the title format
	// and the default headings.
	Lang string
	// Sections lists what each paper shows, in order: "abstract", "bibtex", or
	// a canonical note section id. Empty means [DefaultSections]. Free sections
	// (headings that match no alias) follow, in note order.
	Sections []string
	// Required lists section ids shown even when empty (with [Section.Missing] set).
	Required []string
	// Headings overrides headings by id: section ids, "bibtex", and the
	// report-level ids "worklog", "papers", "nopapers", "noworklog".
	Headings map[string]string
	// WorkLog is the week's work-log lines, already filtered to the week.
	WorkLog []WorkItem
	// NoFreeSections leaves out note sections whose heading matches no alias.
	NoFreeSections bool
	// BibTeXDrop lists the fields left out of each paper's BibTeX (see
	// [bib.MatchField]); nil shows the entry as written. The abstract is
	// usually here, since the report shows it under its own heading.
	BibTeXDrop []string
}

// DefaultSections is the section order used when [Options.Sections] is empty;
// it matches the default config and the hand-written example.
var DefaultSections = []string{
	notes.SectionAbstract, SectionBibTeX, notes.SectionProblem, notes.SectionPrior,
	notes.SectionMethod, notes.SectionData, notes.SectionResults, notes.SectionRelevance,
}

// WorkItem is one work-log line.
type WorkItem struct {
	Date time.Time `json:"date"`
	// Text is the line as written (markdown).
	Text string `json:"text"`
	// HTML is Text rendered as inline markdown, filled by [Render] for HTML
	// output only.
	HTML template.HTML `json:"html,omitempty"`
}

// Data is the template data model: everything a report template sees. See
// TEMPLATES.md for a field-by-field guide. Every string is plain data; the
// markdown template writes it as is and the HTML template escapes it, except
// the fields of type [template.HTML], which are already-safe HTML.
type Data struct {
	// Lang is "zh" or "en".
	Lang string `json:"lang"`
	// Week is the reporting range; Date is its last day (the meeting date).
	Week Week      `json:"week"`
	Date time.Time `json:"date"`
	// Title is "组会_YYYYMMDD" (zh) or "Group meeting YYYY-MM-DD" (en).
	Title string `json:"title"`
	// Headings holds the report's fixed texts by id: "worklog", "papers",
	// "nopapers", "noworklog", "abstract", "bibtex", "copy", "copied",
	// and one per canonical section id.
	Headings map[string]string `json:"headings"`
	// WorkLog is the week's work-log lines in date order.
	WorkLog []WorkItem `json:"worklog"`
	// Papers are the notes read in the week, in reading order (read date,
	// then read_order, then added date, then key).
	Papers []Paper `json:"papers"`
	// Empty reports that no paper was read in the week.
	Empty bool `json:"empty"`
	// Duplicates lists the notes left out because another note claims the
	// same key, for the caller to warn about; nil when there are none.
	Duplicates []Duplicate `json:"duplicates,omitempty"`
	// NotRead lists the paths of notes left out because their status is
	// toread although their read date is in the week.
	NotRead []string `json:"not_read,omitempty"`
}

// Duplicate is a note left out of the report because another note of the
// week has the same key: the paper is reported once, from Kept.
type Duplicate struct {
	Key string `json:"key"`
	// Kept is the path of the note used; Dropped the path of the one left out.
	Kept    string `json:"kept"`
	Dropped string `json:"dropped"`
}

// Paper is one paper in the report.
type Paper struct {
	// Key is the cite key.
	Key string `json:"key"`
	// Title is the note's title, else the entry's title (LaTeX decoded), else the key.
	Title string `json:"title"`
	// URL is the entry's url field, else https://doi.org/DOI, else the arXiv
	// abstract page; "" when none is known.
	URL string `json:"url"`
	// Authors is the entry's author list as text for people ("A. Kirillov,
	// E. Mintun, et al."; "等" in a Chinese report; see [bib.Byline]), ""
	// when unknown.
	Authors string `json:"authors"`
	// Year is the entry's year field.
	Year string `json:"year"`
	// Read is the note's read date.
	Read time.Time `json:"read"`
	// NotePath is the note's file.
	NotePath string `json:"note"`
	// Abstract is the note's abstract section (markdown) when it is not
	// empty, else the entry's abstract field decoded to plain text.
	Abstract string `json:"abstract"`
	// BibTeX is the entry's exact source text from the library at report
	// time, less the fields of [Options.BibTeXDrop]; "" when the key is not
	// in the library (see InLibrary).
	BibTeX string `json:"bibtex"`
	// InLibrary reports whether the key was found in the library.
	InLibrary bool `json:"in_library"`
	// Sections are the parts of the paper in configured order: abstract,
	// bibtex and note sections alike, empty ones left out unless required.
	Sections []Section `json:"sections"`
}

// Section is one part of a paper in the report.
type Section struct {
	// ID is the canonical id ("method"), "abstract", "bibtex", or the slug of
	// a free section.
	ID string `json:"id"`
	// Heading is the heading to print: the configured heading for the
	// language, or a free section's heading as written.
	Heading string `json:"heading"`
	// Markdown is the body. For note sections it is the note's markdown with
	// citations rewritten to references ("Title [key]", linked when the cited
	// paper has a URL) and its headings demoted below the report's own. For
	// "bibtex" it is the raw entry.
	Markdown string `json:"markdown"`
	// Source is the body as the note has it, before citations are rewritten
	// and headings demoted: for formats that handle citations themselves
	// (LaTeX turns them into \cite). For "bibtex" it is the raw entry too.
	Source string `json:"source"`
	// HTML is Markdown rendered to HTML, filled by [Render] for HTML output
	// only ("" in markdown output and for "bibtex").
	HTML template.HTML `json:"html,omitempty"`
	// Missing reports a required section that the note leaves empty.
	Missing bool `json:"missing"`
}

// Build selects the notes whose read date falls in week and assembles the
// report data. When several notes claim one key, the paper is reported once,
// from the note at the key's own file name (else the first by path), and
// the others are listed in [Data.Duplicates]. Notes are taken in reading order; the sort is stable, so
// equal notes keep their input order. lib may be nil. Build never fails: a
// paper whose key is not in lib is still reported, without BibTeX. Build
// only reads ns and lib, so concurrent calls are safe when lib's Lookup is.
func Build(week Week, ns []*notes.Note, lib Library, opts Options) *Data {
	lang := opts.Lang
	if lang != "en" {
		lang = "zh"
	}
	headings := defaultHeadings(lang)
	for id, h := range opts.Headings {
		if h != "" {
			headings[id] = h
		}
	}
	d := &Data{
		Lang:     lang,
		Week:     week,
		Date:     week.End,
		Headings: headings,
		WorkLog:  append([]WorkItem(nil), opts.WorkLog...),
	}
	if lang == "en" {
		d.Title = "Group meeting " + week.End.Format(time.DateOnly)
	} else {
		d.Title = "组会_" + week.End.Format("20060102")
	}
	sort.SliceStable(d.WorkLog, func(i, j int) bool { return civil(d.WorkLog[i].Date).Before(civil(d.WorkLog[j].Date)) })

	// Duplicates are settled over all the notes given, before the week is
	// applied: the note at the key's own file name decides whether and when
	// the paper was read, even when another note claims a date in the week.
	var all []*notes.Note
	for _, n := range ns {
		if n != nil {
			all = append(all, n)
		}
	}
	all, d.Duplicates = dedupe(all)
	var picked []*notes.Note
	for _, n := range all {
		if !week.Contains(n.Meta.Read) {
			continue
		}
		// read: is set exactly when the status is read; a note that says
		// toread was not read, whatever its date says (add --status toread
		// used to write read: today). A note "reading" with a read date is
		// kept: add's old default wrote just that for papers read that day.
		if n.Meta.Status == "toread" {
			d.NotRead = append(d.NotRead, n.Path)
			continue
		}
		picked = append(picked, n)
	}
	sort.SliceStable(picked, func(i, j int) bool {
		a, b := picked[i], picked[j]
		if ra, rb := civil(a.Meta.Read), civil(b.Meta.Read); !ra.Equal(rb) {
			return ra.Before(rb)
		}
		// On one day, read_order first (as import-report keeps a report's
		// order), then notes without one.
		if oa, ob := readOrder(a), readOrder(b); oa != ob {
			return oa < ob
		}
		if !a.Meta.Added.Equal(b.Meta.Added) {
			return a.Meta.Added.Before(b.Meta.Added)
		}
		return noteKey(a) < noteKey(b)
	})
	r := &resolver{lib: lib, notes: map[string]*notes.Note{}}
	for _, n := range all {
		if noteKey(n) != "" {
			r.notes[noteKey(n)] = n
		}
	}
	for _, n := range picked {
		d.Papers = append(d.Papers, buildPaper(n, r, headings, lang, opts))
	}
	d.Empty = len(d.Papers) == 0
	return d
}

// dedupe keeps one note per key: the one at the key's own file name
// ([notes.FileName]), else the first by path. The others are returned as
// duplicates, in path order. Notes without a key are all kept.
func dedupe(ns []*notes.Note) ([]*notes.Note, []Duplicate) {
	byKey := map[string][]*notes.Note{}
	for _, n := range ns {
		if k := noteKey(n); k != "" {
			byKey[k] = append(byKey[k], n)
		}
	}
	winner := map[string]*notes.Note{}
	var dups []Duplicate
	for k, group := range byKey {
		if len(group) < 2 {
			continue
		}
		sorted := slices.Clone(group)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
		w := sorted[0]
		for _, n := range sorted {
			if filepath.Base(n.Path) == notes.FileName(k) {
				w = n
				break
			}
		}
		winner[k] = w
		for _, n := range sorted {
			if n != w {
				dups = append(dups, Duplicate{Key: k, Kept: w.Path, Dropped: n.Path})
			}
		}
	}
	if len(dups) == 0 {
		return ns, nil
	}
	sort.Slice(dups, func(i, j int) bool {
		if dups[i].Key != dups[j].Key {
			return dups[i].Key < dups[j].Key
		}
		return dups[i].Dropped < dups[j].Dropped
	})
	out := ns[:0:0]
	for _, n := range ns {
		if w, ok := winner[noteKey(n)]; ok && w != n {
			continue
		}
		out = append(out, n)
	}
	return out, dups
}

func readOrder(n *notes.Note) int {
	if n.Meta.ReadOrder > 0 {
		return n.Meta.ReadOrder
	}
	return int(^uint(0) >> 1)
}

func noteKey(n *notes.Note) string {
	if n.Key != "" {
		return n.Key
	}
	return n.Meta.Key
}

func buildPaper(n *notes.Note, r *resolver, headings map[string]string, lang string, opts Options) Paper {
	p := Paper{Key: noteKey(n), Read: n.Meta.Read, NotePath: n.Path, Title: oneLine(n.Title)}
	var e *bib.Entry
	if r.lib != nil && p.Key != "" {
		e, p.InLibrary = r.lib.Lookup(p.Key)
	}
	if p.InLibrary && e != nil {
		p.BibTeX = strings.TrimRight(e.RawWithout(opts.BibTeXDrop), " \t\r\n")
		p.URL = SafeURL(e.URL())
		etAl := "et al."
		if lang == "zh" {
			etAl = "等"
		}
		p.Authors = bib.Byline(e.Authors(), bib.BylineOptions{EtAl: etAl})
		p.Year = e.Year()
		if p.Title == "" {
			p.Title = e.Title()
		}
	}
	if p.Title == "" {
		p.Title = p.Key
	}

	// Group the note's sections by id. A section nested under a previous
	// one (a deeper heading that is not itself an alias) stays inside it, so
	// "### 1、模型架构" under the method section is kept with the method.
	type part struct {
		heading string
		md      strings.Builder
		free    bool
	}
	byID := map[string]*part{}
	var freeOrder []string
	var cur *part
	curLevel := 0
	for _, s := range n.Sections {
		if s.Level <= 1 && !s.Canonical {
			cur = nil // the title heading: its body is scaffold metadata
			continue
		}
		if !s.Canonical && cur != nil && s.Level > curLevel {
			cur.md.WriteString("\n\n" + strings.Repeat("#", s.Level) + " " + s.Heading + "\n\n")
			cur.md.WriteString(s.Markdown)
			continue
		}
		pt, ok := byID[s.ID]
		if !ok {
			pt = &part{heading: s.Heading, free: !s.Canonical}
			byID[s.ID] = pt
			if !s.Canonical {
				freeOrder = append(freeOrder, s.ID)
			}
		} else {
			pt.md.WriteString("\n\n")
		}
		pt.md.WriteString(s.Markdown)
		cur, curLevel = pt, s.Level
	}
	body := func(id string) string {
		pt, ok := byID[id]
		if !ok {
			return ""
		}
		return strings.TrimSpace(pt.md.String())
	}

	abstractSrc := body(notes.SectionAbstract)
	if !isBlank(abstractSrc) {
		p.Abstract = r.rewrite(abstractSrc)
	} else if e != nil {
		p.Abstract = e.Text("abstract")
		abstractSrc = p.Abstract
	}

	order := opts.Sections
	if len(order) == 0 {
		order = DefaultSections
	}
	required := map[string]bool{}
	for _, id := range opts.Required {
		required[id] = true
	}
	seen := map[string]bool{}
	for _, id := range order {
		if seen[id] {
			continue
		}
		seen[id] = true
		s := Section{ID: id, Heading: headings[id]}
		switch id {
		case SectionBibTeX:
			s.Markdown, s.Source = p.BibTeX, p.BibTeX
		case notes.SectionAbstract:
			s.Markdown = p.Abstract
			if p.Abstract != "" {
				s.Source = abstractSrc
			}
		default:
			if b := body(id); !isBlank(b) {
				s.Markdown, s.Source = r.rewrite(b), b
			}
			if s.Heading == "" {
				if pt, ok := byID[id]; ok {
					s.Heading = pt.heading
				} else {
					s.Heading = id
				}
			}
		}
		if s.Markdown == "" {
			if !required[id] {
				continue
			}
			s.Missing = true
		}
		p.Sections = append(p.Sections, s)
	}
	if !opts.NoFreeSections {
		for _, id := range freeOrder {
			if seen[id] {
				continue
			}
			b := body(id)
			if isBlank(b) {
				continue
			}
			p.Sections = append(p.Sections, Section{ID: id, Heading: byID[id].heading, Markdown: r.rewrite(b), Source: b})
		}
	}
	return p
}

// isBlank reports whether markdown holds nothing but space and HTML
// comments (the prompts that `new` scaffolds).
func isBlank(md string) bool {
	for {
		md = strings.TrimSpace(md)
		if !strings.HasPrefix(md, "<!--") {
			return md == ""
		}
		end := strings.Index(md, "-->")
		if end < 0 {
			return false
		}
		md = md[end+3:]
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func defaultHeadings(lang string) map[string]string {
	if lang == "en" {
		return map[string]string{
			"worklog":              "1. Last week's work",
			"papers":               "2. Papers",
			"nopapers":             "No papers were read this week.",
			"noworklog":            "Nothing was logged this week.",
			"copy":                 "Copy",
			"copied":               "Copied",
			"missing":              "(not written yet)",
			SectionBibTeX:          "Citation (BibTeX)",
			notes.SectionAbstract:  "Abstract",
			notes.SectionProblem:   "Problem",
			notes.SectionPrior:     "Prior work",
			notes.SectionMethod:    "Method",
			notes.SectionData:      "Datasets and metrics",
			notes.SectionResults:   "Results",
			notes.SectionRelevance: "Relevance to our work",
		}
	}
	return map[string]string{
		"worklog":              "一、上周工作",
		"papers":               "二、论文阅读",
		"nopapers":             "本周没有阅读论文。",
		"noworklog":            "本周没有工作记录。",
		"copy":                 "复制",
		"copied":               "已复制",
		"missing":              "（尚未填写）",
		SectionBibTeX:          "引用信息 (BibTeX格式)",
		notes.SectionAbstract:  "摘要",
		notes.SectionProblem:   "本论文解决什么问题",
		notes.SectionPrior:     "已有方法的优缺点",
		notes.SectionMethod:    "本文采用什么方法及其优缺点",
		notes.SectionData:      "使用的数据集和性能度量",
		notes.SectionResults:   "实验结果",
		notes.SectionRelevance: "与我们工作的相关性",
	}
}
