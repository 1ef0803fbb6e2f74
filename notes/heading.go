package notes

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// DefaultAliases are the section headings recognised when [Options.Aliases]
// is nil: the Chinese headings of the group's weekly report and their English
// counterparts. The first alias of each language is the one [Scaffold] writes.
// It is read-only.
var DefaultAliases = map[string][]string{
	SectionAbstract:  {"摘要", "Abstract", "Summary"},
	SectionProblem:   {"本论文解决什么问题", "解决的问题", "Problem", "Problem statement"},
	SectionPrior:     {"已有方法的优缺点", "相关工作", "Prior work", "Related work"},
	SectionMethod:    {"本文采用什么方法及其优缺点", "方法", "Method", "Methods", "Approach"},
	SectionData:      {"使用的数据集和性能度量", "数据集和性能度量", "Datasets and metrics", "Data", "Datasets"},
	SectionResults:   {"实验结果", "结果", "Results", "Experiments"},
	SectionRelevance: {"与我们工作的相关性", "相关性", "Relevance to our work", "Relevance"},
}

// headings are the headings [Scaffold] writes, per language.
var headings = map[string]map[string]string{
	"zh": {
		SectionAbstract:  "摘要",
		SectionProblem:   "本论文解决什么问题",
		SectionPrior:     "已有方法的优缺点",
		SectionMethod:    "本文采用什么方法及其优缺点",
		SectionData:      "使用的数据集和性能度量",
		SectionResults:   "实验结果",
		SectionRelevance: "与我们工作的相关性",
	},
	"en": {
		SectionAbstract:  "Abstract",
		SectionProblem:   "Problem",
		SectionPrior:     "Prior work",
		SectionMethod:    "Method",
		SectionData:      "Datasets and metrics",
		SectionResults:   "Results",
		SectionRelevance: "Relevance to our work",
	},
}

// prompts are the one-line HTML-comment prompts of empty scaffolded sections.
var prompts = map[string]map[string]string{
	"zh": {
		SectionAbstract:  "这篇论文的摘要是什么？",
		SectionProblem:   "这篇论文解决了什么问题？",
		SectionPrior:     "已有方法有哪些，各有什么优缺点？",
		SectionMethod:    "本文采用什么方法，有什么优缺点？",
		SectionData:      "使用了哪些数据集和性能度量？",
		SectionResults:   "主要实验结果是什么？",
		SectionRelevance: "与我们的工作有什么关系？",
	},
	"en": {
		SectionAbstract:  "What does the abstract say?",
		SectionProblem:   "What problem does the paper solve?",
		SectionPrior:     "What did earlier methods do, and what are their strengths and weaknesses?",
		SectionMethod:    "What method does the paper use, and what are its strengths and weaknesses?",
		SectionData:      "Which datasets and metrics are used?",
		SectionResults:   "What are the main results?",
		SectionRelevance: "How does this relate to our work?",
	},
}

// Heading returns the heading [Scaffold] writes for a canonical section id
// in lang ("zh" or "en"; anything else means "en").
func Heading(id, lang string) string {
	h, ok := headings[lang]
	if !ok {
		h = headings["en"]
	}
	return h[id]
}

// matcher maps normalised headings to canonical ids.
type matcher map[string]string

// defaultMatcher is built once: normalising every alias on each Parse
// cost about a tenth of the parse time.
var defaultMatcher = sync.OnceValue(func() matcher { return buildMatcher(DefaultAliases) })

// newMatcher returns the matcher for aliases (nil means the defaults). The
// result must not be modified when aliases is nil.
func newMatcher(aliases map[string][]string) matcher {
	if aliases == nil {
		return defaultMatcher()
	}
	return buildMatcher(aliases)
}

func buildMatcher(aliases map[string][]string) matcher {
	if aliases == nil {
		aliases = DefaultAliases
	}
	m := make(matcher)
	// Iterate in canonical order first so that, when two ids share an alias,
	// the earlier canonical id wins regardless of map order.
	for _, id := range CanonicalSections {
		for _, a := range aliases[id] {
			if k := normalizeHeading(a); k != "" {
				if _, dup := m[k]; !dup {
					m[k] = id
				}
			}
		}
	}
	var extra []string
	for id := range aliases {
		if !isCanonical(id) {
			extra = append(extra, id)
		}
	}
	slices.Sort(extra)
	for _, id := range extra {
		for _, a := range aliases[id] {
			if k := normalizeHeading(a); k != "" {
				if _, dup := m[k]; !dup {
					m[k] = id
				}
			}
		}
	}
	return m
}

func (m matcher) match(heading string) (string, bool) {
	id, ok := m[normalizeHeading(heading)]
	return id, ok
}

func isCanonical(id string) bool {
	for _, c := range CanonicalSections {
		if c == id {
			return true
		}
	}
	return false
}

// normalizeHeading folds case, removes all spacing, maps full-width ASCII
// forms (U+FF01-U+FF5E) and the ideographic space to their half-width
// counterparts, drops the numbering people put in front of headings (see
// [stripNumbering]) and drops trailing colons, question marks and periods.
func normalizeHeading(s string) string {
	s = stripNumbering(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		case r == '。':
			r = '.'
		}
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), ":?.")
}

// slug makes a section id from a heading: lower-case letters and digits of
// any script kept, every other run of runes replaced by one '-'.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// numberingRE matches the numbering in front of a heading, as people write
// it: "1." "1、" "1)" "1.2" (arabic, also full-width), "一、" "十二." (Chinese
// numerals), "(2)" "（二）" "[3]" (bracketed), "I." "iv)" (roman, with a
// separator so that a word such as "In" is never taken for a number), and
// "第一章"/"第3节". The separator is required after a bare number except
// for dotted forms, so "3D reconstruction" keeps its "3D".
var numberingRE = regexp.MustCompile(`^\s*(?:` +
	`[0-9０-９]+(?:[.．][0-9０-９]+)*(?:[.．、:：)）]|\s)` +
	`|[一二三四五六七八九十百〇零]+[、.．:：)）]` +
	`|[(（\[【][0-9０-９一二三四五六七八九十百〇零ivxlcIVXLC]+[)）\]】]` +
	`|(?i:[ivxlc]+)[.．、)）]` +
	`|第[0-9０-９一二三四五六七八九十百〇零]+[章节部分条]?[、.．:：]?` +
	`)\s*`)

// stripNumbering removes one leading number from a heading ("## 1. 摘要",
// "一、摘要", "(2) Method", "II. Results") so that it matches its section's
// aliases. A heading that is nothing but a number is kept as it is.
func stripNumbering(s string) string {
	loc := numberingRE.FindStringIndex(s)
	if loc == nil || strings.TrimSpace(s[loc[1]:]) == "" {
		return s
	}
	return s[loc[1]:]
}
