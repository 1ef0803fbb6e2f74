package report

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
	"github.com/papernotes/papernotes/notes"
)

// mapLibrary is a [Library] over parsed bib files.
type mapLibrary map[string]*bib.Entry

func (m mapLibrary) Lookup(key string) (*bib.Entry, bool) { e, ok := m[key]; return e, ok }

func loadLibrary(t testing.TB, path string) mapLibrary {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := bib.Parse(path, src, nil)
	if err := f.Problems.Errors().Err(); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	m := mapLibrary{}
	for _, e := range f.Entries {
		m[e.Key] = e
	}
	return m
}

func loadNotes(t testing.TB, dir string) []*notes.Note {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	var ns []*notes.Note
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		n, err := notes.Parse(filepath.ToSlash(p), src, notes.Options{})
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		ns = append(ns, n)
	}
	return ns
}

func fixture(t testing.TB) ([]*notes.Note, mapLibrary) {
	return loadNotes(t, "testdata/notes"), loadLibrary(t, "testdata/library.bib")
}

func keys(d *Data) string {
	var ks []string
	for _, p := range d.Papers {
		ks = append(ks, p.Key)
	}
	return strings.Join(ks, " ")
}

func TestBuildSelectsTheWeek(t *testing.T) {
	t.Parallel()
	ns, lib := fixture(t)
	for _, tc := range []struct{ week, want string }{
		// kirillov2023segment is read on the first day of the week, 11-13;
		// radford2021learning on 11-20, the day after the meeting.
		{"2025-11-19", "kirillov2023segment li2023blip li2022grounded"},
		{"2025-11-26", "radford2021learning"},
		{"2025-11-12", ""},
	} {
		d := Build(WeekEnding(date(t, tc.week)), ns, lib, Options{})
		if got := keys(d); got != tc.want {
			t.Errorf("week ending %s: papers %q, want %q", tc.week, got, tc.want)
		}
		if d.Empty != (tc.want == "") {
			t.Errorf("week ending %s: Empty = %v", tc.week, d.Empty)
		}
	}
}

func TestBuildReadingOrder(t *testing.T) {
	t.Parallel()
	mk := func(key, read, added string) *notes.Note {
		n := &notes.Note{Key: key}
		n.Meta.Read = date(t, read)
		if added != "" {
			n.Meta.Added = date(t, added)
		}
		return n
	}
	ns := []*notes.Note{
		mk("c", "2025-11-15", "2025-11-01"),
		mk("b", "2025-11-14", "2025-11-02"),
		mk("a", "2025-11-15", "2025-11-01"),
		mk("z", "2025-11-14", "2025-11-01"),
		nil,
	}
	d := Build(WeekEnding(date(t, "2025-11-19")), ns, nil, Options{})
	if got, want := keys(d), "z b a c"; got != want {
		t.Errorf("order %q, want %q (read, then added, then key)", got, want)
	}
	for _, p := range d.Papers {
		if p.Title != p.Key || p.BibTeX != "" || p.InLibrary {
			t.Errorf("paper without note title or entry: %+v", p)
		}
	}
}

