package cli

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/papernotes/papernotes/internal/testutil"
)

// chromiumPath finds Debian's chromium. Without it the browser tests are
// skipped, except under CI=true, where .ci/run installs it and its absence
// is a failure.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; CI needs it for the browser tests (apt-get install chromium)")
	}
	t.Skip("chromium is not installed: skipping the browser tests (apt-get install chromium)")
	return ""
}

// browser starts a headless chromium with its own profile and HOME, and
// records the URL of every request its pages make.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	urls []string
}

func newBrowser(t *testing.T, chrome string, budget time.Duration) *browser {
	t.Helper()
	home := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.UserDataDir(filepath.Join(home, "profile")),
		chromedp.Env("HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home),
		chromedp.NoSandbox, // containers run as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
	)
	// A budget for a stuck browser, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	b := &browser{}
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.urls = append(b.urls, e.Request.URL)
			b.mu.Unlock()
		}
	}))
	t.Cleanup(bcancel)
	b.ctx = bctx
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// text returns the innerText of the first element matching the CSS selector.
func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	b.do(t, "wait for "+sel, chromedp.WaitReady(chromedp.CSS(sel)))
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS polls a JavaScript expression until it is true (a budget of
// three minutes: the first search of a 10,000-note workspace builds the
// index).
func (b *browser) waitJS(t *testing.T, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		// A page that navigates (a link, a form, a live reload) ends
		// the poll: poll again in the new page.
		if b.ctx.Err() == nil && time.Now().Before(deadline) && navigating(err) {
			continue
		}
		t.Fatalf("%s: %v", what, err)
	}
}

// checkLocal fails on any request that leaves 127.0.0.1.
func (b *browser) checkLocal(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.urls) == 0 {
		t.Error("the network log is empty")
	}
	for _, u := range b.urls {
		p, err := url.Parse(u)
		if err != nil {
			t.Errorf("request to %q", u)
			continue
		}
		switch p.Scheme {
		case "data", "blob", "about":
			continue // never leaves the page
		}
		if p.Hostname() != "127.0.0.1" {
			t.Errorf("request leaves 127.0.0.1: %s", u)
		}
	}
	t.Logf("%d requests, all to 127.0.0.1", len(b.urls))
}

// addMath gives the BLIP-2 note a section with inline and display math
// (the example notes have none).
func addMath(t testing.TB, ws string) {
	t.Helper()
	p := filepath.Join(ws, "notes", "li2023blip.md")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, "\n## 公式\n\n对比损失 $\\mathcal{L}_{itc}$ 与匹配损失：\n\n$$\n\\mathcal{L} = \\alpha \\mathcal{L}_{itc} + (1-\\alpha)\\mathcal{L}_{itm}\n$$\n"...)
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServeBrowser is issue 12's acceptance test in a real browser:
// chromium, headless, driven by chromedp against `serve` on the example
// workspace and on a generated 10,000-note workspace holding the example's
// papers too.
func TestServeBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	t.Run("example", func(t *testing.T) {
		ws := copyExample(t)
		addMath(t, ws)
		acceptance(t, chrome, ws, 2)
	})
	t.Run("10000", func(t *testing.T) {
		if testing.Short() {
			t.Skip("-short: skipping the 10,000-note workspace")
		}
		ws := genWorkspace(t, 10000)
		addMath(t, ws)
		acceptance(t, chrome, ws, 10002)
	})
}

