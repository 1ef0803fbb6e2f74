package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

// Shell completion: cobra's `completion bash|zsh|fish|powershell` prints the
// script, and the script calls the hidden `__complete` command, which runs
// the functions below. They read what they need once (the library for
// keys, the notes' front matter for tags) and never build the search index,
// so completing stays quick on a large library. They print nothing: a
// missing workspace or a broken file completes nothing.

// completeKeys completes cite keys from the library for the first n
// positional arguments (n 0: every one), leaving out keys already given.
// Each completion carries the entry's title as its description. Attach it to
// a command taking keys:
//
//	cmd.ValidArgsFunction = completeKeys(f, 1)
func completeKeys(f *Factory, n int) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if n > 0 && len(args) >= n {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		given := map[string]bool{}
		for _, a := range args {
			given[a] = true
		}
		lib, err := f.LibraryWhere(func(e *bib.Entry) bool { return hasPrefixFold(e.Key, toComplete) }, nil)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, e := range lib.Entries() {
			if given[e.Key] || !hasPrefixFold(e.Key, toComplete) {
				continue
			}
			out = append(out, cobra.CompletionWithDesc(e.Key, completionDesc(e.Title())))
		}
		slices.Sort(out) // by key: the description follows a tab
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeTags completes the tags used in the workspace's notes.
func completeTags(f *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		m, err := f.NoteMetas()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return filterPrefix(m.Tags, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeStatuses completes a note status: toread, reading or read.
func completeStatuses(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return filterPrefix(notes.Statuses, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeSections completes a section id: the sections of the note of
// the key in args[0] when there is one, else the canonical ids.
func completeSections(f *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		ids := append([]string(nil), notes.CanonicalSections...)
		if len(args) > 0 {
			if n := completionNote(f, args[0]); n != nil {
				ids = ids[:0]
				for _, s := range n.Sections {
					if !contains(ids, s.ID) {
						ids = append(ids, s.ID)
					}
				}
			}
		}
		return filterPrefix(ids, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completionNote parses the note of key in full, or returns nil.
func completionNote(f *Factory, key string) *notes.Note {
	m, err := f.NoteMetas()
	if err != nil || m.ByKey[key] == nil {
		return nil
	}
	cfg, err := f.Config()
	if err != nil {
		return nil
	}
	path := m.ByKey[key].Path
	src, err := notes.ReadFile(path)
	if err != nil {
		return nil
	}
	n, _ := notes.Parse(path, src, noteOptions(cfg))
	return n
}

// completeStatusArgs completes `status KEY toread|reading|read`.
func completeStatusArgs(f *Factory) cobra.CompletionFunc {
	keys := completeKeys(f, 1)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch len(args) {
		case 0:
			return keys(cmd, args, toComplete)
		case 1:
			return completeStatuses(cmd, args, toComplete)
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// registerCompletions attaches the completion functions to the commands
// and flags that take keys, tags, statuses and section ids. A command that
// already set its own completion keeps it; a command or flag that does not
// exist (yet) is skipped, so `open` and `status` get theirs when they land.
func registerCompletions(root *cobra.Command, f *Factory) {
	args := map[string]cobra.CompletionFunc{
		"show":       completeKeys(f, 1),
		"new":        completeKeys(f, 1),
		"render":     completeKeys(f, 1),
		"open":       completeKeys(f, 1),
		"status":     completeStatusArgs(f),
		"rename-key": completeKeys(f, 1),
		"cite":       completeKeys(f, 0),
		"export bib": completeKeys(f, 0),
	}
	flags := map[string]cobra.CompletionFunc{
		"tag":     completeTags(f),
		"status":  completeStatuses,
		"section": completeSections(f),
	}
	// -C/--workspace takes a folder.
	_ = root.MarkPersistentFlagDirname("workspace")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.TrimPrefix(c.CommandPath(), root.Name()+" ")
		if fn, ok := args[path]; ok && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = fn
		}
		for name, fn := range flags {
			if c.Flags().Lookup(name) == nil {
				continue
			}
			if _, ok := c.GetFlagCompletionFunc(name); ok {
				continue
			}
			_ = c.RegisterFlagCompletionFunc(name, fn)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// filterPrefix returns the items of list starting with prefix, ignoring case.
func filterPrefix(list []string, prefix string) []cobra.Completion {
	var out []cobra.Completion
	for _, s := range list {
		if hasPrefixFold(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// completionDesc shortens a title to one line of at most 60 runes.
func completionDesc(s string) string {
	s = oneLine(s)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}
