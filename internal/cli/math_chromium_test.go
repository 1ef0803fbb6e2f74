package cli_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/papernotes/papernotes/internal/cli"
	"github.com/papernotes/papernotes/internal/mathjs"
	"github.com/papernotes/papernotes/internal/testutil"
)

// updateMathPNG makes TestMathChromium write its screenshots of the rendered
// note and report to docs/math.png and docs/math-report.png
// (scripts/math-screenshot.sh). A normal run writes nothing into the
// repository.
var updateMathPNG = flag.Bool("update-math-png", false, "write docs/math.png and docs/math-report.png from TestMathChromium")

// mathState is what the page says about its math after load.
type mathState struct {
	Elements int      `json:"elements"` // .math elements
	Rendered int      `json:"rendered"` // .math elements holding a <math>
	Raw      []string `json:"raw"`      // text of non-error .math elements still showing a $
	Errors   []string `json:"errors"`   // text of .math-error elements
	Titles   []string `json:"titles"`   // their tooltips
	Scripts  int      `json:"scripts"`  // <script> elements
	Markup   bool     `json:"markup"`   // an error element holds elements (TeX parsed as HTML)
	CSP      []string `json:"csp"`      // Content-Security-Policy violations
	Alerts   int      `json:"alerts"`   // calls of window.alert
	Active   []string `json:"active"`   // links, images, scripts, handlers inside .math
	Height   float64  `json:"height"`   // the largest side of a formula or of the page, in CSS pixels
	Mismatch []string `json:"mismatch"` // error elements whose text is not their TeX
}

const mathStateJS = `(() => {
  const els = [...document.querySelectorAll(".math")];
  const errs = els.filter(e => e.classList.contains("math-error"));
  return {
    elements: els.length,
    rendered: els.filter(e => e.querySelector("math")).length,
    raw: els.filter(e => !e.classList.contains("math-error") && e.innerText.includes("$")).map(e => e.innerText),
    errors: errs.map(e => e.innerText),
    titles: errs.map(e => e.title),
    scripts: document.querySelectorAll("script").length,
    markup: errs.some(e => e.children.length > 0),
    csp: window.__csp || [],
    alerts: window.__alerts || 0,
    active: els.flatMap(e => [...e.querySelectorAll("*")]).filter(n =>
      ["A", "IMG", "SCRIPT", "IFRAME", "OBJECT"].includes(n.tagName.toUpperCase()) ||
      [...n.attributes].some(a => /^(on|href$|src$|xlink:href$)/i.test(a.name))).map(n => n.outerHTML.slice(0, 80)),
    height: Math.max(document.documentElement.scrollHeight, document.documentElement.scrollWidth,
      ...[...document.querySelectorAll(".math math")].map(m => Math.max(m.getBoundingClientRect().height, m.getBoundingClientRect().width))),
    mismatch: errs.filter(e => e.textContent !== e.getAttribute("data-tex")).map(e => e.textContent),
  };
})()`

// TestMathChromium opens the pages of `render --format html` and `report
// --format html` in headless Chromium, from file:// URLs, and checks that
// every formula became MathML, that the broken one shows its TeX (escaped,
// with the error as tooltip), that no script error escaped and that no
// request left the file system.
func TestMathChromium(t *testing.T) {
	exe := cli.ChromiumPath(t)
	dir := t.TempDir()
	ar, err := txtar.ParseFile("testdata/math/workspace.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"render", "li2023blip", "-o", "out/note.html"},
		{"render", "hostile2024", "-o", "out/hostile.html"},
		{"report", "--week", "2025-11-19", "--format", "html", "-o", "out/report.html"},
	} {
		ios, _, _, errOut := cli.Test()
		f := cli.NewFactory(ios, nil)
		f.WorkDir = dir
		if code := cli.Run(f, args); code != 0 {
			t.Fatalf("papernotes %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
		}
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(900, 700),
		// Containers and CI run as root, where Chromium's sandbox cannot start;
		// the pages are our own files.
		chromedp.NoSandbox,
	)
	// A budget for a stuck browser, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()

	var mu sync.Mutex
	var requests, exceptions []string
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, ev.Request.URL)
		case *runtime.EventExceptionThrown:
			exceptions = append(exceptions, ev.ExceptionDetails.Text+" "+exceptionText(ev.ExceptionDetails))
		}
	}))
	defer cancelTab()

	// The note page again, served with the strict policy `serve` uses: only
	// the inline script and styles whose hashes are listed may run. The math
	// must render all the same, with no violation.
	csp := strictCSP(t, filepath.Join(dir, "out/note.html"))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		http.FileServer(http.Dir(filepath.Join(dir, "out"))).ServeHTTP(w, r)
	}))
	defer ts.Close()
	// Violations are collected from before the page's own scripts run.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || "")));
