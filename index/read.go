package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// NotesRead returns the notes whose `read:` date is from from to to
// (inclusive, by calendar day), as paths to open, sorted, after bringing
// the index up to date. It does so only when that is cheap: when the index
// is built with src's section aliases and at most most files are new,
// changed or gone since the last sync. Otherwise ok is false and nothing is
// written: building or catching up a large index costs seconds, and the
// caller is better off reading the notes' front matter itself.
//
// The dates are those [notes.Parse] gives, as the indexed notes are parsed
// in full; st.Problems holds the links the scan skipped (see [Sync]) and
// the problems of the files indexed.
func (ix *Index) NotesRead(ctx context.Context, src Sources, from, to time.Time, most int) (paths []string, st Stats, ok bool, err error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if quick, err := ix.unchangedConfig(ctx, src); err != nil || !quick {
		return nil, st, false, err
	}
	files, skipped, err := scan(src, runtime.GOMAXPROCS(0), nil)
	if err != nil {
		return nil, st, false, fmt.Errorf("sync index: %w", err)
	}
	// fillAtMost returns at once when the fingerprint is unchanged.
	st, err = ix.fillAtMost(ctx, src, files, max(most, 1))
	if errors.Is(err, errTooMany) {
		return nil, st, false, nil
	}
	if err != nil {
		return nil, st, false, err
	}
	st.Files = len(files)
	st.Problems = append(skipped, st.Problems...)
	rows, err := ix.db.QueryContext(ctx, `SELECT file FROM notes WHERE read >= ? AND read <= ? ORDER BY file`,
		from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil {
		return nil, st, false, fmt.Errorf("search index: %w", plain(err))
	}
	defer rows.Close()
	for rows.Next() {
		var rel string
		if err := rows.Scan(&rel); err != nil {
			return nil, st, false, fmt.Errorf("search index: %w", plain(err))
		}
		paths = append(paths, displayPath(src.Root, rel))
	}
	if err := rows.Err(); err != nil {
		return nil, st, false, fmt.Errorf("search index: %w", plain(err))
	}
	return paths, st, true, nil
}
