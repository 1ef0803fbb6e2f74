package cli

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/par"
)

type citeOptions struct {
	IO *IOStreams
	// Library loads the library, keeping of a large one only what keep
	// keeps (Factory.LibraryWhere).
	Library func(keep func(*bib.Entry) bool, visit func([]*bib.Entry)) (*bib.Library, error)

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
	opts := &citeOptions{IO: f.IOStreams, Library: f.LibraryWhere}
	cmd := &cobra.Command{
		Use:   "cite QUERY...",
		Short: "Print \\cite{...} with the keys of the entries matching QUERY",
		Long: `Print a citation command with the keys of every library entry that matches
all the words of QUERY, for use from an editor. A word matches when it starts
a word of the key (li2022grounded is li, 2022 and grounded too), the title,
the authors or the year, also without an English ending ("grounding" finds
Grounded), ignoring case and accents (LaTeX accents in the .bib are decoded
first, so "godel" finds G{\"o}del); Chinese words match anywhere. Keys are in library
order. With no match it prints nothing and exits 1.`,
		Example: `  papernotes cite blip frozen
  papernotes cite --command citep li 2022 grounded
  papernotes cite --json detection`,
		Args: minArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Query = strings.Join(args, " ")
			if strings.TrimSpace(opts.Query) == "" {
				return flagErrorf("QUERY is empty: give words of the key, title, authors or year")
			}
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

// citeMatches returns the entries that match every word of query (see
// citeWordMatch), in library order.
func citeMatches(lib *bib.Library, query string) []*bib.Entry {
	words := citeWords(query)
	entries := lib.Entries()
	// The entries are matched on all cores, and kept in library order.
	match := make([]bool, len(entries))
	par.Runs(len(entries), 512, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			match[i] = citeEntryMatch(entries[i], words)
		}
	})
	var out []*bib.Entry
	for i, e := range entries {
		if match[i] {
			out = append(out, e)
		}
	}
	return out
}

// citeWords returns the folded words of query.
func citeWords(query string) []string { return strings.Fields(foldText(query)) }

// citeEntryMatch reports whether every folded query word matches e.
func citeEntryMatch(e *bib.Entry, words []string) bool {
	hay := foldText(e.Key + " " + e.Title() + " " + strings.Join(entryAuthors(e), " ") + " " + e.Year())
	toks := citeTokens(hay, e.Key)
	for _, w := range words {
		if !citeWordMatch(w, hay, toks) {
			return false
		}
	}
	return true
}

// citeTokens splits folded text into words (runs of letters and digits),
// and adds the key's parts: li2022grounded gives li2022grounded, li, 2022
// and grounded.
func citeTokens(hay, key string) []string {
	isWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	toks := strings.FieldsFunc(hay, isWord)
	var cur []rune
	kind := 0 // 1 letter, 2 digit
	for _, r := range foldText(key) + " " {
		k := 0
		switch {
		case unicode.IsLetter(r):
			k = 1
		case unicode.IsDigit(r):
			k = 2
		}
		if k != kind && len(cur) > 0 {
			toks = append(toks, string(cur))
			cur = cur[:0]
		}
		if k != 0 {
			cur = append(cur, r)
		}
		kind = k
	}
	return toks
}

// citeSuffixes are the English endings a query word may drop, so that
// "grounding" finds "Grounded" and "images" finds "Image".
var citeSuffixes = []string{"ing", "ed", "es", "s", "ion"}

// citeWordMatch reports whether the folded query word w matches: it starts a
// word of the entry (its key, title, authors or year), or does so without an
// English ending (keeping at least 4 letters); a word with Chinese, Japanese
// or Korean characters, which are not separated by spaces, matches anywhere.
func citeWordMatch(w, hay string, toks []string) bool {
	for _, r := range w {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return strings.Contains(hay, w)
		}
	}
	qs := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, q := range qs {
		stem := q
		for _, suf := range citeSuffixes {
			if s, ok := strings.CutSuffix(q, suf); ok && utf8.RuneCountInString(s) >= 4 {
				stem = s
				break
			}
		}
		found := false
		for _, t := range toks {
			if strings.HasPrefix(t, q) || strings.HasPrefix(t, stem) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func citeRun(opts *citeOptions) error {
	// Of a large library, only the entries that match are kept.
	words := citeWords(opts.Query)
	lib, err := opts.Library(func(e *bib.Entry) bool { return citeEntryMatch(e, words) }, nil)
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
		if len(strings.Fields(opts.Query)) == 1 {
			return fmt.Errorf("no entry matches %q%s", opts.Query, keySuggestion(lib, strings.TrimSpace(opts.Query)))
		}
		return fmt.Errorf("no entry matches %q", opts.Query)
	}
	return nil
}
