package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/token"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/index"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/mathjs"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/latex"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/report"
	"github.com/papernotes/papernotes/worklog"
)

// reportFormat is one value of `report --format`.
type reportFormat struct {
	// ext is the main output file's extension.
	ext string
	// write renders the report. It returns the main output, companion files
	// keyed by extension (".bib" beside a ".tex"), and warnings for stderr.
	write func(d *report.Data, env reportEnv) (out []byte, extra map[string][]byte, warnings []string, err error)
}

// reportEnv is what a format's write may need beyond the data.
type reportEnv struct {
	Lib *bib.Library
	// Templates holds the workspace's template overrides; nil for none.
	Templates fs.FS
	// BaseName is the output file's name without folder and extension
	// ("组会_20251119"), for companion files a document refers to.
	BaseName string
	// Notes are the week's notes, to place warnings about what they cite.
	Notes []*notes.Note
	// Display shortens a path for messages; nil leaves it as is.
	Display func(string) string
	// Dir is the folder the output goes to (images in a .tex are found
	// from there), and Workspace the workspace they must stay in.
	Dir, Workspace string
}

// reportFormats is the one place output formats are listed. Every format
// takes the same *report.Data; to add one, add an entry here.
var reportFormats = map[string]reportFormat{
	"md":   {ext: ".md", write: renderReport("md")},
	"html": {ext: ".html", write: renderReport("html")},
	"tex":  {ext: ".tex", write: texReport},
	"json": {ext: ".json", write: jsonReport},
}

// jsonReport writes the template data itself, for scripts: the week's
// papers with their sections, BibTeX and work log (see report/TEMPLATES.md).
func jsonReport(d *report.Data, _ reportEnv) ([]byte, map[string][]byte, []string, error) {
	var b bytes.Buffer
	err := writeJSON(&b, d)
	return b.Bytes(), nil, nil, err
}

// texReport writes the report as a LaTeX document whose citations are real
// \cite commands, plus the cited entries as a .bib beside it.
func texReport(d *report.Data, env reportEnv) ([]byte, map[string][]byte, []string, error) {
	tex, bibText, problems, err := latex.ReportFiles(d, env.Lib, latex.DocOptions{Lang: d.Lang, BibName: env.BaseName, Image: imageCheck(env.Dir, env.Workspace)})
	if err != nil {
		return nil, nil, nil, err
	}
	var warnings []string
	for _, p := range problems {
		q := *p
		if !q.Pos.IsValid() && q.Key != "" {
			// The report's LaTeX has no source positions: point at the
			// first citation of the key in the week's notes instead.
			q.Pos = citePos(env.Notes, q.Key)
		}
		if env.Display != nil && q.Pos.Filename != "" {
			q.Pos.Filename = env.Display(q.Pos.Filename)
		}
		warnings = append(warnings, q.Error())
	}
	return tex, map[string][]byte{".bib": bibText}, warnings, nil
}

func renderReport(format string) func(*report.Data, reportEnv) ([]byte, map[string][]byte, []string, error) {
	return func(d *report.Data, env reportEnv) ([]byte, map[string][]byte, []string, error) {
		var b bytes.Buffer
		err := report.Render(&b, d, report.RenderOptions{
			Format: format, Templates: env.Templates,
			MathTags: template.HTML(mathjs.Tags()), // trusted: our own assets
		})
		return b.Bytes(), nil, nil, err
	}
}

func reportFormatNames() string {
	names := make([]string, 0, len(reportFormats))
	for n := range reportFormats {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, "|")
}

type reportOptions struct {
	IO     *IOStreams
	Config func() (*config.Config, error)
	// Library loads the library, keeping of a large one the entries of
	// keys (Factory.LibraryFor); Streamed says whether it is that large.
	Library  func(keys ...string) (*bib.Library, error)
	Streamed func() (bool, error)
	// Week is the reporting range; Meeting is false when --from/--to gave it.
	Week   report.Week
	Format string
	// Lang is --lang, "" for the config's.
	Lang string
	// Output is -o as given (relative to WorkDir), "" for the default file.
	Output  string
	WorkDir string
	Stdout  bool
	Force   bool
	// Display shortens a path for messages.
	Display func(string) string
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error
}

