// Package guard keeps outputs from overwriting sources. A [Set] holds the
// files and folders that a command must not write over (a workspace's
// library files, notes, journal, report templates, the command's own
// inputs); [Set.Check] compares an output with them by identity, not by
// name: through symbolic links, relative paths and a file system that
// ignores case.
package guard
