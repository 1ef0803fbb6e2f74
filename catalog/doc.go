// Package catalog joins the library's entries with their notes' front
// matter: the rows `papernotes list` prints and the web view's library page
// shows, with the same filters (text, author, type, year range, tags,
// status, has-note) and sort orders. It imports bib and notes, which never
// import each other, and the standard library and x/text.
package catalog
