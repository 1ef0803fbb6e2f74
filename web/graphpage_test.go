package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestGraphPage(t *testing.T) {
	s := newTestServer(t, map[string]string{
		"bib/lib.bib": "@article{a, title={Paper <A>}}\n@article{b, title={B \"quoted\"}}\n@article{c, title={<script>alert(1)</script>}}\n",
		"notes/a.md":  "---\nkey: a\ntags: [vlm]\nstatus: read\nread: 2025-11-14\n---\n# A\n\nSee [@b] and [@c].\n",
		"notes/b.md":  "---\nkey: b\ntags: [nlp]\nstatus: read\nread: 2025-10-01\n---\n# B\n\nSee [@c] and [@k/../x].\n",
	}, nil)
	rec := get(t, s, "/graph")
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	for _, want := range []string{"<svg", `href="/p/a"`, `href="/p/b"`, `href="/p/c"`, `href="/p/k%2F..%2Fx"`, "4 papers, 4 citations",
		"&lt;script&gt;alert(1)&lt;/script&gt;", "Paper &lt;A&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("/graph lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("/graph holds a live script")
	}
	rec = get(t, s, "/graph?tag=vlm")
	if body := rec.Body.String(); !strings.Contains(body, "3 papers, 2 citations") || strings.Contains(body, "k%2F..%2Fx") {
		t.Errorf("/graph?tag=vlm:\n%s", body)
	}
	rec = get(t, s, "/graph?week=2025-10-01")
	if body := rec.Body.String(); !strings.Contains(body, "3 papers, 2 citations") || !strings.Contains(body, "k%2F..%2Fx") {
		t.Errorf("/graph?week=2025-10-01:\n%s", body)
	}
	rec = get(t, s, "/graph?week=2025-11-19&tag=nlp")
	if body := rec.Body.String(); !strings.Contains(body, "0 papers, 0 citations") {
		t.Errorf("/graph?week=2025-11-19&tag=nlp:\n%s", body)
	}
	if rec := get(t, s, "/graph?week=soon"); rec.Code != http.StatusBadRequest {
		t.Errorf("bad week: status %d", rec.Code)
	}
}
