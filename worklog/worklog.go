package worklog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/notes"
)

// ErrEmpty is returned by [Append] for text with nothing but white space.
var ErrEmpty = errors.New("empty work-log text")

// Entry is one work-log line.
type Entry struct {
	// Date is the entry's date, midnight UTC.
	Date time.Time
	// Text is the line's text after the date.
	Text string
	// File and Line locate the entry (Line starts at 1).
	File string
	Line int
}

// FileName returns the journal file name of the ISO week holding date, such
// as "2025-W47.md". The ISO year can differ from the calendar year around
// New Year (2024-12-30 is in 2025-W01).
func FileName(date time.Time) string {
	y, w := date.ISOWeek()
	return fmt.Sprintf("%04d-W%02d.md", y, w)
}

// Append adds "- DATE TEXT" to the journal file of date's ISO week in dir,
// creating dir and the file (with a "# YYYY-Www" heading) when absent. The
// file is read and replaced in one step ([safefile.Update]): atomically,
// through a symbolic link to the file's real place, and never over a file
// with several hard links. Text spanning several lines is joined into one
// line: each line is trimmed and blank ones dropped, and the rest joined
// with a space, because an entry is one list line. Blank text fails with
// [ErrEmpty]. Two processes appending at once must hold the workspace lock
// ([safefile.LockWorkspace]) around Append, as the CLI does; without it one
// of the lines can be lost.
func Append(dir string, date time.Time, text string) error {
	line := oneLine(text)
	if line == "" {
		return ErrEmpty
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create journal folder: %w", err)
	}
	path := filepath.Join(dir, FileName(date))
	err := safefile.Update(path, 0o644, func(old []byte, exists bool) ([]byte, error) {
		out := make([]byte, 0, len(old)+len(line)+32)
		out = append(out, old...)
		switch {
		case !exists:
			y, w := date.ISOWeek()
			out = fmt.Appendf(out, "# %04d-W%02d\n\n", y, w)
		case len(old) > 0 && old[len(old)-1] != '\n':
			out = append(out, '\n')
		}
		return fmt.Appendf(out, "- %s %s\n", date.Format(time.DateOnly), line), nil
	})
	if err != nil {
		return fmt.Errorf("append to work log: %w", err)
	}
	return nil
}

func oneLine(text string) string {
	var parts []string
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// Between returns the entries dated from..to inclusive (calendar dates),
// read from the journal files of every ISO week the range touches, sorted by
// date (entries of one date keep their file order). An entry counts by its
// own date, not by the file it sits in, so a line filed under the wrong week
// is still found when that file is read. Missing files and a missing dir
// mean no entries. Lines that are not "- YYYY-MM-DD text" are ignored.
func Between(dir string, from, to time.Time) ([]Entry, error) {
	out, _, err := BetweenIn(dir, "", from, to)
	return out, err
}

// BetweenIn is [Between] that skips, and returns as skipped, the journal
// files a shared workspace could use to hang or leak: a link that resolves
// outside dir and root (the workspace; both resolved, since dir may be a
// link), an error wrapping [notes.ErrOutside], and a FIFO, device or
// socket, an error wrapping [notes.ErrNotRegular].
func BetweenIn(dir, root string, from, to time.Time) (out []Entry, skipped []error, err error) {
	confine := notes.NewConfine(dir, root)
	from, to = civil(from), civil(to)
	seen := map[string]bool{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 7) {
		for _, day := range []time.Time{d, minTime(d.AddDate(0, 0, 6), to)} {
			name := FileName(day)
			if seen[name] {
				continue
			}
			seen[name] = true
			path := filepath.Join(dir, name)
			if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
				if err := confine.Check(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
					skipped = append(skipped, err)
					continue
				}
			}
			src, err := notes.ReadFile(path)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if errors.Is(err, notes.ErrNotRegular) {
				skipped = append(skipped, err)
				continue
			}
			if err != nil {
				return nil, skipped, fmt.Errorf("read work log: %w", err)
			}
			for _, e := range Parse(path, src) {
				if !e.Date.Before(from) && !e.Date.After(to) {
					out = append(out, e)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, skipped, nil
}

// Parse returns the entries of one journal file in file order. name is used
// only for [Entry.File].
func Parse(name string, src []byte) []Entry {
	var out []Entry
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if n == 1 {
			l = strings.TrimPrefix(l, "\ufeff")
		}
		rest, ok := strings.CutPrefix(l, "- ")
		if !ok {
			rest, ok = strings.CutPrefix(l, "* ")
		}
		if !ok || len(rest) < 10 {
			continue
		}
		d, err := time.Parse(time.DateOnly, rest[:10])
		if err != nil {
			continue
		}
		out = append(out, Entry{Date: d, Text: strings.TrimSpace(rest[10:]), File: name, Line: n})
	}
	return out
}

func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// AppendMissing appends each of lines, dated date, that the work log does
// not hold yet for that date (same date and same text after joining into
// one line, see [Append]), in order, and returns how many it appended.
// Importing the same report twice therefore logs its lines once. Blank
// lines are skipped. Like Append, it must run under the workspace lock.
func AppendMissing(dir string, date time.Time, lines []string) (int, error) {
	have, err := Between(dir, date, date)
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	for _, e := range have {
		seen[e.Text] = true
	}
	n := 0
	for _, l := range lines {
		l = oneLine(l)
		if l == "" || seen[l] {
			continue
		}
		if err := Append(dir, date, l); err != nil {
			return n, err
		}
		seen[l] = true
		n++
	}
	return n, nil
}
