package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/config"
)

func TestNoteCommandFlags(t *testing.T) {
	usage := func(t *testing.T, err error, want string) {
		t.Helper()
		var fe *FlagError
		if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), want) {
			t.Fatalf("err = %v, want usage error containing %q", err, want)
		}
	}
	t.Run("new", func(t *testing.T) {
		got, err := runFlags(t, newCmdNew, "k --no-edit --tags a,b --lang en --status read --date 2025-11-17")
		if err != nil {
			t.Fatal(err)
		}
		if got.Key != "k" || !got.NoEdit || strings.Join(got.Tags, "|") != "a|b" || got.Lang != "en" || got.Status != "read" || got.Date != "2025-11-17" {
			t.Errorf("options = %+v", got)
		}
		_, err = runFlags(t, newCmdNew, "k --lang fr")
		usage(t, err, "--lang must be zh or en")
		_, err = runFlags(t, newCmdNew, "k --status done")
		usage(t, err, "--status must be")
		_, err = runFlags(t, newCmdNew, "")
		usage(t, err, "missing KEY")
	})
	t.Run("add", func(t *testing.T) {
		got, err := runFlags(t, newCmdAdd, "")
		if err != nil || got.File != "-" || got.Status != "read" {
			t.Fatalf("options = %+v, %v", got, err)
		}
		got, err = runFlags(t, newCmdAdd, "x.bib --status toread --force")
		if err != nil || got.File != "x.bib" || got.Status != "toread" || !got.Force {
			t.Fatalf("options = %+v, %v", got, err)
		}
		_, err = runFlags(t, newCmdAdd, "a b")
		usage(t, err, "accepts at most 1 arg")
		_, err = runFlags(t, newCmdAdd, "--date 17/11/2025")
		usage(t, err, "date")
	})
	t.Run("render", func(t *testing.T) {
		got, err := runFlags(t, newCmdRender, "k -o out.html")
		if err != nil || got.Format != "html" || got.Output != "out.html" {
			t.Fatalf("options = %+v, %v", got, err)
		}
		_, err = runFlags(t, newCmdRender, "k --format pdf")
		usage(t, err, "--format must be html, md or tex")
	})
	t.Run("import-report", func(t *testing.T) {
		got, err := runFlags(t, newCmdImportReport, "r.txt -n --tags meeting")
		if err != nil || got.File != "r.txt" || !got.DryRun || strings.Join(got.Tags, ",") != "meeting" {
			t.Fatalf("options = %+v, %v", got, err)
		}
	})
}

// TestNewRunEditor checks that the editor opens only when stdin and stdout
// are terminals and --no-edit is not given, and that new never overwrites.
func TestNewRunEditor(t *testing.T) {
	lib := bib.NewLibrary([]*bib.File{bib.Parse("lib.bib", []byte("@article{a2020,\n  title={A Title},\n  author={Li, Junnan},\n  year={2020}\n}\n"), nil)}, bib.LoadOptions{})
	for _, tc := range []struct {
		name          string
		inTTY, outTTY bool
		noEdit        bool
		wantEdit      bool
	}{
		{"terminal", true, true, false, true},
		{"no-edit", true, true, true, false},
		{"piped-out", true, false, false, false},
		{"piped-in", false, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Workspace = t.TempDir()
			ios, _, out, _ := Test()
			ios.InTTY, ios.OutTTY = tc.inTTY, tc.outTTY
			var edited []string
			opts := &newOptions{
				IO: ios, Config: func() (*config.Config, error) { return cfg, nil },
				Library:     func(...string) (*bib.Library, error) { return lib, nil },
				Notes:       func() (*noteSet, error) { return loadNoteSet(cfg) },
				Now:         func() time.Time { return time.Date(2025, 11, 17, 23, 0, 0, 0, time.UTC) },
				Getenv:      func(k string) string { return map[string]string{"EDITOR": "myed -w"}[k] },
				DisplayPath: func(p string) string { return p },
				Edit:        func(ed, p string) error { edited = append(edited, ed+" "+filepath.Base(p)); return nil },
				Key:         "a2020", NoEdit: tc.noEdit, Status: "toread",
			}
			if err := newRun(opts); err != nil {
				t.Fatal(err)
			}
			if got := len(edited) == 1; got != tc.wantEdit {
				t.Errorf("edited = %v, want edit %v", edited, tc.wantEdit)
			}
			if tc.wantEdit && edited[0] != "myed -w a2020.md" {
				t.Errorf("editor call = %q", edited[0])
			}
			path := filepath.Join(cfg.Workspace, "notes", "a2020.md")
			src, err := os.ReadFile(path)
			if err != nil || !strings.Contains(string(src), "added: 2025-11-17\n") || strings.TrimSpace(out.String()) != path {
				t.Fatalf("note %s: %v\n%s\nout %q", path, err, src, out)
			}
			if err := newRun(opts); err == nil || !strings.Contains(err.Error(), "already has a note") {
				t.Errorf("second new: %v, want already exists", err)
			}
		})
	}
}
