package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/convert"
	"github.com/papernotes/papernotes/fetch"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/refresh"
)

type updateOptions struct {
	IO     *IOStreams
	Config func() (*config.Config, error)
	// Load loads the library at paths, keeping of a large one only what
	// keep keeps (Factory.loadKeeping).
	Load        func(paths []string, keep func(*bib.Entry) bool) (*bib.Library, error)
	DisplayPath func(string) string
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock  func(func() error) error
	Fetch func(*config.Config) *fetch.Client
	Ctx   context.Context

	Key     string
	From    string
	Fields  []string
	DryRun  bool
	Offline bool
}

func newCmdUpdate(f *Factory, runF func(*updateOptions) error) *cobra.Command {
	opts := &updateOptions{IO: f.IOStreams, Config: f.Config, Load: f.loadKeeping, DisplayPath: f.displayPath, Lock: f.locked}
	cmd := &cobra.Command{
		Use:   "update KEY",
		Short: "Refresh an entry from its DOI or arXiv id, keeping its key",
		Long: `Fetch the metadata of the entry KEY again, from its doi field, else its
eprint (arXiv) field, or from --from ID (doi:…, arXiv:…, isbn:…), show the
changes field by field (old → new), and rewrite only that entry's bytes in
its file: the rest of the file stays byte for byte, and the key never
changes. An arXiv id whose record lists the published version's DOI takes
that version's metadata (keeping eprint and archiveprefix), so a preprint
becomes the conference or journal paper it turned into.

Local fields (file, keywords, annote, notes, groups, comment, ...) are
kept; fields the fetched record lacks are kept too, except the old venue
fields (howpublished, journal, volume, pages, ...) when the type changes.
--fields f1,f2 limits the change to those fields ("type" for the entry
type). --dry-run shows the changes and writes nothing.`,
		Example: `  papernotes update li2023blip
  papernotes update li2023blip --from doi:10.5555/3618408.3619222 --dry-run
  papernotes update li2023blip --fields doi,pages,booktitle`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key, opts.Ctx = args[0], cmd.Context()
			if opts.From != "" {
				if _, err := fetch.ParseID(opts.From); err != nil {
					return flagErrorf("--from %v", err)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return updateRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "fetch from `ID` instead of the entry's doi or eprint")
	cmd.Flags().StringSliceVar(&opts.Fields, "fields", nil, "change only these `FIELDS` (comma-separated; type for the entry type)")
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "show the changes and write nothing")
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "never use the network (update then fails at once)")
	return cmd
}

// entryID returns the identifier to refresh e from: from when given,
// else its DOI (arXiv's own DOIs as arXiv ids, so that a published
// version is found), else its arXiv id.
func entryID(e *bib.Entry, from string) (fetch.ID, error) {
	if from != "" {
		return fetch.ParseID(from)
	}
	if d := e.DOI(); d != "" {
		if ax := fetch.ArXivOfDOI(d); ax != "" {
			return fetch.ParseID("arXiv:" + ax)
		}
		return fetch.ParseID("doi:" + d)
	}
	if a := e.ArXiv(); a != "" {
		return fetch.ParseID("arXiv:" + a)
	}
	return fetch.ID{}, fmt.Errorf("%s has no doi or eprint field to update from; give --from ID", e.Key)
}

func updateRun(opts *updateOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	// Of a large library, only the entry is kept.
	keep := func(e *bib.Entry) bool { return strings.EqualFold(e.Key, opts.Key) }
	lib, err := opts.Load(cfg.BibPaths(), keep)
	if err != nil {
		return err
	}
	e, ok := lib.Lookup(opts.Key)
	if !ok {
		return unknownKeyError(lib, opts.Key, "import it first: papernotes add")
	}
	id, err := entryID(e, opts.From)
	if err != nil {
		return err
	}
	// Fetch before taking the lock: the network may be slow.
	recs, err := fetchRecords(ctxOr(opts.Ctx), opts.IO, cfg, &idOptions{IDs: []fetch.ID{id}, Offline: opts.Offline, Published: true, Fetch: opts.Fetch})
	if err != nil {
		return err
	}
	if opts.DryRun {
		_, err := planUpdate(opts, e, id, recs[0])
		return err
	}
	return runLocked(opts.Lock, func() error {
		// Re-read under the lock: the entry is rewritten from the file as it is now.
		lib, err := opts.Load(cfg.BibPaths(), keep)
		if err != nil {
			return err
		}
		e, ok := lib.Lookup(opts.Key)
		if !ok {
			return unknownKeyError(lib, opts.Key, "it was removed meanwhile")
		}
		res, err := planUpdate(opts, e, id, recs[0])
		if err != nil || len(res.Changes) == 0 {
			return err
		}
		err = safefile.Update(e.Pos.Filename, 0o644, func(old []byte, _ bool) ([]byte, error) {
			return refresh.Splice(old, e, res.Raw)
		})
		if err != nil {
			return fmt.Errorf("update %s: %w", opts.DisplayPath(e.Pos.Filename), err)
		}
		fmt.Fprintf(opts.IO.ErrOut, "updated %s in %s\n", opts.Key, opts.DisplayPath(e.Pos.Filename))
		return nil
	})
}

// planUpdate plans the update of e from rec and prints its changes to Out.
func planUpdate(opts *updateOptions, e *bib.Entry, id fetch.ID, rec convert.Record) (*refresh.Result, error) {
	source := rec.Source
	res, err := refresh.Plan(e, rec, refresh.Options{Fields: opts.Fields})
	if err != nil {
		return nil, fmt.Errorf("update %s from %s: %w", opts.Key, id, err)
	}
	out := opts.IO.Out
	if len(res.Changes) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "%s is up to date with %s\n", opts.Key, source)
		return res, nil
	}
	fmt.Fprintf(out, "%s ← %s\n", opts.Key, source)
	w := 0
	for _, c := range res.Changes {
		w = max(w, len(c.Field))
	}
	show := func(s string) string {
		if s == "" {
			return "(none)"
		}
		return strings.Join(strings.Fields(s), " ")
	}
	for _, c := range res.Changes {
		fmt.Fprintf(out, "  %-*s  %s → %s\n", w, c.Field, show(c.Old), show(c.New))
	}
	if opts.DryRun {
		fmt.Fprintln(opts.IO.ErrOut, "dry run: nothing was written")
	}
	return res, nil
}
