package web

import (
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/index"
	"github.com/papernotes/papernotes/internal/testutil"
)

// updateScreenshots makes TestScreenshots write docs/serve-*.png, the
// README's pictures of the library, a paper and a search, taken with
// headless Chromium on a copy of the example workspace. Without the flag
// the test is skipped: the browser test of CI checks behaviour.
var updateScreenshots = flag.Bool("update-screenshots", false, "write docs/serve-*.png with headless chromium")

func TestScreenshots(t *testing.T) {
	if !*updateScreenshots {
		t.Skip("writes docs/serve-*.png; run with -update-screenshots")
	}
	exe, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed")
	}
	root := testutil.RepoRoot(t)
	ws := t.TempDir()
	if err := os.CopyFS(ws, os.DirFS(filepath.Join(root, "examples", "workspace"))); err != nil {
		t.Fatal(err)
	}
	bibDir, notesDir := filepath.Join(ws, "bib"), filepath.Join(ws, "notes")
	hs := httptest.NewUnstartedServer(nil)
	s, err := New(Options{
		Root: ws, NotesDir: notesDir, BibPaths: []string{bibDir},
		LoadLibrary: func() (*bib.Library, error) { return bib.LoadDir(bibDir, bib.LoadOptions{}) },
		OpenIndex:   func() (*index.Index, error) { return index.Open(filepath.Join(ws, ".papernotes", "index.db")) },
		Sources:     index.Sources{Root: ws, NotesDir: notesDir, BibPaths: []string{bibDir}},
		Addr:        hs.Listener.Addr().String(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hs.Config.Handler = s
	hs.Start()
	defer hs.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1100, 760))
	ctx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for _, shot := range []struct {
		name, path string
		steps      []chromedp.Action[chromedp.Void]
	}{
		{"library", "/?sort=year", nil},
		{"paper", "/p/li2022grounded", nil},
		{"search", "/search", []chromedp.Action[chromedp.Void]{chromedp.SendKeys("#search-q", "开放词汇"), chromedp.WaitVisible("ol.hits")}},
	} {
		steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(hs.URL + shot.path)}, shot.steps...)
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", shot.name, err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "docs", "serve-"+shot.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
