package index

import (
	"strings"
	"testing"
)

func TestSegment(t *testing.T) {
	t.Parallel()
	for give, want := range map[string]string{
		"plain text": "plain text",
		"检测":         " 检测 测 ",
		"检":          " 检 ",
		"检测。目标":      " 检测 测 。 目标 标 ",
		"GLIP模型":     "GLIP 模型 型 ",
		"a开放词汇b":     "a 开放 放词 词汇 汇 b",
		"グラウンディング":   " グラ ラウ ウン ンデ ディ ィン ング グ ",
	} {
		if got := segment(give); got != want {
			t.Errorf("segment(%q) = %q, want %q", give, got, want)
		}
	}
	for _, tc := range []struct {
		give, want string
		prefix     bool
	}{
		{"开放词汇", " 开放 放词 词汇", false},
		{"检", " 检", true},
		{"检测", " 检测", false},
		{"检测 model", " 检测 测  model", false},
		{"model 检", "model  检", true},
		{"检测。", " 检测", false},
		{"detection", "detection", false},
	} {
		got, prefix := segmentTerm(tc.give)
		if got != tc.want || prefix != tc.prefix {
			t.Errorf("segmentTerm(%q) = %q, %v; want %q, %v", tc.give, got, prefix, tc.want, tc.prefix)
		}
	}
}

func TestSnippet(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("前文", 40) + "开放词汇" + strings.Repeat("后文", 100)
	for _, tc := range []struct {
		name, text, query, want string
	}{
		{"word", "We could use SAM here.", "sam", "We could use [SAM] here."},
		{"phrase", "The open-vocabulary\n\ndetector, open vocabulary.", `"open vocabulary"`, "The [open-vocabulary] detector, [open vocabulary]."},
		{"cjk", "实现开放词汇目标检测", "开放词汇", "实现[开放词汇]目标检测"},
		{"cjk-one", "检测。目标", "测", "检[测]。目标"},
		{"no-punct-span", "检测。目标", "检测目标", "检测。目标"},
		{"whole-words", "samples of SAM", "sam", "samples of [SAM]"},
		{"cut", long, "开放词汇", "…" + strings.Repeat("前文", 15) + "[开放词汇]" + strings.Repeat("后文", 43) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			var pats []pattern
			for _, term := range collectTerms(q.root) {
				pats = append(pats, patterns(term)...)
			}
			got := makeSnippet(tc.text, find(tc.text, pats)).Marked("[", "]")
			if got != tc.want {
				t.Errorf("\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func collectTerms(n node) []*termNode {
	switch n := n.(type) {
	case *termNode:
		return []*termNode{n}
	case *andNode:
		var out []*termNode
		for _, k := range n.kids {
			out = append(out, collectTerms(k)...)
		}
		return out
	}
	return nil
}

func TestFirstYear(t *testing.T) {
	t.Parallel()
	for give, want := range map[string]int{"2022": 2022, "2022a": 2022, "2022/2023": 2022, "c. 1999": 1999, "": 0, "12345": 0, "99": 0, "+2022": 2022} {
		if got := firstYear(give); got != want {
			t.Errorf("firstYear(%q) = %d, want %d", give, got, want)
		}
	}
}
