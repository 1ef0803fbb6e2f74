package cli

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/bibmerge"
	"github.com/papernotes/papernotes/gitrepo"
	"github.com/papernotes/papernotes/internal/safefile"
)

type mergeBibOptions struct {
	IO      *IOStreams
	Context context.Context
	// LookGit finds the git program, for the text merge of a side that
	// does not parse.
	LookGit func() (string, error)

	Base, Ours, Theirs string
	// Path is the file's path in the repository (git's %P); it labels the
	// markers and the messages. "" uses Ours.
	Path string
}

func newCmdMergeBib(f *Factory, runF func(*mergeBibOptions) error) *cobra.Command {
	opts := &mergeBibOptions{IO: f.IOStreams, LookGit: func() (string, error) { return exec.LookPath("git") }}
	cmd := &cobra.Command{
		Use:   "merge-bib BASE OURS THEIRS [PATH]",
		Short: "Merge three versions of a .bib file entry by entry (git's merge driver)",
		Long: `The merge driver git runs for .bib files once papernotes git setup (or init
in a git work tree) registered it: a three-way merge by entry key and @string
name. Entries added on either side are kept, one-sided changes and deletions
taken, an entry both sides changed is merged field by field; the same field
changed differently gives conflict markers around that one entry. See the
README, "A workspace in git", for every rule.

The result replaces OURS (atomically). Exit status: 0 merged cleanly, 1
merged with conflict markers (each conflict is named on stderr), 2 or more
an error. A side that does not parse falls back to git's text merge (git
merge-file). merge-bib reads no config and takes no workspace lock: git runs
it in the middle of a merge or pull, perhaps one papernotes sync started
while holding the lock.`,
		Example: `  git config merge.papernotes-bib.driver 'papernotes merge-bib %O %A %B %P'
  papernotes merge-bib base.bib ours.bib theirs.bib bib/library.bib`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 3 {
				return missingArgs(cmd, len(args))
			}
			return maxArgs(4)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			opts.Base, opts.Ours, opts.Theirs = args[0], args[1], args[2]
			if len(args) == 4 {
				opts.Path = args[3]
			}
			if runF != nil {
				return runF(opts)
			}
			return mergeBibRun(opts)
		},
	}
	return cmd
}

// exitError is an error with its own exit status, for merge-bib, whose
// errors git must tell from conflicts (exit 1).
type exitError struct {
	Code int
	Err  error
}

func (e *exitError) Error() string { return e.Err.Error() }
func (e *exitError) Unwrap() error { return e.Err }

func mergeBibRun(opts *mergeBibOptions) (err error) {
	fail := func(err error) error { return &exitError{Code: 2, Err: err} }
	// The inputs may be mapped files: if one shrinks while it is read,
	// touching the vanished pages is a fault, which becomes an error here
	// (exit 2, OURS untouched) rather than a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(interface{ Addr() uintptr }); !ok {
				panic(r)
			}
			err = fail(fmt.Errorf("an input file changed while it was read: %v", r))
		}
	}()
	var src [3][]byte
	for i, p := range []string{opts.Base, opts.Ours, opts.Theirs} {
		b, release, err := bib.MapFile(p, true)
		if err != nil {
			return fail(fmt.Errorf("read %s: %w", p, err))
		}
		defer release(-1)
		src[i] = b
	}
	path := opts.Path
	if path == "" {
		path = opts.Ours
	}
	ctx := ctxOr(opts.Context)
	textMerge := func(base, ours, theirs []byte) ([]byte, bool, error) {
		git, err := opts.LookGit()
		if err != nil {
			return nil, false, fmt.Errorf("find git for a text merge: %w", err)
		}
		// The temporary files go next to OURS, inside the repository
		// git is merging in.
		return gitrepo.MergeFile(ctx, git, filepath.Dir(opts.Ours), base, ours, theirs,
			[3]string{"ours:" + path, "base:" + path, "theirs:" + path})
	}
	res, err := bibmerge.Merge(src[0], src[1], src[2], bibmerge.Options{Path: path, TextMerge: textMerge})
	if err != nil {
		// The message now: err may hold strings of the mapped files.
		return fail(errors.New(err.Error()))
	}
	if err := safefile.WriteFile(opts.Ours, res.Out, 0o644); err != nil {
		return fail(explainWriteError(err, nil))
	}
	if res.Fallback {
		var ue *bibmerge.UnparsableError
		why := res.FallbackReason
		if errors.As(why, &ue) {
			why = ue.Err
		}
		fmt.Fprintf(opts.IO.ErrOut, "%s: merged as text, not by entries: %v\n", path, why)
		if res.TextConflict {
			fmt.Fprintf(opts.IO.ErrOut, "%s: conflict markers left by the text merge\n", path)
			return ErrSilent
		}
		return nil
	}
	for _, c := range res.Conflicts {
		if c.Key == "" {
			fmt.Fprintf(opts.IO.ErrOut, "%s:%d:1: conflict: %s\n", path, c.Line, c.Reason)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "%s:%d:1: conflict: %q %s\n", path, c.Line, c.Key, c.Reason)
		}
	}
	if !res.Clean() {
		return ErrSilent
	}
	return nil
}
