package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/ingest"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/worklog"
)

type importReportOptions struct {
	IO     *IOStreams
	Config func() (*config.Config, error)
	// Library loads the library; of a large one it keeps only what keep
	// keeps (Factory.LibraryWhere).
	Library     func(keep func(*bib.Entry) bool, visit func([]*bib.Entry)) (*bib.Library, error)
	WorkDir     func() (string, error)
	DisplayPath func(string) string
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error

	File   string
	DryRun bool
	Tags   []string
	JSON   bool
}

func newCmdImportReport(f *Factory, runF func(*importReportOptions) error) *cobra.Command {
	opts := &importReportOptions{IO: f.IOStreams, Config: f.Config, Library: f.LibraryWhere, WorkDir: f.workDir, DisplayPath: f.displayPath, Lock: f.locked}
	cmd := &cobra.Command{
		Use:   "import-report FILE",
		Short: "Split an old weekly report into library entries and notes",
		Long: `Read a weekly report written by hand (plain text as in the group's example,
or markdown with # headings): each paper's BibTeX is appended to bib.default by
the rules of import (a paper the library holds under the same key is taken
as it is there), and each paper becomes a note holding the report's
sections, with read: the report's date and read_order: its place in the
report, so that papers read the same day come back in the report's order.
The work part (一、上周工作) goes to the work log, dated the report's date;
lines already logged for that date are not logged twice. So "import-report"
then "report" for that week gives the report back. An existing note is
reported and skipped, never overwritten. --dry-run prints the plan and
writes nothing.`,
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
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print JSON: {"title","date","dry_run","papers":[{"title","line","key","entry","note","note_action","sections"}],"worklog":{"lines","logged","file"}}`)
	return cmd
}

// importReportRun holds the workspace lock, unless nothing is written
// (--dry-run), from reading the library to writing the last note: the plan
// is made against the library as it is under the lock.
func importReportRun(opts *importReportOptions) error {
	if opts.DryRun {
		return importReport(opts)
	}
	return runLocked(opts.Lock, func() error { return importReport(opts) })
}

func importReport(opts *importReportOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	// Of a large library, the first read keeps no entry, only the macros
	// and keys the papers' BibTeX is parsed with; the second keeps the
	// entries the plan reads (ingest.Needs), as import does.
	lib, err := opts.Library(func(*bib.Entry) bool { return false }, nil)
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
	errOut := opts.IO.ErrOut
	res := importReportResult{Title: rep.Title, DryRun: opts.DryRun, Papers: []importReportPaper{}}
	if !rep.Date.IsZero() {
		res.Date = rep.Date.Format("2006-01-02")
	}
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
	if lib.Partial() {
		if lib, err = opts.Library(ingest.Needs(incoming), nil); err != nil {
			return err
		}
	}
	plan := ingest.NewPlan(lib, incoming, ingest.Options{Pattern: cfg.Bib.KeyPattern})
	target := cfg.Path(cfg.Bib.Default)
	if !opts.DryRun {
		if err := plan.Apply(target); err != nil {
			return err
		}
	}
	for i, p := range rep.Papers {
		rp := importReportPaper{Title: p.Title, Line: p.Line, Entry: "no-bibtex", NoteAction: "none"}
		if entryOf[i] < 0 {
			res.Papers = append(res.Papers, rp)
			continue
		}
		it := plan.Items[entryOf[i]]
		var e *bib.Entry
		switch {
		case it.Added:
			c := *it.Entry
			c.Key = it.Key
			e, rp.Entry = &c, "added"
		case it.Action == ingest.SkipSame:
			e, rp.Entry = it.Existing, "known"
		case sameKeyDuplicate(it) != nil:
			// The library holds the paper under the report's key, with
			// other fields (an abstract, a URL): it is the same paper, so
			// the note is written for it rather than held back.
			e, rp.Entry = sameKeyDuplicate(it), "known"
		default:
			rp.Key, rp.Entry = it.Entry.Key, "held: "+it.Action.String()
			for _, g := range it.Duplicates {
				for _, d := range g.Entries {
					if d != it.Entry && !slices.Contains(rp.Duplicates, d.Key) {
						rp.Duplicates = append(rp.Duplicates, d.Key)
					}
				}
			}
			res.Papers = append(res.Papers, rp)
			nerr++
			continue
		}
		rp.Key = e.Key
		np := notePath(cfg, e.Key)
		rp.Note, rp.Sections = opts.DisplayPath(np), len(p.Sections)
		se := scaffoldEntry(e)
		se.Title = p.Title
		if p.URL != "" {
			se.URL = p.URL
		}
		src := notes.Scaffold(se, cfg.Language, notes.ScaffoldOptions{
			Tags: opts.Tags, Status: "read", Read: rep.Date, Added: rep.Date, ReadOrder: i + 1,
			Sections: p.SectionBodies(), Headings: p.SectionHeadings(), Only: true,
		})
		_, statErr := os.Stat(np)
		switch {
		case statErr == nil:
			rp.NoteAction = "exists"
		case opts.DryRun:
			rp.NoteAction = "would-write"
		default:
			if _, err := createNote(cfg, e.Key, src); err != nil {
				if !errors.Is(err, safefile.ErrExists) {
					return err
				}
				rp.NoteAction = "exists"
			} else {
				rp.NoteAction = "wrote"
			}
		}
		res.Papers = append(res.Papers, rp)
	}
	if err := importWorkLog(opts, cfg, rep, &res); err != nil {
		return err
	}
	if opts.JSON {
		err = writeJSON(opts.IO.Out, res)
	} else {
		err = importReportText(opts.IO.Out, res, opts.DisplayPath(target))
	}
	if err != nil {
		return err
	}
	if nerr > 0 {
		return ErrSilent
	}
	return nil
}

// importWorkLog logs the report's work part (上周工作) in the journal,
// dated the report's date, so that `report` for that week gives it back.
// Lines already logged for that date are not logged again.
func importWorkLog(opts *importReportOptions, cfg *config.Config, rep *notes.Report, res *importReportResult) error {
	var lines []string
	for _, l := range rep.WorkLog {
		l = strings.TrimSpace(l)
		for _, p := range []string{"- ", "* ", "+ "} {
			l = strings.TrimPrefix(l, p)
		}
		if l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	dir := cfg.Path(cfg.Journal.Dir)
	if rep.Date.IsZero() {
		fmt.Fprintf(opts.IO.ErrOut, "%s: warning: the title has no date; %d work-log line(s) not imported\n", opts.File, len(lines))
		return nil
	}
	res.WorkLog = &importWorkLogResult{Lines: len(lines), File: opts.DisplayPath(filepath.Join(dir, worklog.FileName(rep.Date)))}
	if opts.DryRun {
		return nil
	}
	n, err := worklog.AppendMissing(dir, rep.Date, lines)
	res.WorkLog.Logged = n
	return err
}

// importReportResult is what `import-report --json` prints.
type importReportResult struct {
	Title   string               `json:"title"`
	Date    string               `json:"date,omitempty"`
	DryRun  bool                 `json:"dry_run"`
	Papers  []importReportPaper  `json:"papers"`
	WorkLog *importWorkLogResult `json:"worklog,omitempty"`
}

// importWorkLogResult says what happened to the report's work part.
type importWorkLogResult struct {
	// Lines is the number of work lines in the report; Logged how many were
	// appended (the others were in the journal already, or --dry-run).
	Lines  int    `json:"lines"`
	Logged int    `json:"logged"`
	File   string `json:"file"`
}

type importReportPaper struct {
	Title string `json:"title"`
	Line  int    `json:"line"`
	Key   string `json:"key,omitempty"`
	// Entry is "added", "known", "held: <reason>" or "no-bibtex".
	Entry string `json:"entry"`
	// Duplicates are the keys a held suspected duplicate resembles.
	Duplicates []string `json:"duplicates,omitempty"`
	Note       string   `json:"note,omitempty"`
	// NoteAction is "wrote", "would-write", "exists" or "none".
	NoteAction string `json:"note_action"`
	Sections   int    `json:"sections"`
}

// sameKeyDuplicate returns the library entry that a suspected duplicate
// shares its key with (the same paper exported with other fields), or nil.
func sameKeyDuplicate(it ingest.Item) *bib.Entry {
	if it.Action != ingest.SuspectedDuplicate {
		return nil
	}
	for _, g := range it.Duplicates {
		for _, e := range g.Entries {
			if e.Key == it.Entry.Key && e != it.Entry {
				return e
			}
		}
	}
	return nil
}

func importReportText(w io.Writer, res importReportResult, target string) error {
	if res.Date != "" {
		papers := "papers"
		if len(res.Papers) == 1 {
			papers = "paper"
		}
		fmt.Fprintf(w, "report %s, %s: %d %s\n", res.Title, res.Date, len(res.Papers), papers)
	}
	for _, p := range res.Papers {
		switch {
		case p.Entry == "added" && res.DryRun:
			fmt.Fprintf(w, "would add entry %s to %s\n", p.Key, target)
		case p.Entry == "added":
			fmt.Fprintf(w, "added entry %s to %s\n", p.Key, target)
		case p.Entry == "known":
			fmt.Fprintf(w, "entry %s already in the library\n", p.Key)
		case p.Entry == "no-bibtex":
			fmt.Fprintf(w, "paper %q has no BibTeX; skipped\n", p.Title)
			continue
		case len(p.Duplicates) > 0:
			fmt.Fprintf(w, "entry %s %s of %s; no note (to take the library's entry, give the paper its key in the report)\n", p.Key, p.Entry, strings.Join(p.Duplicates, ", "))
			continue
		default:
			fmt.Fprintf(w, "entry %s %s; no note\n", p.Key, p.Entry)
			continue
		}
		switch p.NoteAction {
		case "exists":
			fmt.Fprintf(w, "note %s exists; skipped\n", p.Note)
		case "would-write":
			fmt.Fprintf(w, "would write note %s (%d sections)\n", p.Note, p.Sections)
		case "wrote":
			fmt.Fprintf(w, "wrote note %s (%d sections)\n", p.Note, p.Sections)
		}
	}
	if wl := res.WorkLog; wl != nil {
		switch {
		case res.DryRun:
			fmt.Fprintf(w, "would log %d work-log line(s) in %s\n", wl.Lines, wl.File)
		case wl.Logged < wl.Lines:
			fmt.Fprintf(w, "logged %d work-log line(s) in %s (%d already there)\n", wl.Logged, wl.File, wl.Lines-wl.Logged)
		default:
			fmt.Fprintf(w, "logged %d work-log line(s) in %s\n", wl.Logged, wl.File)
		}
	}
	return nil
}
