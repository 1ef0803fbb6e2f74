package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/convert"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/latex"
	"github.com/papernotes/papernotes/report"
)

type exportOptions struct {
	IO      *IOStreams
	Config  func() (*config.Config, error)
	Library func() (*bib.Library, error)
	// LibraryFor loads the library keeping of a large one only the
	// entries of keys (Factory.LibraryFor).
	LibraryFor func(keys ...string) (*bib.Library, error)
	Notes      func() (*noteSet, error)
	// WorkDir is where relative --tex, --aux, --bcf and -o paths start.
	WorkDir string
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error

	Keys []string
	TeX  []string
	Aux  string
	BCF  string
	Tag  string
	// Week is --week's range; HasWeek says whether it was given.
	Week    report.Week
	HasWeek bool

	Output string
	// Force writes -o even over a workspace source or an input.
	Force   bool
	SortKey bool
	Clean   bool
	ASCII   bool
	To      latex.Dialect
	// CSL writes CSL-JSON instead of BibTeX (export csl, export bib --to csl-json).
	CSL bool
}

func newCmdExport(f *Factory, runF func(*exportOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export <format>",
		Short: "Export library entries (export bib)",
		Example: `  papernotes export bib --tex paper.tex -o paper.bib
  papernotes export bib --week last --to biblatex`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return flagErrorf("export needs a format: papernotes export bib ...")
		},
	}
	cmd.AddCommand(newCmdExportBib(f, runF))
	cmd.AddCommand(newCmdExportCSL(f, runF))
	return cmd
}

// exportSelection holds the flags that choose what to export, shared by
// export bib and export csl so that both choose exactly alike.
type exportSelection struct {
	week string
}

// addFlags registers --tex, --aux, --bcf, --tag, --week, -o and --force.
func (sel *exportSelection) addFlags(cmd *cobra.Command, opts *exportOptions) {
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.TeX, "tex", nil, "export what LaTeX `FILE` cites (repeatable)")
	fl.StringVar(&opts.Aux, "aux", "", "export the citations of LaTeX's .aux `FILE`")
	fl.StringVar(&opts.BCF, "bcf", "", "export the citations of biblatex's .bcf `FILE`")
	fl.StringVar(&opts.Tag, "tag", "", "export the papers of the notes tagged `T`")
	fl.StringVar(&sel.week, "week", "", "export the papers read in the week ending on `DATE`")
	fl.StringVarP(&opts.Output, "output", "o", "", "write to `FILE` instead of standard output")
	fl.BoolVar(&opts.Force, "force", false, "write -o even over a library file, a note, a journal file or an input")
}

// fill sets the keys and the week from the arguments and flags, and fails
// with a usage error when nothing is chosen.
func (sel *exportSelection) fill(f *Factory, opts *exportOptions, args []string) error {
	opts.Keys = args
	if sel.week != "" {
		d, err := f.dateFlag("week", sel.week)
		if err != nil {
			return err
		}
		opts.Week, opts.HasWeek = report.WeekEnding(d), true
	}
	if len(opts.Keys) == 0 && len(opts.TeX) == 0 && opts.Aux == "" && opts.BCF == "" && opts.Tag == "" && !opts.HasWeek {
		return flagErrorf("nothing to export: give KEYs, --tex, --aux, --bcf, --tag or --week")
	}
	// Relative paths stay as the user gave them (and so in
	// messages) unless a test set the factory's WorkDir.
	opts.WorkDir = f.WorkDir
	return nil
}

