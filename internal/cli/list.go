package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/catalog"
	"github.com/papernotes/papernotes/notes"
)

type listOptions struct {
	IO          *IOStreams
	Library     func() (*bib.Library, error)
	NoteMetas   func() (*noteMetas, error)
	DisplayPath func(string) string

	// Filter selects the entries (catalog.Filter: year range, author,
	// type, text, tags, status, has-note).
	catalog.Filter
	Sort string
	JSON bool
}

// listItem is one element of `list --json`, the documented contract
// (catalog.Item, shared with the web view's /api/entries).
type listItem = catalog.Item

var listSorts = catalog.Sorts

func newCmdList(f *Factory, runF func(*listOptions) error) *cobra.Command {
	opts := &listOptions{IO: f.IOStreams, Library: f.Library, NoteMetas: f.NoteMetas, DisplayPath: f.displayPath}
	var year string
	var hasNote, noNote bool
	cmd := &cobra.Command{
		Use:   "list [TEXT]",
		Short: "List library entries, filtered and sorted",
		Long: `List the library's entries. TEXT matches the key, title and authors,
ignoring case and accents; the flags filter further. The STATUS column is
the note's status (toread, reading, read), "note" for a note without one,
and "-" for an entry without a note.`,
		Example: `  papernotes list --year 2022..2023 --author li
  papernotes list --type article --sort year grounding
  papernotes list --tag detection --status toread
  papernotes list --no-note --year 2024..
  papernotes list --json | jq -r '.[].key'`,
		Args: maxArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Text = args[0]
			}
			var err error
			if opts.YearFrom, opts.YearTo, err = parseYearRange(year); err != nil {
				return &FlagError{Err: fmt.Errorf("--year: %w", err)}
			}
			if !contains(listSorts, opts.Sort) {
				return flagErrorf("--sort must be one of %s, not %q", strings.Join(listSorts, ", "), opts.Sort)
			}
			opts.Type = strings.ToLower(opts.Type)
			for _, t := range opts.Tags {
				if strings.TrimSpace(t) == "" { // a repeatable flag: not in rejectEmptyValues
					return flagErrorf("--tag is empty: give a value or leave the flag out")
				}
			}
			if opts.Status != "" && !contains(notes.Statuses, opts.Status) {
				return flagErrorf("--status must be one of %s, not %q", strings.Join(notes.Statuses, ", "), opts.Status)
			}
			switch {
			case hasNote && noNote:
				return flagErrorf("--has-note and --no-note exclude each other")
			case hasNote:
				opts.HasNote = &hasNote
			case noNote:
				opts.HasNote = &hasNote // false
			}
			if noNote && (opts.Status != "" || len(opts.Tags) > 0) {
				return flagErrorf("--no-note cannot go with --status or --tag, which look at the note")
			}
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	cmd.Flags().StringVar(&year, "year", "", "only years `Y`, A..B, A.. or ..B")
	cmd.Flags().StringVar(&opts.Author, "author", "", "only entries with an author or editor matching `NAME`")
	cmd.Flags().StringVar(&opts.Type, "type", "", "only entries of `TYPE` (article, inproceedings, ...)")
	cmd.Flags().StringVar(&opts.Sort, "sort", "key", "sort by `FIELD`: key, year, title or author")
	cmd.Flags().StringArrayVar(&opts.Tags, "tag", nil, "only entries whose note has tag `T` (repeat: every tag)")
	cmd.Flags().StringVar(&opts.Status, "status", "", "only entries whose note has status `S`: toread, reading or read")
	cmd.Flags().BoolVar(&hasNote, "has-note", false, "only entries that have a note")
	cmd.Flags().BoolVar(&noNote, "no-note", false, "only entries without a note")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: [{key,type,title,authors,year,file,line,note,status,tags}]")
	return cmd
}

// parseYearRange parses "2022", "2020..2023", "2020.." and "..2023".
func parseYearRange(s string) (from, to int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, isRange := strings.Cut(s, "..")
	if !isRange {
		b = a
	}
	num := func(x string) (int, error) {
		if x == "" && isRange {
			return 0, nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a year or a range A..B", s)
		}
		return n, nil
	}
	if from, err = num(a); err != nil {
		return 0, 0, err
	}
	if to, err = num(b); err != nil {
		return 0, 0, err
	}
	if from == 0 && to == 0 {
		return 0, 0, fmt.Errorf("%q is not a year or a range A..B", s)
	}
	if to != 0 && from > to {
		return 0, 0, fmt.Errorf("%q is an empty range", s)
	}
	return from, to, nil
}

func listRun(opts *listOptions) error {
	lib, err := opts.Library()
	if err != nil {
		return err
	}
	metas := &noteMetas{}
	if opts.NoteMetas != nil { // nil: no notes (unit tests)
		if metas, err = opts.NoteMetas(); err != nil {
			return err
		}
	}
	for _, p := range metas.Skipped {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s: %v\n", textSafe(opts.DisplayPath(p.Pos.Filename)), p.Err)
	}
	c := catalog.New(lib, metas.ByKey, opts.DisplayPath)
	idx := c.Filter(opts.Filter)
	c.Sort(idx, opts.Sort)
	items := c.Items(idx)
	if opts.JSON {
		return writeJSON(opts.IO.Out, items)
	}
	cs := opts.IO.Colors()
	var t table
	for _, it := range items {
		year := ""
		if it.Year != 0 {
			year = strconv.Itoa(it.Year)
		}
		status := it.Status
		switch {
		case it.Note == "":
			status = "-"
		case status == "":
			status = "note"
		}
		t.add(it.Key, status, year, shortAuthors(it.Authors), it.Title)
		t.style(0, cs.Cyan)
		if it.Note == "" {
			t.style(1, cs.Gray)
		}
	}
	return t.write(opts.IO.Out)
}

// shortAuthors returns "A", "A and B" or "A et al.".
func shortAuthors(names []string) string { return catalog.ShortAuthors(names) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
