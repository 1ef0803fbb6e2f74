package rekey

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"os"

	"github.com/papernotes/papernotes/internal/safefile"
)

// Apply writes a planned rename. It first re-reads every file to change
// and refuses, writing nothing, when any of them no longer holds the bytes
// the plan was computed on (an error wrapping [ErrChanged]) or when a
// rename's target exists ([ErrTaken]). It then writes each file atomically
// (safefile: through symbolic links, hard-linked files refused), a renamed
// note as a new file under its new name followed by the removal of the old
// one. Files are written one after the other: an error part way (a full
// disk) leaves the files before it written and the others untouched, and
// the error says which file failed.
//
// The caller holds the workspace lock (safefile.LockWorkspace) from before
// [Plan] until Apply returns, so that no papernotes writer runs in between.
func Apply(r *Result) error {
	for _, f := range r.Files {
		cur, err := safefile.ReadRegular(f.Path)
		if err != nil {
			return fmt.Errorf("rename key: %w", err)
		}
		if !bytes.Equal(cur, f.Original) {
			return &Error{Pos: token.Position{Filename: f.Path}, Err: ErrChanged}
		}
	}
	renamed := map[string]string{}
	for _, rn := range r.Renames {
		if _, err := os.Lstat(rn.To); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return &Error{Pos: token.Position{Filename: rn.To}, Err: fmt.Errorf("%w: the file exists", ErrTaken)}
		}
		renamed[rn.From] = rn.To
	}
	for i := range r.Files {
		f := &r.Files[i]
		out := f.Rewrite(f.Original)
		if to, ok := renamed[f.Path]; ok {
			if err := moveWith(f.Path, to, out); err != nil {
				return err
			}
			delete(renamed, f.Path)
			continue
		}
		err := safefile.Update(f.Path, 0o644, func(old []byte, _ bool) ([]byte, error) {
			if !bytes.Equal(old, f.Original) {
				return nil, &Error{Pos: token.Position{Filename: f.Path}, Err: ErrChanged}
			}
			return out, nil
		})
		if err != nil {
			return err
		}
	}
	for _, rn := range r.Renames {
		if _, ok := renamed[rn.From]; !ok {
			continue
		}
		src, err := safefile.ReadRegular(rn.From)
		if err != nil {
			return fmt.Errorf("rename key: %w", err)
		}
		if err := moveWith(rn.From, rn.To, src); err != nil {
			return err
		}
	}
	return nil
}

// moveWith creates to with data (never overwriting) and removes from.
func moveWith(from, to string, data []byte) error {
	perm := fs.FileMode(0o644)
	if fi, err := os.Stat(from); err == nil {
		perm = fi.Mode().Perm()
	}
	if err := safefile.CreateNew(to, data, perm); err != nil {
		return err
	}
	if err := os.Remove(from); err != nil {
		return fmt.Errorf("rename key: remove %s after writing %s: %w", from, to, err)
	}
	return nil
}
