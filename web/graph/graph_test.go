package graph_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
	"github.com/papernotes/papernotes/web/graph"
)

func small() ([]graph.Node, []graph.Edge) {
	nodes := []graph.Node{
		{Key: "li2022grounded", Title: "Grounded Language-Image Pre-training", HasNote: true},
		{Key: "li2023blip2", Title: "BLIP-2: Bootstrapping Language-Image Pre-training", HasNote: true},
		{Key: "radford2021learning", Title: "Learning Transferable Visual Models From Natural Language Supervision"},
		{Key: "vaswani2017attention", Title: "Attention Is All You Need"},
	}
	edges := []graph.Edge{
		{From: "li2022grounded", To: "radford2021learning"},
		{From: "li2023blip2", To: "radford2021learning"},
		{From: "li2023blip2", To: "li2022grounded"},
		{From: "li2023blip2", To: "vaswani2017attention"},
		{From: "li2023blip2", To: "missing"},
	}
	return nodes, edges
}

func TestSVGGolden(t *testing.T) {
	t.Parallel()
	nodes, edges := small()
	var a, b bytes.Buffer
	if err := graph.SVG(&a, nodes, edges, graph.Options{}); err != nil {
		t.Fatal(err)
	}
	// Another node order and repeated edges give the same bytes.
	rev := []graph.Node{nodes[3], nodes[1], nodes[2], nodes[0]}
	if err := graph.SVG(&b, rev, append(edges, edges[0]), graph.Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("node order or repeated edges changed the drawing:\n%s\n---\n%s", a.Bytes(), b.Bytes())
	}
	testutil.Golden(t, "testdata/small.svg.golden", a.Bytes())
	wellFormed(t, a.Bytes())
}

func TestSVGRings(t *testing.T) {
	t.Parallel()
	nodes, edges := small()
	var a, b bytes.Buffer
	if err := graph.SVG(&a, nodes, edges, graph.Options{ForceLimit: 2}); err != nil {
		t.Fatal(err)
	}
	if err := graph.SVG(&b, nodes, edges, graph.Options{ForceLimit: 2}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two drawings differ")
	}
	wellFormed(t, a.Bytes())
	if got := strings.Count(a.String(), "<circle"); got != 4 {
		t.Errorf("%d circles, want 4", got)
	}
}

func TestSVGHostile(t *testing.T) {
	t.Parallel()
	nodes := []graph.Node{
		{Key: `a/../b%2F"><script>alert(1)</script>`, Title: `<img src=x onerror=alert(1)>&<svg onload=alert(2)>`},
		{Key: "开放词汇", Title: `"quoted" 'single' </title><script>x()</script>`},
		{Key: "javascript:alert(1)", Title: "t"},
	}
	edges := []graph.Edge{{From: nodes[0].Key, To: nodes[1].Key}, {From: nodes[2].Key, To: nodes[0].Key}}
	var b bytes.Buffer
	if err := graph.SVG(&b, nodes, edges, graph.Options{}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, bad := range []string{"<script", "<img", "<svg onload", `href="javascript:`, "onerror=alert(1)>"} {
		if strings.Contains(s, bad) {
			t.Errorf("output holds %q:\n%s", bad, s)
		}
	}
	wellFormed(t, b.Bytes())
	// The links and titles decode back to the keys and titles.
	dec := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	var hrefs, titles []string
	inTitle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "a" {
				for _, a := range tok.Attr {
					if a.Name.Local == "href" {
						hrefs = append(hrefs, a.Value)
					}
				}
			}
			inTitle = tok.Name.Local == "title"
		case xml.CharData:
			if inTitle {
				titles = append(titles, string(tok))
			}
		case xml.EndElement:
			inTitle = false
		}
	}
	for _, n := range nodes {
		want := graph.Href(n.Key)
		found := false
		for _, h := range hrefs {
			found = found || h == want
		}
		if !found {
			t.Errorf("no link %q in %q", want, hrefs)
		}
		found = false
		for _, ti := range titles {
			found = found || ti == n.Title
		}
		if !found {
			t.Errorf("no title %q in %q", n.Title, titles)
		}
	}
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "/p/") || strings.Contains(strings.TrimPrefix(h, "/p/"), "/") {
			t.Errorf("link %q is not one path segment under /p/", h)
		}
	}
}

func TestSVGEmptyAndOne(t *testing.T) {
	t.Parallel()
	for _, nodes := range [][]graph.Node{nil, {{Key: "a"}}} {
		var b bytes.Buffer
		if err := graph.SVG(&b, nodes, nil, graph.Options{}); err != nil {
			t.Fatal(err)
		}
		wellFormed(t, b.Bytes())
	}
}

func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
	}
}

func BenchmarkSVG400(b *testing.B) {
	var nodes []graph.Node
	var edges []graph.Edge
	for i := range 400 {
		nodes = append(nodes, graph.Node{Key: string(rune('a'+i%26)) + strings.Repeat("x", i/26)})
	}
	for i := range 400 {
		edges = append(edges, graph.Edge{From: nodes[i].Key, To: nodes[(i*7+3)%400].Key})
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = graph.SVG(io.Discard, nodes, edges, graph.Options{})
	}
}

// FuzzSVG checks that any keys and titles give well-formed XML whose links
// stay under /p/.
func FuzzSVG(f *testing.F) {
	f.Add("a", "b", "<script>", `"'&`)
	f.Add("开放词汇", "../x%2F", "javascript:alert(1)", "<img onerror=x>")
	f.Fuzz(func(t *testing.T, k1, k2, t1, t2 string) {
		nodes := []graph.Node{{Key: k1, Title: t1}, {Key: k2, Title: t2, HasNote: true}}
		var b bytes.Buffer
		if err := graph.SVG(&b, nodes, []graph.Edge{{From: k1, To: k2}}, graph.Options{}); err != nil {
			t.Fatal(err)
		}
		wellFormed(t, b.Bytes())
	})
}
