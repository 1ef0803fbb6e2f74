package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/internal/guard"
)

// outputFile is one file a command writes at the user's request (-o).
type outputFile struct {
	// Path is absolute; Display is how messages name it.
	Path, Display string
}

// sideOutput is the companion file with extension ext written beside out
// (the .bib of a .tex), named in messages as such.
func sideOutput(out outputFile, ext string) outputFile {
	p := strings.TrimSuffix(out.Path, filepath.Ext(out.Path)) + ext
	d := strings.TrimSuffix(out.Display, filepath.Ext(out.Display)) + ext
	return outputFile{Path: p, Display: fmt.Sprintf("%s (the %s written beside %s)", d, ext, out.Display)}
}

// checkOutputs refuses, unless force, to write any of outs over one of the
// workspace's sources (a library file of bib.paths, a note, a journal file,
// a report template, config.yaml), over one of inputs (the files the
// command reads, absolute paths), or as a new file that would join the
// library or the notes. The error says which file and what writing it
// would destroy.
func checkOutputs(cfg *config.Config, outs []outputFile, inputs []string, force bool) error {
	if force {
		return nil
	}
	s := sourceGuard(cfg, true)
	for _, in := range inputs {
		s.File(in, "one of this command's inputs", "destroy it")
	}
	for _, o := range outs {
		if err := s.Check(o.Path, o.Display); err != nil {
			return fmt.Errorf("%w (use --force to write it anyway)", err)
		}
	}
	return nil
}

// sourceGuard lists the workspace's sources that no output may overwrite;
// the library files only when library is set.
func sourceGuard(cfg *config.Config, library bool) *guard.Set {
	var s guard.Set
	const lib, libHarm = "a library file (bib.paths)", "replace the library's entries with the output"
	for _, p := range cfg.BibPaths() {
		if !library {
			break
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			s.Dir(p, ".bib", lib, libHarm, "a library folder (bib.paths)", "add its entries to the library")
		} else {
			s.File(p, lib, libHarm)
		}
	}
	s.Dir(cfg.Path(cfg.Notes.Dir), ".md", "a note", "destroy the note (its front matter and text)", "the notes folder", "add a note without front matter")
	s.Dir(cfg.Path(cfg.Journal.Dir), ".md", "a journal file", "destroy its work-log lines", "", "")
	if cfg.Report.Templates != "" {
		s.Dir(cfg.Path(cfg.Report.Templates), "", "a report template (report.templates)", "replace the template", "", "")
	}
	if cfg.File != "" {
		s.File(cfg.File, "the workspace's config", "replace the configuration")
	}
	return &s
}

// insideWorkspace reports whether any of outs lies in the workspace, where
// writing it takes the workspace lock.
func insideWorkspace(cfg *config.Config, outs []outputFile) bool {
	for _, o := range outs {
		if cfg.Workspace != "" && guard.Inside(o.Path, cfg.Workspace) {
			return true
		}
	}
	return false
}

// writeOutputs checks outs and inputs (checkOutputs) and then runs write,
// holding the workspace lock when an output lies in the workspace. A
// hard-linked output is refused with a message that says what to do.
func writeOutputs(cfg *config.Config, lock func(func() error) error, outs []outputFile, inputs []string, force bool, display func(string) string, write func() error) error {
	run := func() error {
		if err := checkOutputs(cfg, outs, inputs, force); err != nil {
			return err
		}
		return write()
	}
	var err error
	if insideWorkspace(cfg, outs) {
		err = runLocked(lock, run)
	} else {
		err = run()
	}
	return explainWriteError(err, display)
}

// checkImportTarget refuses an `import --to` file that is a note, a journal
// file, a report template or config.yaml: BibTeX appended to it would
// corrupt it. (Library files are what --to is for.)
func checkImportTarget(cfg *config.Config, target, display string) error {
	if err := sourceGuard(cfg, false).Check(target, display); err != nil {
		return fmt.Errorf("--to %w; --to takes a .bib file", err)
	}
	return nil
}

// checkTeXOutputName refuses --format tex -o NAME.bib: the cited entries
// go to NAME.bib beside the document, which would then overwrite it.
func checkTeXOutputName(format, output string) error {
	if format == "tex" && strings.EqualFold(filepath.Ext(output), ".bib") {
		return flagErrorf("--format tex -o %s: the cited entries are written to a .bib beside the document, so the document's name cannot end in .bib", output)
	}
	return nil
}
