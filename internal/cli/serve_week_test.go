package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/internal/testutil"
)

// startServe runs `serve --addr 127.0.0.1:0` in workspace ws, as the
// command does (watcher included), and returns its URL (with a trailing
// "/") once it listens. The server stops when the test ends.
func startServe(t testing.TB, ws string) string {
	t.Helper()
	ios, _, _, errOut := Test()
	f := NewFactory(ios, func(string) string { return "" })
	f.WorkDir = ws
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	opts := &serveOptions{IO: ios, Factory: f, Context: ctx, Addr: "127.0.0.1:0", Ready: func(u string) { ready <- u }}
	go func() { done <- serveRun(opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	select {
	case u := <-ready:
		return u
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, errOut)
	case <-time.After(2 * time.Minute):
		t.Fatal("serve did not start")
	}
	return ""
}

// copyExample copies examples/workspace into a temporary folder.
func copyExample(t testing.TB) string {
	t.Helper()
	ws := filepath.Join(t.TempDir(), "ws")
	if err := os.CopyFS(ws, os.DirFS(filepath.Join(testutil.RepoRoot(t), "examples", "workspace"))); err != nil {
		t.Fatal(err)
	}
	return ws
}

func httpGet(t testing.TB, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// runReport runs `papernotes report ARGS` in ws and returns its stdout.
func runReport(t *testing.T, ws string, args ...string) []byte {
	t.Helper()
	ios, _, out, errOut := Test()
	f := NewFactory(ios, func(string) string { return "" })
	f.WorkDir = ws
	if code := Run(f, append([]string{"report"}, args...)); code != 0 {
		t.Fatalf("report %q: exit %d\n%s", args, code, errOut)
	}
	return out.Bytes()
}

// TestServeWeek checks that the week pages of serve are the report
// command's own output: the html and md downloads byte for byte, the tex
// zip as the .tex and .bib that `report --format tex` writes, and the page
// itself as the html report with the navigation added.
func TestServeWeek(t *testing.T) {
	ws := copyExample(t)
	base := startServe(t, ws)

	wantHTML := runReport(t, ws, "--week", "2025-11-19", "--format", "html", "--stdout")
	wantMD := runReport(t, ws, "--week", "2025-11-19", "--stdout")
	_, gotHTML := httpGet(t, base+"week/2025-11-19.html")
	if !bytes.Equal(gotHTML, wantHTML) {
		t.Errorf("/week/2025-11-19.html differs from report --format html")
	}
	_, gotMD := httpGet(t, base+"week/2025-11-19.md")
	if !bytes.Equal(gotMD, wantMD) {
		t.Errorf("/week/2025-11-19.md differs from report:\n%s\n---\n%s", gotMD, wantMD)
	}

	resp, page := httpGet(t, base+"week/2025-11-19")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/week/2025-11-19: %s", resp.Status)
	}
	// The page is the report with the navigation after <body> and the
	// reload script before </body>; remove both and the bytes are equal.
	stripped := string(page)
	if i, j := strings.Index(stripped, "<style>\n.pn-week"), strings.Index(stripped, "</nav>\n"); i >= 0 && j > i {
		stripped = stripped[:i] + stripped[j+len("</nav>\n"):]
	}
	stripped = strings.Replace(stripped, "<body>\n", "<body>", 1)
	stripped = strings.Replace(stripped, `<script src="/assets/live.js" defer></script>`+"\n", "", 1)
	if stripped != string(wantHTML) {
		t.Errorf("the week page is not the html report plus navigation")
	}
	blip, glip := strings.Index(string(page), "BLIP-2"), strings.Index(string(page), "Grounded")
	if blip < 0 || glip < 0 || blip > glip {
		t.Errorf("the week of 2025-11-19 shows BLIP-2 at %d and GLIP at %d", blip, glip)
	}

	out := filepath.Join(t.TempDir(), "r.tex")
	runReport(t, ws, "--week", "2025-11-19", "--format", "tex", "-o", out)
	_, zb := httpGet(t, base+"week/2025-11-19.zip")
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		ext := filepath.Ext(f.Name)
		want, err := os.ReadFile(strings.TrimSuffix(out, ".tex") + ext)
		if err != nil {
			t.Fatal(err)
		}
		if ext == ".tex" {
			// The document names its .bib after itself.
			want = bytes.ReplaceAll(want, []byte("{r}"), []byte("{"+strings.TrimSuffix(f.Name, ".tex")+"}"))
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s in the zip differs from report --format tex", f.Name)
		}
	}
	if strings.Join(names, " ") != "组会_20251119.tex 组会_20251119.bib" {
		t.Errorf("zip holds %q", names)
	}
}

// /api/week/DATE sends exactly what `report --week DATE --format json` prints.
func TestServeAPIWeek(t *testing.T) {
	ws := copyExample(t)
	base := startServe(t, ws)
	want := runReport(t, ws, "--week", "2025-11-19", "--format", "json", "--stdout")
	resp, got := httpGet(t, base+"api/week/2025-11-19")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !bytes.Equal(got, want) {
		t.Errorf("/api/week differs from report --format json:\n%s\nwant\n%s", got, want)
	}
	if !bytes.Contains(got, []byte("li2023blip")) {
		t.Errorf("the week's report lacks BLIP-2:\n%s", got)
	}
	for _, bad := range []string{"api/week/x", "api/week/2025-13-01", "api/week/"} {
		if resp, _ := httpGet(t, base+bad); resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: status %d, CSP %q", bad, resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}
	}
}

// serve never writes the workspace: after every page, download and API
// call, each file outside .papernotes/ (the search index) is as it was.
func TestServeReadOnly(t *testing.T) {
	ws := copyExample(t)
	snapshot := func() map[string]string {
		out := map[string]string{}
		err := filepath.WalkDir(ws, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(ws, p)
			if d.IsDir() {
				if rel == ".papernotes" {
					return filepath.SkipDir
				}
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			info, _ := d.Info()
			out[rel] = string(b) + "\x00" + info.Mode().String() + info.ModTime().String()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := snapshot()
	base := startServe(t, ws)
	for _, u := range []string{"", "?tag=grounding", "?status=toread", "p/li2023blip", "p/li2022grounded", "p/nosuchkey",
		"search?q=开放词汇", "week/", "week/2025-11-19", "week/2025-11-19.md", "week/2025-11-19.html", "week/2025-11-19.zip",
		"graph", "graph?week=2025-11-19", "api/entries", "api/entry/li2023blip", "api/note/li2023blip",
		"api/search?q=BLIP", "api/week/2025-11-19", "assets/app.js"} {
		if resp, _ := httpGet(t, base+u); resp.StatusCode >= 500 {
			t.Errorf("%s: status %d", u, resp.StatusCode)
		}
	}
	after := snapshot()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("serve changed or removed %s", k)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("serve created %s", k)
		}
	}
}
