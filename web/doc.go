// Package web is the local browser view behind `papernotes serve`: net/http
// handlers over the library (bib), the notes (notes), the search index
// (index) and, for the weeks, the reports (report). Pages are html/template
// templates sharing one layout; the CSS and the scripts are embedded and
// served from the same origin, so a page never fetches anything from the
// network. It imports no cobra and no viper: internal/cli fills [Options].
//
// # Safety
//
// A [Server] refuses requests whose Host header is not the bound address,
// localhost:PORT or 127.0.0.1:PORT (DNS rebinding), requires [Options.Token]
// on every request when one is set (a cookie set from a ?token= link, an
// "Authorization: Bearer" or an "X-Papernotes-Token" header), and sends a
// Content-Security-Policy (default-src 'self', scripts from the same origin
// or by hash only), X-Content-Type-Options: nosniff and Referrer-Policy:
// no-referrer on every response, errors and 404s included. It never writes
// the workspace; searching brings the index up to date as `search` does.
// URL paths reach files only through library keys ([KeyFromPath]).
//
// # State and reloading
//
// What the pages show (the library, the parsed notes, who cites whom) lives
// in one snapshot behind one lock. [Server.Reload] takes the paths that
// changed on disk and re-reads only those: a changed note is parsed again
// alone; a changed .bib file reloads the library (through
// [Options.LoadLibrary]). Handlers take the current snapshot once per
// request and never see a half-made one.
//
// [Server.OnChange] registers a function called after every Reload with the
// paths that changed (a watcher pushing server-sent events uses it); it
// returns a function that unregisters it.
//
// # Adding a page
//
// Routes are the table in [Server.routes] (server.go): a method, a path (a
// trailing "/" is a prefix) and a handler. A handler renders its body into
// a buffer (often with [Server.execute] and a template of templates/) and
// hands it to [Server.page], which wraps it in the layout with the nav;
// errors go through [Server.fail], which keeps the security headers.
package web
