package rekey

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const libraryBib = `@string{cvpr = {CVPR}}

@inproceedings{li2023blip,
  title     = {{BLIP-2}: Bootstrapping li2023blip},
  author    = {Li, Junnan},
  booktitle = cvpr,
  year      = 2023,
}

@inproceedings{child2023,
  title    = {A child},
  crossref = {li2023blip},
}

@article{other2020,
  title = "Other",
  xdata = { base, li2023blip },
}

@misc{notachild,
  note = {li2023blip is mentioned, not a crossref},
}
`

const noteMD = `---
key: li2023blip
status: read
tags: [vlm]
---
# BLIP-2

## 摘要
Compare [@li2023blip, p. 3] with ` + "`[@li2023blip]`" + ` and [@li2023blipx].
`

const otherMD = `---
key: other2020
---
# Other

See [[li2023blip]], [-@li2023blip; @child2023] and \citep{li2023blip}.
`

const mainTeX = `\documentclass{article}
\begin{document}
% \cite{li2023blip} in a comment stays
As shown by \citep[p.~3]{child2023, li2023blip} and \parencites{li2023blip}{other2020}.
\begin{verbatim}
\cite{li2023blip}
\end{verbatim}
😀 \cite{li2023blip}
\end{document}
`

const reportMD = `# 周报 2025-W47

- [@li2023blip] read
`

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func newWorkspace(t *testing.T) Workspace {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"bib/library.bib":     libraryBib,
		"notes/li2023blip.md": noteMD,
		"notes/other2020.md":  otherMD,
		"paper/main.tex":      mainTeX,
		"reports/2025-W47.md": reportMD,
		".hidden/skip.tex":    `\cite{li2023blip}`,
		"notes/.draft/x.md":   `[@li2023blip]`,
		"journal/2025-W47.md": "- read [@li2023blip]\n",
	})
	return Workspace{
		Root:         root,
		BibPaths:     []string{filepath.Join(root, "bib")},
		NotesDir:     filepath.Join(root, "notes"),
		MarkdownDirs: []string{filepath.Join(root, "reports"), filepath.Join(root, "journal")},
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPlanApply(t *testing.T) {
	t.Parallel()
	ws := newWorkspace(t)
	r, err := Plan(ws, "li2023blip", "li2023blip2")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Files {
		rel, _ := filepath.Rel(ws.Root, f.Path)
		for _, e := range f.Edits {
			got = append(got, rel+":"+itoa(e.Start.Line)+":"+itoa(e.Start.Column)+":"+itoa(e.Start.Character)+" "+string(e.Kind))
		}
	}
	want := []string{
		"bib/library.bib:3:16:15 entry key",
		"bib/library.bib:12:15:14 crossref",
		"bib/library.bib:17:19:18 xdata",
		"journal/2025-W47.md:1:10:9 citation",
		"notes/li2023blip.md:2:6:5 note key",
		"notes/li2023blip.md:9:11:10 citation",
		"notes/other2020.md:6:7:6 citation",
		"notes/other2020.md:6:24:23 citation",
		"notes/other2020.md:6:59:58 citation",
		"paper/main.tex:4:37:36 citation",
		"paper/main.tex:4:65:64 citation",
		"paper/main.tex:8:9:9 citation",
		"reports/2025-W47.md:3:5:4 citation",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("edits (-want +got):\n%s", diff)
	}
	wantRenames := []FileRename{{From: filepath.Join(ws.Root, "notes/li2023blip.md"), To: filepath.Join(ws.Root, "notes/li2023blip2.md")}}
	if diff := cmp.Diff(wantRenames, r.Renames); diff != "" {
		t.Errorf("renames (-want +got):\n%s", diff)
	}
	if err := Apply(r); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.NewReplacer("{li2023blip,", "{li2023blip2,", "{li2023blip}", "{li2023blip2}", " li2023blip }", " li2023blip2 }").Replace(libraryBib), read(t, filepath.Join(ws.Root, "bib/library.bib"))); diff != "" {
		t.Errorf("library.bib (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(ws.Root, "notes/li2023blip.md")); !os.IsNotExist(err) {
		t.Errorf("old note still there: %v", err)
	}
	wantNote := strings.Replace(strings.Replace(noteMD, "key: li2023blip", "key: li2023blip2", 1), "[@li2023blip, p. 3]", "[@li2023blip2, p. 3]", 1)
	if diff := cmp.Diff(wantNote, read(t, filepath.Join(ws.Root, "notes/li2023blip2.md"))); diff != "" {
		t.Errorf("note (-want +got):\n%s", diff)
	}
	wantOther := strings.ReplaceAll(otherMD, "li2023blip", "li2023blip2")
	if diff := cmp.Diff(wantOther, read(t, filepath.Join(ws.Root, "notes/other2020.md"))); diff != "" {
		t.Errorf("other note (-want +got):\n%s", diff)
	}
	wantTeX := strings.NewReplacer("child2023, li2023blip}", "child2023, li2023blip2}", "{li2023blip}{other", "{li2023blip2}{other", "😀 \\cite{li2023blip}", "😀 \\cite{li2023blip2}").Replace(mainTeX)
	if diff := cmp.Diff(wantTeX, read(t, filepath.Join(ws.Root, "paper/main.tex"))); diff != "" {
		t.Errorf("main.tex (-want +got):\n%s", diff)
	}
	if got := read(t, filepath.Join(ws.Root, ".hidden/skip.tex")); got != `\cite{li2023blip}` {
		t.Errorf("hidden folder changed: %s", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPlanRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new string
		files    map[string]string
		want     error
		wantMsg  string
	}{
		{name: "same", old: "li2023blip", new: "li2023blip", want: ErrSameKey},
		{name: "unknown", old: "nosuch", new: "x2020", want: ErrUnknownKey},
		{name: "unknown-case", old: "Li2023blip", new: "x2020", want: ErrUnknownKey, wantMsg: `did you mean "li2023blip"?`},
		{name: "taken", old: "li2023blip", new: "other2020", want: ErrTaken, wantMsg: "bib/library.bib:15:10: new key is taken"},
		{name: "taken-fold", old: "li2023blip", new: "Other2020", want: ErrTaken},
		{name: "unsafe-space", old: "li2023blip", new: "a b", want: ErrUnsafeKey},
		{name: "unsafe-brace", old: "li2023blip", new: "a}b", want: ErrUnsafeKey},
		{name: "unsafe-semicolon", old: "li2023blip", new: "a;b", want: ErrUnsafeKey, wantMsg: "a note could not cite it"},
		{name: "unsafe-empty", old: "li2023blip", new: "", want: ErrUnsafeKey},
		{name: "note-taken", old: "li2023blip", new: "fresh2024", files: map[string]string{"notes/x.md": "---\nkey: fresh2024\n---\n"}, want: ErrTaken, wantMsg: "notes/x.md:2:6"},
		{name: "note-file-taken", old: "li2023blip", new: "fresh2024", files: map[string]string{"notes/fresh2024.md": "# stray fresh\n"}, want: ErrTaken},
		{name: "conflict", old: "li2023blip", new: "fresh2024", files: map[string]string{"paper/intro.tex": "<<<<<<< HEAD\n\\cite{li2023blip}\n=======\n\\cite{other2020}\n>>>>>>> branch\n"}, want: ErrConflict, wantMsg: "paper/intro.tex:1:1: unresolved merge conflict marker"},
		{name: "duplicate", old: "li2023blip", new: "fresh2024", files: map[string]string{"bib/more.bib": "@misc{li2023blip, title={dup}}\n"}, want: ErrDuplicateKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ws := newWorkspace(t)
			writeFiles(t, ws.Root, tt.files)
			_, err := Plan(ws, tt.old, tt.new)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Plan: got %v, want %v", err, tt.want)
			}
			if tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Plan: %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestApplyRefusesChangedFile(t *testing.T) {
	t.Parallel()
	ws := newWorkspace(t)
	r, err := Plan(ws, "li2023blip", "fresh2024")
	if err != nil {
		t.Fatal(err)
	}
	tex := filepath.Join(ws.Root, "paper/main.tex")
	if err := os.WriteFile(tex, []byte(mainTeX+"% edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Apply(r); !errors.Is(err, ErrChanged) {
		t.Fatalf("Apply: got %v, want ErrChanged", err)
	}
	if got := read(t, filepath.Join(ws.Root, "bib/library.bib")); got != libraryBib {
		t.Error("library written although a file changed")
	}
	if _, err := os.Stat(filepath.Join(ws.Root, "notes/li2023blip.md")); err != nil {
		t.Errorf("note renamed although a file changed: %v", err)
	}
}

func TestPlanOverrides(t *testing.T) {
	t.Parallel()
	ws := newWorkspace(t)
	unsaved := filepath.Join(ws.Root, "paper/unsaved.tex")
	ws.Overrides = map[string][]byte{
		unsaved:                                  []byte(`\cite{li2023blip}`),
		filepath.Join(ws.Root, "paper/main.tex"): []byte("no citations now\n"),
	}
	r, err := Plan(ws, "li2023blip", "fresh2024")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range r.Files {
		rel, _ := filepath.Rel(ws.Root, f.Path)
		paths = append(paths, rel)
	}
	want := []string{"bib/library.bib", "journal/2025-W47.md", "notes/li2023blip.md", "notes/other2020.md", "paper/unsaved.tex", "reports/2025-W47.md"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestYAMLKey(t *testing.T) {
	t.Parallel()
	ws := newWorkspace(t)
	for _, tc := range []struct{ new, want string }{
		{"DBLP:conf/cvpr/Li23", "key: DBLP:conf/cvpr/Li23\n"},
		{"2023li", "key: \"2023li\"\n"},
		{"yes", "key: \"yes\"\n"},
		{"李2023", "key: 李2023\n"},
	} {
		r, err := Plan(ws, "li2023blip", tc.new)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Files {
			if strings.HasSuffix(f.Path, "li2023blip.md") {
				if got := string(f.Rewrite(f.Original)); !strings.Contains(got, tc.want) {
					t.Errorf("%s: front matter %q lacks %q", tc.new, got[:40], tc.want)
				}
			}
		}
	}
}

func TestConflictMarkers(t *testing.T) {
	t.Parallel()
	src := "<<<<<<< HEAD\na\n=======\nb\r\n||||||| base\r\n>>>>>>>\n<<<<<<<<not\n x <<<<<<< y\n>>>>>>> theirs"
	var got []string
	for _, err := range conflictMarkers("f.tex", []byte(src)) {
		got = append(got, err.Error())
	}
	want := []string{
		"f.tex:1:1: " + ErrConflict.Error(),
		"f.tex:5:1: " + ErrConflict.Error(),
		"f.tex:6:1: " + ErrConflict.Error(),
		"f.tex:9:1: " + ErrConflict.Error(),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestApplySymlinkedNote(t *testing.T) {
	t.Parallel()
	ws := newWorkspace(t)
	note := filepath.Join(ws.Root, "notes/li2023blip.md")
	store := filepath.Join(ws.Root, "store/blip.md")
	writeFiles(t, ws.Root, map[string]string{"store/blip.md": noteMD})
	if err := os.Remove(note); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../store/blip.md", note); err != nil {
		t.Fatal(err)
	}
	r, err := Plan(ws, "li2023blip", "fresh2024")
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(r); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(filepath.Join(ws.Root, "notes/fresh2024.md"))
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("renamed note is not a link: %v %v", fi, err)
	}
	if got := read(t, store); !strings.Contains(got, "key: fresh2024") {
		t.Errorf("link target not updated:\n%s", got)
	}
	if _, err := os.Lstat(note); !os.IsNotExist(err) {
		t.Errorf("old link still there: %v", err)
	}
}

func TestPlanLinkedTwice(t *testing.T) {
	t.Parallel()
	ws := newWorkspace(t)
	// The journal file is also reachable as a report, through a link.
	if err := os.Symlink("../journal/2025-W47.md", filepath.Join(ws.Root, "reports/journal.md")); err != nil {
		t.Fatal(err)
	}
	r, err := Plan(ws, "li2023blip", "fresh2024")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range r.Files {
		if strings.HasSuffix(f.Path, "2025-W47.md") && strings.Contains(f.Path, "journal") || strings.HasSuffix(f.Path, "journal.md") {
			n++
			if len(f.Edits) != 1 {
				t.Errorf("%s: %d edits, want 1", f.Path, len(f.Edits))
			}
		}
	}
	if n != 1 {
		t.Errorf("the linked file is planned %d times, want once", n)
	}
	if err := Apply(r); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(ws.Root, "journal/2025-W47.md")); got != "- read [@fresh2024]\n" {
		t.Errorf("journal = %q", got)
	}
}

func TestPlanBOMAndCRLF(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	bibText := "\ufeff@misc{old2020,\r\n  title = {T},\r\n}\r\n@misc{kid,\r\n  crossref = \"old2020\",\r\n}\r\n"
	writeFiles(t, root, map[string]string{"bib/a.bib": bibText, "notes/old2020.md": "---\r\nkey: 'old2020'\r\n---\r\n[@old2020]\r\n"})
	ws := Workspace{Root: root, BibPaths: []string{filepath.Join(root, "bib")}, NotesDir: filepath.Join(root, "notes")}
	r, err := Plan(ws, "old2020", "new2021")
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(r); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, filepath.Join(root, "bib/a.bib")), strings.ReplaceAll(bibText, "old2020", "new2021"); got != want {
		t.Errorf("bib = %q, want %q", got, want)
	}
	if got, want := read(t, filepath.Join(root, "notes/new2021.md")), "---\r\nkey: 'new2021'\r\n---\r\n[@new2021]\r\n"; got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
}
