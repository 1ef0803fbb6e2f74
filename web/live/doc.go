// Package live refreshes the open pages of `papernotes serve` when the
// workspace changes on disk: a [Hub] serves server-sent events at
// /events, and a tiny embedded script ([Script], allowed by its hash in
// the Content-Security-Policy) reloads the page on each "reload" event.
package live
