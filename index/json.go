package index

import "math"

// HitJSON is one hit as `search --json` prints it, a documented contract
// {key,title,year,section,snippet,path,line,column,score}; the web view's
// /api/search sends the same objects.
type HitJSON struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	// Year is 0 when the paper has no bib entry or no year.
	Year    int    `json:"year"`
	Section string `json:"section"`
	// Snippet has its matches marked with ** on both sides.
	Snippet string `json:"snippet"`
	Path    string `json:"path"`
	// Line and Column locate the first match (Column in runes); without
	// terms, the note's or the entry's first line and column 1.
	Line   int     `json:"line"`
	Column int     `json:"column"`
	Score  float64 `json:"score"`
}

// JSON returns h as a [HitJSON]; display turns its path into the one shown
// (nil: as is). The score is rounded to four decimals.
func (h Hit) JSON(display func(string) string) HitJSON {
	path := h.Path
	if display != nil {
		path = display(path)
	}
	return HitJSON{
		Key: h.Key, Title: h.Title, Year: h.Year, Section: h.Section,
		Snippet: h.Snippet.Marked("**", "**"),
		Path:    path, Line: h.Line, Column: h.Column,
		Score: math.Round(h.Score*1e4) / 1e4,
	}
}
