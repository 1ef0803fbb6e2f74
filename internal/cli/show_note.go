package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/catalog"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/scaffold"
)

// noteSet is every note of the workspace with the problems found reading them.
type noteSet struct {
	Notes    []*notes.Note
	Problems notes.ErrorList
	// CitedBy maps a cited key to the keys of the notes citing it.
	CitedBy map[string][]string
}

// Notes parses every note of the workspace's notes folder once per run, on
// all cores. A missing folder is an empty set, not an error.
func (f *Factory) Notes() (*noteSet, error) {
	return memo(f, "notes", func() (*noteSet, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		return loadNoteSet(cfg)
	})
}

func loadNoteSet(cfg *config.Config) (*noteSet, error) {
	dir := cfg.Path(cfg.Notes.Dir)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return &noteSet{CitedBy: map[string][]string{}}, nil
	}
	ns, problems := notes.LoadDir(dir, noteOptions(cfg))
	return &noteSet{Notes: ns, Problems: problems, CitedBy: notes.CitedBy(ns)}, nil
}

// find returns the first note (by path) whose key is key.
func (s *noteSet) find(key string) *notes.Note {
	for _, n := range s.Notes {
		if n.Key == key {
			return n
		}
	}
	return nil
}

// noteOptions are the parse options the workspace configures.
func noteOptions(cfg *config.Config) notes.Options {
	return notes.Options{Aliases: cfg.Notes.Sections, Root: cfg.Workspace}
}

// notePath is where the note of key lives (or would live).
func notePath(cfg *config.Config, key string) string {
	return filepath.Join(cfg.Path(cfg.Notes.Dir), notes.FileName(key))
}

// showNote is the `show` extension that adds the paper's note: its
// sections, the citations going out and the notes citing it.
type showNote struct {
	notes   func() (*noteSet, error)
	config  func() (*config.Config, error)
	section string
}

var _ showExtension = (*showNote)(nil)

func newShowNote(f *Factory) *showNote { return &showNote{notes: f.Notes, config: f.Config} }

// noteJSON is the documented "note" object of `show --json`
// (catalog.Note, which the web view's /api/note/KEY sends too).
type noteJSON = catalog.Note

func (s *showNote) Flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&s.section, "section", "", "show only this section of the note (`ID`: abstract, problem, prior, method, data, results, relevance, or a free section's id)")
}

func (s *showNote) Extend(opts *showOptions, res *showResult) error {
	set, err := s.notes()
	if err != nil {
		return err
	}
	n := set.find(res.Key)
	if n == nil {
		if s.section != "" {
			return fmt.Errorf("%s has no note, so no section %q", res.Key, s.section)
		}
		return nil
	}
	lib, err := opts.Library(res.Key)
	if err != nil {
		return err
	}
	out := catalog.NewNote(n, lib, set.CitedBy[n.Key], opts.DisplayPath)
	if s.section != "" {
		var ids []string
		kept := []catalog.Section{}
		for _, sec := range out.Sections {
			ids = append(ids, sec.ID)
			if sec.ID == s.section {
				kept = append(kept, sec)
			}
		}
		if len(kept) == 0 {
			return fmt.Errorf("the note %s has no section %q (it has: %s)", out.Path, s.section, strings.Join(ids, ", "))
		}
		out.Sections = kept
	}
	res.Note = out
	return nil
}

func (s *showNote) WriteText(w io.Writer, opts *showOptions, res *showResult) error {
	cs := opts.IO.Colors()
	n, ok := res.Note.(noteJSON)
	if !ok {
		fmt.Fprintf(w, "\n%s none (papernotes new %s)\n", cs.Bold("note:"), res.Key)
		return nil
	}
	meta := []string{}
	if n.Meta.Status != "" {
		meta = append(meta, "status "+n.Meta.Status)
	}
	if n.Meta.Read != "" {
		meta = append(meta, "read "+n.Meta.Read)
	}
	if len(n.Meta.Tags) > 0 {
		meta = append(meta, "tags "+strings.Join(n.Meta.Tags, ", "))
	}
	fmt.Fprintf(w, "\n%s %s  %s\n", cs.Bold("note:"), n.Path, cs.Gray(strings.Join(meta, "  ")))
	for _, sec := range n.Sections {
		fmt.Fprintf(w, "\n%s %s\n", cs.Bold("## "+sec.Heading), cs.Gray(fmt.Sprintf("(%s, line %d)", sec.ID, sec.Line)))
		if sec.Markdown != "" {
			fmt.Fprintf(w, "\n%s\n", sec.Markdown)
		}
	}
	if s.section != "" {
		return nil
	}
	if len(n.Cites) > 0 {
		fmt.Fprintf(w, "\n%s\n", cs.Bold("cites:"))
		for _, c := range n.Cites {
			mark := ""
			if !c.Resolved {
				mark = " " + cs.Red("(not in library)")
			}
			fmt.Fprintf(w, "  %s  %s%s\n", c.Key, cs.Gray(fmt.Sprintf("%s:%d:%d", n.Path, c.Line, c.Col)), mark)
		}
	}
	if len(n.CitedBy) > 0 {
		fmt.Fprintf(w, "\n%s %s\n", cs.Bold("cited by:"), strings.Join(n.CitedBy, ", "))
	}
	return nil
}

// scaffoldEntry fills what notes needs to scaffold a note from a bib entry.
func scaffoldEntry(e *bib.Entry) notes.ScaffoldEntry { return scaffold.Entry(e) }
