package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/convert"
	"github.com/papernotes/papernotes/fetch"
	"github.com/papernotes/papernotes/internal/config"
)

// idOptions are the flags shared by the commands that fetch records by
// identifier (add, import).
type idOptions struct {
	IDs       []fetch.ID
	Offline   bool
	Published bool
	// Fetch returns the client; nil means one built from the config.
	Fetch func(*config.Config) *fetch.Client
}

// splitArgs sorts add's arguments into files and identifiers: an argument
// that reads as an identifier ([fetch.ParseID]) and is not an existing
// file is an identifier; everything else ("-" included) is a file, whose
// reading reports it when it does not exist.
func splitArgs(args []string) (files []string, ids []fetch.ID) {
	for _, a := range args {
		if a != "-" {
			if _, serr := os.Stat(a); serr != nil {
				if id, perr := fetch.ParseID(a); perr == nil {
					ids = append(ids, id)
					continue
				}
			}
		}
		files = append(files, a)
	}
	return files, ids
}

// readIDFile reads one identifier a line; blank lines and # comments are
// skipped. Errors are positioned (file:line:col, col in bytes).
func readIDFile(name string) ([]fetch.ID, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var ids []fetch.ID
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		id, err := fetch.ParseID(t)
		if err != nil {
			col := strings.Index(line, t) + 1
			errs = append(errs, fmt.Errorf("%s:%d:%d: %w", name, n, col, err))
			continue
		}
		ids = append(ids, id)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ids, nil
}

// newFetchClient builds a client from the fetch: section.
func newFetchClient(cfg *config.Config) *fetch.Client {
	return fetch.New(fetch.Options{
		CrossrefURL: cfg.Fetch.CrossrefURL, DataCiteURL: cfg.Fetch.DataCiteURL,
		ArXivURL: cfg.Fetch.ArXivURL, OpenLibraryURL: cfg.Fetch.OpenLibraryURL,
		Mailto: cfg.Fetch.Mailto, Timeout: cfg.Fetch.TimeoutDuration(), Version: version(),
	})
}

// errOffline is returned when --offline is given with identifiers.
var errOffline = errors.New("--offline: identifiers need the network; nothing was fetched or written")

// fetchRecords fetches every identifier, in order, and prints each
// result's notes to ErrOut. The first failure stops it: the caller writes
// nothing for any identifier when one fails.
func fetchRecords(ctx context.Context, ios *IOStreams, cfg *config.Config, o *idOptions) ([]convert.Record, error) {
	if len(o.IDs) == 0 {
		return nil, nil
	}
	if o.Offline {
		return nil, errOffline
	}
	mk := o.Fetch
	if mk == nil {
		mk = newFetchClient
	}
	c := mk(cfg)
	recs := make([]convert.Record, 0, len(o.IDs))
	for _, id := range o.IDs {
		res, err := c.Fetch(ctx, id, fetch.FetchOptions{Published: o.Published})
		if err != nil {
			return nil, fmt.Errorf("%w; nothing was written", err)
		}
		for _, n := range res.Notes {
			fmt.Fprintf(ios.ErrOut, "note: %s\n", n)
		}
		recs = append(recs, res.Record)
	}
	return recs, nil
}

// recordSources writes records as BibTeX sources for the normal import
// path, each with a key from pattern that no library entry and no earlier
// record has (ingest then treats them as any pasted entry).
func recordSources(recs []convert.Record, lib *bib.Library, pattern string) []bibSource {
	used := map[string]bool{}
	taken := func(k string) bool {
		return used[strings.ToLower(k)] || (lib != nil && lib.HasKeyFold(k))
	}
	out := make([]bibSource, 0, len(recs))
	for _, r := range recs {
		r.Key = ""
		r = r.WithKey(pattern, taken)
		used[strings.ToLower(r.Key)] = true
		out = append(out, bibSource{name: r.Source, src: []byte(r.BibTeX())})
	}
	return out
}
