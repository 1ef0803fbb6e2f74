package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/papernotes/papernotes/notes"
)

// scanPrefix is how much of each note Candidates reads. Front matter is a
// few hundred bytes; a note whose front matter runs past this is kept as a
// candidate rather than read further.
const scanPrefix = 4096

// Candidates returns the .md files under dir (recursively, skipping hidden
// folders) that may have been read in week, sorted by path. It only looks at
// the `read:` line of each file's front matter, in parallel, so that a
// report over a large notes folder parses just a handful of notes. It errs
// toward inclusion: a file whose read date it cannot work out cheaply is
// returned too, and [Build] applies the exact test to the parsed notes.
// A file that cannot be read is an error; the paths found so far are returned with it.
func Candidates(dir string, week Week) ([]string, error) {
	paths, _, err := CandidatesIn(dir, "", week)
	return paths, err
}

// CandidatesIn is [Candidates] that skips, and returns as skipped, the
// files a shared workspace could use to hang or leak: a link that resolves
// outside dir and root (the workspace; both resolved, since dir may be a
// link), an error wrapping [notes.ErrOutside], and a FIFO, device or
// socket, an error wrapping [notes.ErrNotRegular].
func CandidatesIn(dir, root string, week Week) (paths []string, skipped []error, err error) {
	paths, skipped, err = walkNotes(dir, root)
	if err != nil {
		return nil, skipped, err
	}
	return filterWeek(paths, skipped, week)
}

// walkNotes lists the *.md files under dir, skipping (and returning as
// skipped) links leading out and files that are not regular.
func walkNotes(dir, root string) (paths []string, skipped []error, err error) {
	confine := notes.NewConfine(dir, root)
	top := notes.WalkRoot(dir)
	err = filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != top && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".md") && !strings.HasPrefix(d.Name(), ".") {
			switch t := d.Type(); {
			case t&fs.ModeSymlink != 0:
				if err := confine.Check(p); err != nil {
					skipped = append(skipped, err)
					return nil
				}
			case !t.IsRegular():
				skipped = append(skipped, fmt.Errorf("%s: %w", p, notes.ErrNotRegular))
				return nil
			}
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, skipped, fmt.Errorf("list notes: %w", err)
	}
	return paths, skipped, nil
}

// filterWeek keeps the paths whose front matter may put them in week.
func filterWeek(paths []string, skipped []error, week Week) ([]string, []error, error) {
	keep := make([]bool, len(paths))
	errs := make([]error, len(paths))
	workers := min(max(2*runtime.GOMAXPROCS(0), 4), len(paths))
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for range workers {
		wg.Go(func() {
			buf := make([]byte, scanPrefix)
			for i := range next {
				keep[i], errs[i] = mayBeIn(paths[i], buf, week)
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []string
	for i, p := range paths {
		if keep[i] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, skipped, errors.Join(errs...)
}

// mayBeIn reads the start of one note and decides from its `read:` line.
//
// It uses raw syscalls rather than os.Open: os.File sets each descriptor
// non-blocking and tries to register it with the network poller, which is
// six wasted system calls per file; over 10,000 notes that was a third of
// the scan's system time. A regular file returns min(size, len(buf)) bytes
// from one read.
func mayBeIn(path string, buf []byte, week Week) (bool, error) {
	// O_NONBLOCK: a link to a FIFO must not hang the scan (it reads as
	// empty; the full read later refuses it).
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	n, err := syscall.Read(fd, buf)
	syscall.Close(fd)
	if err == syscall.EAGAIN {
		return true, nil // not a regular file: the full read decides
	}
	if err != nil {
		return false, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	read, known := frontMatterRead(buf[:max(n, 0)])
	if !known {
		return true, nil
	}
	return week.Contains(read), nil
}

// frontMatterRead finds the top-level `read:` date in the YAML front matter
// at the start of src. known is false when it cannot tell cheaply (no
// closing `---` in src, or a value that is not a plain date); a note with no
// front matter, or front matter without `read`, is known and unread.
func frontMatterRead(src []byte) (read time.Time, known bool) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	line, rest := cutLine(src)
	if string(bytes.TrimRight(line, " \t\r")) != "---" {
		return time.Time{}, true
	}
	for len(rest) > 0 {
		line, rest = cutLine(rest)
		l := bytes.TrimRight(line, " \t\r")
		if string(l) == "---" || string(l) == "..." {
			return time.Time{}, true // closed without a read date
		}
		v, ok := bytes.CutPrefix(l, []byte("read:"))
		if !ok {
			continue
		}
		s := strings.TrimSpace(string(v))
		if i := strings.Index(s, " #"); i >= 0 {
			s = strings.TrimSpace(s[:i])
		}
		s = strings.Trim(s, `"'`)
		if s == "" || s == "null" || s == "~" {
			return time.Time{}, false // maybe a block value on the next lines
		}
		// Only a bare date is decided here; a timestamp's date depends on
		// its zone, so the full parse decides it.
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, true
		}
		return time.Time{}, false
	}
	return time.Time{}, false // front matter longer than the scanned prefix
}

func cutLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:]
	}
	return b, nil
}

// FrontMatterKey returns the `key:` value of the note at path, read from
// the start of the file with the same cheap scan as [Candidates]; "" when
// the file cannot be read or the key is not a plain scalar in its first
// few kilobytes.
func FrontMatterKey(path string) string {
	buf := make([]byte, scanPrefix)
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		return ""
	}
	n, err := syscall.Read(fd, buf)
	syscall.Close(fd)
	if err != nil || n <= 0 {
		return ""
	}
	return frontMatterKey(buf[:n])
}

// frontMatterKey is [FrontMatterKey] on the start of a file.
func frontMatterKey(src []byte) string {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	line, rest := cutLine(src)
	if string(bytes.TrimRight(line, " \t\r")) != "---" {
		return ""
	}
	for len(rest) > 0 {
		line, rest = cutLine(rest)
		l := bytes.TrimRight(line, " \t\r")
		if string(l) == "---" || string(l) == "..." {
			return ""
		}
		if v, ok := bytes.CutPrefix(l, []byte("key:")); ok {
			s := strings.TrimSpace(string(v))
			if i := strings.Index(s, " #"); i >= 0 {
				s = strings.TrimSpace(s[:i])
			}
			if next, _ := cutLine(rest); len(next) > 0 && (next[0] == ' ' || next[0] == '\t') {
				return "" // a value continued on the next line
			}
			// Only the simple forms are decided here; anything else (block
			// scalars, anchors, tags, flow collections, escapes) is left to
			// the full parse.
			if s == "" || strings.ContainsRune("|>&*![]{}%@`,?:-#", rune(s[0])) {
				return ""
			}
			if s[0] == '"' || s[0] == '\'' {
				if len(s) < 2 || s[len(s)-1] != s[0] || strings.ContainsAny(s[1:len(s)-1], "\\\"'") {
					return ""
				}
				return s[1 : len(s)-1]
			}
			if strings.Contains(s, ": ") || strings.ContainsAny(s, "\t\"'") {
				return ""
			}
			return s
		}
	}
	return ""
}
