package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

type importOptions struct {
	IO    *IOStreams
	Files []string
	To    string
	Rekey bool
	Force bool
	JSON  bool
}

func newCmdImport(f *Factory, runF func(*importOptions) error) *cobra.Command {
	opts := &importOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Append new BibTeX entries to the library",
		Args:  minArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return errors.New("import: not built yet")
		},
	}
	cmd.Flags().StringVar(&opts.To, "to", "", "append to `FILE` instead of bib.default")
	cmd.Flags().BoolVar(&opts.Rekey, "rekey", false, "give every entry a key generated from bib.key_pattern")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "add suspected duplicates too")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}
