package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

type listOptions struct {
	IO          *IOStreams
	Library     func() (*bib.Library, error)
	NoteMetas   func() (*noteMetas, error)
	DisplayPath func(string) string

	// YearFrom and YearTo bound the year, inclusive; 0 means open.
	YearFrom, YearTo int
	Author           string
	Type             string
	Text             string
	// Tags keeps entries whose note has every one of these tags.
	Tags []string
	// Status keeps entries whose note has this status.
	Status string
	// HasNote keeps entries with a note (true) or without one (false);
	// nil keeps both.
	HasNote *bool
	Sort    string
	JSON    bool
}

// listItem is one element of `list --json`, the documented contract.
type listItem struct {
	Key     string   `json:"key"`
	Type    string   `json:"type"`
	Title   string   `json:"title"`
	Authors []string `json:"authors"`
	// Year is the year as a number, 0 when the entry has none.
	Year int    `json:"year"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Note is the note's path, "" when the entry has no note.
	Note string `json:"note"`
	// Status is the note's status (toread, reading, read), "" when the
	// entry has no note or the note sets none.
	Status string `json:"status"`
	// Tags are the note's tags, [] without a note.
	Tags []string `json:"tags"`
}

var listSorts = []string{"key", "year", "title", "author"}

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
	author, text := foldText(opts.Author), foldText(opts.Text)
	var items []listItem
	for _, e := range lib.Entries() {
		it := newListItem(e, opts.DisplayPath)
		n := metas.ByKey[e.Key]
		if n != nil {
			it.Note, it.Status, it.Tags = opts.DisplayPath(n.Path), n.Meta.Status, append(it.Tags, n.Meta.Tags...)
		}
		if !noteMatches(n, opts) {
			continue
		}
		if opts.Type != "" && e.Type != opts.Type {
			continue
		}
		if (opts.YearFrom != 0 || opts.YearTo != 0) && (it.Year == 0 || it.Year < opts.YearFrom || opts.YearTo != 0 && it.Year > opts.YearTo) {
			continue
		}
		names := foldText(strings.Join(it.Authors, "\n"))
		if author != "" && !strings.Contains(names, author) {
			continue
		}
		if text != "" && !strings.Contains(foldText(e.Key+"\n"+it.Title)+"\n"+names, text) {
			continue
		}
		items = append(items, it)
	}
	sortListItems(items, opts.Sort)
	if opts.JSON {
		if items == nil {
			items = []listItem{}
		}
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

// noteMatches reports whether the note n (nil: none) passes the note filters.
func noteMatches(n *notes.Note, opts *listOptions) bool {
	if opts.HasNote != nil && *opts.HasNote != (n != nil) {
		return false
	}
	if opts.Status == "" && len(opts.Tags) == 0 {
		return true
	}
	if n == nil || opts.Status != "" && n.Meta.Status != opts.Status {
		return false
	}
	for _, t := range opts.Tags {
		if !contains(n.Meta.Tags, t) {
			return false
		}
	}
	return true
}

func newListItem(e *bib.Entry, display func(string) string) listItem {
	authors := entryAuthors(e)
	if authors == nil {
		authors = []string{}
	}
	return listItem{
		Key: e.Key, Type: e.Type, Title: e.Title(), Authors: authors,
		Year: entryYear(e), File: display(e.Pos.Filename), Line: e.Pos.Line,
		Tags: []string{},
	}
}

func sortListItems(items []listItem, by string) {
	firstAuthor := func(it listItem) string {
		if len(it.Authors) == 0 {
			return ""
		}
		return foldText(it.Authors[0])
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		switch by {
		case "year":
			if a.Year != b.Year {
				return a.Year < b.Year
			}
		case "title":
			if ta, tb := foldText(a.Title), foldText(b.Title); ta != tb {
				return ta < tb
			}
		case "author":
			if fa, fb := firstAuthor(a), firstAuthor(b); fa != fb {
				return fa < fb
			}
		}
		return a.Key < b.Key
	})
}

// shortAuthors returns "A", "A and B" or "A et al.".
func shortAuthors(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return names[0] + " et al."
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
