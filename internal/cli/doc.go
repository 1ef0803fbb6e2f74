// Package cli is papernotes' command line: one cobra command per file, the
// [IOStreams] they write to, and the [Factory] that hands them configuration
// and the library lazily. Commands are thin: each has a newCmdX constructor,
// an xOptions struct and an xRun function that calls library packages and
// formats their results. Nothing imports this package but cmd/papernotes and
// its tests.
package cli
