package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
)

type showOptions struct {
	IO          *IOStreams
	Library     func() (*bib.Library, error)
	DisplayPath func(string) string
	// Factory is there for extensions, which may need more than the library.
	Factory *Factory

	Key  string
	JSON bool
	// Extensions add to the result after the entry (the note, say).
	Extensions []showExtension
}

// showResult is what `show` prints; its JSON form is the documented contract
// {"key","type","file","line","fields","text","raw"} plus what extensions add.
type showResult struct {
	Key  string `json:"key"`
	Type string `json:"type"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Fields are the BibTeX values with macros expanded, LaTeX as written.
	Fields map[string]string `json:"fields"`
	// Text are the same values as plain Unicode text.
	Text map[string]string `json:"text"`
	Raw  string            `json:"raw"`
	// Note is filled by the notes extension (show_note.go); nil is omitted.
	Note any `json:"note,omitempty"`

	// Entry is the entry shown, for extensions.
	Entry *bib.Entry `json:"-"`
}

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
	opts := &showOptions{IO: f.IOStreams, Library: f.Library, DisplayPath: f.displayPath, Factory: f, Extensions: showExtensions(f)}
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
	lib, err := opts.Library()
	if err != nil {
		return err
	}
	e, ok := lib.Lookup(opts.Key)
	if !ok {
		return unknownKeyError(lib, opts.Key, "")
	}
	res := &showResult{
		Key: e.Key, Type: e.Type, File: opts.DisplayPath(e.Pos.Filename), Line: e.Pos.Line,
		Fields: make(map[string]string, len(e.Fields)), Text: make(map[string]string, len(e.Fields)),
		Raw: e.Raw, Entry: e,
	}
	for _, fl := range e.Fields {
		v := bib.Expand(fl.Value)
		res.Fields[fl.Name] = v
		res.Text[fl.Name] = bib.DecodeLaTeX(v)
	}
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

func showText(opts *showOptions, res *showResult) error {
	cs := opts.IO.Colors()
	w := opts.IO.Out
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
