package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/fetch"
	"github.com/papernotes/papernotes/ingest"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/notes"
)

type addOptions struct {
	IO     *IOStreams
	Config func() (*config.Config, error)
	// Load loads the library at paths, keeping of a large one only what
	// keep keeps (Factory.loadKeeping).
	Load        func(paths []string, keep func(*bib.Entry) bool) (*bib.Library, error)
	Now         func() time.Time
	DisplayPath func(string) string
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error

	// Files are the BibTeX files to read ("-" is stdin); File names them
	// in messages.
	Files  []string
	File   string
	IDFile string // --ids
	idOptions
	DryRun bool
	Ctx    context.Context
	Tags   []string
	Status string
	// Date replaces today (--date), for notes of papers read on another day.
	Date  string
	Force bool
}

func newCmdAdd(f *Factory, runF func(*addOptions) error) *cobra.Command {
	opts := &addOptions{IO: f.IOStreams, Config: f.Config, Load: f.loadKeeping, Now: f.Now, DisplayPath: f.displayPath, Lock: f.locked}
	cmd := &cobra.Command{
		Use:   "add [FILE|-|ID...]",
		Short: "Import pasted BibTeX, or papers by DOI, arXiv id or ISBN, and scaffold a note for each, read today",
		Long: `The daily path: read one or more BibTeX entries (or RIS records, or CSL-JSON
items) from FILE (or stdin), append
the new ones to bib.default by the rules of import (same entries skipped,
suspected duplicates held back unless --force, unsafe or empty keys replaced),
then scaffold a note for each entry: status read and read: today (or
--date), so the papers reach this week's report. With --status toread or
reading there is no read: line (set it later with papernotes status KEY
read). Existing notes are kept.

An argument that is not an existing file is an identifier: doi:10.…, a bare
10.…/… DOI, https://doi.org/…, arXiv:2301.12597, 2301.12597v2,
hep-th/9901001, https://arxiv.org/abs/…, isbn:978… (--ids FILE reads one a
line, # starts a comment). Their metadata comes from Crossref, DataCite, the
arXiv API and Open Library (the fetch.* config keys), is written as BibTeX
with a key from bib.key_pattern, and then follows the same rules. It is all
or nothing: when one identifier fails (no record, a malformed answer, no
network) nothing is written for any. --offline never uses the network;
--dry-run prints the entries and writes nothing.`,
		Example: `  pbpaste | papernotes add --tags vlm
  papernotes add glip.bib --status read
  papernotes add doi:10.1145/3292500.3330701 arXiv:2301.12597
  papernotes add --ids reading-list.txt --status toread`,
		RunE: func(cmd *cobra.Command, args []string) error {
			files, ids := splitArgs(args)
			if opts.IDFile != "" {
				more, err := readIDFile(opts.IDFile)
				if err != nil {
					return err
				}
				ids = append(ids, more...)
			}
			if len(files) > 1 {
				return flagErrorf("accepts at most 1 arg that is a FILE or -, received %d (identifiers may be several; import reads several files)", len(files))
			}
			if len(files) == 0 && len(ids) == 0 {
				files = []string{"-"}
			}
			opts.Files, opts.IDs, opts.Ctx = files, ids, cmd.Context()
			opts.File = strings.Join(append(append([]string{}, files...), idStrings(ids)...), ", ")
			if err := checkNoteFlags(opts.Date, opts.Status); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return addRun(opts)
		},
	}
	cmd.Flags().StringSliceVar(&opts.Tags, "tags", nil, "tags for the notes' front matter, comma-separated")
	cmd.Flags().StringVar(&opts.Date, "date", "", "record `DATE` (YYYY-MM-DD, yesterday, ...) instead of today")
	cmd.Flags().StringVar(&opts.Status, "status", "read", "status of the new notes: toread, reading or read (only read writes read:)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "add suspected duplicates too")
	cmd.Flags().StringVar(&opts.IDFile, "ids", "", "read identifiers from `FILE`, one a line (# comments)")
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "never use the network (identifiers are then an error)")
	cmd.Flags().BoolVar(&opts.Published, "published", false, "for an arXiv id whose record lists a journal DOI, take the DOI's metadata")
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "print the entries that would be added and write nothing")
	return cmd
}