func newCmdReport(f *Factory, runF func(*reportOptions) error) *cobra.Command {
	opts := &reportOptions{IO: f.IOStreams, Config: f.Config, Display: f.displayPath, Lock: f.locked}
	opts.Library, opts.Streamed = f.LibraryFor, f.libraryStreamed
	var week, from, to string
	cmd := &cobra.Command{
		Use:   "report [--week DATE | --from DATE --to DATE]",
		Short: "Write the weekly group-meeting report",
		Long: `Write the weekly group-meeting report: the title, last week's work (the work
log, see "papernotes log"), then every paper whose note was read in the week,
in reading order (read date, read_order, added date, key), with its abstract,
its BibTeX entry from the library (less report.bibtex_drop_fields: the
abstract, file and other private fields), and the note's sections. A paper
two notes claim is reported once, from the note at the key's own file
name, with a warning. Numbered headings ("1. 摘要", "一、摘要", "(2) Method")
count as their sections.

The week is the seven days that end on the meeting date DATE (--week), or
--from/--to. Without either it is the next meeting on or after today, on the
config's report.weekday.

The report goes to reports/组会_YYYYMMDD.md (zh) or
reports/group-meeting-YYYY-MM-DD.md (en), .html for --format html, or to -o
FILE, or to standard output with --stdout. An existing file is never
overwritten without --force. Templates can be overridden per workspace
(report.templates); report/TEMPLATES.md documents their data.`,
		Example: `  papernotes report --week 2025-11-19 --stdout
  papernotes report --format html --lang en
  papernotes report --from 2025-11-01 --to 2025-11-30 -o november.md`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			flags := cmd.Flags()
			if flags.Changed("week") && (flags.Changed("from") || flags.Changed("to")) {
				return flagErrorf("--week cannot be combined with --from/--to")
			}
			if flags.Changed("from") != flags.Changed("to") {
				return flagErrorf("--from and --to go together")
			}
			if err := checkTeXOutputName(opts.Format, opts.Output); err != nil {
				return err
			}
			if opts.Stdout && opts.Output != "" {
				return flagErrorf("-o and --stdout cannot be combined")
			}
			if _, ok := reportFormats[opts.Format]; !ok {
				return flagErrorf("--format must be one of %s, not %q", reportFormatNames(), opts.Format)
			}
			if opts.Lang != "" && opts.Lang != "zh" && opts.Lang != "en" {
				return flagErrorf("--lang must be zh or en, not %q", opts.Lang)
			}
			switch {
			case flags.Changed("week"):
				d, err := f.dateFlag("week", week)
				if err != nil {
					return err
				}
				opts.Week = report.WeekEnding(d)
			case flags.Changed("from"):
				a, err := f.dateFlag("from", from)
				if err != nil {
					return err
				}
				b, err := f.dateFlag("to", to)
				if err != nil {
					return err
				}
				if opts.Week, err = report.Range(a, b); err != nil {
					return flagErrorf("%v", err)
				}
			default:
				cfg, err := f.Config()
				if err != nil {
					return err
				}
				opts.Week = report.WeekEnding(report.NextMeeting(f.Now(), cfg.MeetingWeekday()))
			}
			wd, err := f.workDir()
			if err != nil {
				return err
			}
			opts.WorkDir = wd
			if runF != nil {
				return runF(opts)
			}
			return reportRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&week, "week", "", "meeting `DATE` (YYYY-MM-DD, today, yesterday, last, this, next): report the 7 days ending on it")
	fl.StringVar(&from, "from", "", "first `DATE` of a custom range (with --to)")
	fl.StringVar(&to, "to", "", "last `DATE` of a custom range (with --from)")
	fl.StringVar(&opts.Format, "format", "md", "output format: "+reportFormatNames())
	fl.StringVar(&opts.Lang, "lang", "", "report language, zh or en (default: the config's)")
	fl.StringVarP(&opts.Output, "output", "o", "", "write to `FILE` instead of the reports folder")
	fl.BoolVar(&opts.Stdout, "stdout", false, "write to standard output")
	fl.BoolVar(&opts.Force, "force", false, "overwrite an existing report, even a library file, note or journal file given as -o")
	return cmd
}