// genWorkspace writes a workspace of n generated notes (scripts/gen-notes)
// plus the example workspace's two papers, notes and journal.
func genWorkspace(t testing.TB, n int) string {
	t.Helper()
	ws := filepath.Join(t.TempDir(), "ws")
	root := testutil.RepoRoot(t)
	cmd := exec.Command("go", "run", "./scripts/gen-notes", "-n", fmt.Sprint(n), "-out", ws, "-seed", "1")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen-notes: %v\n%s", err, out)
	}
	ex := filepath.Join(root, "examples", "workspace")
	lib, err := os.ReadFile(filepath.Join(ex, "bib", "library.bib"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(ws, "bib", "library.bib"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(append([]byte("\n"), lib...)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"li2022grounded.md", "li2023blip.md"} {
		b, err := os.ReadFile(filepath.Join(ex, "notes", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ws, "notes", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

func acceptance(t *testing.T, chrome, ws string, entries int) {
	base := startServe(t, ws)
	b := newBrowser(t, chrome, 6*time.Minute)

	// Library: every entry, then the tag filter.
	b.do(t, "library", chromedp.Navigate(base))
	if got := b.text(t, "#count"); !strings.Contains(got, fmt.Sprintf("of %d entries", entries)) {
		t.Errorf("library count %q, want %d entries", got, entries)
	}
	if entries < 200 {
		rows := b.text(t, "table.lib tbody")
		for _, k := range []string{"li2022grounded", "li2023blip"} {
			if !strings.Contains(rows, k) {
				t.Errorf("library lacks %s:\n%s", k, rows)
			}
		}
	}
	b.do(t, "filter by tag",
		chromedp.SetValue(chromedp.CSS(`select[name="tag"]`), "grounding"),
		chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	b.waitJS(t, "tag filter applied", `location.search.includes("tag=grounding") && document.readyState === "complete"`)
	if rows := b.text(t, "table.lib tbody"); !strings.Contains(rows, "li2022grounded") || strings.Contains(rows, "li2023blip") {
		t.Errorf("tag grounding shows:\n%s", rows)
	}

	// Paper: sections, citation links, math and backlinks.
	b.do(t, "paper", chromedp.Navigate(base+"p/li2022grounded"))
	note := b.text(t, "section.note")
	for _, h := range []string{"摘要", "本论文解决什么问题"} {
		if !strings.Contains(note, h) {
			t.Errorf("the GLIP note lacks the section %q", h)
		}
	}
	b.do(t, "follow the citation of BLIP-2", chromedp.Click(chromedp.CSS(`section.note a[href="/p/li2023blip"]`)))
	b.waitJS(t, "the citation link leads to BLIP-2", `location.pathname === "/p/li2023blip" && document.readyState === "complete"`)
	if h1 := b.text(t, "h1"); !strings.Contains(strings.ToUpper(h1), "BLIP-2") {
		t.Errorf("the cited page's title is %q", h1)
	}
	mathML := eval[int](t, b, `document.querySelectorAll("section.note math").length`)
	rawTeX := eval[int](t, b, `[...document.querySelectorAll("section.note .math")].filter(e => !e.querySelector("math")).length`)
	if mathML == 0 || rawTeX > 0 {
		t.Errorf("/p/li2023blip: %d MathML formulas, %d .math elements left as TeX", mathML, rawTeX)
	}
	b.do(t, "follow the backlink", chromedp.Click(chromedp.CSS(`ul.cited-by a[href="/p/li2022grounded"]`)))
	b.waitJS(t, "the backlink leads to GLIP", `location.pathname === "/p/li2022grounded" && document.readyState === "complete"`)

	// Search as you type.
	// Chinese is typed through an input method, which commits the
	// characters as one text input (Input.insertText), as a user's IME does.
	b.do(t, "search", chromedp.Navigate(base+"search"),
		chromedp.WaitVisible(chromedp.ID("search-q")),
		chromedp.Focus(chromedp.ID("search-q")))
	if _, err := chromedp.Call(b.ctx, input.InsertText, input.InsertTextParams{Text: "开放词汇"}); err != nil {
		t.Fatalf("type 开放词汇: %v", err)
	}
	b.waitJS(t, "search results", `document.querySelector("#search-results").textContent.includes("li2022grounded")`)

	// The week of 2025-11-19: BLIP-2 then GLIP.
	b.do(t, "week", chromedp.Navigate(base+"week/2025-11-19"))
	week := strings.ToLower(b.text(t, "body"))
	if i, j := strings.Index(week, "blip-2: bootstrapping"), strings.Index(week, "grounded language-image pre-training"); i < 0 || j < 0 || i > j {
		t.Errorf("the week page shows BLIP-2 at %d and GLIP at %d", i, j)
	}

	// Live reload: edit the note on disk; the open page shows the new text.
	b.do(t, "open BLIP-2", chromedp.Navigate(base+"p/li2023blip"))
	b.waitJS(t, "event stream open", `document.documentElement.getAttribute("data-live") === "open"`)
	p := filepath.Join(ws, "notes", "li2023blip.md")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, "\n## 补充\n\n实时刷新的新文字 live-reload-marker\n"...)
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	b.waitJS(t, "the page reloads with the new text", `document.body !== null && document.body.innerText.includes("live-reload-marker")`)

	b.checkLocal(t)
}

// navigating reports whether err says the page changed under a script.
func navigating(err error) bool {
	for _, s := range []string{"navigated or closed", "context was destroyed", "Cannot find context", "No node with given id"} {
		if strings.Contains(err.Error(), s) {
			return true
		}
	}
	return false
}

// updateServePNG makes TestServeScreenshots write the README's pictures of
// serve's week and graph pages to docs/serve-week.png and
// docs/serve-graph.png (scripts/screenshots.sh). A normal run writes
// nothing into the repository.
var updateServePNG = flag.Bool("update-serve-png", false, "write docs/serve-{week,graph}.png from TestServeScreenshots")

// TestServeScreenshots takes the README's screenshots of the week and graph
// pages on the example workspace (web's TestScreenshots takes the library,
// paper and search pages). It runs only with -update-serve-png.
func TestServeScreenshots(t *testing.T) {
	if !*updateServePNG {
		t.Skip("run with -update-serve-png (scripts/screenshots.sh) to write docs/serve-{week,graph}.png")
	}
	chrome := chromiumPath(t)
	ws := copyExample(t)
	base := startServe(t, ws)
	b := newBrowser(t, chrome, 3*time.Minute)
	docs := filepath.Join(testutil.RepoRoot(t), "docs")
	shot := func(name string) {
		t.Helper()
		b.waitJS(t, "page loaded", `document.readyState === "complete"`)
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(docs, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote docs/%s (%d bytes)", name, len(png))
	}
	b.do(t, "week", chromedp.Navigate(base+"week/2025-11-19"))
	shot("serve-week.png")
	b.do(t, "graph", chromedp.Navigate(base+"graph"))
	shot("serve-graph.png")
}
