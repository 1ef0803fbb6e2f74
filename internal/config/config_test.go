package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/papernotes/papernotes/internal/testutil"
)

// TestDefaultMatchesRoot keeps the embedded copy identical to the documented
// config.yaml at the repository root (run `go generate ./internal/config`).
func TestDefaultMatchesRoot(t *testing.T) {
	root, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(root, defaultYAML) {
		t.Fatal("internal/config/default.yaml differs from config.yaml; run go generate ./internal/config")
	}
}

// TestRootConfigLoads loads the repository's config.yaml as a workspace
// config, so the documented file always stays valid.
func TestRootConfigLoads(t *testing.T) {
	c, err := Load(LoadOptions{Dir: testutil.RepoRoot(t)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Default(), c, cmp.AllowUnexported(Config{}), cmp.FilterPath(func(p cmp.Path) bool {
		s := p.String()
		return s == "Workspace" || s == "File" || s == "origins"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("root config.yaml differs from Default() (-default +root):\n%s", diff)
	}
}

func TestDefault(t *testing.T) {
	t.Parallel()
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Language != "zh" || c.Bib.Default != "bib/library.bib" || c.Notes.Dir != "notes" || c.Index.Dir != ".papernotes" {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if got := c.Notes.Sections["method"]; !cmp.Equal(got, []string{"本文采用什么方法及其优缺点", "Method"}) {
		t.Errorf("method aliases = %q", got)
	}
	if c.MeetingWeekday() != time.Wednesday || c.ReportLang() != "zh" {
		t.Errorf("weekday %v, report lang %q", c.MeetingWeekday(), c.ReportLang())
	}
	if !cmp.Equal(c.Report.Sections, []string{"abstract", "bibtex", "problem", "prior", "method", "data", "results", "relevance"}) {
		t.Errorf("report.sections = %q", c.Report.Sections)
	}
	if c.Notes.RequiredSections == nil && len(c.Report.Required) != 0 {
		t.Errorf("required lists should be empty")
	}
}

func writeWorkspace(t *testing.T, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	if yaml != "" {
		if err := os.WriteFile(filepath.Join(dir, FileName), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestLoadLayers(t *testing.T) {
	t.Parallel()
	dir := writeWorkspace(t, `
language: en
notes:
  dir: reading
  sections:
    method: [Approach]
report:
  weekday: Fri
`)
	c, err := Load(LoadOptions{Dir: dir, Getenv: env("PAPERNOTES_NOTES_DIR", "from-env", "PAPERNOTES_BIB_PATHS", "a.bib, b", "PAPERNOTES_NOTES_ALLOW_HTML", "true"),
		Overrides: map[string]any{"report.lang": "zh"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Workspace != dir || c.File != filepath.Join(dir, FileName) {
		t.Errorf("workspace %q file %q", c.Workspace, c.File)
	}
	if c.Language != "en" || c.Notes.Dir != "from-env" || !c.Notes.AllowHTML || c.Report.Lang != "zh" || c.MeetingWeekday() != time.Friday {
		t.Errorf("layering wrong: %+v", c)
	}
	if !cmp.Equal(c.Bib.Paths, []string{"a.bib", "b"}) {
		t.Errorf("bib.paths = %q", c.Bib.Paths)
	}
	// A partial sections map keeps the other sections' defaults.
	if !cmp.Equal(c.Notes.Sections["method"], []string{"Approach"}) || len(c.Notes.Sections["problem"]) != 2 {
		t.Errorf("sections = %q", c.Notes.Sections)
	}
	if got, want := c.Path("notes"), filepath.Join(dir, "notes"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
	if got := c.Path("/abs/x.bib"); got != "/abs/x.bib" {
		t.Errorf("Path(abs) = %q", got)
	}
}

func TestLoadMissingConfigWithDir(t *testing.T) {
	t.Parallel()
	dir := writeWorkspace(t, "")
	c, err := Load(LoadOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "" || c.Language != "zh" {
		t.Errorf("got %+v", c)
	}
}

func TestFind(t *testing.T) {
	t.Parallel()
	dir := writeWorkspace(t, "language: en\n")
	sub := filepath.Join(dir, "notes", "deep")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := Find(sub)
	if err != nil || got != dir {
		t.Fatalf("Find = %q, %v; want %q", got, err, dir)
	}
	c, err := Load(LoadOptions{WorkDir: sub})
	if err != nil || c.Workspace != dir || c.Language != "en" {
		t.Fatalf("Load from subdir: %+v, %v", c, err)
	}
	if _, err := Find(t.TempDir()); !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("Find outside a workspace: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		give string
		env  func(string) string
		want string // substring after the workspace directory
	}{
		{"syntax", "language: [zh\n", nil, "config.yaml:1: invalid configuration: did not find expected ',' or ']'"},
		{"unknown key", "language: zh\nnotes:\n  dri: x\n", nil, "config.yaml:3:3: notes.dri: invalid configuration: unknown key"},
		{"wrong kind", "bib:\n  paths: {a: b}\n", nil, "config.yaml:2:10: bib.paths: invalid configuration: must be a list, like [a, b]"},
		{"bad bool", "notes:\n  allow_html: maybe\n", nil, "config.yaml:2:15: notes.allow_html: invalid configuration: must be true or false"},
		{"language", "\nlanguage: fr\n", nil, "config.yaml:2:11: language: invalid configuration: must be zh or en, not \"fr\""},
		{"weekday", "report:\n  weekday: someday\n", nil, "config.yaml:2:12: report.weekday: invalid configuration: \"someday\" is not a weekday (monday ... sunday)"},
		{"section id", "notes:\n  sections:\n    methods: [M]\n", nil, "config.yaml:3:14: notes.sections.methods: invalid configuration: \"methods\" is not a canonical section id"},
		{"alias twice", "notes:\n  sections:\n    method: [Problem]\n", nil, "alias \"Problem\" is also an alias of"},
		{"escape", "notes:\n  dir: ../elsewhere\n", nil, "config.yaml:2:8: notes.dir: invalid configuration: must be a relative path inside the workspace, not \"../elsewhere\""},
		{"absolute", "report:\n  dir: /tmp/r\n", nil, "report.dir: invalid configuration: must be a relative path inside the workspace"},
		{"report section", "report:\n  sections: [abstract, bibtx]\n", nil, "report.sections: invalid configuration: \"bibtx\" is neither bibtex nor a canonical section id"},
		{"key pattern", "bib:\n  key_pattern: \"{auth\"\n", nil, "config.yaml:2:16: bib.key_pattern: invalid configuration: compile key pattern"},
		{"env", "", env("PAPERNOTES_LANGUAGE", "fr"), "PAPERNOTES_LANGUAGE: language: invalid configuration: must be zh or en, not \"fr\""},
		{"env bool", "", env("PAPERNOTES_NOTES_ALLOW_HTML", "perhaps"), "PAPERNOTES_NOTES_ALLOW_HTML: notes.allow_html: invalid configuration: \"perhaps\" is not true or false"},
		{"key twice", "language: zh\nlanguage: en\n", nil, "config.yaml:2: invalid configuration: mapping key \"language\" already defined at line 1"},
		{"top level", "- a\n", nil, "config.yaml:1:1: invalid configuration: the top level must be a mapping of keys"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			dir := writeWorkspace(t, tt.give)
			_, err := Load(LoadOptions{Dir: dir, Getenv: tt.env})
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			if got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""); !strings.Contains(got, tt.want) {
				t.Errorf("error:\n%s\nwant it to contain:\n%s", got, tt.want)
			}
		})
	}
}

func TestUnknownOverride(t *testing.T) {
	t.Parallel()
	_, err := Load(LoadOptions{Dir: writeWorkspace(t, ""), Overrides: map[string]any{"no.such": 1}})
	if err == nil || !strings.Contains(err.Error(), "command line: no.such: unknown configuration key") {
		t.Errorf("err = %v", err)
	}
}

func TestEmptyFileAndNull(t *testing.T) {
	t.Parallel()
	for _, give := range []string{"# only comments\n", "editor:\nbib:\n"} {
		c, err := Load(LoadOptions{Dir: writeWorkspace(t, give)})
		if err != nil {
			t.Fatalf("%q: %v", give, err)
		}
		if c.Bib.Default != "bib/library.bib" {
			t.Errorf("%q: defaults lost: %+v", give, c.Bib)
		}
	}
}

func TestNormalizeHeading(t *testing.T) {
	t.Parallel()
	for give, want := range map[string]string{"Prior  Work": "priorwork", " 摘 要 ": "摘要", "Datasets and\tMetrics": "datasetsandmetrics"} {
		if got := NormalizeHeading(give); got != want {
			t.Errorf("NormalizeHeading(%q) = %q, want %q", give, got, want)
		}
	}
}

func TestEnvName(t *testing.T) {
	t.Parallel()
	if got := EnvName("notes.required_sections"); got != "PAPERNOTES_NOTES_REQUIRED_SECTIONS" {
		t.Errorf("EnvName = %q", got)
	}
}

func TestEditorCommand(t *testing.T) {
	t.Parallel()
	c := Default()
	if got := c.EditorCommand(nil); got != "vi" {
		t.Errorf("no env: %q", got)
	}
	if got := c.EditorCommand(env("EDITOR", "nano", "VISUAL", "code --wait")); got != "code --wait" {
		t.Errorf("VISUAL first: %q", got)
	}
	c.Editor = "emacs"
	if got := c.EditorCommand(env("EDITOR", "nano")); got != "emacs" {
		t.Errorf("config first: %q", got)
	}
}
