package cli

import (
	"errors"
	"io/fs"
	"os"
	"slices"

	"github.com/papernotes/papernotes/catalog"
	"github.com/papernotes/papernotes/notes"
)

// noteMetas is the front matter of every note of the workspace, by key,
// read without parsing the markdown bodies: what `list` and shell
// completion need, cheaply on a large notes folder.
type noteMetas struct {
	// ByKey maps a key to its note; when two notes claim a key, the one at
	// the key's own file name wins, else the first by path.
	ByKey map[string]*notes.Note
	// Tags are every tag used, sorted, without repeats.
	Tags []string
	// Skipped are the note files not read: links leading out of the
	// workspace and files that are not regular (notes.ErrOutside,
	// notes.ErrNotRegular), for a command to warn about.
	Skipped []*notes.Error
}

// NoteMetas reads the front matter of every note once per run. A missing
// notes folder gives an empty set; notes with problems still count with
// what could be read.
func (f *Factory) NoteMetas() (*noteMetas, error) {
	return memo(f, "notemetas", func() (*noteMetas, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		out := &noteMetas{ByKey: map[string]*notes.Note{}}
		dir := cfg.Path(cfg.Notes.Dir)
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return out, nil
		}
		ns, problems := notes.LoadDir(dir, notes.Options{MetaOnly: true, Root: cfg.Workspace})
		for _, p := range problems {
			if errors.Is(p, notes.ErrOutside) || errors.Is(p, notes.ErrNotRegular) {
				out.Skipped = append(out.Skipped, p)
			}
		}
		out.ByKey = catalog.ByKey(ns)
		seen := map[string]bool{}
		for _, n := range ns {
			for _, t := range n.Meta.Tags {
				if !seen[t] {
					seen[t] = true
					out.Tags = append(out.Tags, t)
				}
			}
		}
		slices.Sort(out.Tags)
		return out, nil
	})
}
