package cli

import (
	"bytes"
	"errors"
	"go/token"
	"testing"

	"github.com/papernotes/papernotes/index"
)

// TestWarnProblems checks that a limit reached while indexing is shown
// with its position, and other problems by their number.
func TestWarnProblems(t *testing.T) {
	var errOut bytes.Buffer
	ios := &IOStreams{ErrOut: &errOut}
	trunc := &index.Error{Pos: token.Position{Filename: "notes/big.md", Line: 7, Column: 1}, Err: errTrunc{}}
	warnProblems(ios, index.Stats{Problems: []error{trunc, errors.New("bad front matter"), errors.New("bad entry")}})
	want := "warning: notes/big.md:7:1: section method is over 1 MiB; only its first 1 MiB is indexed\nwarning: 2 problem(s) in the files indexed; run papernotes check\n"
	if errOut.String() != want {
		t.Errorf("got %q, want %q", errOut.String(), want)
	}
}

type errTrunc struct{}

func (errTrunc) Error() string {
	return "section method is over 1 MiB; only its first 1 MiB is indexed"
}
func (errTrunc) Unwrap() error { return index.ErrTruncated }
