package graph

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
)

// Node is one paper in the graph.
type Node struct {
	// Key is the cite key; it names the node in edges and in its link.
	Key string
	// Title is the paper's title, shown as the node's tooltip; "" for the key.
	Title string
	// HasNote marks papers with a note of their own (drawn filled).
	HasNote bool
}

// Edge is one citation: the note of From cites To.
type Edge struct{ From, To string }

// Options controls [SVG]. The zero value works.
type Options struct {
	// Href returns a node's link; nil links to "/p/" plus the key, path-escaped.
	Href func(key string) string
	// ForceLimit is the largest node count laid out by forces (quadratic
	// per iteration); larger graphs are drawn on concentric rings.
	// 0 means 250.
	ForceLimit int
	// Iterations of the force layout; 0 means 150.
	Iterations int
}

// Href is the default node link: "/p/" and the key with every byte that is
// not URL-safe percent-escaped ("/" included), so that any key round-trips
// through a path segment.
func Href(key string) string { return "/p/" + url.PathEscape(key) }

// Point is a node's position in the drawing.
type Point struct{ X, Y float64 }

// Layout returns a position for each node, in the nodes' order, within a
// square of side size centred on (size/2, size/2). Nodes are sorted by key
// first (the caller's order does not change the picture), and the random
// start uses a fixed seed, so the result depends only on the graph.
func Layout(nodes []Node, edges []Edge, size float64, opts Options) []Point {
	n := len(nodes)
	out := make([]Point, n)
	if n == 0 {
		return out
	}
	// Work in key order so that the caller's order changes nothing, not
	// even the order of floating-point sums.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(nodes[a].Key, nodes[b].Key) })
	idx := make(map[string]int, n)
	for s, i := range order {
		if _, dup := idx[nodes[i].Key]; !dup {
			idx[nodes[i].Key] = s
		}
	}
	pos := make([]Point, n)
	defer func() {
		for s, i := range order {
			out[i] = pos[s]
		}
	}()
	limit := cmp.Or(opts.ForceLimit, 250)
	c := size / 2
	if n > limit || n == 1 {
		rings(pos, c)
		return out
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range pos {
		pos[i] = Point{c + (rng.Float64()-0.5)*size*0.8, c + (rng.Float64()-0.5)*size*0.8}
	}
	type pair struct{ a, b int }
	var springs []pair
	for _, e := range sortedEdges(edges) {
		a, okA := idx[e.From]
		b, okB := idx[e.To]
		if okA && okB && a != b {
			springs = append(springs, pair{a, b})
		}
	}
	// Fruchterman-Reingold: k is the ideal distance, the temperature
	// falls linearly to zero so the layout settles.
	area := size * size * 0.6
	k := math.Sqrt(area / float64(n))
	iters := cmp.Or(opts.Iterations, 150)
	temp := size / 10
	disp := make([]Point, n)
	for it := 0; it < iters; it++ {
		clear(disp)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				dx, dy := pos[i].X-pos[j].X, pos[i].Y-pos[j].Y
				d := math.Max(math.Hypot(dx, dy), 0.01)
				f := float64(k*k) / d
				fx, fy := float64(dx/d)*f, float64(dy/d)*f
				disp[i].X += fx
				disp[i].Y += fy
				disp[j].X -= fx
				disp[j].Y -= fy
			}
		}
		for _, s := range springs {
			dx, dy := pos[s.a].X-pos[s.b].X, pos[s.a].Y-pos[s.b].Y
			d := math.Max(math.Hypot(dx, dy), 0.01)
			f := float64(d*d) / k
			fx, fy := float64(dx/d)*f, float64(dy/d)*f
			disp[s.a].X -= fx
			disp[s.a].Y -= fy
			disp[s.b].X += fx
			disp[s.b].Y += fy
		}
		// A weak pull to the centre keeps separate components on the page.
		for i := range pos {
			disp[i].X -= float64(pos[i].X-c) * 0.05
			disp[i].Y -= float64(pos[i].Y-c) * 0.05
		}
		t := temp * float64(iters-it) / float64(iters)
		for i := range pos {
			d := math.Max(math.Hypot(disp[i].X, disp[i].Y), 0.01)
			step := math.Min(d, t)
			pos[i].X += float64(disp[i].X/d) * step
			pos[i].Y += float64(disp[i].Y/d) * step
		}
	}
	fit(pos, size)
	return out
}

