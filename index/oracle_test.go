package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

// The oracle: brute-force search over the same notes and entries, parsed by
// notes and bib directly, with the searchable text of each paper defined
// independently of the index code.

type otext struct {
	section string
	text    string
}

type opaper struct {
	key    string
	texts  []otext
	tags   []string
	status string
	year   int
	hasBib bool
}

// loadOracle reads a generated workspace.
func loadOracle(t testing.TB, dir string) map[string]*opaper {
	t.Helper()
	papers := map[string]*opaper{}
	get := func(k string) *opaper {
		if p, ok := papers[k]; ok {
			return p
		}
		p := &opaper{key: k}
		papers[k] = p
		return p
	}
	src, err := os.ReadFile(filepath.Join(dir, "bib", "library.bib"))
	if err != nil {
		t.Fatal(err)
	}
	f := bib.Parse("library.bib", src, nil)
	for _, e := range f.Entries {
		p := get(e.Key)
		p.hasBib = true
		p.year = atoi(e.Year())
		p.texts = append(p.texts, otext{"title", e.Title()}, otext{"venue", e.Venue()},
			otext{"keywords", e.Text("keywords")}, otext{"abstract", e.Text("abstract")})
		for _, a := range e.Authors() {
			p.texts = append(p.texts, otext{"author", a.String()})
		}
	}
	ents, err := os.ReadDir(filepath.Join(dir, "notes"))
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range ents {
		path := filepath.Join(dir, "notes", de.Name())
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := notes.Parse(path, src, notes.Options{})
		p := get(n.Key)
		p.tags = n.Meta.Tags
		p.status = n.Meta.Status
		p.texts = append(p.texts, otext{"title", n.Title})
		for _, s := range n.Sections {
			p.texts = append(p.texts, otext{s.ID, s.Text})
			if !s.Canonical {
				p.texts = append(p.texts, otext{s.ID, s.Heading})
			}
		}
	}
	return papers
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// oWords splits text into lower-cased words and whole CJK runs, in order.
func oWords(s string) []string {
	var out []string
	var cur []rune
	curCJK := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
		}
		cur = cur[:0]
	}
	for _, r := range s {
		cjk := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		switch {
		case cjk:
			if !curCJK {
				flush()
			}
			curCJK = true
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			if curCJK {
				flush()
			}
			curCJK = false
			cur = append(cur, r)
		default:
			flush()
			curCJK = false
		}
	}
	flush()
	return out
}

// oatom is one query term for the oracle.
type oatom struct {
	field  string // "" for any
	text   string
	phrase bool
}

func (a oatom) query() string {
	s := a.text
	if a.phrase {
		s = `"` + s + `"`
	}
	if a.field != "" {
		s = a.field + ":" + s
	}
	return s
}

