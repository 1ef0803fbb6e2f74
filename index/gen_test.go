package index

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Vocabulary of the generated workspaces. The Chinese fragments are chosen
// so that concatenations create and break the test queries: 检测 + 目标
// gives 检测目标, 目标 + 检测 gives 目标检测, and "检测。目标" must not
// match 检测目标.
var (
	genZh = []string{"开放词汇", "目标检测", "检测", "目标", "开放", "词汇", "的", "模型", "语义分割", "对比学习",
		"本文提出了一种新的方法", "训练分为两个阶段", "检", "测", "大模型", "视觉语言", "グラウンディング", "한국어"}
	genEn = []string{"open", "vocabulary", "detection", "object", "grounding", "transformer", "frozen", "encoders",
		"SAM", "GLIP", "segment", "anything", "contrastive", "learning", "zero-shot", "COCO", "Müller", "model"}
	genSep      = []string{"", "", "", " ", " ", "。", "，", "、", "; ", ". ", "\n\n", "（", "）", "-"}
	genTags     = []string{"vlm", "detection", "目标检测", "llm", "survey"}
	genStatus   = []string{"toread", "reading", "read", ""}
	genSurnames = []string{"Li", "Zhang", "Wang", "Smith", "Müller", "Kim", "张三", "Garcia"}
	genGiven    = []string{"Liunian Harold", "Wei", "Alice", "Jun", "Hana", "Bob"}
	genHeadings = map[string][]string{
		"abstract":  {"摘要", "Abstract"},
		"problem":   {"本论文解决什么问题", "Problem"},
		"method":    {"本文采用什么方法及其优缺点", "Method"},
		"relevance": {"与我们工作的相关性", "Relevance to our work"},
	}
	genSections = []string{"abstract", "problem", "method", "relevance"}
	genFree     = []string{"SAM comparison", "开放问题", "Notes"}
)

// genText returns random mixed Chinese and English text of n fragments.
func genText(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(genSep[r.IntN(len(genSep))])
		}
		if r.IntN(2) == 0 {
			b.WriteString(genZh[r.IntN(len(genZh))])
		} else {
			w := genEn[r.IntN(len(genEn))]
			if r.IntN(4) == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
		}
	}
	// Markdown would read a leading "-" as a list and "（" is harmless;
	// keep the text a plain paragraph.
	return strings.TrimLeft(b.String(), "-\n ")
}

// genWorkspace writes n papers under dir: notes/<key>.md and
// bib/library.bib. Most papers have both; some only a note, some only an
// entry. It is deterministic in seed.
func genWorkspace(t testing.TB, dir string, n int, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	for _, d := range []string{"notes", "bib"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var bibText strings.Builder
	for i := range n {
		key := fmt.Sprintf("p%04d", i)
		year := 2015 + r.IntN(10)
		kind := r.IntN(10) // 0: entry only, 1: note only, else both
		title := genText(r, 1+r.IntN(3))
		title = strings.ReplaceAll(title, "\n", " ")
		if kind != 1 {
			var authors []string
			for range 1 + r.IntN(3) {
				s := genSurnames[r.IntN(len(genSurnames))]
				if strings.ContainsAny(s, "张三") {
					authors = append(authors, s)
				} else {
					authors = append(authors, s+", "+genGiven[r.IntN(len(genGiven))])
				}
			}
			fmt.Fprintf(&bibText, "@inproceedings{%s,\n  title = {%s},\n  author = {%s},\n  year = {%d},\n  booktitle = {%s},\n",
				key, bibSafe(title), strings.Join(authors, " and "), year, bibSafe(genText(r, 2)))
			if r.IntN(2) == 0 {
				fmt.Fprintf(&bibText, "  keywords = {%s},\n", bibSafe(genText(r, 2)))
			}
			if r.IntN(2) == 0 {
				fmt.Fprintf(&bibText, "  abstract = {%s},\n", bibSafe(genText(r, 8)))
			}
			bibText.WriteString("}\n\n")
		}
		if kind == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "---\nkey: %s\n", key)
		if r.IntN(3) > 0 {
			fmt.Fprintf(&b, "tags: [%s]\n", genTags[r.IntN(len(genTags))])
		}
		if s := genStatus[r.IntN(len(genStatus))]; s != "" {
			fmt.Fprintf(&b, "status: %s\n", s)
		}
		fmt.Fprintf(&b, "read: %d-0%d-1%d\n---\n\n", year+1, 1+r.IntN(9), r.IntN(10))
		fmt.Fprintf(&b, "# %s\n\n", title)
		for _, id := range genSections {
			if r.IntN(4) == 0 {
				continue
			}
			hs := genHeadings[id]
			fmt.Fprintf(&b, "## %s\n\n%s\n\n", hs[r.IntN(len(hs))], genText(r, 3+r.IntN(12)))
		}
		if r.IntN(3) == 0 {
			fmt.Fprintf(&b, "## %s\n\n%s\n\n", genFree[r.IntN(len(genFree))], genText(r, 4))
		}
		if err := os.WriteFile(filepath.Join(dir, "notes", key+".md"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bib", "library.bib"), []byte(bibText.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// bibSafe keeps generated text free of what BibTeX would read as markup.
func bibSafe(s string) string {
	return strings.NewReplacer("{", "", "}", "", "\\", "", "\n\n", " ", "%", "", "@", "").Replace(s)
}
