package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/notes"
)

type openOptions struct {
	IO          *IOStreams
	Config      func() (*config.Config, error)
	Library     func(keys ...string) (*bib.Library, error)
	Now         func() time.Time
	Getenv      func(string) string
	DisplayPath func(string) string
	// Edit opens path in the editor; tests replace it.
	Edit func(editor, path string) error
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error

	Key string
}

func newCmdOpen(f *Factory, runF func(*openOptions) error) *cobra.Command {
	opts := &openOptions{IO: f.IOStreams, Config: f.Config, Library: f.LibraryFor, Now: f.Now, Getenv: f.Getenv, DisplayPath: f.displayPath, Edit: runEditor, Lock: f.locked}
	cmd := &cobra.Command{
		Use:   "open KEY",
		Short: "Edit KEY's note in $VISUAL or $EDITOR, writing it first if needed",
		Long: `Open the note of KEY in the editor ($VISUAL, then $EDITOR, then vi). When
there is no note yet, one is scaffolded first as papernotes new does (status
toread, added today); the key must then be in the library. The path is
printed on standard output. The workspace is not locked while the editor
runs, so other commands can write meanwhile.`,
		Example: `  papernotes open li2023blip
  EDITOR="code -w" papernotes open li2022grounded`,
		Args: exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Key = args[0]
			if runF != nil {
				return runF(opts)
			}
			return openRun(opts)
		},
	}
	return cmd
}

func openRun(opts *openOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	var path string
	created := false
	// Finding the note and creating it happen under the lock; the editor
	// runs after it is released.
	err = runLocked(opts.Lock, func() error {
		set, err := loadNoteSet(cfg)
		if err != nil {
			return err
		}
		if n := findNote(cfg, set, opts.Key); n != nil {
			path = n.Path
			return nil
		}
		lib, err := opts.Library(opts.Key)
		if err != nil {
			return err
		}
		e, ok := lib.Lookup(opts.Key)
		if !ok {
			if s := keySuggestion(lib, opts.Key); s != "" {
				return fmt.Errorf("no note and no entry with key %q%s", opts.Key, s)
			}
			return fmt.Errorf("no note and no entry with key %q (import it first: papernotes add)", opts.Key)
		}
		src := notes.Scaffold(scaffoldEntry(e), cfg.Language, notes.ScaffoldOptions{
			Status: "toread", Added: day(opts.Now()),
			Headings: reportHeadings(cfg.Notes.Sections, cfg.Language),
		})
		path, err = createNote(cfg, e.Key, src)
		created = err == nil
		return err
	})
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(opts.IO.ErrOut, "wrote %s\n", textSafe(opts.DisplayPath(path)))
	}
	fmt.Fprintln(opts.IO.Out, textSafe(opts.DisplayPath(path)))
	return opts.Edit(editorCommand(cfg, opts.Getenv), path)
}
