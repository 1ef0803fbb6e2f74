package notes

import (
	"strings"
	"testing"
)

// TestNumberedHeadings: headings numbered the way people number them match
// their section's aliases (issue 9, point 15).
func TestNumberedHeadings(t *testing.T) {
	cases := []struct{ give, want string }{
		{"1. 已有方法的优缺点", SectionPrior},
		{"1、已有方法的优缺点", SectionPrior},
		{"１．摘要", SectionAbstract},
		{"一、摘要", SectionAbstract},
		{"十二. 实验结果", SectionResults},
		{"(2) Method", SectionMethod},
		{"（三）方法", SectionMethod},
		{"II. Results", SectionResults},
		{"iv) Related work", SectionPrior},
		{"2.1 Datasets", SectionData},
		{"3 Problem", SectionProblem},
		{"第一章 摘要", SectionAbstract},
		{"[4] Relevance", SectionRelevance},
		{"Abstract", SectionAbstract},
	}
	m := buildMatcher(nil)
	for _, c := range cases {
		if id, ok := m.match(c.give); !ok || id != c.want {
			t.Errorf("match(%q) = %q, %v; want %q", c.give, id, ok, c.want)
		}
	}
	for _, give := range []string{"1、模型架构", "(1) 表示学习阶段", "3D reconstruction", "Introduction", "1.", "二、论文阅读", "Vision"} {
		if id, ok := m.match(give); ok {
			t.Errorf("match(%q) = %q; want no match", give, id)
		}
	}
}

func TestNumberedHeadingsInNote(t *testing.T) {
	src := "---\nkey: k\n---\n# T\n\n### 一、摘要\n\nA.\n\n### 1. 已有方法的优缺点\n\nP.\n\n### (2) Method\n\nM.\n"
	n, err := Parse("k.md", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range n.Sections {
		ids = append(ids, s.ID)
	}
	want := []string{SectionAbstract, SectionPrior, SectionMethod}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Fatalf("ids = %q, want %q", ids, want)
	}
}