// matches reports whether text matches the atom: a CJK-only term as a
// substring, other terms as a sequence of whole words.
func (a oatom) matchText(text string) bool {
	if isAllCJK(a.text) {
		return strings.Contains(text, a.text)
	}
	want := oWords(a.text)
	have := oWords(text)
	for i := 0; i+len(want) <= len(have); i++ {
		if slices.Equal(have[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

func isAllCJK(s string) bool {
	for _, r := range s {
		if !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return false
		}
	}
	return s != ""
}

func (a oatom) keys(papers map[string]*opaper) map[string]bool {
	out := map[string]bool{}
	for k, p := range papers {
		for _, t := range p.texts {
			if (a.field == "" || a.field == t.section) && a.matchText(t.text) {
				out[k] = true
				break
			}
		}
	}
	return out
}

// searchKeys runs a query and returns the keys found, sorted.
func searchKeys(t testing.TB, ix *Index, q string, f Filters) []string {
	t.Helper()
	pq, err := ParseQuery(q)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", q, err)
	}
	res, err := ix.Search(context.Background(), pq, SearchOptions{Filters: f, Limit: -1})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	keys := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		keys = append(keys, h.Key)
	}
	if len(keys) != res.Total {
		t.Errorf("Search(%q): %d hits but Total %d", q, len(keys), res.Total)
	}
	slices.Sort(keys)
	return keys
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// oracleIndex generates a 300-paper workspace and indexes it once.
func oracleIndex(t *testing.T) (*Index, map[string]*opaper) {
	t.Helper()
	dir := t.TempDir()
	genWorkspace(t, dir, 300, 1)
	ix, err := Open(filepath.Join(dir, ".papernotes", "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(context.Background(), Sources{Root: dir, NotesDir: filepath.Join(dir, "notes"), BibPaths: []string{filepath.Join(dir, "bib")}}); err != nil {
		t.Fatal(err)
	}
	return ix, loadOracle(t, dir)
}

func TestOracleFixed(t *testing.T) {
	t.Parallel()
	ix, papers := oracleIndex(t)
	for _, a := range []oatom{
		{text: "开放词汇"},
		{text: "目标检测"},
		{text: "检测目标"}, // also present as 检测。目标, which must not count
		{text: "检"},
		{text: "的"},
		{text: "测"},
		{text: "词汇开放"},
		{text: "语义分割对比学习"},
		{text: "グラウンディング"},
		{text: "한국어"},
		{text: "ン"},
		{text: "detection"},
		{text: "GLIP"},
		{text: "open vocabulary", phrase: true},
		{text: "frozen encoders", phrase: true},
		{text: "müller"},
		{text: "开放词汇", field: "relevance"},
		{text: "SAM", field: "relevance"},
		{text: "检", field: "title"},
		{text: "li", field: "author"},
		{text: "张三", field: "author"},
		{text: "目标", field: "sam-comparison"},
	} {
		t.Run(a.query(), func(t *testing.T) {
			want := sorted(a.keys(papers))
			got := searchKeys(t, ix, a.query(), Filters{})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: (-oracle +index)\n%s", a.query(), diff)
			}
		})
	}
	// A phrase across punctuation: some paper has 检测 and 目标 with
	// punctuation between them and never 检测目标; it must not be found.
	found := searchKeys(t, ix, "检测目标", Filters{})
	spans := 0
	for k, p := range papers {
		for _, tx := range p.texts {
			for _, sep := range []string{"。", "，", "、", " ", "; ", "\n\n"} {
				if strings.Contains(tx.text, "检测"+sep+"目标") && !slices.Contains(found, k) {
					spans++
				}
			}
		}
	}
	if spans == 0 {
		t.Error("no paper has 检测 and 目标 split by punctuation only: a weak test")
	}
}

func TestOracleFilters(t *testing.T) {
	t.Parallel()
	ix, papers := oracleIndex(t)
	filter := func(keep func(p *opaper) bool) []string {
		var out []string
		for k, p := range papers {
			if keep(p) {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	det := oatom{text: "detection"}.keys(papers)
	for _, tc := range []struct {
		name string
		q    string
		f    Filters
		want []string
	}{
		{"tag", "", Filters{Tag: "VLM"}, filter(func(p *opaper) bool { return slices.Contains(p.tags, "vlm") })},
		{"tag-zh", "tag:目标检测", Filters{}, filter(func(p *opaper) bool { return slices.Contains(p.tags, "目标检测") })},
		{"status", "", Filters{Status: "read"}, filter(func(p *opaper) bool { return p.status == "read" })},
		{"year", "year:2018..2020", Filters{}, filter(func(p *opaper) bool { return p.hasBib && p.year >= 2018 && p.year <= 2020 })},
		{"year-open", "", Filters{Years: YearRange{From: 2022}}, filter(func(p *opaper) bool { return p.hasBib && p.year >= 2022 })},
		{"year-term", "detection year:..2017", Filters{}, filter(func(p *opaper) bool { return det[p.key] && p.hasBib && p.year <= 2017 })},
		{"not", "-detection", Filters{}, filter(func(p *opaper) bool { return !det[p.key] })},
		{"author", "", Filters{Author: "harold li"}, filter(func(p *opaper) bool {
			for _, t := range p.texts {
				if t.section == "author" && slices.Contains(oWords(t.text), "harold") && slices.Contains(oWords(t.text), "li") {
					return true
				}
			}
			return false
		})},
		{"section-flag", "SAM", Filters{Section: "relevance"}, sorted(oatom{text: "SAM", field: "relevance"}.keys(papers))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := searchKeys(t, ix, tc.q, tc.f)
			if tc.want == nil {
				tc.want = []string{}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-oracle +index)\n%s", diff)
			}
			if len(tc.want) == 0 {
				t.Errorf("the oracle finds nothing: a weak case")
			}
		})
	}
}

// TestOracleRapid checks random combinations of terms sampled from the
// generated text against the oracle.
func TestOracleRapid(t *testing.T) {
	t.Parallel()
	ix, papers := oracleIndex(t)
	keys := sorted(map[string]bool{})
	for k := range papers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fields := []string{"", "", "", "title", "author", "relevance", "method", "abstract", "problem"}
	atomGen := rapid.Custom(func(rt *rapid.T) oatom {
		p := papers[rapid.SampledFrom(keys).Draw(rt, "paper")]
		tx := rapid.SampledFrom(p.texts).Draw(rt, "text")
		ws := oWords(tx.text)
		if len(ws) == 0 {
			return oatom{text: "detection"}
		}
		i := rapid.IntRange(0, len(ws)-1).Draw(rt, "word")
		a := oatom{field: rapid.SampledFrom(fields).Draw(rt, "field")}
		w := ws[i]
		switch {
		case isAllCJK(w):
			// A substring of the run, sometimes glued to the next run so
			// that it spans punctuation.
			rs := []rune(w)
			from := rapid.IntRange(0, len(rs)-1).Draw(rt, "from")
			to := rapid.IntRange(from+1, len(rs)).Draw(rt, "to")
			a.text = string(rs[from:to])
			if i+1 < len(ws) && isAllCJK(ws[i+1]) && rapid.Bool().Draw(rt, "span") {
				a.text = string(rs[from:]) + string([]rune(ws[i+1])[:1])
			}
		case i+1 < len(ws) && !isAllCJK(ws[i+1]) && rapid.Bool().Draw(rt, "phrase"):
			a.text, a.phrase = w+" "+ws[i+1], true
		default:
			a.text = w
		}
		return a
	})
	rapid.Check(t, func(rt *rapid.T) {
		atoms := rapid.SliceOfN(atomGen, 1, 3).Draw(rt, "atoms")
		op := rapid.SampledFrom([]string{"and", "or", "not"}).Draw(rt, "op")
		// Flag filters, sometimes.
		var f Filters
		if rapid.IntRange(0, 3).Draw(rt, "filters") == 0 {
			f.Tag = rapid.SampledFrom(append([]string{""}, genTags...)).Draw(rt, "tag")
			f.Status = rapid.SampledFrom(genStatus).Draw(rt, "status")
			if rapid.Bool().Draw(rt, "years") {
				from := rapid.IntRange(2014, 2025).Draw(rt, "from")
				f.Years = YearRange{from, rapid.IntRange(from, 2026).Draw(rt, "to")}
			}
			f.Section = rapid.SampledFrom([]string{"", "", "relevance", "method"}).Draw(rt, "section")
			f.Author = rapid.SampledFrom([]string{"", "li", "wei", "Harold Li", "张三"}).Draw(rt, "author")
		}
		// The query is written without the section; the oracle applies it.
		texts := make([]string, len(atoms))
		for i, a := range atoms {
			texts[i] = a.query()
			if f.Section != "" && a.field == "" {
				atoms[i].field = f.Section
			}
		}
		var q []string
		want := atoms[0].keys(papers)
		q = append(q, texts[0])
		for i, a := range atoms[1:] {
			ks := a.keys(papers)
			text := texts[i+1]
			switch op {
			case "and":
				q = append(q, text)
				for k := range want {
					if !ks[k] {
						delete(want, k)
					}
				}
			case "or":
				q = append(q, "OR", text)
				for k := range ks {
					want[k] = true
				}
			case "not":
				q = append(q, "-"+text)
				for k := range ks {
					delete(want, k)
				}
			}
		}
		authorKeys := oatom{field: "author", text: f.Author}
		for k, p := range papers {
			switch {
			case f.Tag != "" && !slices.Contains(p.tags, f.Tag),
				f.Status != "" && p.status != f.Status,
				!f.Years.IsZero() && (!p.hasBib || p.year < f.Years.From || p.year > f.Years.To),
				f.Author != "" && !authorMatch(p, authorKeys.text):
				delete(want, k)
			}
		}
		qs := strings.Join(q, " ")
		got := searchKeys(t, ix, qs, f)
		if diff := cmp.Diff(sorted(want), got); diff != "" {
			rt.Fatalf("%s %+v: (-oracle +index)\n%s", qs, f, diff)
		}
	})
}

// authorMatch reports whether one author of p has every word of name.
func authorMatch(p *opaper, name string) bool {
	want := oWords(name)
	for _, t := range p.texts {
		if t.section != "author" {
			continue
		}
		have := oWords(t.text)
		ok := true
		for _, w := range want {
			if isAllCJK(w) {
				ok = ok && strings.Contains(t.text, w)
			} else {
				ok = ok && slices.Contains(have, w)
			}
		}
		if ok {
			return true
		}
	}
	return false
}
