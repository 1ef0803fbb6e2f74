package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
)

// TestReadmeTour keeps the README's first steps honest for a new user: the
// install section warns that the first build downloads modules, `papernotes`
// is installed before any command uses it bare, no line points at an issue
// number, and every command of the example-workspace tour runs and succeeds
// (on a copy of the workspace, so the index is not built in the clone).
func TestReadmeTour(t *testing.T) {
	root := testutil.RepoRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(src)
	if m := regexp.MustCompile(`\(issue \d+\)|, issue \d+\)`).FindString(readme); m != "" {
		t.Errorf("README refers to an issue: %q", m)
	}
	if m := regexp.MustCompile(`(?m)^(<<<<<<< |=======$|>>>>>>> )`).FindStringIndex(readme); m != nil {
		t.Errorf("README has a merge conflict marker on line %d", strings.Count(readme[:m[0]], "\n")+1)
	}
	install := strings.Index(readme, "go install ./cmd/papernotes")
	if install < 0 {
		t.Fatal("README never says go install ./cmd/papernotes")
	}
	if i := strings.Index(readme, "few minutes"); i < 0 || i > strings.Index(readme, "## Quickstart") {
		t.Error("README does not warn, before the quickstart, that the first build takes a few minutes")
	}
	// After the quickstart's `go run`, the first bare papernotes must be
	// preceded by a word on installing it (or on writing go run instead).
	if g := strings.Index(readme, "go run ./cmd/papernotes"); g >= 0 {
		if p := regexp.MustCompile(`(?m)^papernotes `).FindStringIndex(readme[g:]); p != nil && !strings.Contains(readme[g:g+p[0]], "install") {
			t.Error("the README tour uses a bare papernotes right after a go run quickstart without saying to install it")
		}
	}
	// The first command line starting with a bare papernotes, in a code block.
	blocks := regexp.MustCompile("(?s)```(?:sh|console)\n(.*?)```")
	for _, b := range blocks.FindAllStringSubmatchIndex(readme, -1) {
		code := readme[b[2]:b[3]]
		if i := regexp.MustCompile(`(?m)^(\$ )?papernotes `).FindStringIndex(code); i != nil {
			if b[2]+i[0] < install {
				t.Errorf("README runs a bare papernotes (%q) before it says how to install it", strings.SplitN(code[i[0]:], "\n", 2)[0])
			}
			break
		}
	}

	ws := t.TempDir()
	copyTree(t, filepath.Join(root, "examples", "workspace"), ws)
	tour := regexp.MustCompile(`(?m)^papernotes -C examples/workspace (.*?)\s*(#.*)?$`)
	ran := 0
	for _, m := range tour.FindAllStringSubmatch(readme, -1) {
		args := append([]string{"-C", ws}, strings.Fields(m[1])...)
		ios, _, out, errOut := Test()
		f := NewFactory(ios, nil)
		f.WorkDir = ws
		if code := Run(f, args); code != 0 {
			t.Errorf("tour: papernotes %s: exit %d\n%s%s", m[1], code, out, errOut)
		}
		if out.Len()+errOut.Len() == 0 {
			t.Errorf("tour: papernotes %s prints nothing", m[1])
		}
		ran++
	}
	if ran < 3 {
		t.Errorf("found %d tour commands in the README, want the tour", ran)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			if d.Name() == ".papernotes" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
