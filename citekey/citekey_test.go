package citekey

import (
	"testing"

	"github.com/nickng/bibtex"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
)

func entry(typ, key string, kv ...string) *bib.Entry {
	e := &bib.Entry{Type: typ, Key: key}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Fields = append(e.Fields, bib.Field{Name: kv[i], Value: bibtex.BibConst(kv[i+1])})
	}
	return e
}

func TestGenerateDefault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		e    *bib.Entry
		want string
	}{
		{"blip2", entry("article", "", "author", "Li, Junnan and Li, Dongxu and Savarese, Silvio and Hoi, Steven",
			"title", "{BLIP-2}: Bootstrapping Language-Image Pre-training with Frozen Image Encoders and Large Language Models",
			"year", "2023"), "li2023blip"},
		{"glip", entry("inproceedings", "", "author", "Li, Liunian Harold and Zhang, Pengchuan and Zhang, Haotian",
			"title", "Grounded language-image pre-training", "year", "2022"), "li2022grounded"},
		{"attention", entry("inproceedings", "", "author", "Ashish Vaswani and Noam Shazeer and others",
			"title", "Attention is All you Need", "year", "2017"), "vaswani2017attention"},
		{"stop-words", entry("article", "", "author", "Bommasani, Rishi",
			"title", "On the Opportunities and Risks of Foundation Models", "year", "2021"), "bommasani2021opportunities"},
		{"towards", entry("article", "", "author", "Madry, Aleksander",
			"title", "Towards Deep Learning Models Resistant to Adversarial Attacks", "year", "2018"), "madry2018towards"},
		{"accents", entry("article", "", "author", `G{\"o}del, Kurt`,
			"title", `{\"U}ber formal unentscheidbare S{\"a}tze`, "year", "1931"), "godel1931uber"},
		{"polish-l", entry("article", "", "author", `Kaiser, {\L}ukasz and Sutskever, Ilya`,
			"title", "Neural {GPUs} Learn Algorithms", "year", "2016"), "kaiser2016neural"},
		{"von", entry("article", "", "author", "van der Maaten, Laurens and Hinton, Geoffrey",
			"title", "Visualizing Data using t-{SNE}", "year", "2008"), "maaten2008visualizing"},
		{"corporate", entry("misc", "", "author", "{OpenAI}", "title", "{GPT-4} Technical Report", "year", "2023"), "openai2023gpt"},
		{"editor-only", entry("book", "", "editor", "Jurafsky, Dan", "title", "Speech and Language Processing", "year", "2009"), "jurafsky2009speech"},
		{"biblatex-date", entry("article", "", "author", "Doe, Jane", "title", "A Study", "date", "2020-02-03"), "doe2020study"},
		{"no-author", entry("misc", "", "title", "The Anonymous Paper", "year", "1999"), "anon1999anonymous"},
		{"nothing", entry("misc", ""), "anon"},
		{"chinese-name", entry("article", "", "author", "张三 and 李四", "title", "大语言模型的推理能力研究", "year", "2024"), "zhang2024dayu"},
		{"chinese-comma", entry("article", "", "author", "王, 小明", "title", "基于{BERT}的文本分类方法", "year", "2021"), "wang2021bert"},
		{"surname-shan", entry("article", "", "author", "单丽", "title", "图神经网络综述", "year", "2020"), "shan2020tushen"},
		{"surname-zeng", entry("article", "", "author", "曾国藩", "title", "家书", "year", "1879"), "zeng1879jiashu"},
		{"surname-xie", entry("article", "", "author", "解缙", "title", "永乐大典", "year", "1408"), "xie1408yongle"},
		{"surname-ou", entry("article", "", "author", "区志伟", "title", "Deep learning", "year", "2019"), "ou2019deep"},
		{"compound-ouyang", entry("article", "", "author", "欧阳修", "title", "醉翁亭记", "year", "1046"), "ouyang1046zuiweng"},
		{"compound-moqi", entry("article", "", "author", "万俟卨", "title", "Test", "year", "1142"), "moqi1142test"},
		{"two-char-name", entry("article", "", "author", "朴宇", "title", "Test", "year", "2022"), "piao2022test"},
		{"pinyin-western-order", entry("article", "", "author", "Zhang, San", "title", "Graph Networks", "year", "2024"), "zhang2024graph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Generate(tt.e, DefaultPattern, nil); got != tt.want {
				t.Errorf("Generate = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPatterns(t *testing.T) {
	t.Parallel()
	e := entry("article", "", "author", "Li, Junnan and Li, Dongxu and Savarese, Silvio and Hoi, Steven",
		"title", "{BLIP-2}: Bootstrapping Language-Image Pre-training", "year", "2023")
	tests := []struct{ pattern, want string }{
		{"", "li2023blip"},
		{"{auth}{year}", "Li2023"},
		{"{auth:upper}_{year}", "LI_2023"},
		{"{auth}_{year}_{shorttitle}", "Li_2023_BlipBootstrappingLanguage"},
		{"{authors}{year}", "LiLiSavareseEtAl2023"},
		{"{authors:lower:12}{year}", "lilisavarese2023"},
		{"{auth:lower}:{title:capitalize:3}", "li:Bli"},
		{"{type}-{year}", "article-2023"},
	}
	for _, tt := range tests {
		g, err := New(tt.pattern)
		if err != nil {
			t.Errorf("New(%q): %v", tt.pattern, err)
			continue
		}
		if got := g.Key(e); got != tt.want {
			t.Errorf("pattern %q gives %q, want %q", tt.pattern, got, tt.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"{auth", "{nope}", "{auth:shout}", "{auth:0}", "a}b", "{auth} {year}", "{auth},{year}", "{auth}%"} {
		if _, err := Compile(p); err == nil {
			t.Errorf("Compile(%q) succeeded, want an error", p)
		}
	}
	// An invalid pattern falls back to the default.
	e := entry("article", "", "author", "Doe, Jane", "title", "A Study", "year", "2020")
	if got := Generate(e, "{nope}", nil); got != "doe2020study" {
		t.Errorf("Generate with an invalid pattern = %q, want the default's doe2020study", got)
	}
}

func TestSuffix(t *testing.T) {
	t.Parallel()
	taken := map[string]bool{"li2023blip": true, "li2023blipa": true, "x": true}
	for c := 'a'; c <= 'z'; c++ {
		taken["x"+string(c)] = true
	}
	is := func(k string) bool { return taken[k] }
	for give, want := range map[string]string{"li2023blip": "li2023blipb", "new": "new", "x": "xaa"} {
		if got := Suffix(give, is); got != want {
			t.Errorf("Suffix(%q) = %q, want %q", give, got, want)
		}
	}
	e := entry("article", "", "author", "Li, Junnan", "title", "BLIP-2", "year", "2023")
	if got := Generate(e, "", is); got != "li2023blipb" {
		t.Errorf("Generate with collisions = %q, want li2023blipb", got)
	}
}

func TestLearnSurnameReading(t *testing.T) {
	t.Parallel()
	newEntry := entry("article", "", "author", "单丽", "title", "Graph", "year", "2024")
	g, _ := New("")
	if got := g.Key(newEntry); got != "shan2024graph" {
		t.Fatalf("unlearned key = %q, want the surname table's shan2024graph", got)
	}
	// The library writes 单 as "dan" twice and "shan" once: follow it.
	g.Learn([]*bib.Entry{
		entry("article", "dan2019a", "author", "单明", "year", "2019"),
		entry("article", "Dan2020b", "author", "单, 小红", "year", "2020"),
		entry("article", "shan2021c", "author", "单丽", "year", "2021"),
		entry("article", "unrelated", "author", "单丽", "year", "2022"),         // no vote
		entry("article", "zhang2020", "author", "张三", "year", "2020"),         // one reading: no vote
		entry("article", "ceng2020", "author", "Smith, John", "year", "2020"), // not Chinese
	})
	if got := g.Key(newEntry); got != "dan2024graph" {
		t.Errorf("learned key = %q, want dan2024graph", got)
	}
	// Another surname is unaffected.
	if got := g.Key(entry("article", "", "author", "曾丽", "title", "Graph", "year", "2024")); got != "zeng2024graph" {
		t.Errorf("曾 key = %q, want zeng2024graph", got)
	}
	g2, _ := New("")
	g2.Learn([]*bib.Entry{entry("article", "ceng2020x", "author", "曾丽", "year", "2020")})
	if got := g2.Key(entry("article", "", "author", "曾丽", "title", "Graph", "year", "2024")); got != "ceng2024graph" {
		t.Errorf("learned 曾 key = %q, want ceng2024graph", got)
	}
}

func TestKeysAreSafe(t *testing.T) {
	t.Parallel()
	for _, e := range []*bib.Entry{
		entry("misc", "", "author", "{,}", "title", "{}", "year", "{}"),
		entry("misc", "", "author", "Ωμέγα", "title", "Πρώτη", "year", "x"),
		entry("misc", "", "author", "and", "title", "the of a"),
	} {
		k := Generate(e, "", nil)
		if reason, bad := bib.UnsafeKey(k); bad {
			t.Errorf("Generate(%v) = %q is unsafe: %s", e.Fields, k, reason)
		}
	}
}

// TestSuffixer: many keys with one base get the suffixes Suffix would give,
// and each call tries a bounded number of keys (no rescan from "a").
func TestSuffixer(t *testing.T) {
	t.Parallel()
	taken := map[string]bool{"k": true, "ka": true}
	calls := 0
	is := func(k string) bool { calls++; return taken[k] }
	var s Suffixer
	for i := range 2000 {
		want := Suffix("k", func(k string) bool { return taken[k] })
		calls = 0
		got := s.Suffix("k", is)
		if got != want {
			t.Fatalf("call %d: Suffixer gave %q, Suffix %q", i, got, want)
		}
		if calls > 3 {
			t.Fatalf("call %d: %d lookups (rescan)", i, calls)
		}
		taken[got] = true
	}
	if got := s.Suffix("other", is); got != "other" {
		t.Errorf("free base: %q", got)
	}
}

// BenchmarkLearn learns the surname readings of the corpus's keys, as the
// rekey advice of check does.
func BenchmarkLearn(b *testing.B) {
	lib, err := bib.LoadDir(testutil.CorpusDir(b), bib.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	g, err := New(DefaultPattern)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		g.Learn(lib.Entries())
	}
}