// rings places the nodes, in order, on concentric circles around c.
func rings(pos []Point, c float64) {
	if len(pos) == 1 {
		pos[0] = Point{c, c}
		return
	}
	const gap = 14.0 // distance between neighbours and between rings
	placed := 0
	for ring := 1; placed < len(pos); ring++ {
		r := float64(ring) * gap
		m := min(int(2*math.Pi*r/gap), len(pos)-placed)
		for j := 0; j < m; j++ {
			a := 2 * math.Pi * float64(j) / float64(m)
			pos[placed] = Point{c + r*math.Cos(a), c + r*math.Sin(a)}
			placed++
		}
	}
	fit(pos, 2*c)
}

// fit scales and moves pos into a square of side size with a margin.
func fit(pos []Point, size float64) {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pos {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	margin := size * 0.08
	span := math.Max(maxX-minX, maxY-minY)
	if span < 1e-9 {
		for i := range pos {
			pos[i] = Point{size / 2, size / 2}
		}
		return
	}
	s := (size - 2*margin) / span
	ox := margin + ((size-2*margin)-float64(maxX-minX)*s)/2
	oy := margin + ((size-2*margin)-float64(maxY-minY)*s)/2
	for i, p := range pos {
		pos[i] = Point{ox + float64(p.X-minX)*s, oy + float64(p.Y-minY)*s}
	}
}

// SVG writes the graph as a standalone <svg> element (suitable for inline
// use in HTML5 too): edges as arrows from the citing to the cited paper,
// nodes as circles with their key as label, each wrapped in an <a> to the
// paper's page with the title in a <title> tooltip. Edges naming unknown
// nodes are dropped. All text is escaped. The same graph gives the same
// bytes. On a write error, part of the SVG may be written.
func SVG(w io.Writer, nodes []Node, edges []Edge, opts Options) error {
	href := opts.Href
	if href == nil {
		href = Href
	}
	n := len(nodes)
	size := 200 + 60*math.Sqrt(float64(n))
	size = math.Round(size)
	pos := Layout(nodes, edges, size, opts)
	idx := make(map[string]int, n)
	for i, nd := range nodes {
		if _, dup := idx[nd.Key]; !dup {
			idx[nd.Key] = i
		}
	}
	type seg struct {
		e    Edge
		a, c int
	}
	var segs []seg
	for _, e := range sortedEdges(edges) {
		a, okA := idx[e.From]
		c, okC := idx[e.To]
		if okA && okC && a != c {
			segs = append(segs, seg{e, a, c})
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="citegraph" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="citation graph, %d papers, %d citations">`+"\n",
		size+labelRoom, size, size+labelRoom, size, n, len(segs))
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="22" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs>` + "\n")
	b.WriteString(`<g class="edges" stroke="#999" stroke-width="1">` + "\n")
	for _, sg := range segs {
		e, a, c := sg.e, sg.a, sg.c
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" marker-end="url(#arrow)"><title>%s → %s</title></line>`+"\n",
			pos[a].X, pos[a].Y, pos[c].X, pos[c].Y, esc(e.From), esc(e.To))
	}
	b.WriteString("</g>\n<g class=\"nodes\" font-size=\"10\" font-family=\"sans-serif\">\n")
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(nodes[a].Key, nodes[b].Key) })
	for _, i := range order {
		nd := nodes[i]
		title := nd.Title
		if title == "" {
			title = nd.Key
		}
		fill := "#fff"
		if nd.HasNote {
			fill = "#4a7bd0"
		}
		fmt.Fprintf(&b, `<a href="%s"><title>%s</title><circle cx="%.1f" cy="%.1f" r="6" fill="%s" stroke="#345"/><text x="%.1f" y="%.1f">%s</text></a>`+"\n",
			esc(href(nd.Key)), esc(title), pos[i].X, pos[i].Y, fill, pos[i].X+8, pos[i].Y+3, esc(label(nd.Key)))
	}
	b.WriteString("</g>\n</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedEdges(edges []Edge) []Edge {
	out := slices.Clone(edges)
	slices.SortFunc(out, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return slices.Compact(out)
}

// labelRoom is the width added on the right of the drawing for the labels
// of the rightmost nodes (up to 24 characters of 10px text).
const labelRoom = 150

// label shortens a long key for the drawing; the tooltip has the title.
func label(key string) string {
	r := []rune(key)
	if len(r) > 24 {
		return string(r[:23]) + "…"
	}
	return key
}

// esc escapes text for XML and HTML alike (&, <, >, ' and "), and
// replaces what XML cannot carry (invalid UTF-8, control characters) with
// U+FFFD, so the SVG is always well-formed.
func esc(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, s)
	return html.EscapeString(s)
}
