package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/index"
	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/notes"
)

type searchOptions struct {
	IO          *IOStreams
	Index       func() (*index.Index, error)
	Sources     func() (index.Sources, error)
	DisplayPath func(string) string
	Getenv      func(string) string
	// Config, when set, is read to warn about missing bib files.
	Config  func() (*config.Config, error)
	Context context.Context

	Query  *index.Query
	Search index.SearchOptions
	JSON   bool
	// NoUpdate searches the index as it is, without looking for changed
	// notes first (unless there is no index yet).
	NoUpdate bool
}

// searchItem is one element of `search --json`, the documented contract
// (index.HitJSON, which the web view's /api/search sends too).
type searchItem = index.HitJSON

func newCmdSearch(f *Factory, runF func(*searchOptions) error) *cobra.Command {
	opts := &searchOptions{IO: f.IOStreams, Index: f.Index, Sources: f.IndexSources, DisplayPath: f.displayPath, Getenv: f.Getenv, Config: f.Config}
	var year string
	cmd := &cobra.Command{
		Use:   "search [QUERY]",
		Short: "Search notes and bib entries, ranked, section-aware",
		Long: `Search the notes' sections and the bib entries' title, authors, venue,
keywords and abstract. Chinese matches exactly where the text contains the
query (never across punctuation); other text matches whole words.

The query language:
  word "a phrase"       every term must match somewhere in the paper
  -word                 exclude papers that match
  a OR b                either (OR binds tighter than the implicit AND)
  ( ... )               grouping
  relevance:SAM         a term in one section (any section id)
  title: author:        the bib title, an author's name
  tag:vlm status:read   the note's tags and status
  year:2022..2023       the bib year (also 2022, ..2021, 2020..)

The index lives in the workspace's .papernotes/ folder and is brought up to
date (only changed files) before every search; --no-update skips that check
(it looks at every note's size and time) and searches the index as it is.`,
		Example: `  papernotes search 开放词汇
  papernotes search --section relevance SAM
  papernotes search '"open vocabulary" -segmentation year:2022..'
  papernotes search --tag vlm --json grounding | jq -r '.[].key'`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text := ""
			if len(args) == 1 {
				text = args[0]
			}
			q, err := index.ParseQuery(text)
			if err != nil {
				return &FlagError{Err: err}
			}
			opts.Query = q
			if year != "" {
				if opts.Search.Years, err = index.ParseYears(year); err != nil {
					return flagErrorf("--year: %v", err)
				}
			}
			if cmd.Flags().Changed("status") {
				st := strings.ToLower(strings.TrimSpace(opts.Search.Status))
				if !slices.Contains(notes.Statuses, st) {
					return flagErrorf("--status must be one of %s, not %q", strings.Join(notes.Statuses, ", "), opts.Search.Status)
				}
				opts.Search.Status = st
			}
			if q.Empty() && opts.Search.Filters == (index.Filters{}) {
				return flagErrorf("give a query or a filter (--tag, --year, --author, --status)")
			}
			if opts.Search.Limit < 0 {
				return flagErrorf("--limit must be 0 (no limit) or more, not %d", opts.Search.Limit)
			}
			if opts.Search.Limit == 0 {
				opts.Search.Limit = -1 // index: negative is no limit
			}
			opts.Context = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return searchRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Search.Section, "section", "", "match the query's terms in section `ID` only (relevance, method, ...)")
	cmd.Flags().StringVar(&opts.Search.Tag, "tag", "", "only papers whose note has `TAG`")
	cmd.Flags().StringVar(&year, "year", "", "only years `Y`, A..B, A.. or ..B")
	cmd.Flags().StringVar(&opts.Search.Author, "author", "", "only papers with an author matching every word of `NAME`")
	cmd.Flags().StringVar(&opts.Search.Status, "status", "", "only papers whose note has `STATUS` (toread, reading, read)")
	cmd.Flags().IntVarP(&opts.Search.Limit, "limit", "n", 20, "show at most `N` hits (0: all)")
	cmd.Flags().BoolVar(&opts.NoUpdate, "no-update", false, "search the index as it is, without indexing changed notes first")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: [{key,title,year,section,snippet,path,line,column,score}]")
	return cmd
}

