package cli

import (
	"bufio"
	"context"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nickng/bibtex"
	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/convert"
	"github.com/papernotes/papernotes/fetch"
	"github.com/papernotes/papernotes/ingest"
	"github.com/papernotes/papernotes/internal/config"
)

type importOptions struct {
	IO     *IOStreams
	Config func() (*config.Config, error)
	// Load loads the library at paths, keeping of a large one only what
	// keep keeps (Factory.loadKeeping).
	Load        func(paths []string, keep func(*bib.Entry) bool) (*bib.Library, error)
	DisplayPath func(string) string
	WorkDir     func() (string, error)
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error

	// Files are the files to import; "-" is standard input.
	Files []string
	// To is --to as given, "" for bib.default.
	To     string
	Rekey  bool
	Force  bool
	DryRun bool
	JSON   bool
	// RawIDs are the --id values as given.
	RawIDs []string
	idOptions
	Ctx context.Context
}

func newCmdImport(f *Factory, runF func(*importOptions) error) *cobra.Command {
	opts := &importOptions{IO: f.IOStreams, Config: f.Config, Load: f.loadKeeping, DisplayPath: f.displayPath, WorkDir: f.workDir, Lock: f.locked}
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Append new BibTeX, RIS or CSL-JSON entries to the library",
		Long: `Append the entries of FILE (- for standard input) to bib.default, or to --to FILE,
as their exact source bytes; nothing already in the file is rewritten.
RIS and CSL-JSON files (Zotero, Better BibTeX, publishers), told by their
content, are converted to BibTeX first.

Entries whose content is already in the library are skipped. Suspected
duplicates (same DOI, arXiv id, or title and year) are reported and added only
with --force. An empty or unsafe key, a key taken by a different entry, or
--rekey gives a key generated from bib.key_pattern (li2023blip).

--id ID (repeatable) fetches an entry by DOI, arXiv id or ISBN, as add does
(see papernotes add --help), and imports it by the same rules. It is all or
nothing: when one identifier fails nothing is written. --offline never uses
the network.`,
		Example: `  papernotes import ~/Downloads/scholar.bib
  pbpaste | papernotes import -
  papernotes import --to bib/theses.bib --rekey refs.bib
  papernotes import ~/Downloads/zotero-export.ris items.json
  papernotes import --id doi:10.1145/3292500.3330701 --id arXiv:2301.12597`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(opts.RawIDs) == 0 {
				return flagErrorf("import needs a FILE or an --id")
			}
			opts.IDs = nil
			for _, a := range opts.RawIDs {
				id, err := fetch.ParseID(a)
				if err != nil {
					return flagErrorf("--id %v", err)
				}
				opts.IDs = append(opts.IDs, id)
			}
			opts.Ctx = cmd.Context()
			opts.Files = args
			stdin := 0
			for _, a := range args {
				if a == "-" {
					stdin++
				}
			}
			if stdin > 1 {
				return flagErrorf("- (standard input) can be given only once")
			}
			if runF != nil {
				return runF(opts)
			}
			return importRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.To, "to", "", "append to `FILE` instead of bib.default")
	cmd.Flags().BoolVar(&opts.Rekey, "rekey", false, "give every added entry a key generated from bib.key_pattern")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "add suspected duplicates too")
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "print the plan and write nothing")
	cmd.Flags().StringArrayVar(&opts.RawIDs, "id", nil, "fetch and import `ID` (doi:…, arXiv:…, isbn:…; repeatable)")
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "never use the network (--id is then an error)")
	cmd.Flags().BoolVar(&opts.Published, "published", false, "for an arXiv id whose record lists a journal DOI, take the DOI's metadata")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print JSON: {"target","items":[{key,original_key,action,added,...}]}`)
	return cmd
}

// importItem is one element of `import --json`'s "items".
type importItem struct {
	// Key is the key the entry has in the library: its new key when added,
	// the existing entry's key when skipped, its own key otherwise.
	Key         string   `json:"key"`
	OriginalKey string   `json:"original_key"`
	Action      string   `json:"action"`
	Added       bool     `json:"added"`
	Reason      string   `json:"reason,omitempty"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
	Existing    string   `json:"existing,omitempty"`
	Duplicates  []string `json:"duplicates,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
}

type importResult struct {
	Target string       `json:"target"`
	DryRun bool         `json:"dry_run"`
	Items  []importItem `json:"items"`
}

func importRun(opts *importOptions) error {
	in, err := readIngestInput(ctxOr(opts.Ctx), opts.IO, opts.Files, opts.Config, &opts.idOptions)
	if err != nil {
		return err
	}
	if opts.DryRun {
		return importEntries(opts, in)
	}
	// The library is read and the entries appended under the workspace
	// lock, so that concurrent imports see each other's entries: none is
	// lost, and one entry imported twice at once is added once.
	return runLocked(opts.Lock, func() error { return importEntries(opts, in) })
}

func importEntries(opts *importOptions, in ingestInput) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	target, err := importTarget(opts, cfg)
	if err != nil {
		return err
	}
	if opts.To != "" {
		if err := checkImportTarget(cfg, target, opts.To); err != nil {
			return err
		}
	}
	paths := cfg.BibPaths()
	inLibrary := covers(paths, target)
	if !inLibrary {
		paths = append(paths, target) // so that same-key checks see the target's entries
	}
	// Of a large library, the first read keeps no entry, only the macros
	// and keys that parsing the input needs; the second keeps the
	// entries the plan reads (ingest.Needs).
	lib, err := opts.Load(paths, func(*bib.Entry) bool { return false })
	if err != nil {
		return err
	}
	warnUnread(opts.IO.ErrOut, lib, cfg.BibPaths(), opts.DisplayPath, target, cfg.Path(cfg.Bib.Default))
	incoming, strs, problems, nerr := in.parse(opts.IO, lib, cfg.Bib.KeyPattern)
	if lib.Partial() {
		if lib, err = opts.Load(paths, ingest.Needs(incoming)); err != nil {
			return err
		}
	}
	plan := ingest.NewPlan(lib, incoming, ingest.Options{Pattern: cfg.Bib.KeyPattern, Rekey: opts.Rekey, Force: opts.Force, Strings: strs, Problems: problems})
	if !opts.DryRun {
		if err := plan.Apply(target); err != nil {
			return err
		}
	}
	res := importResult{Target: opts.DisplayPath(target), DryRun: opts.DryRun, Items: make([]importItem, 0, len(plan.Items))}
	added := 0
	display := memoDisplay(opts.DisplayPath)
	for _, it := range plan.Items {
		res.Items = append(res.Items, newImportItem(it, display))
		if it.Added {
			added++
		}
		if it.Action == ingest.Broken {
			nerr++
		}
	}
	if opts.JSON {
		err = writeJSON(opts.IO.Out, res)
	} else {
		err = importText(opts, res)
	}
	if err != nil {
		return err
	}
	if opts.DryRun && !opts.JSON && len(in.recs) > 0 {
		// Show the fetched entries that would be added, as add --dry-run does.
		for _, it := range plan.Items {
			if it.Added && isFetched(it.Entry, in.recs) {
				fmt.Fprintf(opts.IO.Out, "\n%s\n", strings.TrimRight(it.Raw, " \t\r\n"))
			}
		}
	}
	verb := "added"
	if opts.DryRun {
		verb = "would add"
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s %s of %d to %s\n", verb, plural(added, "entry"), len(plan.Items), res.Target)
	if !inLibrary && added > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "note: %s is not under bib.paths, so other commands will not read it\n", res.Target)
	}
	if nerr > 0 {
		return ErrSilent
	}
	return nil
}

// memoDisplay remembers the last path display gave: the items of an import
// mostly name one or two files, and a million calls to filepath.Rel show.
func memoDisplay(display func(string) string) func(string) string {
	var last, shown string
	ok := false
	return func(p string) string {
		if !ok || p != last {
			last, shown, ok = p, display(p), true
		}
		return shown
	}
}

// importTarget returns the absolute file to append to.
func importTarget(opts *importOptions, cfg *config.Config) (string, error) {
	if opts.To == "" {
		return cfg.Path(cfg.Bib.Default), nil
	}
	if filepath.IsAbs(opts.To) {
		return filepath.Clean(opts.To), nil
	}
	wd, err := opts.WorkDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, opts.To), nil
}

// covers reports whether target is one of paths or lies in one of them.
func covers(paths []string, target string) bool {
	for _, p := range paths {
		rel, err := filepath.Rel(p, target)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// bibSource is one input file's bytes; name is "<stdin>" for standard input.
type bibSource struct {
	name string
	src  []byte
}

// ingestInput is what import and add take in: the files read and the
// identifiers' records fetched, both before the workspace lock (standard
// input waits for the user, the network for the services), and the number
// of errors met so far.
type ingestInput struct {
	srcs []bibSource
	recs []convert.Record
	nerr int
}

// readIngestInput reads the files (readBibSources) and fetches the
// identifiers (fetchRecords); the error is the configuration's or the
// fetch's, which stop the command before anything is written.
func readIngestInput(ctx context.Context, ios *IOStreams, files []string, loadConfig func() (*config.Config, error), ids *idOptions) (ingestInput, error) {
	srcs, nerr := readBibSources(ios, files)
	cfg, err := loadConfig()
	if err != nil {
		return ingestInput{}, err
	}
	recs, err := fetchRecords(ctx, ios, cfg, ids)
	if err != nil {
		return ingestInput{}, err
	}
	return ingestInput{srcs: srcs, recs: recs, nerr: nerr}, nil
}

// parse writes the records as BibTeX with keys free in lib, parses every
// source (parseBibSources), prints the problems, and returns the entries
// and @strings in order with the problems, for ingest.NewPlan, and the
// errors counted so far.
func (in ingestInput) parse(ios *IOStreams, lib *bib.Library, pattern string) (entries []*bib.Entry, strs []*bib.StringDef, problems bib.ErrorList, nerr int) {
	srcs := append(in.srcs[:len(in.srcs):len(in.srcs)], recordSources(in.recs, lib, pattern)...)
	files := parseBibSources(srcs, lib.Macros(), pattern)
	nerr = in.nerr + printBibProblems(ios, files)
	n := 0
	for _, f := range files {
		n += len(f.Entries)
	}
	entries = make([]*bib.Entry, 0, n)
	problems = bib.ErrorList{}
	for _, f := range files {
		entries = append(entries, f.Entries...)
		strs = append(strs, f.Strings...)
		problems = append(problems, f.Problems...)
	}
	return entries, strs, problems, nerr
}

// readBibSources reads the named files ("-" is standard input). An
// unreadable file is printed to ErrOut, counts as an error and is left out.
func readBibSources(ios *IOStreams, names []string) ([]bibSource, int) {
	var out []bibSource
	nerr := 0
	cs := ios.ErrColors()
	for _, name := range names {
		var src []byte
		var err error
		if name == "-" {
			name = "<stdin>"
			src, err = io.ReadAll(ios.In)
		} else {
			src, err = os.ReadFile(name)
		}
		if err != nil {
			fmt.Fprintf(ios.ErrOut, "%s: %s: %v\n", name, cs.Red("error"), err)
			nerr++
			continue
		}
		out = append(out, bibSource{name, src})
	}
	return out, nerr
}

// parseBibSources parses the sources with the library's macros predefined.
// RIS and CSL-JSON sources, told by their content (convert.Detect), are
// converted to BibTeX first (keys from pattern where they have none), so
// that they go through the same import rules; their entries carry the
// position of their record, and the converter's problems are the file's.
func parseBibSources(srcs []bibSource, macros map[string]bibtex.BibString, pattern string) []*bib.File {
	files := make([]*bib.File, len(srcs))
	for i, s := range srcs {
		if format := convert.Detect(s.src); format != convert.BibTeX {
			files[i] = parseConverted(s, format, macros, pattern)
			continue
		}
		// s.src is read for this parse and never modified: the entries
		// may share it instead of the parser copying the whole input.
		files[i] = bib.Parse(s.name, s.src, &bib.ParseOptions{Macros: macros, NoCopy: true})
	}
	return files
}

// parseConverted reads a RIS or CSL-JSON source as the BibTeX it converts to.
func parseConverted(s bibSource, format convert.Format, macros map[string]bibtex.BibString, pattern string) *bib.File {
	c := convert.Convert(s.name, s.src, format, pattern)
	f := bib.Parse(s.name+" ("+format.String()+" as BibTeX)", c.BibTeX, &bib.ParseOptions{Macros: macros})
	if len(f.Entries) == len(c.Records) {
		for j, e := range f.Entries {
			e.Pos = token.Position{Filename: s.name, Line: c.Records[j].Line, Column: 1}
			e.KeyPos = e.Pos
		}
	}
	f.Name = s.name
	f.Problems = append(f.Problems, c.Problems...)
	f.Problems.Sort()
	return f
}

// printBibProblems prints the files' problems to ErrOut and returns the
// number of error-severity ones.
func printBibProblems(ios *IOStreams, files []*bib.File) int {
	nerr := 0
	cs := ios.ErrColors()
	w := bufio.NewWriterSize(ios.ErrOut, 64<<10)
	for _, f := range files {
		for _, p := range f.Problems {
			sev := cs.Yellow(p.Severity.String())
			if p.Severity == bib.SeverityError {
				sev = cs.Red(p.Severity.String())
				nerr++
			}
			fmt.Fprintf(w, "%s: %s: %v\n", p.Pos, sev, p.Err)
		}
	}
	w.Flush() // a failing standard error has nowhere to be reported
	return nerr
}

func newImportItem(it ingest.Item, display func(string) string) importItem {
	e := it.Entry
	out := importItem{
		Key: e.Key, OriginalKey: e.Key, Action: it.Action.String(), Added: it.Added,
		File: display(e.Pos.Filename), Line: e.Pos.Line, Warnings: it.Warnings,
	}
	if it.Added {
		out.Key = it.Key
	}
	if it.Existing != nil {
		out.Existing = it.Existing.Key
		if it.Action == ingest.SkipSame {
			out.Key = it.Existing.Key
		}
	}
	switch {
	case it.Rekeyed:
		out.Reason = it.RekeyReason
	case it.Action == ingest.SkipSame:
		out.Reason = fmt.Sprintf("same content as %s (%s:%d)", it.Existing.Key, display(it.Existing.Pos.Filename), it.Existing.Pos.Line)
	case it.Action == ingest.Broken:
		out.Reason = "the entry does not read back cleanly; fix its source and import again"
	}
	for _, g := range it.Duplicates {
		keys := make([]string, len(g.Entries))
		for i, d := range g.Entries {
			keys[i] = d.Key
		}
		out.Duplicates = append(out.Duplicates, g.Reason+": "+strings.Join(keys, ", "))
	}
	if it.Action == ingest.SuspectedDuplicate && out.Reason == "" {
		if it.Added {
			out.Reason = "suspected duplicate, added with --force"
		} else {
			out.Reason = "suspected duplicate, not added (use --force to add it)"
		}
	}
	return out
}

func importText(opts *importOptions, res importResult) error {
	cs := opts.IO.Colors()
	// Buffered: one write per line made a million-entry import spend
	// seconds in write system calls.
	w := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	ew := bufio.NewWriterSize(opts.IO.ErrOut, 16<<10)
	for _, it := range res.Items {
		verb := "added"
		switch {
		case it.Action == ingest.SkipSame.String():
			verb = "skipped"
		case it.Action == ingest.Broken.String():
			verb = cs.Red("broken")
		case !it.Added:
			verb = cs.Yellow("held")
		case opts.DryRun:
			verb = "add"
		}
		key := cs.Cyan(it.Key)
		if it.Key != it.OriginalKey && it.Added {
			key += " (was " + quoteKey(it.OriginalKey) + ")"
		}
		line := fmt.Sprintf("%-8s %s", verb, key)
		if it.Reason != "" {
			line += ": " + it.Reason
		}
		fmt.Fprintln(w, line)
		for _, d := range it.Duplicates {
			fmt.Fprintf(w, "         %s\n", d)
		}
		for _, m := range it.Warnings {
			fmt.Fprintf(ew, "%s:%d: %s: %s\n", it.File, it.Line, cs.Yellow("warning"), m)
		}
	}
	if err := ew.Flush(); err != nil {
		return err
	}
	return w.Flush()
}

// quoteKey shows an empty key as "" and any other key as it is.
func quoteKey(k string) string {
	if k == "" {
		return `""`
	}
	return k
}

// isFetched reports whether e was parsed from one of the fetched records
// (its file name is the record's source, "doi:…").
func isFetched(e *bib.Entry, recs []convert.Record) bool {
	for _, r := range recs {
		if e.Pos.Filename == r.Source {
			return true
		}
	}
	return false
}