func reportRun(opts *reportOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	// A library loaded whole loads while the week's notes are found and
	// parsed; of a large one, only the entries of the notes and what they
	// cite are kept, which needs the notes first.
	var lib *bib.Library
	var libErr error
	var loaded chan struct{}
	if streamed, err := opts.Streamed(); err != nil || !streamed {
		loaded = make(chan struct{})
		go func() {
			defer close(loaded)
			lib, libErr = opts.Library()
		}()
	}
	getLib := func(keys ...string) (*bib.Library, error) {
		if loaded != nil {
			<-loaded
		} else if lib == nil && libErr == nil {
			lib, libErr = opts.Library(keys...)
		}
		return lib, libErr
	}
	lang := opts.Lang
	if lang == "" {
		lang = cfg.ReportLang()
	}
	d, ns, tmpl, err := buildWeekReport(cfg, getLib, opts.Week, lang, opts.IO.ErrOut, opts.Display)
	if loaded != nil {
		if _, lerr := getLib(); lerr != nil {
			return lerr
		}
	}
	if err != nil {
		return err
	}
	path := opts.Output
	switch {
	case opts.Stdout:
	case path == "":
		path = filepath.Join(cfg.Path(cfg.Report.Dir), reportFileName(d, lang)+reportFormats[opts.Format].ext)
	case !filepath.IsAbs(path):
		path = filepath.Join(opts.WorkDir, path)
	}
	base := reportFileName(d, lang)
	if path != "" {
		base = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	outDir := opts.WorkDir
	if path != "" {
		outDir = filepath.Dir(path)
	}
	out, extra, warnings, err := reportFormats[opts.Format].write(d, reportEnv{Lib: lib, Templates: tmpl, BaseName: base, Notes: ns, Display: opts.Display, Dir: outDir, Workspace: cfg.Workspace})
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s\n", w)
	}
	if opts.Stdout {
		_, err := opts.IO.Out.Write(out)
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create report folder: %w", err)
	}
	files := []string{path}
	data := map[string][]byte{path: out}
	for _, ext := range slices.Sorted(maps.Keys(extra)) {
		p := strings.TrimSuffix(path, filepath.Ext(path)) + ext
		files = append(files, p)
		data[p] = extra[ext]
	}
	outs := make([]outputFile, len(files))
	for i, p := range files {
		outs[i] = outputFile{Path: p, Display: opts.Display(p)}
	}
	err = writeOutputs(cfg, opts.Lock, outs, nil, opts.Force, opts.Display, func() error {
		return writeReportFiles(opts, files, data)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "%d paper(s) read %s, %d work-log line(s)\n", len(d.Papers), opts.Week, len(d.WorkLog))
	return nil
}

// buildWeekReport reads what the report of week needs (the week's notes,
// the work log, the workspace's templates) and builds its data, printing
// warnings to errOut. It is the one place `report` and `serve`'s week
// pages make a report, so both give the same bytes.
//
// getLib returns the library, of which the report reads the entries of keys
// (the notes' and what they cite); it is called once the notes are read, so
// that a caller can load the library meanwhile.
func buildWeekReport(cfg *config.Config, getLib func(keys ...string) (*bib.Library, error), week report.Week, lang string, errOut io.Writer, display func(string) string) (*report.Data, []*notes.Note, fs.FS, error) {
	ns, err := loadWeekNotes(cfg, week, errOut)
	if err != nil {
		return nil, nil, nil, err
	}
	log, skipped, err := worklog.BetweenIn(cfg.Path(cfg.Journal.Dir), cfg.Workspace, week.Start, week.End)
	for _, e := range skipped {
		fmt.Fprintln(errOut, skippedWarning(cfg.Workspace, e))
	}
	if err != nil {
		return nil, nil, nil, err
	}
	work := make([]report.WorkItem, len(log))
	for i, e := range log {
		work[i] = report.WorkItem{Date: e.Date, Text: e.Text}
	}
	lib, err := getLib(noteKeys(ns)...)
	if err != nil {
		return nil, nil, nil, err
	}
	d := report.Build(week, ns, lib, report.Options{
		Lang:       lang,
		Sections:   cfg.Report.Sections,
		Required:   cfg.Report.Required,
		Headings:   reportHeadings(cfg.Notes.Sections, lang),
		WorkLog:    work,
		BibTeXDrop: cfg.Report.BibTeXDropFields,
	})
	for _, p := range d.NotRead {
		fmt.Fprintf(errOut, "warning: %s: read: is in the week but the status is not read; left out (papernotes status KEY read)\n", display(p))
	}
	for _, dup := range d.Duplicates {
		fmt.Fprintf(errOut, "warning: %s: another note for %s; the paper is reported once, from %s\n",
			display(dup.Dropped), dup.Key, display(dup.Kept))
	}
	var tmpl fs.FS
	if cfg.Report.Templates != "" {
		tmpl = confinedFS{dir: cfg.Path(cfg.Report.Templates), root: cfg.Workspace, warn: errOut}
	}
	return d, ns, tmpl, nil
}

// weekReportFiles writes the report of week in format as `report` writes
// it to the reports folder: the main file's name and bytes, then companion
// files (the .bib beside a .tex) by name. Warnings go to errOut.
func weekReportFiles(cfg *config.Config, lib *bib.Library, week report.Week, format string, errOut io.Writer, display func(string) string) (files []string, data map[string][]byte, err error) {
	rf, ok := reportFormats[format]
	if !ok {
		return nil, nil, fmt.Errorf("unknown report format %q", format)
	}
	lang := cfg.ReportLang()
	d, ns, tmpl, err := buildWeekReport(cfg, func(...string) (*bib.Library, error) { return lib, nil }, week, lang, errOut, display)
	if err != nil {
		return nil, nil, err
	}
	base := reportFileName(d, lang)
	out, extra, warnings, err := rf.write(d, reportEnv{Lib: lib, Templates: tmpl, BaseName: base, Notes: ns, Display: display, Dir: cfg.Path(cfg.Report.Dir), Workspace: cfg.Workspace})
	if err != nil {
		return nil, nil, err
	}
	for _, w := range warnings {
		fmt.Fprintf(errOut, "warning: %s\n", w)
	}
	files = []string{base + rf.ext}
	data = map[string][]byte{files[0]: out}
	for _, ext := range slices.Sorted(maps.Keys(extra)) {
		files = append(files, base+ext)
		data[base+ext] = extra[ext]
	}
	return files, data, nil
}

// writeReportFiles writes the report's files, refusing (unless --force) to
// overwrite any of them: every file is checked first, so a refusal leaves
// nothing half-written.
func writeReportFiles(opts *reportOptions, files []string, data map[string][]byte) error {
	if !opts.Force {
		// Check every file first, so a refusal leaves nothing half-written.
		for _, p := range files {
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("%s already exists (use --force to overwrite it)", opts.Display(p))
			}
		}
	}
	for _, p := range files {
		var err error
		if opts.Force {
			err = safefile.WriteFile(p, data[p], 0o644)
		} else if err = safefile.CreateNew(p, data[p], 0o644); errors.Is(err, safefile.ErrExists) {
			return fmt.Errorf("%s already exists (use --force to overwrite it)", opts.Display(p))
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "%s\n", opts.Display(p))
	}
	return nil
}