window.alert = () => { window.__alerts = (window.__alerts || 0) + 1; };`,
	}); err != nil {
		t.Fatal(err)
	}

	file := func(name string) string {
		return (&url.URL{Scheme: "file", Path: filepath.Join(dir, "out", name)}).String()
	}
	for _, pg := range []struct {
		name, url string
		check     func(*testing.T, mathState)
	}{
		{"render", file("note.html"), checkNoteMath},
		{"report", file("report.html"), checkNoteMath},
		{"render-csp", ts.URL + "/note.html", checkNoteMath},
		{"hostile", file("hostile.html"), checkHostileMath},
		{"hostile-csp", ts.URL + "/hostile.html", checkHostileMath},
	} {
		t.Run(pg.name, func(t *testing.T) {
			u := pg.url
			if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
				t.Fatalf("navigate %s: %v", u, err)
			}
			st, err := chromedp.Run(ctx, chromedp.Evaluate[mathState](mathStateJS))
			if err != nil {
				t.Fatal(err)
			}
			pg.check(t, st)
			if st.Markup || len(st.Mismatch) > 0 {
				t.Errorf("a formula's TeX was parsed as HTML, or changed: %q", st.Mismatch)
			}
			if st.Scripts < 1 {
				t.Error("no script in the page")
			}
			if len(st.CSP) > 0 {
				t.Errorf("Content-Security-Policy violations: %q", st.CSP)
			}
			if st.Alerts > 0 || len(st.Active) > 0 {
				t.Errorf("math made %d alerts and active elements %q", st.Alerts, st.Active)
			}
			shots := map[string]string{"render": "math.png", "report": "math-report.png"}
			if name := shots[pg.name]; *updateMathPNG && name != "" {
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(testutil.RepoRoot(t), "docs", name)
				if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(out, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s (%d bytes)", out, len(png))
			}
		})
	}

	mu.Lock()
	defer mu.Unlock()
	if len(exceptions) > 0 {
		t.Errorf("script errors in the pages: %q", exceptions)
	}
	for _, r := range requests {
		if !strings.HasPrefix(r, "file://") && !strings.HasPrefix(r, "data:") && !strings.HasPrefix(r, ts.URL+"/") {
			t.Errorf("the page requested %s: math must load nothing from the network", r)
		}
	}
	if len(requests) == 0 {
		t.Error("no requests seen: the network listener does not work")
	}
}

// checkNoteMath checks the note of li2023blip: 8 formulas, all MathML but
// the broken one, which shows its TeX with the error as tooltip.
func checkNoteMath(t *testing.T, st mathState) {
	t.Helper()
	if st.Elements != 8 {
		t.Errorf("%d .math elements, want 8", st.Elements)
	}
	if st.Rendered != st.Elements-1 {
		t.Errorf("%d of %d .math elements hold MathML, want all but the broken one", st.Rendered, st.Elements)
	}
	if len(st.Raw) > 0 {
		t.Errorf("math elements still show raw TeX: %q", st.Raw)
	}
	if len(st.Errors) != 1 || st.Errors[0] != `\frac{1}{2` {
		t.Errorf("error elements %q, want the broken formula's TeX \\frac{1}{2", st.Errors)
	} else if !strings.HasPrefix(st.Titles[0], "TeX error: ") {
		t.Errorf("error tooltip %q", st.Titles[0])
	}
}

// checkHostileMath checks the note of hostile2024: what Temml refuses
// (\href, \includegraphics, \class, \style, a macro loop) shows as TeX, the
// rest renders inert, and the huge \rule is capped (maxSize).
func checkHostileMath(t *testing.T, st mathState) {
	t.Helper()
	if st.Elements != 9 {
		t.Errorf("%d .math elements, want 9", st.Elements)
	}
	want := []string{`\href{javascript:alert(1)}{x}`, `\includegraphics{http://example.com/x.png}`, `\class{x}{y}`,
		`\style{background:url(http://example.com/x)}{y}`, `\def\a{\a\a}\a`}
	if !slices.Equal(st.Errors, want) {
		t.Errorf("error elements %q, want %q", st.Errors, want)
	}
	if st.Rendered != st.Elements-len(want) {
		t.Errorf("%d .math elements hold MathML, want %d", st.Rendered, st.Elements-len(want))
	}
	if st.Height > 3000 {
		t.Errorf("a formula or the page is %.0f px long: \\rule is not capped", st.Height)
	}
}

// strictCSP returns a policy for the page in file that allows its inline
// <script> and <style> elements by hash and nothing else (the font of
// Temml's CSS is a data: URL), and checks that the math script and style
// are there byte for byte, with the hashes of [mathjs.ScriptHash] and
// [mathjs.StyleHash].
func strictCSP(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	var scripts, styles []string
	for _, m := range regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(string(b), -1) {
		scripts = append(scripts, hash(m[1]))
	}
	for _, m := range regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(string(b), -1) {
		styles = append(styles, hash(m[1]))
	}
	if len(scripts) != 1 || scripts[0] != "'"+mathjs.ScriptHash()+"'" {
		t.Errorf("page scripts %v, want one, the math script %s", scripts, mathjs.ScriptHash())
	}
	if !slices.Contains(styles, "'"+mathjs.StyleHash()+"'") {
		t.Errorf("page styles %v lack the math style %s", styles, mathjs.StyleHash())
	}
	return "default-src 'none'; script-src " + strings.Join(scripts, " ") +
		"; style-src " + strings.Join(styles, " ") + "; font-src data:"
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}
