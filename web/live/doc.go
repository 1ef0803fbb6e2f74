// Package live refreshes the open pages of `papernotes serve` when the
// workspace changes on disk: a [Hub] serves server-sent events at
// /events, and a tiny script (web's /assets/live.js, served same-origin
// so the Content-Security-Policy needs no exception) reloads the page on
// each "reload" event.
package live
