// Package safefile writes files atomically and keeps paths derived from
// untrusted names inside a root directory.
//
// Every write goes to a temporary file in the target's directory, is synced,
// and is then renamed (or linked, for [CreateNew]) into place, so a crash
// never leaves a half-written file and readers see either the old or the new
// bytes.
package safefile