func newCmdExportCSL(f *Factory, runF func(*exportOptions) error) *cobra.Command {
	opts := &exportOptions{IO: f.IOStreams, Config: f.Config, Library: f.Library, LibraryFor: f.LibraryFor, Notes: f.Notes, Lock: f.locked, CSL: true}
	var sel exportSelection
	cmd := &cobra.Command{
		Use:   "csl [KEY...] [--tex FILE...] [--aux FILE] [--bcf FILE] [--tag T] [--week DATE]",
		Short: "Write CSL-JSON (for pandoc, Zotero) of the entries a document cites",
		Long: `Write CSL-JSON of exactly the entries chosen, chosen as by export bib: the KEYs
given, every key cited by a LaTeX document (--tex), the citations of a .aux
or .bcf file, the papers of the notes tagged T (--tag), or those read in the
week ending on DATE (--week). Crossref parents follow the entries that use
them, whose missing fields they fill.

Each item's id is its cite key; types are mapped (article to
article-journal, inproceedings to paper-conference, misc to document, ...);
names are split into family and given, with particles, suffixes, and
{Institutional Authors} as literals; year and month become issued
date-parts; LaTeX is decoded to Unicode (math kept as $...$) and the
protective braces of titles become <span class="nocase">, so that styles
keep {BLIP-2} as written. export bib --to csl-json does the same.`,
		Example: `  papernotes export csl --tex paper.tex -o refs.json
  pandoc note.md --citeproc --bibliography refs.json -o note.html
  papernotes export csl --week last -o week.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := sel.fill(f, opts, args); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(opts)
		},
	}
	sel.addFlags(cmd, opts)
	return cmd
}

func newCmdExportBib(f *Factory, runF func(*exportOptions) error) *cobra.Command {
	opts := &exportOptions{IO: f.IOStreams, Config: f.Config, Library: f.Library, LibraryFor: f.LibraryFor, Notes: f.Notes, Lock: f.locked}
	var sel exportSelection
	var sortBy, to string
	cmd := &cobra.Command{
		Use:   "bib [KEY...] [--tex FILE...] [--aux FILE] [--bcf FILE] [--tag T] [--week DATE]",
		Short: "Write a .bib with exactly the entries a document cites",
		Long: `Write a .bib holding exactly the entries chosen: the KEYs given, every key
cited by a LaTeX document (--tex, following \input, \include and \subfile;
natbib and biblatex commands, \nocite{*} included; comments and verbatim
ignored), the citations of a .aux or biblatex .bcf file, the papers of the
notes tagged T (--tag), or those read in the week ending on DATE (--week).

Crossref, xref and xdata parents are added after the entries that use them,
and the @string definitions the entries use come first. Entries are copied
byte for byte in the order first cited (--sort key sorts them by key).

--clean rewrites entries through nickng/bibtex's printer: fields in the
config's export.field_order, export.drop_fields left out, month = jan,
macros, # concatenation and protective braces kept. --ascii (Unicode to LaTeX
escapes) and --to bibtex|biblatex (map fields and types between the dialects)
imply --clean.

Keys cited but not in the library are reported with the file:line of the
citation, as are keys that match only when case is ignored, and the command
exits 1 (the .bib is still written with the entries found).

-o never overwrites an input (--tex paper.tex -o paper.tex) or a workspace
source (a library file, a note, a journal file) without --force.`,
		Example: `  papernotes export bib --tex paper.tex -o refs.bib
  papernotes export bib --aux build/paper.aux --clean --ascii
  papernotes export bib li2023blip li2022grounded --to biblatex
  papernotes export bib --week 2025-11-19 -o week.bib`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := sel.fill(f, opts, args); err != nil {
				return err
			}
			switch sortBy {
			case "", "cited":
			case "key":
				opts.SortKey = true
			default:
				return flagErrorf("--sort must be cited or key, not %q", sortBy)
			}
			if to == "csl-json" || to == "csl" {
				// An alias of export csl.
				if opts.Clean || opts.ASCII {
					return flagErrorf("--to csl-json writes CSL-JSON: --clean and --ascii do not apply")
				}
				opts.CSL = true
			} else {
				d, ok := latex.ParseDialect(to)
				if !ok {
					return flagErrorf("--to must be bibtex, biblatex or csl-json, not %q", to)
				}
				opts.To = d
			}
			if opts.ASCII || opts.To != latex.DialectKeep {
				opts.Clean = true
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(opts)
		},
	}
	sel.addFlags(cmd, opts)
	fl := cmd.Flags()
	fl.StringVar(&sortBy, "sort", "cited", "entry order: cited (first citation first) or key")
	fl.BoolVar(&opts.Clean, "clean", false, "normalise entries (field order and dropped fields from the config)")
	fl.BoolVar(&opts.ASCII, "ascii", false, "write non-ASCII characters as LaTeX escapes (implies --clean)")
	fl.StringVar(&to, "to", "", "map fields to `DIALECT` bibtex or biblatex (implies --clean); csl-json writes CSL-JSON (export csl)")
	return cmd
}

func (o *exportOptions) abs(p string) string {
	if p == "" || filepath.IsAbs(p) || o.WorkDir == "" {
		return p
	}
	return filepath.Join(o.WorkDir, p)
}

// exportCitations gathers the citations of every source the options name, in
// the order: keys, .tex files, .aux, .bcf, tag, week. Problems that do not
// lose citations (a missing \input file) are printed as warnings.
func exportCitations(opts *exportOptions) ([]latex.Citation, error) {
	var cites []latex.Citation
	for _, k := range opts.Keys {
		cites = append(cites, latex.Citation{Key: k})
	}
	warn := func(err error) error {
		var list latex.ErrorList
		if !errors.As(err, &list) {
			return err
		}
		for _, p := range list {
			if errors.Is(p, latex.ErrRead) && p.Pos.Line == 0 {
				return p // the file named on the command line is unreadable
			}
			fmt.Fprintf(opts.IO.ErrOut, "warning: %v\n", p)
		}
		return nil
	}
	for _, t := range opts.TeX {
		cs, err := latex.ScanTeX(opts.abs(t))
		if err != nil {
			if err := warn(err); err != nil {
				return nil, err
			}
		}
		cites = append(cites, cs...)
	}
	if opts.Aux != "" {
		d, err := latex.ScanAux(opts.abs(opts.Aux))
		if err != nil {
			if err := warn(err); err != nil {
				return nil, err
			}
		}
		cites = append(cites, d.Citations...)
	}
	if opts.BCF != "" {
		d, err := latex.ScanBCF(opts.abs(opts.BCF))
		if err != nil {
			return nil, err
		}
		cites = append(cites, d.Citations...)
	}
	if opts.Tag != "" {
		set, err := opts.Notes()
		if err != nil {
			return nil, err
		}
		found := false
		var tags []string
		for _, n := range set.Notes {
			tags = append(tags, n.Meta.Tags...)
			for _, t := range n.Meta.Tags {
				if strings.EqualFold(t, opts.Tag) {
					cites = append(cites, latex.Citation{Key: n.Key, Pos: n.KeyPos})
					found = true
					break
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("--tag %s: no note has this tag%s", opts.Tag, didYouMean(closeWords(opts.Tag, tags), true))
		}
	}
	if opts.HasWeek {
		cfg, err := opts.Config()
		if err != nil {
			return nil, err
		}
		ns, err := loadWeekNotes(cfg, opts.Week, opts.IO.ErrOut)
		if err != nil {
			return nil, err
		}
		// report.Build picks the week's papers in reading order, as the
		// report does; it needs no library for that.
		papers := report.Build(opts.Week, ns, nil, report.Options{}).Papers
		if len(papers) == 0 {
			return nil, fmt.Errorf("--week: no paper was read %s", opts.Week)
		}
		for _, p := range papers {
			cites = append(cites, latex.Citation{Key: p.Key})
		}
	}
	return cites, nil
}

func exportRun(opts *exportOptions) error {
	cites, err := exportCitations(opts)
	if err != nil {
		return err
	}
	// Of a large library, only what is cited is kept; "*" cites it all.
	keys := make([]string, 0, len(cites))
	for _, c := range cites {
		keys = append(keys, c.Key)
	}
	var lib *bib.Library
	if slices.Contains(keys, "*") {
		lib, err = opts.Library()
	} else {
		lib, err = opts.LibraryFor(keys...)
	}
	if err != nil {
		return err
	}
	eo := latex.ExportOptions{}
	if opts.SortKey {
		eo.Order = latex.OrderKey
	}
	if opts.Clean {
		cfg, err := opts.Config()
		if err != nil {
			return err
		}
		eo.Clean = &latex.CleanOptions{FieldOrder: cfg.Export.FieldOrder, Drop: cfg.Export.DropFields, ASCII: opts.ASCII, To: opts.To}
	}
	r, exportErr := latex.Export(lib, cites, eo)
	for _, p := range r.Problems {
		switch {
		case errors.Is(p, latex.ErrMissingParent):
			fmt.Fprintf(opts.IO.ErrOut, "warning: %v\n", p)
		case errors.Is(p, latex.ErrMissingKey):
			fmt.Fprintf(opts.IO.ErrOut, "%v%s\n", p, keySuggestion(lib, p.Key))
		default:
			fmt.Fprintf(opts.IO.ErrOut, "%v\n", p)
		}
	}
	if opts.ASCII {
		for _, e := range r.Entries {
			if bib.NonASCIIKey(e.Key) {
				fmt.Fprintf(opts.IO.ErrOut, "warning: --ascii cannot change a key: %q: %s (papernotes rename-key)\n", e.Key, bib.NonASCIIKeyAdvice)
			}
		}
	}
	data := r.Bytes()
	if opts.CSL {
		data = convert.MarshalCSL(convert.CSL(r.Entries, convert.CSLOptions{Parent: lib.Lookup}))
	}
	if opts.Output != "" {
		if err := exportWrite(opts, cites, data); err != nil {
			return err
		}
	} else if _, err := opts.IO.Out.Write(data); err != nil {
		return err
	}
	if exportErr != nil {
		return ErrSilent
	}
	return nil
}

// exportWrite writes data to -o, which must not be a workspace source or
// one of the export's inputs (--tex paper.tex -o paper.tex) unless --force.
func exportWrite(opts *exportOptions, cites []latex.Citation, data []byte) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	abs := func(p string) string {
		a, err := filepath.Abs(opts.abs(p))
		if err != nil {
			return p
		}
		return a
	}
	var inputs []string
	for _, t := range opts.TeX {
		inputs = append(inputs, abs(t))
	}
	// The files \input by the documents that cite something.
	for _, c := range cites {
		if c.Pos.Filename != "" {
			inputs = append(inputs, abs(c.Pos.Filename))
		}
	}
	for _, p := range []string{opts.Aux, opts.BCF} {
		if p != "" {
			inputs = append(inputs, abs(p))
		}
	}
	out := outputFile{Path: abs(opts.Output), Display: opts.Output}
	return writeOutputs(cfg, opts.Lock, []outputFile{out}, inputs, opts.Force, nil, func() error {
		return safefile.WriteFile(out.Path, data, 0o644)
	})
}
