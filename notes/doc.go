// Package notes parses reading notes (YAML front matter plus markdown) into
// [Note] values with canonical sections and citations, and renders them to
// HTML with goldmark. It owns papernotes' goldmark extensions, such as the
// `[@key]` citation syntax ([CiteExtension]).
//
// The main entry points:
//   - [Parse] reads one note; [LoadDir] reads a folder of them on all cores.
//   - [Render] and [RenderPage] write HTML; citations link through
//     [RenderOptions] callbacks and a [CiteResolver].
//   - [Scaffold] writes a new note; [FileName] names its file safely.
//   - [Check] and [CitedBy] look across notes; [ParseReport] splits a
//     hand-written weekly report into papers.
//
// notes never imports package bib: citation lookups go through [CiteResolver].
// Columns in positions count runes, as in package bib. The package never prints, reads the
// environment or the clock: dates come in as arguments.
package notes