func TestBuildSections(t *testing.T) {
	t.Parallel()
	ns, lib := fixture(t)
	week := WeekEnding(date(t, "2025-11-19"))
	d := Build(week, ns, lib, Options{})
	var blip, glip Paper
	for _, p := range d.Papers {
		switch p.Key {
		case "li2023blip":
			blip = p
		case "li2022grounded":
			glip = p
		}
	}
	ids := func(p Paper) string {
		var s []string
		for _, sec := range p.Sections {
			s = append(s, sec.ID)
		}
		return strings.Join(s, " ")
	}
	// prior holds only a scaffold prompt: left out.
	if got, want := ids(blip), "abstract bibtex problem method relevance"; got != want {
		t.Errorf("BLIP-2 sections %q, want %q", got, want)
	}
	if got := ids(glip); !strings.HasPrefix(got, "abstract bibtex problem data relevance ") {
		t.Errorf("GLIP sections %q: want the canonical ones, then the free section", got)
	}
	if blip.URL != "https://arxiv.org/abs/2301.12597" || glip.URL != "https://doi.org/10.1109/cvpr52688.2022.01069" {
		t.Errorf("URLs %q, %q", blip.URL, glip.URL)
	}
	method := blip.Sections[3].Markdown
	for _, want := range []string{
		"##### 1、模型架构", // demoted under the report's h4 section heading
		"$\\mathcal{L} = \\mathcal{L}_{itc} + \\mathcal{L}_{itm}$",
		"$$\n\\mathrm{softmax}(QK^\\top/\\sqrt{d})V\n$$",
		"与 [Grounded Language-Image Pre-training](https://doi.org/10.1109/cvpr52688.2022.01069) [li2022grounded] 的深度融合",
		"see [Learning Transferable Visual Models From Natural Language Supervision](https://proceedings.mlr.press/v139/radford21a.html) [radford2021learning, p. 3]; [Grounded",
		"和 [Segment Anything](https://arxiv.org/abs/2304.02643) [kirillov2023segment, Sec. 2]",
		"代码里的 `[@li2022grounded]` 不是引用，未知的 [@nobody2020] 原样保留",
		"q = former(image)  # [@li2022grounded] stays code",
	} {
		if !strings.Contains(method, want) {
			t.Errorf("method section lacks %q:\n%s", want, method)
		}
	}

	req := Build(week, ns, lib, Options{Required: []string{"prior"}, Sections: []string{"prior", "abstract"}, NoFreeSections: true})
	for _, p := range req.Papers {
		if p.Key == "li2023blip" {
			if got := ids(p); got != "prior abstract" || !p.Sections[0].Missing {
				t.Errorf("required empty prior: sections %q, missing %v", got, p.Sections[0].Missing)
			}
		}
		if p.Key == "li2022grounded" && ids(p) != "prior abstract" {
			t.Errorf("GLIP with NoFreeSections: %q", ids(p))
		}
	}
}

func TestBuildAbstractFromLibrary(t *testing.T) {
	t.Parallel()
	ns, lib := fixture(t)
	d := Build(WeekEnding(date(t, "2025-11-26")), ns, lib, Options{Lang: "en"})
	p := d.Papers[0]
	if !strings.HasPrefix(p.Abstract, "State-of-the-art computer vision systems") || strings.Contains(p.Abstract, "{SOTA}") {
		t.Errorf("abstract from the bib field, decoded: %q", p.Abstract)
	}
	if d.Title != "Group meeting 2025-11-26" || d.Headings["papers"] != "2. Papers" {
		t.Errorf("English title %q, headings %v", d.Title, d.Headings["papers"])
	}
}

// TestRenderGolden covers the markdown and HTML output in both languages,
// and that rendering twice gives identical bytes.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	ns, lib := fixture(t)
	work := []WorkItem{
		{Date: date(t, "2025-11-17"), Text: "已将数据集和代码迁移至新硬盘，已重新恢复代码运行环境"},
		{Date: date(t, "2025-11-14"), Text: "Read <two> papers & ran the *baseline*"},
	}
	for _, tc := range []struct {
		name, week, lang, format string
		work                     []WorkItem
	}{
		{"zh.md", "2025-11-19", "zh", "md", work},
		{"zh.html", "2025-11-19", "zh", "html", work},
		{"en.md", "2025-11-19", "en", "md", work},
		{"en.html", "2025-11-19", "en", "html", work},
		{"empty-zh.md", "2025-11-12", "zh", "md", nil},
		{"empty-en.html", "2025-11-12", "en", "html", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Build(WeekEnding(date(t, tc.week)), ns, lib, Options{Lang: tc.lang, WorkLog: tc.work})
			var a, b bytes.Buffer
			if err := Render(&a, d, RenderOptions{Format: tc.format}); err != nil {
				t.Fatal(err)
			}
			if err := Render(&b, d, RenderOptions{Format: tc.format}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("rendering twice gave different bytes")
			}
			testutil.Golden(t, "testdata/golden/"+tc.name+".golden", a.Bytes())
			if tc.format == "html" {
				checkHTML(t, a.String())
			}
		})
	}
}

