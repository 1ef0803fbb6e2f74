// Package latex exports papernotes data to LaTeX.
//
// It has four jobs:
//
//   - finding what a LaTeX document cites: [ScanTeX] reads .tex files
//     (following \input, \include and \subfile), [ScanAux] reads .aux files
//     and [ScanBCF] reads biblatex's .bcf control files;
//   - exporting exactly those entries as a .bib: [Export] adds crossref and
//     xdata parents and the @string definitions the selection uses, and
//     either copies each entry's source bytes or normalises it ([CleanOptions]),
//     optionally mapping fields between the BibTeX and biblatex dialects;
//   - rendering markdown (notes and report sections) as LaTeX through a
//     goldmark renderer ([NewRenderer]), with one escaping function, [Escape];
//   - writing standalone LaTeX documents for a note ([RenderNote]) and for a
//     weekly report ([RenderReport]).
//
// Positions are go/token positions whose columns count bytes. The package
// never prints, exits, or reads the environment or the clock; it reads the
// files it is pointed at and writes to the writers it is given.
package latex