// reportFileName is the default report name without extension.
func reportFileName(d *report.Data, lang string) string {
	if lang == "en" {
		return "group-meeting-" + d.Date.Format(time.DateOnly)
	}
	return "组会_" + d.Date.Format("20060102")
}

// reportHeadings takes each section's heading for lang from the configured
// aliases: the first alias with Chinese characters for zh, the first
// without for en. Ids with no such alias keep the built-in heading.
func reportHeadings(aliases map[string][]string, lang string) map[string]string {
	h := map[string]string{}
	for id, list := range aliases {
		for _, a := range list {
			if hasHan(a) == (lang == "zh") {
				h[id] = a
				break
			}
		}
	}
	return h
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// citePos returns the position of the first citation of key in ns (by
// note path, then position), or the zero Position.
func citePos(ns []*notes.Note, key string) token.Position {
	var best token.Position
	for _, n := range ns {
		for _, c := range n.Cites {
			if c.Key == key && (!best.IsValid() || c.Pos.Filename < best.Filename) {
				best = c.Pos
				break
			}
		}
	}
	return best
}

// loadWeekNotes parses the notes that may have been read in week: the
// search index, when it is up to date but for a few files, or else a cheap
// front-matter scan picks the candidates, so a large notes folder costs one
// stat (or one short read) per file and a full parse only for the week's
// notes. Problems in a note are printed to errOut as warnings; the note is
// still used.
func loadWeekNotes(cfg *config.Config, week report.Week, errOut io.Writer) ([]*notes.Note, error) {
	dir := cfg.Path(cfg.Notes.Dir)
	paths, skipped, ok := indexedCandidates(cfg, week)
	var err error
	if !ok {
		paths, skipped, err = report.CandidatesIn(dir, cfg.Workspace, week)
	}
	for _, e := range skipped {
		fmt.Fprintln(errOut, skippedWarning(cfg.Workspace, e))
	}
	if errors.Is(err, fs.ErrNotExist) && len(paths) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	paths = withOwnNames(dir, paths)
	ns := make([]*notes.Note, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() {
			src, err := notes.ReadFile(p)
			if err != nil {
				errs[i] = err
				return
			}
			ns[i], errs[i] = notes.Parse(p, src, notes.Options{Aliases: cfg.Notes.Sections})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		if ns[i] == nil && !errors.Is(err, notes.ErrNotRegular) {
			return nil, err
		}
		fmt.Fprintf(errOut, "warning: %v\n", err)
	}
	return slices.DeleteFunc(ns, func(n *notes.Note) bool { return n == nil }), nil
}

// withOwnNames adds to paths the note at each candidate key's own file name
// when that file exists and is not a candidate itself: when two notes claim
// a key, the one at the key's own name decides the paper's read date, so it
// must be parsed even when its date is outside the week. Keys are read with
// the same cheap scan as the candidates.
func withOwnNames(dir string, paths []string) []string {
	have := map[string]bool{}
	for _, p := range paths {
		have[p] = true
	}
	out := paths
	for _, p := range paths {
		key := report.FrontMatterKey(p)
		if key == "" {
			continue
		}
		own := filepath.Join(dir, notes.FileName(key))
		if own == p || have[own] {
			continue
		}
		if fi, err := os.Stat(own); err == nil && fi.Mode().IsRegular() {
			have[own] = true
			out = append(out, own)
		}
	}
	return out
}

// indexMaxCatchUp is the number of changed files up to which a report
// brings the search index up to date to ask it for the week's notes rather
// than read the start of every note: indexing a note costs about a third
// of a millisecond, reading the front matter of 10,000 about 50 ms.
const indexMaxCatchUp = 100

// indexedCandidates asks the workspace's search index for the notes read
// in week, when there is an index built for this configuration that is up
// to date but for at most indexMaxCatchUp files (which it indexes first).
// ok is false otherwise, and when the index cannot answer within a second
// (another process is writing it, say): the caller then reads the notes.
// An index is never created here. skipped are the links and special files
// the scan left out, as [report.CandidatesIn] returns them.
func indexedCandidates(cfg *config.Config, week report.Week) (paths []string, skipped []error, ok bool) {
	path := indexPath(cfg)
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
		return nil, nil, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ix, err := index.OpenContext(ctx, path)
	if err != nil {
		return nil, nil, false
	}
	defer ix.Close()
	paths, st, ok, err := ix.NotesRead(ctx, indexSources(cfg), week.Start, week.End, indexMaxCatchUp)
	if err != nil || !ok {
		return nil, nil, false
	}
	for _, p := range st.Problems {
		if errors.Is(p, notes.ErrOutside) || errors.Is(p, notes.ErrNotRegular) {
			skipped = append(skipped, p)
		}
	}
	slices.Sort(paths)
	return paths, skipped, true
}

// noteKeys returns the keys of ns and the keys they cite.
func noteKeys(ns []*notes.Note) []string {
	var keys []string
	for _, n := range ns {
		keys = append(keys, n.Key, n.Meta.Key)
		for _, c := range n.Cites {
			keys = append(keys, c.Key)
		}
	}
	return keys
}
