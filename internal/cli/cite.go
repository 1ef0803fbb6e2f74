package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
)

type citeOptions struct {
	IO      *IOStreams
	Library func() (*bib.Library, error)

	Query   string
	Command string
	JSON    bool
}

// citeItem is one element of `cite --json`.
type citeItem struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Year  string `json:"year"`
}

func newCmdCite(f *Factory, runF func(*citeOptions) error) *cobra.Command {
	opts := &citeOptions{IO: f.IOStreams, Library: f.Library}
	cmd := &cobra.Command{
		Use:   "cite QUERY...",
		Short: "Print \\cite{...} with the keys of the entries matching QUERY",
		Long: `Print a citation command with the keys of every library entry that matches
all the words of QUERY, for use from an editor. A word matches the key, the
title, the authors or the year, ignoring case and accents (LaTeX accents in
the .bib are decoded first, so "godel" finds G{\"o}del). Keys are in library
order. With no match it prints nothing and exits 1.`,
		Example: `  papernotes cite blip frozen
  papernotes cite --command citep li 2022 grounded
  papernotes cite --json detection`,
		Args: minArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Query = strings.Join(args, " ")
			if opts.Command == "" || strings.ContainsAny(opts.Command, "\\{} ") {
				return flagErrorf("--command must be a command name such as cite, citep or parencite, not %q", opts.Command)
			}
			if runF != nil {
				return runF(opts)
			}
			return citeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Command, "command", "cite", "citation `NAME` to print (citep, parencite, ...)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: [{key,title,year}]")
	return cmd
}

// citeMatches returns the entries whose key, title, authors and year hold
// every word of query (folded: lower case, no accents).
func citeMatches(lib *bib.Library, query string) []*bib.Entry {
	words := strings.Fields(foldText(query))
	var out []*bib.Entry
	for _, e := range lib.Entries() {
		hay := foldText(e.Key + " " + e.Title() + " " + strings.Join(entryAuthors(e), " ") + " " + e.Year())
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

func citeRun(opts *citeOptions) error {
	lib, err := opts.Library()
	if err != nil {
		return err
	}
	matches := citeMatches(lib, opts.Query)
	if opts.JSON {
		items := []citeItem{}
		for _, e := range matches {
			items = append(items, citeItem{Key: e.Key, Title: e.Title(), Year: e.Year()})
		}
		if err := writeJSON(opts.IO.Out, items); err != nil {
			return err
		}
	} else if len(matches) > 0 {
		keys := make([]string, 0, len(matches))
		seen := map[string]bool{}
		for _, e := range matches {
			if !seen[e.Key] {
				seen[e.Key] = true
				keys = append(keys, e.Key)
			}
		}
		fmt.Fprintf(opts.IO.Out, "\\%s{%s}\n", opts.Command, strings.Join(keys, ","))
	}
	if len(matches) == 0 {
		return fmt.Errorf("no entry matches %q", opts.Query)
	}
	return nil
}
