package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/notes"
)

type newOptions struct {
	IO          *IOStreams
	Config      func() (*config.Config, error)
	Library     func(keys ...string) (*bib.Library, error)
	Notes       func() (*noteSet, error)
	Now         func() time.Time
	Getenv      func(string) string
	DisplayPath func(string) string
	// Edit opens path in the editor; tests replace it.
	Edit func(editor, path string) error
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error

	Key    string
	NoEdit bool
	Tags   []string
	Lang   string
	Status string
	// Date replaces today (--date), for notes of papers read on another day.
	Date string
}

func newCmdNew(f *Factory, runF func(*newOptions) error) *cobra.Command {
	opts := &newOptions{IO: f.IOStreams, Config: f.Config, Library: f.LibraryFor, Notes: f.Notes, Now: f.Now, Getenv: f.Getenv, DisplayPath: f.displayPath, Edit: runEditor, Lock: f.locked}
	cmd := &cobra.Command{
		Use:   "new KEY",
		Short: "Scaffold a reading note for a library entry and open it in the editor",
		Long: `Write notes/<safe-key>.md for the entry KEY: front matter, the title,
authors, venue and year, the abstract from the bib entry, and the other
canonical sections empty with a one-line prompt, in the workspace language.
read: is written exactly when --status is read, as --date or today; a
paper reaches the weekly report of its read: date. An existing note is
never overwritten. The editor ($VISUAL, $EDITOR or the
config's editor) opens only when stdin and stdout are a terminal.`,
		Example: `  papernotes new li2023blip
  papernotes new li2022grounded --no-edit --tags detection,vlm --lang en`,
		Args: exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Key = args[0]
			if opts.Lang != "" && opts.Lang != "zh" && opts.Lang != "en" {
				return flagErrorf("--lang must be zh or en, not %q", opts.Lang)
			}
			if err := checkNoteFlags(opts.Date, opts.Status); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return newRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.NoEdit, "no-edit", false, "do not open the editor")
	cmd.Flags().StringSliceVar(&opts.Tags, "tags", nil, "tags for the front matter, comma-separated")
	cmd.Flags().StringVar(&opts.Lang, "lang", "", "language of the headings and prompts: zh or en (default: the workspace language)")
	cmd.Flags().StringVar(&opts.Date, "date", "", "record `DATE` (YYYY-MM-DD, yesterday, ...) instead of today")
	cmd.Flags().StringVar(&opts.Status, "status", "toread", "status: toread, reading or read (read also writes read:)")
	return cmd
}

func validStatus(s string) bool { return s == "toread" || s == "reading" || s == "read" }

// checkNoteFlags validates the --date and --status flags that new and add
// share, as usage errors.
func checkNoteFlags(date, status string) error {
	if date != "" {
		if err := checkDateFlag("date", date); err != nil {
			return err
		}
	}
	if !validStatus(status) {
		return flagErrorf("--status must be toread, reading or read, not %q", status)
	}
	return nil
}

func newRun(opts *newOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	lib, err := opts.Library(opts.Key)
	if err != nil {
		return err
	}
	e, ok := lib.Lookup(opts.Key)
	if !ok {
		return unknownKeyError(lib, opts.Key, "import it first: papernotes add")
	}
	lang := opts.Lang
	if lang == "" {
		lang = cfg.Language
	}
	today := day(opts.Now())
	if opts.Date != "" {
		if today, err = parseDateAt("date", opts.Date, opts.Now(), meetingOf(cfg)); err != nil {
			return err
		}
	}
	src := notes.Scaffold(scaffoldEntry(e), lang, notes.ScaffoldOptions{
		Tags: opts.Tags, Status: opts.Status, Read: readDate(opts.Status, today), Added: today,
		Headings: reportHeadings(cfg.Notes.Sections, lang),
	})
	// The check for a note under another name and the creation happen
	// under the lock, so two `new` (or `new` and `add`) never both write a
	// note for one key. The editor runs after the lock is released.
	var path string
	err = runLocked(opts.Lock, func() error {
		// A note may have been renamed: look for the key, not only the file name.
		if set, err := opts.Notes(); err == nil {
			if n := set.find(e.Key); n != nil {
				return fmt.Errorf("%s already has a note, %s; not overwritten", e.Key, opts.DisplayPath(n.Path))
			}
		}
		var err error
		path, err = createNote(cfg, e.Key, src)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.Out, textSafe(opts.DisplayPath(path)))
	if opts.NoEdit || !opts.IO.InTTY || !opts.IO.OutTTY {
		return nil
	}
	return opts.Edit(editorCommand(cfg, opts.Getenv), path)
}

// readDate is the rule for `read:`: it is set exactly when the status is
// read, to the day given (--date, else today); otherwise it is left out.
func readDate(status string, day time.Time) time.Time {
	if status == "read" {
		return day
	}
	return time.Time{}
}

// day is t's calendar date at midnight UTC, the form notes keep dates in.
func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// createNote writes a new note for key and returns its path. It never
// overwrites: an existing note is an error wrapping safefile.ErrExists.
func createNote(cfg *config.Config, key string, src []byte) (string, error) {
	dir := cfg.Path(cfg.Notes.Dir)
	path, err := safefile.Within(dir, notes.FileName(key))
	if err != nil {
		return "", err
	}
	if err := safefile.CreateNew(path, src, 0o644); err != nil {
		if errors.Is(err, safefile.ErrExists) {
			return path, fmt.Errorf("note %s already exists; not overwritten: %w", path, safefile.ErrExists)
		}
		return "", err
	}
	return path, nil
}

// editorCommand picks the editor: the user-level config's (never the
// workspace's: see config.WorkspaceOnlyForbidden), then $VISUAL, $EDITOR, vi.
func editorCommand(cfg *config.Config, getenv func(string) string) string {
	return cfg.EditorCommand(getenv)
}

// runEditor runs editor (which may carry arguments, as in "code -w") on
// path through the shell, attached to the terminal.
func runEditor(editor, path string) error {
	cmd := exec.Command("sh", "-c", editor+` "$1"`, "sh", path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("run editor %q: %w", editor, err)
	}
	return nil
}
