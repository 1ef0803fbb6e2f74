// Package graph lays out a citation graph and draws it as SVG for
// `papernotes serve`'s /graph page. The layout is deterministic: a
// force-directed layout from a fixed seed with a fixed number of
// iterations for small graphs, concentric rings for large ones, so the
// same graph always gives the same bytes. Every text (keys, titles) is
// escaped, and each node is a link to its paper's page.
package graph
