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
	IO *IOStreams
	// Library loads the library; of a large one it keeps only what keep
	// keeps, and visit sees every entry (Factory.LibraryWhere).
	Library     func(keep func(*bib.Entry) bool, visit func([]*bib.Entry)) (*bib.Library, error)
	NoteMetas   func() (*noteMetas, error)
	DisplayPath func(string) string

	// Filter selects the entries (catalog.Filter: year range, author,
	// type, text, tags, status, has-note).
	catalog.Filter
	Sort string
	JSON bool
}

var listSorts = catalog.Sorts

func newCmdList(f *Factory, runF func(*listOptions) error) *cobra.Command {
	opts := &listOptions{IO: f.IOStreams, Library: f.LibraryWhere, NoteMetas: f.NoteMetas, DisplayPath: f.displayPath}
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
	// Of a large library, no entry is kept: the builder copies the row of
	// each as it is read.
	var b catalog.Builder
	lib, err := opts.Library(func(*bib.Entry) bool { return false }, func(es []*bib.Entry) { b.Add(es, opts.DisplayPath) })
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
	var c *catalog.Catalog
	if lib.Partial() {
		c = b.Catalog(metas.ByKey, opts.DisplayPath)
	} else {
		c = catalog.New(lib, metas.ByKey, opts.DisplayPath)
	}
	idx := c.Filter(opts.Filter)
	c.Sort(idx, opts.Sort)
	if opts.JSON {
		return writeJSONArray(opts.IO.Out, len(idx), func(k int) any {
			it, _, _ := c.Item(idx[k])
			return it
		})
	}
	cs := opts.IO.Colors()
	return writeTable(opts.IO.Out, len(idx), func(k int, dst []tableCell) []tableCell {
		it, _, _ := c.Item(idx[k])
		year := ""
		if it.Year != 0 {
			year = strconv.Itoa(it.Year)
		}
		status, statusStyle := it.Status, (func(string) string)(nil)
		switch {
		case it.Note == "":
			status, statusStyle = "-", cs.Gray
		case status == "":
			status = "note"
		}
		return append(dst,
			tableCell{text: it.Key, style: cs.Cyan},
			tableCell{text: status, style: statusStyle},
			tableCell{text: year}, tableCell{text: shortAuthors(it.Authors)}, tableCell{text: it.Title})
	})
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
