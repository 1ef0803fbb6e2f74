// Package internal_test holds the import-direction test of ../shared/STYLE.md §2.
package internal_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
)

const module = "github.com/papernotes/papernotes"

type goPackage struct {
	ImportPath   string
	Imports      []string
	Deps         []string
	TestImports  []string
	XTestImports []string
}

func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps=false", "-json=ImportPath,Imports,Deps,TestImports,XTestImports", "./...")
	cmd.Dir = testutil.RepoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return pkgs
}

func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// within reports whether path is the module package rel or below it.
func within(path, rel string) bool {
	p := module + "/" + rel
	return path == p || strings.HasPrefix(path, p+"/")
}

func hasPrefixAny(path string, prefixes ...string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

var (
	viperPaths    = []string{"github.com/spf13/viper"}
	cobraPaths    = []string{"github.com/spf13/cobra", "github.com/spf13/pflag"}
	goldmarkPaths = []string{"github.com/yuin/goldmark", "go.abhg.dev/goldmark", "github.com/gohugoio/hugo-goldmark-extensions"}
)

// TestImportDirection fails on any import that ../shared/STYLE.md §2 forbids.
func TestImportDirection(t *testing.T) {
	for _, p := range listPackages(t) {
		path := p.ImportPath
		all := append(append(append([]string{}, p.Imports...), p.TestImports...), p.XTestImports...)
		for _, imp := range p.Imports {
			if within(path, "bib") && !isStdlib(imp) && imp != "github.com/nickng/bibtex" {
				t.Errorf("%s imports %s: bib may import only the standard library and github.com/nickng/bibtex", path, imp)
			}
			if within(imp, "internal/testutil") {
				t.Errorf("%s imports %s outside its tests", path, imp)
			}
			if within(imp, "internal/cli") && path != module+"/cmd/papernotes" {
				t.Errorf("%s imports %s: only cmd/papernotes may", path, imp)
			}
			if (within(imp, "internal/config") || within(imp, "internal/cli")) && !within(path, "internal") && !within(path, "cmd") {
				t.Errorf("%s imports %s: library packages take plain option structs", path, imp)
			}
		}
		for _, imp := range all {
			if hasPrefixAny(imp, viperPaths...) && !within(path, "internal/config") {
				t.Errorf("%s imports %s: viper belongs in internal/config only", path, imp)
			}
			if hasPrefixAny(imp, cobraPaths...) && !within(path, "internal/cli") {
				t.Errorf("%s imports %s: cobra belongs in internal/cli only", path, imp)
			}
			if hasPrefixAny(imp, goldmarkPaths...) && !within(path, "notes") && !within(path, "latex") {
				t.Errorf("%s imports %s: goldmark belongs in notes and latex only", path, imp)
			}
		}
		// notes and bib are leaves: neither may reach the other, even indirectly.
		for _, dep := range p.Deps {
			if within(path, "notes") && within(dep, "bib") {
				t.Errorf("%s depends on %s: notes must never import bib (use notes.CiteResolver)", path, dep)
			}
			if within(path, "bib") && within(dep, "notes") {
				t.Errorf("%s depends on %s: bib must never import notes", path, dep)
			}
		}
	}
}
