package cli

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/lsp"
)

type lspOptions struct {
	IO      *IOStreams
	Factory *Factory

	TexRoots []string
	// Stdio is accepted for clients that always pass --stdio.
	Stdio bool
}

func newCmdLSP(f *Factory, runF func(*lspOptions) error) *cobra.Command {
	opts := &lspOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server (LSP over stdin/stdout) for notes, LaTeX and bib files",
		Long: `Run a Language Server Protocol server on standard input and output. Editors
start it themselves; it is not meant to be run by hand. Configure your editor
to run "papernotes lsp" for markdown, tex and bibtex files, with the workspace
(the folder holding config.yaml) as root: see "Editor integration" in the README.

It completes cite keys after [@, [-@, ; @, [[ and inside \cite{...} and the
other citation commands, shows the paper and its note on hover, jumps to the
note or bib entry, lists references, publishes the diagnostics of
"papernotes check" as files change, renames a key everywhere (as rename-key
does), offers "create note for KEY", and lists workspace and document
symbols. It never writes a file itself: the editor applies its edits.

.tex files anywhere under the workspace are served; --tex-root and the config
key tex.roots add other folders. Outside a workspace it still checks .bib files.`,
		Example: `  papernotes lsp
  papernotes lsp --tex-root ~/papers/cvpr2026`,
		Args: exactArgs(0),
		RunE: func(_ *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return lspRun(opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.TexRoots, "tex-root", nil, "extra folder of .tex files (repeatable)")
	cmd.Flags().BoolVar(&opts.Stdio, "stdio", false, "talk over stdin/stdout (the default and only transport)")
	return cmd
}

func lspRun(opts *lspOptions) error {
	f := opts.Factory
	roots := make([]string, len(opts.TexRoots))
	for i, r := range opts.TexRoots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return err
		}
		roots[i] = abs
	}
	srv := lsp.NewServer(lsp.Options{
		FindWorkspace: func(dir string) (*lsp.Workspace, error) {
			return lspWorkspace(f, dir)
		},
		TexRoots: roots,
		Today:    f.Now,
		Log:      opts.IO.ErrOut,
	})
	err := srv.Serve(context.Background(), opts.IO.In, opts.IO.Out)
	if errors.Is(err, lsp.ErrExitWithoutShutdown) {
		return ErrSilent
	}
	return err
}

// lspWorkspace loads the configuration of the workspace holding dir (or
// the -C workspace) for the server.
func lspWorkspace(f *Factory, dir string) (*lsp.Workspace, error) {
	cfg, err := config.Load(config.LoadOptions{Dir: f.Workspace, WorkDir: dir, Getenv: f.Getenv})
	if err != nil {
		return nil, err
	}
	return &lsp.Workspace{
		Root:       cfg.Workspace,
		BibPaths:   cfg.BibPaths(),
		NotesDir:   cfg.Path(cfg.Notes.Dir),
		JournalDir: cfg.Path(cfg.Journal.Dir),
		ReportDir:  cfg.Path(cfg.Report.Dir),
		TexRoots:   cfg.TexRoots(),
		Aliases:    cfg.Notes.Sections,
		Required:   cfg.Notes.RequiredSections,
		Language:   cfg.Language,
		Headings:   reportHeadings(cfg.Notes.Sections, cfg.Language),
	}, nil
}
