package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

// FlagError is a usage error: a bad flag, a missing or extra argument. Main
// prints it with the command's usage and exits 2.
type FlagError struct{ Err error }

// Error returns the underlying message.
func (e *FlagError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FlagError) Unwrap() error { return e.Err }

// flagErrorf returns a [*FlagError] with a formatted message.
func flagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ErrSilent makes Main exit 1 without printing anything more: the command has
// already reported what went wrong (check's problems, say).
var ErrSilent = errors.New("silent failure")

// exactArgs, minArgs and maxArgs are cobra argument validators
// whose errors are usage errors (exit 2), unlike cobra's own.
func exactArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return flagErrorf("accepts %d arg(s), received %d", n, len(args))
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return flagErrorf("requires at least %d arg(s), only received %d", n, len(args))
		}
		return nil
	}
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > n {
			return flagErrorf("accepts at most %d arg(s), received %d", n, len(args))
		}
		return nil
	}
}
