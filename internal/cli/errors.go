package cli

import (
	"strings"

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
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return missingArgs(cmd, len(args))
		}
		if len(args) != n {
			return flagErrorf("accepts %d arg(s), received %d", n, len(args))
		}
		return nil
	}
}

// subcommandArgs is the argument validator of a command that only groups
// subcommands (export): an argument is an unknown subcommand, a usage error
// with cobra's suggestions, as for the root.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default for the root
	}
	return flagErrorf("unknown command %q for %q%s", args[0], cmd.CommandPath(), didYouMean(cmd.SuggestionsFor(args[0]), false))
}

func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return missingArgs(cmd, len(args))
		}
		return nil
	}
}

// missingArgs names the arguments a command lacks, from its usage line
// ("show KEY": "missing KEY"), given the number it received.
func missingArgs(cmd *cobra.Command, got int) error {
	var names []string
	for _, w := range strings.Fields(cmd.Use)[1:] {
		if strings.HasPrefix(w, "[") || strings.HasPrefix(w, "-") {
			break
		}
		names = append(names, strings.TrimSuffix(w, "..."))
	}
	if got >= len(names) {
		return flagErrorf("missing argument: usage: %s", cmd.UseLine())
	}
	return flagErrorf("missing %s: usage: %s", strings.Join(names[got:], " "), cmd.UseLine())
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > n {
			return flagErrorf("accepts at most %d arg(s), received %d", n, len(args))
		}
		return nil
	}
}
