package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/notes"
)

type statusOptions struct {
	IO          *IOStreams
	Config      func() (*config.Config, error)
	Now         func() time.Time
	DisplayPath func(string) string
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error

	Key    string
	Status string
	// Date is --date, the read date; zero means keep the note's read date
	// when it is already read, else today.
	Date time.Time
}

func newCmdStatus(f *Factory, runF func(*statusOptions) error) *cobra.Command {
	opts := &statusOptions{IO: f.IOStreams, Config: f.Config, Now: f.Now, DisplayPath: f.displayPath, Lock: f.locked}
	var date string
	cmd := &cobra.Command{
		Use:   "status KEY toread|reading|read [--date DATE]",
		Short: "Set a note's status (read also sets the read date)",
		Long: `Set the status of KEY's note. read: is set exactly when the status is
read: "status KEY read" writes read: --date, or today (a note already read
keeps its date unless --date is given), so the paper reaches that week's
report; toread and reading remove read: (and read_order:). Only those front
matter lines change; the rest of the note is kept byte for byte.`,
		Example: `  papernotes status li2023blip read
  papernotes status li2023blip read --date 2025-11-17
  papernotes status li2022grounded toread`,
		Args: exactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Key, opts.Status = args[0], args[1]
			if !validStatus(opts.Status) {
				return flagErrorf("status must be toread, reading or read, not %q", opts.Status)
			}
			if date != "" {
				if opts.Status != "read" {
					return flagErrorf("--date is the read date; it goes with read, not %s", opts.Status)
				}
				d, err := f.dateFlag("date", date)
				if err != nil {
					return err
				}
				opts.Date = d
			}
			if runF != nil {
				return runF(opts)
			}
			return statusRun(opts)
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "the read date `DATE` (YYYY-MM-DD, yesterday, ...; with read; default today)")
	return cmd
}

// statusRun finds the note and rewrites its front matter, all under the
// workspace lock, so a concurrent writer's change to the note is kept.
func statusRun(opts *statusOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	var path string
	var read time.Time
	err = runLocked(opts.Lock, func() error {
		set, err := loadNoteSet(cfg)
		if err != nil {
			return err
		}
		n := findNote(cfg, set, opts.Key)
		if n == nil {
			if s := noteKeySuggestion(set, opts.Key); s != "" {
				return fmt.Errorf("no note for %q%s", opts.Key, s)
			}
			return fmt.Errorf("no note for %q (write one with papernotes new %s)", opts.Key, opts.Key)
		}
		path = n.Path
		read = opts.Date
		if opts.Status == "read" && read.IsZero() {
			read = day(opts.Now())
			if n.Meta.Status == "read" && !n.Meta.Read.IsZero() {
				read = n.Meta.Read
			}
		}
		return safefile.Update(path, 0o644, func(old []byte, exists bool) ([]byte, error) {
			if !exists {
				return nil, fmt.Errorf("%s: note vanished", opts.DisplayPath(path))
			}
			out, err := notes.SetStatus(old, opts.Status, read)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", opts.DisplayPath(path), err)
			}
			return out, nil
		})
	})
	if err != nil {
		return err
	}
	if opts.Status == "read" {
		fmt.Fprintf(opts.IO.ErrOut, "%s: status read, read %s\n", opts.DisplayPath(path), read.Format(time.DateOnly))
	} else {
		fmt.Fprintf(opts.IO.ErrOut, "%s: status %s\n", opts.DisplayPath(path), opts.Status)
	}
	return nil
}

// findNote returns KEY's note: the one at the key's own file name when
// several notes claim the key (as the report decides), else the first by
// path; nil when there is none.
func findNote(cfg *config.Config, set *noteSet, key string) *notes.Note {
	own := notePath(cfg, key)
	var first *notes.Note
	for _, n := range set.Notes {
		if n.Key != key {
			continue
		}
		if filepath.Clean(n.Path) == filepath.Clean(own) {
			return n
		}
		if first == nil {
			first = n
		}
	}
	return first
}
