package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/rekey"
)

type renameKeyOptions struct {
	IO          *IOStreams
	Config      func() (*config.Config, error)
	DisplayPath func(string) string
	WorkDir     func() (string, error)
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error
	// Library and Streamed, when set, load a large library keeping only
	// what the rename reads (rekey.Needs); a smaller one rekey reads
	// itself.
	Library  func(keep func(*bib.Entry) bool, visit func([]*bib.Entry)) (*bib.Library, error)
	Streamed func() (bool, error)

	Old, New string
	DryRun   bool
	TexRoots []string
	JSON     bool
}

func newCmdRenameKey(f *Factory, runF func(*renameKeyOptions) error) *cobra.Command {
	opts := &renameKeyOptions{IO: f.IOStreams, Config: f.Config, DisplayPath: f.displayPath, WorkDir: f.workDir, Lock: f.locked,
		Library: f.LibraryWhere, Streamed: f.libraryStreamed}
	cmd := &cobra.Command{
		Use:   "rename-key OLD NEW",
		Short: "Rename a cite key in the library, the notes, the reports and the .tex files",
		Long: `Rename the cite key OLD to NEW everywhere the workspace names it:

  - the entry's key in its .bib file (only those bytes change),
  - the crossref and xdata fields of the entries that name OLD,
  - the note's front matter key, and its file name (notes/<safe-key>.md),
  - every citation in notes, reports and journal files ([@OLD], [-@OLD],
    [[OLD]], \cite{OLD}), and in every .tex file under the workspace, under
    the config's tex.roots and under each --tex-root DIR (every citation
    command: \cite, \citep, \parencite, \cites{a}{b}, ...).

It prints each file, line and column it changes. Nothing is written when
NEW is taken (by an entry, even in another case, or by a note), when NEW
is not a safe cite key, when OLD is not in the library (or is defined
twice), or when a file to change holds merge conflict markers. Each file
is replaced atomically, all under the workspace lock; a file that changed
between the plan and the writes stops the rename before anything is
written. --dry-run prints the plan and writes nothing; --json prints the
plan (or what was done) for scripts.`,
		Example: `  papernotes rename-key li2023blip li2023blip2 --dry-run
  papernotes rename-key li2023blip li2023blip2 --tex-root ~/papers/cvpr26
  papernotes rename-key li2023blip li2023blip2 --json | jq '.files[].path'`,
		Args: exactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			for _, r := range opts.TexRoots {
				if r == "" {
					return flagErrorf("--tex-root needs a folder")
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return renameKeyRun(opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "print what would change and write nothing")
	cmd.Flags().StringArrayVar(&opts.TexRoots, "tex-root", nil, "also change citations in the .tex files under `DIR` (repeatable)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the plan as JSON")
	return cmd
}

func renameKeyRun(opts *renameKeyOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	ws := rekey.Workspace{
		Root:         cfg.Workspace,
		BibPaths:     cfg.BibPaths(),
		NotesDir:     cfg.Path(cfg.Notes.Dir),
		MarkdownDirs: []string{cfg.Path(cfg.Report.Dir), cfg.Path(cfg.Journal.Dir)},
		TexRoots:     cfg.TexRoots(),
	}
	wd, err := opts.WorkDir()
	if err != nil {
		return err
	}
	for _, r := range opts.TexRoots {
		if !filepath.IsAbs(r) {
			r = filepath.Join(wd, r)
		}
		ws.TexRoots = append(ws.TexRoots, filepath.Clean(r))
	}
	var res *rekey.Result
	plan := func() error {
		if opts.Streamed != nil {
			if large, err := opts.Streamed(); err == nil && large {
				if ws.Library, err = opts.Library(rekey.Needs(opts.Old, opts.New), nil); err != nil {
					return err
				}
			}
		}
		if res, err = rekey.Plan(ws, opts.Old, opts.New); err != nil {
			return displayRekeyError(err, opts.DisplayPath)
		}
		if opts.DryRun {
			return nil
		}
		return displayRekeyError(rekey.Apply(res), opts.DisplayPath)
	}
	// A dry run only reads, and readers never take the lock.
	if opts.DryRun {
		err = plan()
	} else {
		err = runLocked(opts.Lock, plan)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.IO.Out, renameKeyJSON(res, opts))
	}
	return writeRenamePlan(opts.IO.Out, res, opts)
}

// renameKeyOutput is the --json contract: {"old","new","dry_run","files":
// [{"path","edits":[{"kind","start","end","new_text","line"}]}],"renames":[{"from","to"}]}.
// Positions carry offset (bytes), line, column (runes) and character (UTF-16).
type renameKeyOutput struct {
	Old     string             `json:"old"`
	New     string             `json:"new"`
	DryRun  bool               `json:"dry_run"`
	Files   []renameKeyFile    `json:"files"`
	Renames []rekey.FileRename `json:"renames"`
}

type renameKeyFile struct {
	Path  string          `json:"path"`
	Edits []renameKeyEdit `json:"edits"`
}

type renameKeyEdit struct {
	rekey.Edit
	// Line is the changed line as it reads after the edit.
	Line string `json:"line"`
}

func renameKeyJSON(res *rekey.Result, opts *renameKeyOptions) renameKeyOutput {
	out := renameKeyOutput{Old: res.Old, New: res.New, DryRun: opts.DryRun, Files: []renameKeyFile{}, Renames: []rekey.FileRename{}}
	for _, f := range res.Files {
		rf := renameKeyFile{Path: opts.DisplayPath(f.Path)}
		for _, e := range f.Edits {
			rf.Edits = append(rf.Edits, renameKeyEdit{Edit: e, Line: editedLine(f.Original, e)})
		}
		out.Files = append(out.Files, rf)
	}
	for _, r := range res.Renames {
		out.Renames = append(out.Renames, rekey.FileRename{From: opts.DisplayPath(r.From), To: opts.DisplayPath(r.To)})
	}
	return out
}

// writeRenamePlan prints one line per edit (file:line:col: kind: the line
// after the edit), one per renamed file, and a summary.
func writeRenamePlan(w io.Writer, res *rekey.Result, opts *renameKeyOptions) error {
	var b strings.Builder
	for _, f := range res.Files {
		for _, e := range f.Edits {
			fmt.Fprintf(&b, "%s:%d:%d: %s: %s\n", opts.DisplayPath(f.Path), e.Start.Line, e.Start.Column, e.Kind, editedLine(f.Original, e))
		}
	}
	for _, r := range res.Renames {
		fmt.Fprintf(&b, "%s -> %s\n", opts.DisplayPath(r.From), opts.DisplayPath(r.To))
	}
	verb, tail := "renamed", ""
	if opts.DryRun {
		verb, tail = "would rename", " (dry run: nothing written)"
	}
	fmt.Fprintf(&b, "%s %s to %s: %s in %s, %s%s\n", verb, res.Old, res.New,
		plural(res.Edits(), "change"), plural(len(res.Files), "file"), plural(len(res.Renames), "file rename"), tail)
	_, err := io.WriteString(w, b.String())
	return err
}

// editedLine returns the line of e in src with e applied, trimmed, and cut
// to 120 runes.
func editedLine(src []byte, e rekey.Edit) string {
	start := bytes.LastIndexByte(src[:e.Start.Offset], '\n') + 1
	end := e.End.Offset
	for end < len(src) && src[end] != '\n' {
		end++
	}
	line := strings.TrimSpace(string(src[start:e.Start.Offset]) + e.NewText + string(src[e.End.Offset:end]))
	if utf8.RuneCountInString(line) > 120 {
		line = string([]rune(line)[:119]) + "…"
	}
	return line
}

// displayRekeyError shows the file names of rekey's positioned errors as
// the other commands show paths (relative to the working directory), one
// error per line for joined ones (conflict markers in several places).
func displayRekeyError(err error, display func(string) string) error {
	var re *rekey.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re) && err == error(re):
		pos := re.Pos
		pos.Filename = display(pos.Filename)
		return &rekey.Error{Pos: pos, Err: re.Err}
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs := joined.Unwrap()
		out := make([]error, len(errs))
		for i, e := range errs {
			out[i] = displayRekeyError(e, display)
		}
		return errors.Join(out...)
	}
	return err
}
