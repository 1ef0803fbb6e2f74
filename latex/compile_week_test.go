package latex

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/report"
)

// generatedWeek makes a week of 20 papers whose entries have what real
// entries have at their widest: a dozen authors and "others", long titles
// and venues, an abstract, a long URL and DOI, a file path and keywords;
// and notes with paragraphs, lists, a table, math and citations of each
// other, in zh or en.
func generatedWeek(t *testing.T, lang string) (*bib.Library, []*notes.Note) {
	t.Helper()
	var bibSrc strings.Builder
	var ns []*notes.Note
	first := []string{"Alexander", "Eric", "Nikhila", "Hanzi", "Chloe", "Laura", "Tete", "Spencer", "Alexander C.", "Wan-Yen", "Piotr", "Ross"}
	last := []string{"Kirillov", "Mintun", "Ravi", "Mao", "Rolland", "Gustafson", "Xiao", "Whitehead", "Berg", "Lo", "Doll{\\'a}r", "Girshick"}
	for i := range 20 {
		key := fmt.Sprintf("paper%02d2023segment", i)
		var authors []string
		for j := range 12 {
			authors = append(authors, last[(i+j)%12]+", "+first[(i+j)%12])
		}
		if lang == "zh" && i%3 == 0 {
			authors = []string{"周飞燕", "金林鹏", "董军"}
		}
		fmt.Fprintf(&bibSrc, `@inproceedings{%s,
  title = {Segment Anything, Again: A Very Long Title About Promptable Segmentation Models and Data Engines Number %d},
  author = {%s and others},
  booktitle = {Proceedings of the IEEE/CVF International Conference on Computer Vision and Pattern Recognition Workshops (ICCVW)},
  pages = {4015--4026},
  year = {2023},
  publisher = {Institute of Electrical and Electronics Engineers},
  doi = {10.1109/ICCV51070.2023.00371.%d},
  url = {https://openaccess.thecvf.com/content/ICCV2023/papers/Kirillov_Segment_Anything_ICCV_2023_paper_number_%d.pdf},
  abstract = {We introduce the Segment Anything (SA) project: a new task, model, and dataset for image segmentation. Using our efficient model in a data collection loop, we built the largest segmentation dataset to date.},
  file = {/home/someone/Zotero/storage/ABCDEFGH/Kirillov et al. - 2023 - Segment Anything Again.pdf},
  keywords = {segmentation, foundation models, promptable segmentation, data engine, zero-shot transfer}
}

`, key, i, strings.Join(authors, " and "), i, i)
		var body string
		if lang == "zh" {
			body = fmt.Sprintf(`## 摘要

本文提出了可提示的分割模型，在一千一百万张图像上训练，零样本迁移效果很好。长英文词 Segment-Anything-Model-with-a-very-long-hyphenated-name 也要能断行。

## 本论文解决什么问题

- 1、如何构建分割的基础模型，与 [@%s] 的做法不同。
- 2、如何收集十亿级别的掩码数据。

## 本文采用什么方法及其优缺点

图像编码器 $f(x) = \mathrm{ViT}(x)$，提示编码器和掩码解码器。

| 模型 | 数据 | mIoU |
|---|---|---|
| SAM | SA-1B | 58.1 |
| 基线 | COCO | 49.7 |

## 与我们工作的相关性

可以直接用于我们的标注流程，参见 <https://github.com/facebookresearch/segment-anything>。
`, fmt.Sprintf("paper%02d2023segment", (i+1)%20))
		} else {
			body = fmt.Sprintf(`## Abstract

We introduce a promptable segmentation model trained on eleven million images with strong zero-shot transfer. A long word such as Segment-Anything-Model-with-a-very-long-hyphenated-name must break too.

## Problem

- How to build a foundation model for segmentation, unlike [@%s].
- How to collect a billion masks.

## Method

An image encoder $f(x) = \mathrm{ViT}(x)$, a prompt encoder and a mask decoder.

| Model | Data | mIoU |
|---|---|---|
| SAM | SA-1B | 58.1 |
| Baseline | COCO | 49.7 |

## Relevance to our work

We can use it in our labelling pipeline, see <https://github.com/facebookresearch/segment-anything>.
`, fmt.Sprintf("paper%02d2023segment", (i+1)%20))
		}
		src := fmt.Sprintf("---\nkey: %s\nstatus: read\nread: 2025-11-%02d\nread_order: %d\n---\n\n# Segment Anything %d\n\n%s", key, 13+i%7, i+1, i, body)
		n, err := notes.Parse(key+".md", []byte(src), notes.Options{})
		if err != nil {
			t.Fatalf("generated note %s: %v", key, err)
		}
		ns = append(ns, n)
	}
	f := bib.Parse("week.bib", []byte(bibSrc.String()), nil)
	if err := f.Problems.Err(); err != nil {
		t.Fatalf("generated bib: %v", err)
	}
	return bib.NewLibrary([]*bib.File{f}, bib.LoadOptions{}), ns
}

// TestCompileReportGeneratedWeek compiles a 20-paper week in zh (xelatex)
// and en (pdflatex) and finds no line wider than the page by more than
// maxOverfull (issue 9, point 16): the BibTeX blocks are wrapped, and the
// authors are names, not raw BibTeX.
func TestCompileReportGeneratedWeek(t *testing.T) {
	week := report.WeekEnding(time.Date(2025, 11, 19, 0, 0, 0, 0, time.UTC))
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			engine := "xelatex"
			if lang == "en" {
				engine = "pdflatex"
			}
			lib, ns := generatedWeek(t, lang)
			d := report.Build(week, ns, lib, report.Options{Lang: lang, BibTeXDrop: []string{"abstract", "file", "keywords"}})
			if len(d.Papers) != 20 {
				t.Fatalf("report has %d papers, want 20", len(d.Papers))
			}
			tex, bibText, problems, err := ReportFiles(d, lib, DocOptions{Lang: lang, BibName: "week"})
			if err != nil || len(problems) > 0 {
				t.Fatalf("err %v, problems %v", err, problems)
			}
			s := string(tex)
			if os.Getenv("PAPERNOTES_KEEP_TEX") != "" {
				_ = os.WriteFile("/tmp/week-"+lang+".tex", tex, 0o644)
			}
			for _, l := range strings.Split(s, "\n") {
				if (strings.HasPrefix(l, "Authors: ") || strings.HasPrefix(l, "作者: ")) &&
					(strings.Contains(l, " and ") || strings.Contains(l, "others") || strings.Contains(l, "Kirillov, Alexander")) {
					t.Errorf("the author line is raw BibTeX: %s", l)
				}
			}
			wantEtAl := "et al."
			if lang == "zh" {
				wantEtAl = "等"
			}
			if !strings.Contains(s, wantEtAl) {
				t.Errorf("no %q in the author lines", wantEtAl)
			}
			if lang == "en" && hasHan(s) {
				t.Fatal("the English week must compile with pdflatex")
			}
			needTeX(t, engine, "bibtex")
			dir := t.TempDir()
			for name, b := range map[string][]byte{"week.tex": tex, "week.bib": bibText} {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"-interaction=nonstopmode", "-halt-on-error", "week.tex"}
			runTeX(t, dir, engine, args...)
			runTeX(t, dir, "bibtex", "week")
			runTeX(t, dir, engine, args...)
			runTeX(t, dir, engine, args...)
			checkLog(t, filepath.Join(dir, "week.log"), texProblems)
			checkOverfull(t, filepath.Join(dir, "week.log"))
		})
	}
}
