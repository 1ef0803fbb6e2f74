package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/catalog"
)

type showOptions struct {
	IO          *IOStreams
	Library     func(keys ...string) (*bib.Library, error)
	DisplayPath func(string) string
	// Factory is there for extensions, which may need more than the library.
	Factory *Factory

	Key  string
	JSON bool
	// Extensions add to the result after the entry (the note, say).
	Extensions []showExtension
}

// showResult is what `show` prints; its JSON form is the documented contract
// {"key","type","file","line","fields","text","raw"} plus what extensions add
// (catalog.Entry, which the web view's /api/entry/KEY sends too).
type showResult = catalog.Entry

// showExtension adds a part to `show`: it registers its flags, fills its part
// of the result (which the JSON output then carries), and prints its part of
// the text output after the entry. Register one in showExtensions (root.go).
type showExtension interface {
	// Flags adds the extension's flags to the show command.
	Flags(cmd *cobra.Command)
	// Extend fills the extension's part of res, such as res.Note.
	Extend(opts *showOptions, res *showResult) error
	// WriteText prints the extension's part of the text output to w.
	WriteText(w io.Writer, opts *showOptions, res *showResult) error
}

// showExclusive is an optional interface of a showExtension. When
// ExclusiveText reports true (the note extension with --section, say), the
// text output is that extension's part alone, without the entry before it.
// The JSON output is unchanged: the entry is still there for scripts.
type showExclusive interface {
	ExclusiveText() bool
}

func newCmdShow(f *Factory, runF func(*showOptions) error) *cobra.Command {
	opts := &showOptions{IO: f.IOStreams, Library: f.LibraryFor, DisplayPath: f.displayPath, Factory: f, Extensions: showExtensions(f)}
	cmd := &cobra.Command{
		Use:   "show KEY",
		Short: "Show one entry (fields as text and as BibTeX, source, raw bytes) and its note",
		Example: `  papernotes show li2023blip
  papernotes show li2023blip --json | jq .text.title`,
		Args: exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Key = args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: {key,type,file,line,fields,text,raw}")
	for _, ext := range opts.Extensions {
		ext.Flags(cmd)
	}
	return cmd
}

func showRun(opts *showOptions) error {
	lib, err := opts.Library(opts.Key)
	if err != nil {
		return err
	}
	e, ok := lib.Lookup(opts.Key)
	if !ok {
		return unknownKeyError(lib, opts.Key, "")
	}
	res := catalog.NewEntry(e, opts.DisplayPath)
	for _, ext := range opts.Extensions {
		if err := ext.Extend(opts, res); err != nil {
			return err
		}
	}
	if opts.JSON {
		return writeJSON(opts.IO.Out, res)
	}
	return showText(opts, res)
}

// showText prints res through one buffer over opts.IO.Out, flushed once at
// the end: an entry with 200,000 fields is then a few large writes, not one
// write per line (which took seconds of system time).
func showText(opts *showOptions, res *showResult) error {
	w := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	if err := showTextTo(w, opts, res); err != nil {
		w.Flush()
		return err
	}
	return w.Flush()
}

func showTextTo(w io.Writer, opts *showOptions, res *showResult) error {
	cs := opts.IO.Colors()
	for _, ext := range opts.Extensions {
		if x, ok := ext.(showExclusive); ok && x.ExclusiveText() {
			return ext.WriteText(w, opts, res)
		}
	}
	fmt.Fprintf(w, "%s %s\n", cs.Bold(res.Key), cs.Gray(fmt.Sprintf("@%s  %s:%d", res.Type, res.File, res.Line)))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, fl := range res.Entry.Fields {
		v, t := res.Fields[fl.Name], res.Text[fl.Name]
		fmt.Fprintf(tw, "  %s\t%s\n", cs.Cyan(fl.Name), oneLine(t))
		if t != v {
			fmt.Fprintf(tw, "  \t%s\n", cs.Gray("bibtex: "+oneLine(v)))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n%s\n", cs.Bold("raw:"), strings.TrimRight(res.Raw, "\n"))
	for _, ext := range opts.Extensions {
		if err := ext.WriteText(w, opts, res); err != nil {
			return err
		}
	}
	return nil
}

// oneLine joins a value's lines with single spaces, for tabular output.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