func addRun(opts *addOptions) error {
	if len(opts.Files) == 1 && opts.Files[0] == "-" && opts.IO.InTTY {
		fmt.Fprintln(opts.IO.ErrOut, "paste BibTeX, RIS or CSL-JSON, then Ctrl-D")
	}
	in, err := readIngestInput(ctxOr(opts.Ctx), opts.IO, opts.Files, opts.Config, &opts.idOptions)
	if err != nil {
		return err
	}
	if opts.DryRun {
		return addEntries(opts, in)
	}
	// The library is read, and the entries and their notes written, under
	// one lock: the plan is made against the library as it is under it.
	return runLocked(opts.Lock, func() error { return addEntries(opts, in) })
}

func addEntries(opts *addOptions, in ingestInput) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	// Of a large library, the first read keeps no entry, only the macros
	// and keys that parsing the input needs; the second keeps the
	// entries the plan reads (ingest.Needs).
	lib, err := opts.Load(cfg.BibPaths(), func(*bib.Entry) bool { return false })
	if err != nil {
		return err
	}
	warnUnread(opts.IO.ErrOut, lib, cfg.BibPaths(), opts.DisplayPath, cfg.Path(cfg.Bib.Default))
	incoming, strs, _, nerr := in.parse(opts.IO, lib, cfg.Bib.KeyPattern)
	if len(incoming) == 0 {
		return fmt.Errorf("no BibTeX entry in %s", opts.File)
	}
	if lib.Partial() {
		if lib, err = opts.Load(cfg.BibPaths(), ingest.Needs(incoming)); err != nil {
			return err
		}
	}
	plan := ingest.NewPlan(lib, incoming, ingest.Options{Pattern: cfg.Bib.KeyPattern, Force: opts.Force, Strings: strs})
	target := cfg.Path(cfg.Bib.Default)
	if opts.DryRun {
		return addDryRun(opts, plan, nerr)
	}
	if err := plan.Apply(target); err != nil {
		return err
	}
	today := day(opts.Now())
	if opts.Date != "" {
		if today, err = parseDateAt("date", opts.Date, opts.Now(), meetingOf(cfg)); err != nil {
			return err
		}
	}
	out := opts.IO.Out
	for _, it := range plan.Items {
		var e *bib.Entry
		verb := "added"
		switch {
		case it.Added:
			c := *it.Entry
			c.Key = it.Key
			e = &c
		case it.Action == ingest.SkipSame:
			e, verb = it.Existing, "known"
		default:
			fmt.Fprintf(out, "%-8s %s: %s\n", "held", it.Entry.Key, it.Action)
			nerr++
			continue
		}
		src := notes.Scaffold(scaffoldEntry(e), cfg.Language, notes.ScaffoldOptions{
			Tags: opts.Tags, Status: opts.Status, Read: readDate(opts.Status, today), Added: today,
			Headings: reportHeadings(cfg.Notes.Sections, cfg.Language),
		})
		path, err := createNote(cfg, e.Key, src)
		switch {
		case errors.Is(err, safefile.ErrExists):
			fmt.Fprintf(out, "%-8s %s  note kept: %s\n", verb, e.Key, opts.DisplayPath(path))
		case err != nil:
			return err
		default:
			fmt.Fprintf(out, "%-8s %s  note: %s\n", verb, e.Key, opts.DisplayPath(path))
		}
	}
	if nerr > 0 {
		return ErrSilent
	}
	return nil
}

// addDryRun prints the entries the plan would add (as BibTeX), and a line
// for each one it would not, and writes nothing.
func addDryRun(opts *addOptions, plan *ingest.Plan, nerr int) error {
	out := opts.IO.Out
	for _, it := range plan.Items {
		switch {
		case it.Added:
			fmt.Fprintln(out, strings.TrimRight(it.Raw, " \t\r\n"))
			fmt.Fprintln(out)
		case it.Action == ingest.SkipSame:
			fmt.Fprintf(opts.IO.ErrOut, "%-8s %s\n", "known", it.Existing.Key)
		default:
			fmt.Fprintf(opts.IO.ErrOut, "%-8s %s: %s\n", "held", it.Entry.Key, it.Action)
			nerr++
		}
	}
	fmt.Fprintln(opts.IO.ErrOut, "dry run: nothing was written")
	if nerr > 0 {
		return ErrSilent
	}
	return nil
}

// idStrings returns the identifiers as the user may type them.
func idStrings(ids []fetch.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}