// checkHTML checks what the HTML output promises beyond the golden file.
func checkHTML(t *testing.T, s string) {
	t.Helper()
	for _, bad := range []string{"<script>alert", "<img src", "onerror=alert(1)>", "http://", "<link", "@import", "src=\"http"} {
		if strings.Contains(s, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	for _, want := range []string{"@page", "size: A4", "@media print", "<h1>"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	t.Parallel()
	err := Render(&bytes.Buffer{}, &Data{}, RenderOptions{Format: "docx"})
	if err == nil || !strings.Contains(err.Error(), "docx") {
		t.Errorf("Render(docx) = %v", err)
	}
}

func TestBuildSource(t *testing.T) {
	t.Parallel()
	ns, lib := fixture(t)
	d := Build(WeekEnding(date(t, "2025-11-19")), ns, lib, Options{})
	for _, p := range d.Papers {
		for _, s := range p.Sections {
			if s.Source == "" {
				t.Errorf("%s %s: empty Source", p.Key, s.ID)
			}
			if p.Key == "li2023blip" && s.ID == "method" {
				if !strings.Contains(s.Source, "### 1、模型架构") || !strings.Contains(s.Source, "与 [@li2022grounded] 的") {
					t.Errorf("Source is not the note's markdown as written:\n%s", s.Source)
				}
			}
		}
	}
}

func TestRenderOverrides(t *testing.T) {
	t.Parallel()
	ns, lib := fixture(t)
	d := Build(WeekEnding(date(t, "2025-11-19")), ns, lib, Options{})
	tmpl := fstest.MapFS{
		"zh.md.tmpl":       {Data: []byte(`{{date .Date "2006年1月2日"}} {{range .Papers}}{{mdEscape .Title}};{{end}}`)},
		"report.html.tmpl": {Data: []byte(`<p>{{.Title}}</p>{{range .Papers}}{{range .Sections}}{{if eq .ID "problem"}}{{.HTML}}{{end}}{{end}}{{end}}`)},
		"en.md.tmpl":       {Data: []byte(`{{.Nope}}`)},
	}
	for _, tc := range []struct{ lang, format, want, wantErr string }{
		{"zh", "md", "2025年11月19日 Segment Anything;BLIP-2: Bootstrapping Language-Image Pre-training with Frozen Image Encoders and Large Language Models;Grounded Language-Image Pre-training;", ""},
		{"zh", "html", "<p>组会_20251119</p><p>Promptable segmentation.</p>\n<p>BLIP-2旨在", ""},
		{"en", "md", "", "can't evaluate field Nope"},
	} {
		d := *d
		d.Lang = tc.lang
		var b bytes.Buffer
		err := Render(&b, &d, RenderOptions{Format: tc.format, Templates: tmpl})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s.%s: err = %v, want %q", tc.lang, tc.format, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), tc.want) {
			t.Errorf("%s.%s = %q, want prefix %q", tc.lang, tc.format, b.String(), tc.want)
		}
	}
}

// TestRenderMathTags checks that the built-in HTML template writes
// RenderOptions.MathTags once, before </body>, when the week's notes have
// math (li2023blip's loss), and not at all for a week without formulas.
func TestRenderMathTags(t *testing.T) {
	t.Parallel()
	ns, lib := fixture(t)
	const tags = "<script>/*math*/</script>\n"
	for _, tc := range []struct {
		week string
		want int
	}{
		{"2025-11-19", 1},
		{"2025-11-12", 0},
	} {
		d := Build(WeekEnding(date(t, tc.week)), ns, lib, Options{Lang: "en"})
		var b bytes.Buffer
		if err := Render(&b, d, RenderOptions{Format: "html", MathTags: tags}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if got := strings.Count(out, tags); got != tc.want {
			t.Errorf("%s: math tags written %d times, want %d", tc.week, got, tc.want)
		}
		if tc.want == 1 {
			if !strings.HasSuffix(out, tags+"</body>\n</html>\n") {
				t.Errorf("%s: math tags not just before </body>", tc.week)
			}
			if !strings.Contains(out, `<span class="math inline">$\mathcal{L}`) {
				t.Errorf("%s: no inline math element", tc.week)
			}
		}
	}
}