func searchRun(opts *searchOptions) error {
	ctx := ctxOr(opts.Context)
	// A search is a short process whose heap stays small: collecting
	// garbage less often saved about a tenth of its time on 10,000 notes
	// (and a fifth of a search of an indexed 59 MB library). Not while it
	// indexes more than 16 MB of files, as the first search of a large
	// library does: the heap then grew to five times what was live, 1.1 GB
	// for that library, and the faults on so much fresh memory made it
	// slower too (10.5 s against 7.6 s). GOGC, when set, still decides.
	src, err := opts.Sources()
	if err != nil {
		return err
	}
	if opts.Getenv == nil || opts.Getenv("GOGC") == "" {
		prev := debug.SetGCPercent(400)
		defer debug.SetGCPercent(prev)
		src.Indexing = func(_ int, size int64) {
			if size > 16<<20 {
				debug.SetGCPercent(prev)
			}
		}
	}
	src, finish := withProgress(opts.IO, src, false)
	finish = sync.OnceFunc(finish) // before the warnings, or at the end
	defer finish()
	// The scan of the notes starts before the index is opened: they take
	// about the same time, and the scan the longest.
	var sc *index.Scan
	if !opts.NoUpdate {
		sc = index.StartScan(src)
	}
	ix, err := opts.Index()
	if err != nil {
		return err
	}
	defer ix.Close()
	if opts.Config != nil {
		if cfg, err := opts.Config(); err == nil {
			warnBibPaths(opts.IO.ErrOut, src.BibPaths, opts.DisplayPath, cfg.Path(cfg.Bib.Default))
		}
	}
	var res *index.Result
	var st index.Stats
	if opts.NoUpdate && ix.Built() {
		res, err = ix.Search(ctx, opts.Query, opts.Search)
	} else {
		if sc == nil {
			sc = index.StartScan(src)
		}
		res, st, err = ix.SyncSearchScanned(ctx, sc, opts.Query, opts.Search)
		finish()
	}
	warnProblems(opts.IO, st)
	if errors.Is(err, index.ErrEmptyQuery) || errors.Is(err, index.ErrUnknownSection) {
		return &FlagError{Err: err}
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		items := make([]searchItem, len(res.Hits))
		for i, h := range res.Hits {
			items[i] = h.JSON(opts.DisplayPath)
		}
		return writeJSON(opts.IO.Out, items)
	}
	return printHits(opts, res)
}

// printHits prints two lines per hit: key, year and title, then where the
// best section is and its snippet, the matches in colour on a terminal and
// between ** otherwise.
func printHits(opts *searchOptions, res *index.Result) error {
	cs := opts.IO.Colors()
	open, close := "**", "**"
	if opts.IO.ColorEnabled() {
		open, close = "\x1b[1;33m", "\x1b[0m"
	}
	var b strings.Builder
	for _, h := range res.Hits {
		year := "----"
		if h.Year != 0 {
			year = fmt.Sprint(h.Year)
		}
		b.WriteString(strings.TrimRight(fmt.Sprintf("%s  %s  %s", cs.Bold(h.Key), year, h.Title), " "))
		b.WriteByte('\n')
		loc := textSafe(opts.DisplayPath(h.Path))
		if h.Line > 0 {
			loc += fmt.Sprintf(":%d:%d", h.Line, max(h.Column, 1))
		}
		if h.Section != "" {
			fmt.Fprintf(&b, "    %s [%s] %s\n", cs.Cyan(loc), h.Section, h.Snippet.Marked(open, close))
		} else {
			fmt.Fprintf(&b, "    %s\n", cs.Cyan(loc))
		}
	}
	if _, err := fmt.Fprint(opts.IO.Out, b.String()); err != nil {
		return err
	}
	if len(res.Hits) < res.Total {
		fmt.Fprintf(opts.IO.ErrOut, "%d of %d papers shown; --limit 0 shows all\n", len(res.Hits), res.Total)
	}
	if res.Total == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "no papers match")
	}
	return nil
}
