package cli

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/mathjs"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/latex"
	"github.com/papernotes/papernotes/notes"
)

type renderOptions struct {
	IO      *IOStreams
	Config  func() (*config.Config, error)
	Library func(keys ...string) (*bib.Library, error)
	Notes   func() (*noteSet, error)
	WorkDir func() (string, error)
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock    func(func() error) error
	Display func(string) string

	Key    string
	Format string
	Output string
	// Force writes -o even over a library file, a note or a journal file.
	Force bool
}

func newCmdRender(f *Factory, runF func(*renderOptions) error) *cobra.Command {
	opts := &renderOptions{IO: f.IOStreams, Config: f.Config, Library: f.LibraryFor, Notes: f.Notes, WorkDir: f.workDir, Lock: f.locked, Display: f.displayPath}
	cmd := &cobra.Command{
		Use:   "render KEY",
		Short: "Render one note as a standalone HTML page, as markdown with a reference list, or as LaTeX",
		Long: `Render the note of KEY. --format html (the default) writes a standalone page
with inline CSS and no external resources: citations link to the cited paper's
note page (<safe-key>.html beside it) or else to the paper's URL, with the title
as tooltip; unknown keys are marked. --format md writes the note's markdown
without front matter, followed by a list of the cited works. --format tex writes
a LaTeX document (ctexart/xelatex when the note holds Chinese) and, with -o, the
cited entries as <name>.bib beside it. -o never overwrites a library file, a
note, a journal file or config.yaml without --force.`,
		Example: `  papernotes render li2022grounded -o glip.html
  papernotes render li2022grounded --format md`,
		Args: exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Key = args[0]
			if opts.Format != "html" && opts.Format != "md" && opts.Format != "tex" {
				return flagErrorf("--format must be html, md or tex, not %q", opts.Format)
			}
			if err := checkTeXOutputName(opts.Format, opts.Output); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return renderRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "html", "output format: html, md or tex")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `FILE` instead of stdout")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "write -o even over a library file, a note or a journal file")
	return cmd
}

func renderRun(opts *renderOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	set, err := opts.Notes()
	if err != nil {
		return err
	}
	n := set.find(opts.Key)
	// Of a large library, only the note's entry and what it cites are
	// kept.
	var keys []string
	if n != nil {
		keys = noteKeys([]*notes.Note{n})
	}
	lib, err := opts.Library(keys...)
	if err != nil {
		return err
	}
	if n == nil {
		if s := keySuggestionAmong(lib, opts.Key, func(k string) bool { return set.find(k) != nil }); s != "" {
			return fmt.Errorf("no note for %q in %s%s", opts.Key, cfg.Notes.Dir, s)
		}
		return fmt.Errorf("no note for %q in %s (papernotes new %s)", opts.Key, cfg.Notes.Dir, opts.Key)
	}
	var buf bytes.Buffer
	var bibText []byte
	switch opts.Format {
	case "md":
		lang := n.Lang()
		if lang == "" {
			lang = cfg.Language
		}
		renderMarkdown(&buf, n, lib, lang)
	case "tex":
		base := strings.TrimSuffix(notes.FileName(n.Key), ".md")
		if opts.Output != "" && opts.Output != "-" {
			base = strings.TrimSuffix(filepath.Base(opts.Output), filepath.Ext(opts.Output))
		}
		texDir, err := opts.WorkDir()
		if err != nil {
			return err
		}
		if opts.Output != "" && opts.Output != "-" {
			texDir = filepath.Dir(filepath.Join(texDir, opts.Output))
			if filepath.IsAbs(opts.Output) {
				texDir = filepath.Dir(opts.Output)
			}
		}
		tex, bt, problems, err := latex.NoteFiles(n, lib, latex.DocOptions{Lang: cfg.Language, BibName: base, Image: imageCheck(texDir, cfg.Workspace)})
		if err != nil {
			return err
		}
		for _, p := range problems {
			q := *p
			if !q.Pos.IsValid() && q.Key != "" {
				q.Pos = citePos([]*notes.Note{n}, q.Key)
			}
			if q.Pos.Filename != "" {
				q.Pos.Filename = opts.Display(q.Pos.Filename)
			}
			fmt.Fprintf(opts.IO.ErrOut, "warning: %v\n", &q)
		}
		buf.Write(tex)
		bibText = bt
	default:
		ro := notes.RenderOptions{
			Resolver:  lib,
			AllowHTML: cfg.Notes.AllowHTML,
			Lang:      cfg.Language,
			MathTags:  mathjs.Tags(),
			NoteURL: func(key string) (string, bool) {
				if set.find(key) == nil {
					return "", false
				}
				return strings.TrimSuffix(notes.FileName(key), ".md") + ".html", true
			},
			EntryURL: func(key string) string {
				if e, ok := lib.Lookup(key); ok {
					return e.URL()
				}
				return ""
			},
		}
		if err := notes.RenderPage(&buf, n, ro); err != nil {
			return err
		}
	}
	if opts.Output == "" || opts.Output == "-" {
		_, err := opts.IO.Out.Write(buf.Bytes())
		return err
	}
	out := opts.Output
	if !filepath.IsAbs(out) {
		wd, err := opts.WorkDir()
		if err != nil {
			return err
		}
		out = filepath.Join(wd, out)
	}
	// -o never overwrites a source unless --force: with --format tex
	// -o bib/library.tex, the .bib beside it would replace the library.
	outs := []outputFile{{Path: out, Display: opts.Output}}
	if opts.Format == "tex" {
		outs = append(outs, sideOutput(outs[0], ".bib"))
	}
	return writeOutputs(cfg, opts.Lock, outs, nil, opts.Force, opts.Display, func() error {
		if err := safefile.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "wrote %s\n", opts.Output)
		if opts.Format == "tex" {
			bibOut := outs[1].Path
			if err := safefile.WriteFile(bibOut, bibText, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(opts.IO.ErrOut, "wrote %s\n", strings.TrimSuffix(opts.Output, filepath.Ext(opts.Output))+".bib")
		}
		return nil
	})
}

// renderMarkdown writes the note body and a list of the works it cites,
// headed in the note's language lang ("zh": 参考文献).
func renderMarkdown(w io.Writer, n *notes.Note, lib *bib.Library, lang string) {
	heading, missing := "References", "(not in the library)"
	if lang == "zh" {
		heading, missing = "参考文献", "（不在文献库中）"
	}
	body := strings.TrimLeft(string(n.Source[n.BodyOffset:]), "\n")
	fmt.Fprintln(w, strings.TrimRight(body, "\n"))
	seen := map[string]bool{}
	var refs []string
	for _, c := range n.Cites {
		if seen[c.Key] {
			continue
		}
		seen[c.Key] = true
		line := "- [" + c.Key + "] "
		if e, ok := lib.Lookup(c.Key); ok {
			line += e.Title()
			if y := e.Year(); y != "" {
				line += " (" + y + ")"
			}
		} else {
			line += missing
		}
		refs = append(refs, line)
	}
	if len(refs) > 0 {
		fmt.Fprintf(w, "\n## %s\n\n%s\n", heading, strings.Join(refs, "\n"))
	}
}
