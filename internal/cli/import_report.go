package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/ingest"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/notes"
)

type importReportOptions struct {
	IO          *IOStreams
	Config      func() (*config.Config, error)
	Library     func() (*bib.Library, error)
	WorkDir     func() (string, error)
	DisplayPath func(string) string

	File   string
	DryRun bool
	Tags   []string
}

func newCmdImportReport(f *Factory, runF func(*importReportOptions) error) *cobra.Command {
	opts := &importReportOptions{IO: f.IOStreams, Config: f.Config, Library: f.Library, WorkDir: f.workDir, DisplayPath: f.displayPath}
	cmd := &cobra.Command{
		Use:   "import-report FILE",
		Short: "Split an old weekly report into library entries and notes",
		Long: `Read a weekly report written by hand (plain text as in the group's example,
or markdown with # headings): each paper's BibTeX is appended to bib.default by
the rules of import, and each paper becomes a note holding the report's
sections, with read: the report's date. An existing note is reported and
skipped, never overwritten. --dry-run prints the plan and writes nothing.`,
		Example: `  papernotes import-report 组会_20251119.txt --dry-run
  papernotes import-report reports/2025-11-19.md --tags group-meeting`,
		Args: exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return importReportRun(opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "print what would be added and written, change nothing")
	cmd.Flags().StringSliceVar(&opts.Tags, "tags", nil, "tags for the notes' front matter, comma-separated")
	return cmd
}

func importReportRun(opts *importReportOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	lib, err := opts.Library()
	if err != nil {
		return err
	}
	path := opts.File
	if !filepath.IsAbs(path) {
		wd, err := opts.WorkDir()
		if err != nil {
			return err
		}
		path = filepath.Join(wd, path)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	rep, err := notes.ParseReport(opts.File, src, noteOptions(cfg))
	if err != nil {
		return err
	}
	out, errOut := opts.IO.Out, opts.IO.ErrOut
	// One BibTeX entry per paper; entryOf maps a paper to its plan item.
	var incoming []*bib.Entry
	entryOf := make([]int, len(rep.Papers))
	nerr := 0
	for i, p := range rep.Papers {
		entryOf[i] = -1
		if p.BibTeX == "" {
			fmt.Fprintf(errOut, "%s:%d: warning: %q has no BibTeX; no entry and no note\n", opts.File, p.Line, p.Title)
			continue
		}
		f := bib.Parse(fmt.Sprintf("%s:%d", opts.File, p.BibTeXLine), []byte(p.BibTeX), &bib.ParseOptions{Macros: lib.Macros()})
		for _, pr := range f.Problems {
			fmt.Fprintf(errOut, "%s:%d: %s: %v\n", opts.File, p.BibTeXLine+pr.Pos.Line-1, pr.Severity, pr.Err)
		}
		if len(f.Entries) == 0 {
			nerr++
			continue
		}
		entryOf[i] = len(incoming)
		incoming = append(incoming, f.Entries[0])
	}
	plan := ingest.NewPlan(lib, incoming, ingest.Options{Pattern: cfg.Bib.KeyPattern})
	target := cfg.Path(cfg.Bib.Default)
	if !opts.DryRun {
		if err := plan.Apply(target); err != nil {
			return err
		}
	}
	added := "added"
	if opts.DryRun {
		added = "would add"
	}
	if !rep.Date.IsZero() {
		fmt.Fprintf(out, "report %s, %s: %d papers\n", rep.Title, rep.Date.Format("2006-01-02"), len(rep.Papers))
	}
	for i, p := range rep.Papers {
		if entryOf[i] < 0 {
			continue
		}
		it := plan.Items[entryOf[i]]
		var e *bib.Entry
		switch {
		case it.Added:
			c := *it.Entry
			c.Key = it.Key
			e = &c
			fmt.Fprintf(out, "%s entry %s to %s\n", added, e.Key, opts.DisplayPath(target))
		case it.Action == ingest.SkipSame:
			e = it.Existing
			fmt.Fprintf(out, "entry %s already in the library\n", e.Key)
		default:
			fmt.Fprintf(out, "entry %s held back (%s); no note\n", it.Entry.Key, it.Action)
			nerr++
			continue
		}
		se := scaffoldEntry(e)
		se.Title = p.Title
		if p.URL != "" {
			se.URL = p.URL
		}
		note := notes.Scaffold(se, cfg.Language, notes.ScaffoldOptions{
			Tags: opts.Tags, Status: "read", Read: rep.Date, Added: rep.Date,
			Sections: p.SectionBodies(), Headings: p.SectionHeadings(), Only: true,
		})
		np := notePath(cfg, e.Key)
		if _, err := os.Stat(np); err == nil {
			fmt.Fprintf(out, "note %s exists; skipped\n", opts.DisplayPath(np))
			continue
		}
		if opts.DryRun {
			fmt.Fprintf(out, "would write note %s (%d sections)\n", opts.DisplayPath(np), len(p.Sections))
			continue
		}
		if _, err := createNote(cfg, e.Key, note); err != nil {
			if errors.Is(err, safefile.ErrExists) {
				fmt.Fprintf(out, "note %s exists; skipped\n", opts.DisplayPath(np))
				continue
			}
			return err
		}
		fmt.Fprintf(out, "wrote note %s (%d sections)\n", opts.DisplayPath(np), len(p.Sections))
	}
	if nerr > 0 {
		return ErrSilent
	}
	return nil
}
