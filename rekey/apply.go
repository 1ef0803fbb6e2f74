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
// rename's target exists ([ErrTaken]). It then replaces each file
// atomically (safefile: through symbolic links, hard-linked files refused)
// and renames the note files last, never over an existing file (a note
// that is a symbolic link is renamed as a link). Files are written one after
// the other: an error part way (a full disk) leaves the files before it
// written and the others untouched, and the error says which file failed.
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
	for _, rn := range r.Renames {
		if _, err := os.Lstat(rn.To); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return &Error{Pos: token.Position{Filename: rn.To}, Err: fmt.Errorf("%w: the file exists", ErrTaken)}
		}
	}
	for i := range r.Files {
		f := &r.Files[i]
		out := f.Rewrite(f.Original)
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
		if err := move(rn.From, rn.To); err != nil {
			return err
		}
	}
	return nil
}

// move renames from to to, never replacing an existing to: a hard link
// (which fails when to exists) and the removal of from, or where the file
// system has no hard links, a check and a rename under the workspace lock.
func move(from, to string) error {
	err := os.Link(from, to)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return &Error{Pos: token.Position{Filename: to}, Err: fmt.Errorf("%w: the file exists", ErrTaken)}
	default:
		if _, lerr := os.Lstat(to); lerr == nil {
			return &Error{Pos: token.Position{Filename: to}, Err: fmt.Errorf("%w: the file exists", ErrTaken)}
		}
		if err := os.Rename(from, to); err != nil {
			return fmt.Errorf("rename key: %w", err)
		}
		return nil
	}
	if err := os.Remove(from); err != nil {
		return fmt.Errorf("rename key: remove %s after linking %s: %w", from, to, err)
	}
	return nil
}
