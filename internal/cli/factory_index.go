package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/papernotes/papernotes/index"
	"github.com/papernotes/papernotes/internal/config"
)

// Index opens the workspace's search index (creating it when missing) once
// per run. It does not bring the index up to date: commands call
// [Factory.SyncIndex] (or index.Sync themselves) before reading it.
func (f *Factory) Index() (*index.Index, error) {
	return memo(f, "index", func() (*index.Index, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		return index.Open(indexPath(cfg))
	})
}

// indexPath is the file of the workspace's search index.
func indexPath(cfg *config.Config) string {
	return filepath.Join(cfg.Path(cfg.Index.Dir), "index.db")
}

// IndexSources says where the workspace's notes and bib files are, for
// index.Sync.
func (f *Factory) IndexSources() (index.Sources, error) {
	cfg, err := f.Config()
	if err != nil {
		return index.Sources{}, err
	}
	return indexSources(cfg), nil
}

// indexSources is [Factory.IndexSources] of cfg.
func indexSources(cfg *config.Config) index.Sources {
	return index.Sources{
		Root:     cfg.Workspace,
		NotesDir: cfg.Path(cfg.Notes.Dir),
		BibPaths: cfg.BibPaths(),
		Notes:    noteOptions(cfg),
	}
}

// progressMin is the number of files to index from which a sync shows a
// progress bar on a terminal.
const progressMin = 200

// withProgress returns src with a progress callback that draws a bar on
// stderr when it is a terminal and there is much to do (always: whatever
// the amount), and a function to call when the sync is over.
func withProgress(ios *IOStreams, src index.Sources, always bool) (index.Sources, func()) {
	var bar *progressbar.ProgressBar
	if ios.ErrTTY {
		src.Progress = func(done, total int) {
			if bar == nil {
				if total < progressMin && !always {
					return
				}
				bar = progressbar.NewOptions(total,
					progressbar.OptionSetWriter(ios.ErrOut),
					progressbar.OptionSetDescription("indexing"),
					progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish(),
					progressbar.OptionThrottle(100*time.Millisecond),
				)
			}
			_ = bar.Set(done)
		}
	}
	return src, func() {
		if bar != nil {
			_ = bar.Finish()
		}
	}
}

// warnProblems tells stderr that some files indexed had problems: each
// limit reached (index.ErrTruncated) on a line of its own, the others by
// their number, which check lists.
func warnProblems(ios *IOStreams, st index.Stats) {
	n := 0
	for _, p := range st.Problems {
		if errors.Is(p, index.ErrTruncated) {
			fmt.Fprintf(ios.ErrOut, "warning: %v\n", p)
		} else {
			n++
		}
	}
	if n > 0 {
		fmt.Fprintf(ios.ErrOut, "warning: %d problem(s) in the files indexed; run papernotes check\n", n)
	}
}
