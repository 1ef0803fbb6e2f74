package report

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/worklog"
)

var (
	_ Library = (*bib.Library)(nil)
	_ Library = mapLibrary(nil)
)

// TestExampleWorkspace is the acceptance test on examples/workspace: the
// report of the week ending 2025-11-19 has the hand-written example's
// structure, and each BibTeX block parses back to exactly the library's entry.
func TestExampleWorkspace(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(testutil.RepoRoot(t), "examples", "workspace")
	lib, err := bib.LoadDir(filepath.Join(ws, "bib"), bib.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	week := WeekEnding(date(t, "2025-11-19"))
	paths, err := Candidates(filepath.Join(ws, "notes"), week)
	if err != nil {
		t.Fatal(err)
	}
	var ns []*notes.Note
	for _, n := range loadNotes(t, filepath.Join(ws, "notes")) {
		for _, p := range paths {
			if filepath.ToSlash(p) == n.Path {
				ns = append(ns, n)
			}
		}
	}
	log, err := worklog.Between(filepath.Join(ws, "journal"), week.Start, week.End)
	if err != nil {
		t.Fatal(err)
	}
	var work []WorkItem
	for _, e := range log {
		work = append(work, WorkItem{Date: e.Date, Text: e.Text})
	}
	d := Build(week, ns, lib, Options{WorkLog: work})
	var buf bytes.Buffer
	if err := Render(&buf, d, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()

	// 上周工作, then 论文阅读; BLIP-2, then GLIP.
	order := []string{"# 组会_20251119", "## 一、上周工作", "已将数据集和代码迁移至新硬盘，已重新恢复代码运行环境", "## 二、论文阅读", "### [BLIP-2:", "### [Grounded Language-Image Pre-training]"}
	last := -1
	for _, s := range order {
		i := strings.Index(out, s)
		if i <= last {
			t.Fatalf("%q missing or out of order in:\n%s", s, out)
		}
		last = i
	}

	// Each paper: the abstract, the BibTeX block, then the note's sections in
	// the note's order.
	papers := strings.Split(out, "\n### ")[1:]
	if len(papers) != 2 {
		t.Fatalf("%d papers, want 2", len(papers))
	}
	fence := regexp.MustCompile("(?s)\n```bibtex\n(.*?)\n```\n")
	for i, key := range []string{"li2023blip", "li2022grounded"} {
		body := papers[i]
		var n *notes.Note
		for _, x := range ns {
			if x.Key == key {
				n = x
			}
		}
		var want []string
		for _, s := range n.Sections {
			if s.Canonical && strings.TrimSpace(s.Text) != "" {
				want = append(want, s.Heading)
				if s.ID == notes.SectionAbstract {
					want = append(want, "引用信息 (BibTeX格式)")
				}
			}
		}
		var got []string
		for _, l := range strings.Split(body, "\n") {
			if h, ok := strings.CutPrefix(l, "#### "); ok {
				got = append(got, h)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: section headings (-want +got):\n%s", key, diff)
		}

		m := fence.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no bibtex block", key)
		}
		f := bib.Parse("report.md", []byte(m[1]), nil)
		if len(f.Entries) != 1 || len(f.Problems) != 0 {
			t.Fatalf("%s: BibTeX block gives %d entries, problems %v", key, len(f.Entries), f.Problems)
		}
		orig, _ := lib.Lookup(key)
		got1 := f.Entries[0]
		if got1.Raw != orig.Raw {
			t.Errorf("%s: raw entry differs (-library +report):\n%s", key, cmp.Diff(orig.Raw, got1.Raw))
		}
		if diff := cmp.Diff(orig, got1, cmpopts.IgnoreFields(bib.Entry{}, "Pos", "KeyPos"), cmpopts.IgnoreFields(bib.Field{}, "Offset", "Line", "Col")); diff != "" {
			t.Errorf("%s: parsed entry differs (-library +report):\n%s", key, diff)
		}
	}
}
