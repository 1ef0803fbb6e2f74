package index

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

// Sources says where a workspace's notes and bib files are.
type Sources struct {
	// Root is the workspace folder. Files under it are recorded by their
	// path relative to it, so a moved workspace keeps its index.
	Root string
	// NotesDir is the notes folder, absolute or relative to the working
	// directory; every "*.md" file under it (recursively, skipping hidden
	// files and folders) is a note. Empty means no notes.
	NotesDir string
	// BibPaths are .bib files and folders (read recursively for "*.bib").
	BibPaths []string
	// Notes are the options notes are parsed with. Their section aliases
	// are part of the index: when they change, the index is rebuilt.
	Notes notes.Options
	// Progress, when not nil, is called from the goroutine that called
	// Sync, after each changed file is indexed, with the number done and
	// the number to do. Unchanged files are not counted.
	Progress func(done, total int)
	// Indexing, when not nil, is called once before changed files are
	// parsed, with their number and their size in bytes in all.
	Indexing func(files int, size int64)
}

// Stats says what a sync did.
type Stats struct {
	// Files is the number of note and bib files found.
	Files int
	// Indexed is the number of files (re)indexed: new or changed.
	Indexed int
	// Removed is the number of files dropped from the index because they
	// are gone.
	Removed int
	// Rebuilt is true when the index was built from scratch.
	Rebuilt bool
	// Problems are the parse problems of the files indexed (notes with bad
	// front matter, broken bib entries). Those files are indexed with what
	// could be read. Problems of unchanged files are not repeated.
	Problems []error
}

// Sync brings the index up to date with the sources in one transaction:
// files whose modification time and size match the index are skipped
// without being read; the others are read, and reindexed when their content
// hash differs; files that are gone are removed. The index is built from
// scratch when there is none, it is of another version, or the section
// aliases changed: under the exclusive lock, into a new file renamed over
// the index when complete.
//
// Notes are parsed on all cores; the database is written from the calling
// goroutine. On error the index keeps its previous state. A corrupt
// database is rebuilt once. Errors of the database are said in words
// ([ErrBusy], [ErrCorrupt], [ErrStorage]), never SQLite's.
func (ix *Index) Sync(ctx context.Context, src Sources) (Stats, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	st, err := ix.sync(ctx, src, false, nil)
	if err != nil && isCorrupt(err) {
		st, err = ix.sync(ctx, src, true, nil)
	}
	return st, plain(err)
}

// Rebuild builds the index again from the sources, into a new file renamed
// over the old one when complete. It holds the lock beside the index
// exclusively meanwhile: other processes wait until the new index is in
// place (up to [LockWait]) rather than read a file being replaced. A build
// that fails or is killed leaves the old index as it was.
func (ix *Index) Rebuild(ctx context.Context, src Sources) (Stats, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	st, err := ix.sync(ctx, src, true, nil)
	return st, plain(err)
}

// SyncSearch is [Index.Sync] followed by [Index.Search], done faster: the
// search runs while the sources are scanned, and its result is kept when the
// scan finds nothing changed (the common case: most searches follow no
// edit); otherwise the changed files are indexed and the search runs again.
// The result is always that of the synced index. A corrupt index is rebuilt
// once.
func (ix *Index) SyncSearch(ctx context.Context, src Sources, q *Query, opts SearchOptions) (*Result, Stats, error) {
	return ix.SyncSearchScanned(ctx, StartScan(src), q, opts)
}

// SyncSearchScanned is [Index.SyncSearch] of the sources sc lists: a
// command starts the scan before it opens the index, which then costs no
// time of its own.
func (ix *Index) SyncSearchScanned(ctx context.Context, sc *Scan, q *Query, opts SearchOptions) (*Result, Stats, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	res, st, err := ix.syncSearch(ctx, sc, q, opts, false)
	if err != nil && isCorrupt(err) {
		res, st, err = ix.syncSearch(ctx, sc, q, opts, true)
	}
	return res, st, plain(err)
}

// Scan is a listing of a workspace's source files, begun by [StartScan]
// and used by [Index.SyncSearchScanned].
type Scan struct {
	src      Sources
	boost    chan struct{}
	boosted  sync.Once
	done     chan struct{}
	files    []fileInfo
	problems []error
	err      error
}

// StartScan begins listing src's files in the background. It keeps one
// core free (for the search that runs meanwhile) until the scan's result
// is asked for, and then uses all of them.
func StartScan(src Sources) *Scan {
	sc := &Scan{src: src, boost: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(sc.done)
		sc.files, sc.problems, sc.err = scan(src, runtime.GOMAXPROCS(0)-1, sc.boost)
	}()
	return sc
}

// result waits for the scan, on every core.
func (sc *Scan) result() ([]fileInfo, []error, error) {
	sc.boosted.Do(func() { close(sc.boost) })
	<-sc.done
	return sc.files, sc.problems, sc.err
}

func (ix *Index) syncSearch(ctx context.Context, sc *Scan, q *Query, opts SearchOptions, rebuild bool) (*Result, Stats, error) {
	var st Stats
	src := sc.src
	quick := false
	if !rebuild {
		var err error
		if quick, err = ix.unchangedConfig(ctx, src); err != nil {
			return nil, st, fmt.Errorf("sync index: %w", err)
		}
	}
	if quick {
		fp, err := ix.meta(ctx, "fingerprint")
		if err != nil {
			return nil, st, fmt.Errorf("sync index: %w", err)
		}
		// The search runs while the scan goes on.
		res, serr := ix.search(ctx, q, opts)
		files, skipped, scanErr := sc.result()
		if scanErr != nil {
			return nil, st, fmt.Errorf("sync index: %w", scanErr)
		}
		if serr != nil && isCorrupt(serr) {
			return nil, st, serr
		}
		st.Files = len(files)
		st.Problems = skipped
		if fingerprint(src.Root, files) == fp {
			return res, st, serr
		}
		st, err := ix.sync(ctx, src, rebuild, files)
		st.Problems = append(skipped, st.Problems...)
		if err != nil {
			return nil, st, err
		}
		res, err = ix.search(ctx, q, opts)
		return res, st, err
	}
	files, skipped, err := sc.result()
	if err != nil {
		return nil, st, fmt.Errorf("sync index: %w", err)
	}
	st, err = ix.sync(ctx, src, rebuild, files)
	st.Problems = append(skipped, st.Problems...)
	if err != nil {
		return nil, st, err
	}
	res, err := ix.search(ctx, q, opts)
	return res, st, err
}

// unchangedConfig reports whether the index is complete and was built with
// src's section aliases, so that an unchanged fingerprint means nothing to do.
func (ix *Index) unchangedConfig(ctx context.Context, src Sources) (bool, error) {
	if ix.db == nil || ix.fresh {
		return false, nil
	}
	old, err := ix.meta(ctx, "config")
	return err == nil && old == configHash(src.Notes), err
}

// fileInfo is one source file found by the scan. Its paths are kept in
// parts and joined only when needed: a scan of 10,000 unchanged notes
// should allocate little.
type fileInfo struct {
	folder *folder
	name   string
	mtime  int64
	size   int64
	bib    bool
}

// folder is a folder the scan read, shared by its files.
type folder struct {
	dir    string // folder to open the file in
	relDir string // stored path of that folder
}

// dirEntry is one name [readDir] lists, and what [statAt] finds of it.
type dirEntry struct {
	name         string
	mtime, size  int64
	link         bool // a symbolic link
	isDir, isReg bool // after following links
}

func (e *dirEntry) setStat(mtime, size int64, isDir, isReg bool) {
	e.mtime, e.size, e.isDir, e.isReg = mtime, size, isDir, isReg
}

// rel returns the stored path.
func (f *fileInfo) rel() string { return joinRel(f.folder.relDir, f.name) }

// abs returns the path to open.
func (f *fileInfo) abs() string { return filepath.Join(f.folder.dir, f.name) }

// stored is a files row.
type stored struct {
	mtime, size int64
	hash        []byte
}

// sync brings the index up to date, building it when there is none or
// rebuild is set; files, when not nil, is a scan of src just made.
func (ix *Index) sync(ctx context.Context, src Sources, rebuild bool, files []fileInfo) (Stats, error) {
	if !rebuild && ix.db != nil {
		old, err := ix.meta(ctx, "config")
		if err != nil {
			return Stats{}, fmt.Errorf("sync index: %w", err)
		}
		if old == configHash(src.Notes) {
			return ix.fill(ctx, src, files)
		}
	}
	return ix.build(ctx, src, files, rebuild)
}

// build makes a new index under the exclusive lock and puts it in place.
// Unless force is set, it first looks again: another process may have
// built the index while this one waited for the lock.
func (ix *Index) build(ctx context.Context, src Sources, files []fileInfo, force bool) (st Stats, err error) {
	if ix.db != nil {
		ix.db.Close()
		ix.db = nil
	}
	if err := ix.lock.set(ctx, lockEX); err != nil {
		return st, fmt.Errorf("build index %s: %w", ix.path, err)
	}
	defer func() {
		if lerr := ix.lock.set(context.Background(), lockSH); lerr != nil && err == nil {
			err = fmt.Errorf("build index %s: %w", ix.path, lerr)
		}
		if err != nil && ix.db == nil {
			// Leave a usable handle behind when there is one.
			_ = ix.load()
		}
	}()
	if !force {
		if err := ix.load(); err != nil {
			return st, err
		}
		if ix.db != nil {
			old, err := ix.meta(ctx, "config")
			if err == nil && old == configHash(src.Notes) {
				return ix.fill(ctx, src, files)
			}
			ix.db.Close()
			ix.db = nil
		}
	} else if kind, err := classify(ix.path); err != nil {
		return st, fmt.Errorf("build index %s: %w", ix.path, err)
	} else if kind == fileForeign {
		return st, fmt.Errorf("%s: %w", ix.path, ErrNotIndex)
	}
	if err := ix.createNew(); err != nil {
		return st, err
	}
	st, err = ix.fill(ctx, src, files)
	if err != nil {
		ix.dropNew()
		return st, err
	}
	st.Rebuilt = true
	return st, ix.installNew()
}

// fill indexes what changed since the last sync (everything, in a new
// index) in one transaction.
func (ix *Index) fill(ctx context.Context, src Sources, files []fileInfo) (Stats, error) {
	return ix.fillAtMost(ctx, src, files, 0)
}

// errTooMany is returned by fillAtMost when more files changed than it may
// index.
var errTooMany = errors.New("too many files changed")

// fillAtMost is fill that, when most > 0 and more than most files are new,
// changed or gone, writes nothing and returns errTooMany.
func (ix *Index) fillAtMost(ctx context.Context, src Sources, files []fileInfo, most int) (Stats, error) {
	var st Stats
	cfg := configHash(src.Notes)
	st.Rebuilt = ix.fresh
	if files == nil {
		var err error
		if files, st.Problems, err = scan(src, runtime.GOMAXPROCS(0), nil); err != nil {
			return st, fmt.Errorf("sync index: %w", err)
		}
	}
	st.Files = len(files)
	fp := fingerprint(src.Root, files)
	if !ix.fresh {
		old, err := ix.meta(ctx, "fingerprint")
		if err != nil {
			return st, fmt.Errorf("sync index: %w", err)
		}
		if old == fp {
			return st, nil // nothing changed since the last sync
		}
	}

	// From here on this process holds the write lock (transactions begin
	// IMMEDIATE), so what it reads of the stored files is what it updates,
	// even when another process synced meanwhile.
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("sync index: %w", err)
	}
	defer tx.Rollback()
	if !ix.fresh {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'fingerprint'`).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return st, fmt.Errorf("sync index: %w", err)
		}
		if old == fp {
			return st, nil // another process has just done it
		}
	}
	chunks := chunkHashes(files)
	var touch []fileInfo // same content, new mtime/size
	var gone []string
	have, todo, ok, err := changedByChunks(ctx, tx, files, chunks)
	if err != nil {
		return st, fmt.Errorf("sync index: %w", err)
	}
	if !ok {
		if have, err = storedFiles(ctx, tx); err != nil {
			return st, fmt.Errorf("sync index: %w", err)
		}
		todo = todo[:0]
		seen := make(map[string]bool, len(files))
		for _, f := range files {
			rel := f.rel()
			seen[rel] = true
			h, ok := have[rel]
			if ok && h.mtime == f.mtime && h.size == f.size {
				continue
			}
			todo = append(todo, f)
		}
		for rel := range have {
			if !seen[rel] {
				gone = append(gone, rel)
			}
		}
	}
	if most > 0 && len(todo)+len(gone) > most {
		return st, errTooMany
	}
	slices.Sort(gone)
	// Content hashes only of the changed files that were indexed: reading
	// all 10,000 of them cost a search after an edit about 5 ms.
	if err := storedHashes(ctx, tx, have, todo); err != nil {
		return st, fmt.Errorf("sync index: %w", err)
	}

	w, err := newWriter(ctx, tx, ix.fresh)
	if err != nil {
		return st, fmt.Errorf("sync index: %w", err)
	}
	defer w.close()
	for _, rel := range gone {
		if err := w.remove(rel); err != nil {
			return st, fmt.Errorf("sync index: %w", err)
		}
	}
	st.Removed = len(gone)

	if src.Indexing != nil && len(todo) > 0 {
		var size int64
		for _, f := range todo {
			size += f.size
		}
		src.Indexing(len(todo), size)
	}
	done := 0
	for d := range parseAll(ctx, todo, have, src.Notes) {
		switch {
		case d.err != nil:
			// A file that cannot be read (gone since the scan, say, as an
			// editor saves by rename) drops out of the index until the next
			// sync, which the fingerprint below forces to look again; one
			// unreadable file must not stop a search.
			if _, ok := have[d.info.rel()]; ok {
				if err := w.remove(d.info.rel()); err != nil {
					return st, fmt.Errorf("sync index: %w", err)
				}
			}
			if !errors.Is(d.err, fs.ErrNotExist) {
				st.Problems = append(st.Problems, fmt.Errorf("index %s: %w", d.info.abs(), d.err))
			}
			fp = "retry"
		case d.same:
			touch = append(touch, d.info)
		default:
			if _, ok := have[d.info.rel()]; ok {
				if err := w.remove(d.info.rel()); err != nil {
					return st, fmt.Errorf("sync index: %w", err)
				}
			}
			if err := w.add(d); err != nil {
				return st, fmt.Errorf("sync index %s: %w", d.info.abs(), err)
			}
			st.Indexed++
			st.Problems = append(st.Problems, d.problems...)
		}
		done++
		if src.Progress != nil {
			src.Progress(done, len(todo))
		}
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if err := w.flush(); err != nil {
		return st, fmt.Errorf("sync index: %w", err)
	}
	for _, f := range touch {
		if _, err := w.touch.ExecContext(ctx, f.mtime, f.size, f.rel()); err != nil {
			return st, fmt.Errorf("sync index: %w", err)
		}
	}
	chunkMeta := hex.EncodeToString(chunks)
	if fp == "retry" {
		chunkMeta = "" // a file left out must be looked for again
	}
	for _, kv := range [][2]string{{"schema", strconv.Itoa(schemaVersion)}, {"config", cfg}, {"fingerprint", fp}, {"root", src.Root},
		{"chunks", chunkMeta}, {"files", strconv.Itoa(len(files))}} {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)`, kv[0], kv[1]); err != nil {
			return st, fmt.Errorf("sync index: %w", err)
		}
	}
	w.close()
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("sync index: %w", err)
	}
	return st, nil
}

// configHash identifies the section aliases the notes are parsed with.
func configHash(o notes.Options) string {
	a := o.Aliases
	if a == nil {
		a = notes.DefaultAliases
	}
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	h := sha256.New()
	for _, id := range ids {
		fmt.Fprintf(h, "%q:", id)
		for _, s := range a[id] {
			fmt.Fprintf(h, "%q,", s)
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// chunkFiles is the number of files, in scan order, that each hash of
// [chunkHashes] covers.
const chunkFiles = 64

// chunkHashes hashes the paths, times and sizes of each run of chunkFiles
// files, 16 bytes per run. Stored with the number of files, they let a sync
// after a few edits find the changed files by reading the rows of just the
// runs whose hash differs (see changedByChunks) rather than all 10,000.
func chunkHashes(files []fileInfo) []byte {
	out := make([]byte, 0, (len(files)+chunkFiles-1)/chunkFiles*16)
	buf := make([]byte, 0, 256)
	for i := 0; i < len(files); i += chunkFiles {
		h := fnv.New128a()
		for _, f := range files[i:min(i+chunkFiles, len(files))] {
			buf = appendFileKey(buf[:0], &f)
			h.Write(buf)
		}
		out = h.Sum(out)
	}
	return out
}

// appendFileKey appends what the hashes of a file cover: its stored path,
// modification time and size.
func appendFileKey(buf []byte, f *fileInfo) []byte {
	buf = append(buf, f.folder.relDir...)
	buf = append(buf, '/')
	buf = append(buf, f.name...)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(f.mtime))
	return binary.LittleEndian.AppendUint64(buf, uint64(f.size))
}

// changedByChunks finds the new and changed files of a scan from the runs
// whose hash differs from the stored one (see chunkHashes). ok is false
// when it cannot tell that way: the number of files changed, or a file in a
// differing run is not indexed (a new or renamed file, so another may be
// gone), or the index has no hashes. When ok, no file is gone: every file
// found is indexed (the equal runs hold the same paths), and there are as
// many as indexed. have holds the rows of the files in the differing runs.
func changedByChunks(ctx context.Context, tx *sql.Tx, files []fileInfo, chunks []byte) (have map[string]stored, todo []fileInfo, ok bool, err error) {
	var old, count string
	err = tx.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE name = 'chunks'), (SELECT value FROM meta WHERE name = 'files')`).Scan(&old, &count)
	if err != nil || count != strconv.Itoa(len(files)) || len(old) != 2*len(chunks) {
		return nil, nil, false, nil // an index without them, or of another size
	}
	prev, err := hex.DecodeString(old)
	if err != nil {
		return nil, nil, false, nil
	}
	get, err := tx.PrepareContext(ctx, `SELECT mtime, size FROM files WHERE path = ?`)
	if err != nil {
		return nil, nil, false, err
	}
	defer get.Close()
	have = map[string]stored{}
	for c := 0; c < len(chunks); c += 16 {
		if bytes.Equal(chunks[c:c+16], prev[c:c+16]) {
			continue
		}
		i := c / 16 * chunkFiles
		for _, f := range files[i:min(i+chunkFiles, len(files))] {
			rel := f.rel()
			var h stored
			err := get.QueryRowContext(ctx, rel).Scan(&h.mtime, &h.size)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, nil, false, nil
			}
			if err != nil {
				return nil, nil, false, err
			}
			have[rel] = h
			if h.mtime != f.mtime || h.size != f.size {
				todo = append(todo, f)
			}
		}
	}
	return have, todo, true, nil
}

// fingerprint hashes the paths, times and sizes of all files, so that an
// unchanged workspace is recognised with one read.
func fingerprint(root string, files []fileInfo) string {
	h := fnv.New128a()
	buf := make([]byte, 0, 256)
	buf = append(append(buf, root...), 0)
	for i := range files {
		buf = appendFileKey(buf, &files[i])
		h.Write(buf)
		buf = buf[:0]
	}
	return hex.EncodeToString(h.Sum(nil))
}

// scan lists the note and bib files, in a fixed order (roots as given,
// names sorted within each folder, a folder's files before its subfolders'
// files... as the walk meets them). A missing notes folder or bib path is
// not an error: it holds no files.
//
// Every search runs a scan first, so it is kept cheap: one directory read
// per folder and one stat per entry, the stats spread over workers
// goroutines, or over GOMAXPROCS once boost (when not nil) is closed (stat
// system calls are what a scan of 10,000 files spends its time on).
func scan(src Sources, workers int, boost <-chan struct{}) ([]fileInfo, []error, error) {
	s := &scanner{root: src.Root, seenBib: map[string]bool{}, workers: max(workers, 1), boost: boost}
	if src.NotesDir != "" {
		s.notes = notes.NewConfine(src.NotesDir, src.Root)
		if err := s.path(src.NotesDir, false); err != nil {
			return nil, nil, err
		}
	}
	for _, p := range src.BibPaths {
		if err := s.path(p, true); err != nil {
			return nil, nil, err
		}
	}
	return s.files, s.problems, nil
}

type scanner struct {
	root string
	// seenBib drops a bib file reached twice (a folder and a file in it
	// both listed in bib.paths). Notes have a single root.
	seenBib map[string]bool
	files   []fileInfo
	workers int             // for the stats of one folder
	boost   <-chan struct{} // closed: use GOMAXPROCS workers
	// notes confines the links under the notes folder (to it and the
	// workspace); problems are the links skipped for leading out.
	notes    notes.Confine
	problems []error
}

// path adds a file given by name, or the files under a folder.
func (s *scanner) path(p string, isBib bool) error {
	mtime, size, isDir, isReg, err := statPath(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if isDir {
		return s.dir(p, storedPath(s.root, p), isBib)
	}
	if isReg {
		dir := filepath.Dir(p)
		s.add(fileInfo{folder: &folder{dir: dir, relDir: storedPath(s.root, dir)}, name: filepath.Base(p), bib: isBib, mtime: mtime, size: size})
	}
	return nil
}

func (s *scanner) add(f fileInfo) {
	if f.bib {
		rel := f.rel()
		if s.seenBib[rel] {
			return
		}
		s.seenBib[rel] = true
	}
	s.files = append(s.files, f)
}

// dir adds the files under folder dir, whose stored path is rel. Hidden
// files and folders are skipped, as notes.LoadDir does.
func (s *scanner) dir(dir, rel string, isBib bool) error {
	fd, err := openDirFD(dir)
	if err != nil {
		return err
	}
	defer closeDirFD(fd)
	// The entry types come from the same getdents calls as the names, and
	// they tell which entries are links to check.
	entries, err := readDir(fd, dir)
	if err != nil {
		return err
	}
	// Errors are rare: they are kept aside, by entry.
	var errMu sync.Mutex
	errs := map[int]error{}
	// Workers take chunks of names in turn; extra ones join when boost is
	// closed, for what is left.
	const chunk = 64
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(chunk)) - chunk
			if i >= len(entries) {
				return
			}
			for j := i; j < min(i+chunk, len(entries)); j++ {
				if err := statAt(fd, dir, &entries[j]); err != nil {
					errMu.Lock()
					errs[j] = err
					errMu.Unlock()
				}
			}
		}
	}
	most := max(len(entries)/chunk, 1)
	workers := min(s.workers, most)
	var wg, extra sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	done := make(chan struct{})
	if s.boost != nil {
		for range min(runtime.GOMAXPROCS(0), most) - workers {
			extra.Add(1)
			go func() {
				defer extra.Done()
				select {
				case <-s.boost:
					work()
				case <-done:
				}
			}()
		}
	}
	wg.Wait()
	close(done)
	extra.Wait()
	ext := ".md"
	if isBib {
		ext = ".bib"
	}
	var subdirs []string
	s.files = slices.Grow(s.files, len(entries))
	here := &folder{dir: dir, relDir: rel}
	for i := range entries {
		r, name, rerr := &entries[i], entries[i].name, errs[i]
		if !isBib && rerr == nil && r.link && (r.isDir || r.isReg && strings.HasSuffix(name, ext)) {
			if err := s.notes.Check(filepath.Join(dir, name)); err != nil {
				s.problems = append(s.problems, err)
				continue
			}
		}
		switch {
		case errors.Is(rerr, fs.ErrNotExist):
			// Deleted while we looked, or a dangling link.
		case rerr != nil:
			return rerr
		case r.isDir:
			subdirs = append(subdirs, name)
		case r.isReg && strings.HasSuffix(name, ext):
			s.add(fileInfo{folder: here, name: name, bib: isBib, mtime: r.mtime, size: r.size})
		case !isBib && strings.HasSuffix(name, ext):
			// A FIFO, device or socket named like a note is never read
			// (it could block or never end); say so, as notes.LoadDir
			// does. Bib files are the library loader's to report.
			s.problems = append(s.problems, fmt.Errorf("%s: %w", filepath.Join(dir, name), notes.ErrNotRegular))
		}
	}
	for _, name := range subdirs {
		if err := s.dir(filepath.Join(dir, name), joinRel(rel, name), isBib); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// joinRel joins a stored folder path and a name.
func joinRel(rel, name string) string {
	if rel == "." {
		return name
	}
	return rel + "/" + name
}

// storedPath returns path relative to root with forward slashes when it is
// inside root, else the absolute path.
func storedPath(root, path string) string {
	if root != "" {
		if r, err := filepath.Rel(root, path); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(r)
		}
	}
	if abs, err := filepath.Abs(path); err == nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(path)
}

// displayPath turns a stored path back into one to open.
func displayPath(root, rel string) string {
	p := filepath.FromSlash(rel)
	if filepath.IsAbs(p) || root == "" {
		return p
	}
	return filepath.Join(root, p)
}

func storedFiles(ctx context.Context, tx *sql.Tx) (map[string]stored, error) {
	rows, err := tx.QueryContext(ctx, `SELECT path, mtime, size FROM files`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]stored{}
	for rows.Next() {
		var p string
		var s stored
		if err := rows.Scan(&p, &s.mtime, &s.size); err != nil {
			return nil, err
		}
		have[p] = s
	}
	return have, rows.Err()
}

// storedHashes fills in the content hashes in have of the files in todo
// that are indexed (storedFiles leaves them out).
func storedHashes(ctx context.Context, tx *sql.Tx, have map[string]stored, todo []fileInfo) error {
	var get *sql.Stmt
	for _, f := range todo {
		rel := f.rel()
		h, ok := have[rel]
		if !ok {
			continue
		}
		if get == nil {
			var err error
			if get, err = tx.PrepareContext(ctx, `SELECT hash FROM files WHERE path = ?`); err != nil {
				return err
			}
			defer get.Close()
		}
		if err := get.QueryRowContext(ctx, rel).Scan(&h.hash); err != nil {
			return err
		}
		have[rel] = h
	}
	return nil
}

// doc is one source file read and turned into rows.
type doc struct {
	info fileInfo
	hash []byte
	// same is true when the content hash equals the stored one.
	same     bool
	rows     []row
	notes    []noteRow
	tags     []string
	entries  []entryRow
	problems []error
	err      error // reading failed: the sync fails
}

// row is one FTS row: a note section or one bib field.
type row struct {
	key, section, heading, text string
	line                        int
	// skipHeading keeps the heading out of the FTS table (it is still
	// shown in hits).
	skipHeading bool
	// segHeading and segText are heading and text segmented for FTS5,
	// done by the parsing goroutines to keep the writer free.
	segHeading, segText string
}

type noteRow struct {
	key, title, status, read, added string
}

type entryRow struct {
	key, title string
	year, line int
}

// parseAll reads and parses files on all cores and yields the results in
// the order of files. It stops early when ctx is done.
func parseAll(ctx context.Context, files []fileInfo, have map[string]stored, opts notes.Options) func(yield func(*doc) bool) {
	return func(yield func(*doc) bool) {
		workers := min(runtime.GOMAXPROCS(0), max(len(files), 1))
		results := make([]chan *doc, len(files))
		for i := range results {
			results[i] = make(chan *doc, 1)
		}
		next := make(chan int)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					results[i] <- parseFile(files[i], have, opts)
				}
			}()
		}
		go func() {
			defer close(next)
			for i := range files {
				select {
				case next <- i:
				case <-stop:
					return
				case <-ctx.Done():
					return
				}
			}
		}()
		defer func() {
			close(stop)
			wg.Wait()
		}()
		for i := range files {
			var d *doc
			select {
			case d = <-results[i]:
			case <-ctx.Done():
				return
			}
			if !yield(d) {
				return
			}
		}
	}
}

// parseFile reads one file and, when its content changed, parses it.
func parseFile(f fileInfo, have map[string]stored, opts notes.Options) *doc {
	d := &doc{info: f}
	src, err := notes.ReadFile(f.abs()) // never blocks on a FIFO swapped in since the scan
	if err != nil {
		d.err = err
		return d
	}
	sum := sha256.Sum256(src)
	d.hash = sum[:]
	if h, ok := have[f.rel()]; ok && bytes.Equal(h.hash, d.hash) {
		d.same = true
		return d
	}
	if f.bib {
		bibDoc(d, src)
	} else {
		if len(src) > maxNoteBytes {
			src = cutNote(src, maxNoteBytes)
			d.problems = append(d.problems, truncated(f.abs(), 1, "the note", maxNoteBytes))
		}
		noteDoc(d, src, opts)
	}
	for i := range d.rows {
		r := &d.rows[i]
		if len(r.text) > maxRowText {
			r.text = cutText(r.text, maxRowText)
			what := "section " + r.section
			if f.bib {
				what = r.key + ": " + r.section
			}
			d.problems = append(d.problems, truncated(f.abs(), r.line, what, maxRowText))
		}
		if !r.skipHeading {
			r.segHeading = segment(r.heading)
		}
		r.segText = segment(r.text)
	}
	return d
}

func noteDoc(d *doc, src []byte, opts notes.Options) {
	n, err := notes.Parse(d.info.abs(), src, opts)
	if err != nil {
		d.problems = append(d.problems, err)
	}
	key := n.Key
	if key == "" {
		key = strings.TrimSuffix(d.info.name, ".md")
	}
	date := func(t interface{ IsZero() bool }, s string) string {
		if t.IsZero() {
			return ""
		}
		return s
	}
	d.notes = append(d.notes, noteRow{
		key:    key,
		title:  n.Title,
		status: strings.ToLower(n.Meta.Status),
		read:   date(n.Meta.Read, n.Meta.Read.Format("2006-01-02")),
		added:  date(n.Meta.Added, n.Meta.Added.Format("2006-01-02")),
	})
	// A set, not slices.Contains: 200,000 tags must not cost 200,000².
	seen := make(map[string]bool, len(n.Meta.Tags))
	for _, t := range n.Meta.Tags {
		if t = normTag(t); t != "" && !seen[t] {
			seen[t] = true
			d.tags = append(d.tags, t)
		}
	}
	if n.Title != "" {
		d.rows = append(d.rows, row{key: key, section: sectionTitle, text: n.Title, line: titleLine(n)})
	}
	if text, line := preamble(n); text != "" {
		d.rows = append(d.rows, row{key: key, section: sectionPreamble, text: text, line: line})
	}
	for _, s := range n.Sections {
		if (s.Canonical || s.Heading == "") && strings.TrimSpace(s.Text) == "" {
			continue
		}
		// Every note has the same canonical headings: indexing them would
		// make 方法 or "Method" match every note.
		d.rows = append(d.rows, row{key: key, section: s.ID, heading: s.Heading, text: s.Text, line: s.Line, skipHeading: s.Canonical})
	}
}

// sectionPreamble is the section id of a note's text before its first
// section (an author line under the title, or a whole note written without
// headings), which belongs to no section but must still be found.
const sectionPreamble = "preamble"

// preamble returns the markdown of the body before the first section,
// heading lines left out, and the line it starts on.
func preamble(n *notes.Note) (string, int) {
	body := n.Source[min(n.BodyOffset, len(n.Source)):]
	line := n.BodyLine
	stop := -1
	if len(n.Sections) > 0 {
		stop = n.Sections[0].Line
	}
	var b strings.Builder
	first := 0
	for len(body) > 0 && (stop < 0 || line < stop) {
		l, rest, _ := bytes.Cut(body, []byte{'\n'})
		t := bytes.TrimSpace(l)
		if len(t) > 0 && t[0] != '#' {
			if first == 0 {
				first = line
			}
			b.Write(t)
			b.WriteByte('\n')
		}
		body = rest
		line++
	}
	return strings.TrimSpace(b.String()), first
}

// titleLine returns the line of the note's "# Title" heading: the first line
// of the body starting with "# ", or the first line of the body.
func titleLine(n *notes.Note) int {
	body := n.Source[min(n.BodyOffset, len(n.Source)):]
	line := n.BodyLine
	for len(body) > 0 {
		l, rest, _ := bytes.Cut(body, []byte{'\n'})
		if bytes.HasPrefix(bytes.TrimLeft(l, " "), []byte("# ")) {
			return line
		}
		body = rest
		line++
	}
	return max(n.BodyLine, 1)
}

func bibDoc(d *doc, src []byte) {
	f := bib.Parse(d.info.abs(), src, nil)
	for _, p := range f.Problems.Errors() {
		d.problems = append(d.problems, p)
	}
	for _, e := range f.Entries {
		if e.Key == "" {
			continue
		}
		line := e.Pos.Line
		title := e.Title()
		year := firstYear(e.Year())
		d.entries = append(d.entries, entryRow{key: e.Key, title: title, year: year, line: line})
		add := func(section, text string) {
			if strings.TrimSpace(text) != "" {
				d.rows = append(d.rows, row{key: e.Key, section: section, text: text, line: line})
			}
		}
		add(sectionTitle, title)
		for _, a := range e.Authors() {
			if !a.Others {
				add(sectionAuthor, a.String())
			}
		}
		add(sectionVenue, e.Venue())
		add(sectionKeywords, e.Text("keywords"))
		add(sectionAbstract, e.Text("abstract"))
	}
}

// firstYear returns the first run of four digits in s as a number ("2022a"
// and "2022/2023" give 2022), or 0.
func firstYear(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if y, err := strconv.Atoi(s[i : i+4]); err == nil && s[i] >= '0' && s[i] <= '9' &&
			(i+4 == len(s) || s[i+4] < '0' || s[i+4] > '9') && (i == 0 || s[i-1] < '0' || s[i-1] > '9') {
			return y
		}
	}
	return 0
}

// writer holds the prepared statements of one sync transaction and the
// key numbers and row sequence numbers handed out in it.
type writer struct {
	ctx context.Context
	tx  *sql.Tx
	// fresh is true when the index is empty at the start: no lookups of
	// existing keys or rows are needed.
	fresh                                  bool
	file, section, fts, note, tag, entry   *sql.Stmt
	text, delTexts, keyGet, keyAdd, maxRow *sql.Stmt
	delFTS, delSections, delNotes, delTags *sql.Stmt
	delEntries, delFile, touch             *sql.Stmt
	stmts                                  []*sql.Stmt
	kids                                   map[string]int64
	next                                   map[int64]int64 // rowID(kid, class, 0) -> next rowid
	// rows holds, in a fresh index, the section rows until [writer.flush]
	// inserts them in rowid order (see there).
	rows []ftsRow
}

// ftsRow is one row of the full-text table waiting to be inserted.
type ftsRow struct {
	id                  int64
	sect, heading, text string
}

func newWriter(ctx context.Context, tx *sql.Tx, fresh bool) (*writer, error) {
	w := &writer{ctx: ctx, tx: tx, fresh: fresh, kids: map[string]int64{}, next: map[int64]int64{}}
	for _, p := range []struct {
		s   **sql.Stmt
		sql string
	}{
		{&w.file, `INSERT OR REPLACE INTO files(path, mtime, size, hash) VALUES (?, ?, ?, ?)`},
		{&w.section, `INSERT INTO sections(id, file, section, heading, line) VALUES (?, ?, ?, ?, ?)`},
		{&w.text, `INSERT INTO texts(id, text) VALUES (?, ?)`},
		{&w.fts, `INSERT INTO fts(rowid, sect, heading, body) VALUES (?, ?, ?, ?)`},
		{&w.note, `INSERT INTO notes(file, kid, title, status, read, added) VALUES (?, ?, ?, ?, ?, ?)`},
		{&w.tag, `INSERT INTO tags(file, kid, tag) VALUES (?, ?, ?)`},
		{&w.entry, `INSERT INTO entries(file, kid, title, year, line) VALUES (?, ?, ?, ?, ?)`},
		{&w.keyGet, `SELECT id FROM keys WHERE key = ?`},
		{&w.keyAdd, `INSERT INTO keys(key) VALUES (?)`},
		{&w.maxRow, `SELECT max(id) FROM sections WHERE id BETWEEN ? AND ?`},
		{&w.delFTS, `DELETE FROM fts WHERE rowid IN (SELECT id FROM sections WHERE file = ?)`},
		{&w.delTexts, `DELETE FROM texts WHERE id IN (SELECT id FROM sections WHERE file = ?)`},
		{&w.delSections, `DELETE FROM sections WHERE file = ?`},
		{&w.delNotes, `DELETE FROM notes WHERE file = ?`},
		{&w.delTags, `DELETE FROM tags WHERE file = ?`},
		{&w.delEntries, `DELETE FROM entries WHERE file = ?`},
		{&w.delFile, `DELETE FROM files WHERE path = ?`},
		{&w.touch, `UPDATE files SET mtime = ?, size = ? WHERE path = ?`},
	} {
		s, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.s = s
		w.stmts = append(w.stmts, s)
	}
	return w, nil
}

func (w *writer) close() {
	for _, s := range w.stmts {
		s.Close()
	}
	w.stmts = nil
}

// remove deletes everything indexed from the file at stored path rel.
func (w *writer) remove(rel string) error {
	for _, s := range []*sql.Stmt{w.delFTS, w.delTexts, w.delSections, w.delNotes, w.delTags, w.delEntries, w.delFile} {
		if _, err := s.ExecContext(w.ctx, rel); err != nil {
			return err
		}
	}
	return nil
}

// kid returns the number of a key, giving it one when it is new.
func (w *writer) kid(key string) (int64, error) {
	if id, ok := w.kids[key]; ok {
		return id, nil
	}
	var id int64
	err := sql.ErrNoRows
	if !w.fresh {
		err = w.keyGet.QueryRowContext(w.ctx, key).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		var res sql.Result
		res, err = w.keyAdd.ExecContext(w.ctx, key)
		if err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, err
	}
	w.kids[key] = id
	return id, nil
}

// rowID hands out the next free rowid for a row of key number kid and
// weight class cls.
func (w *writer) rowID(kid int64, cls int) (int64, error) {
	base := rowID(kid, cls, 0)
	next, ok := w.next[base]
	if !ok {
		next = base
		if !w.fresh {
			var last sql.NullInt64
			if err := w.maxRow.QueryRowContext(w.ctx, base, base+maxSeq).Scan(&last); err != nil {
				return 0, err
			}
			if last.Valid {
				next = last.Int64 + 1
			}
		}
	}
	if next > base+maxSeq {
		return 0, fmt.Errorf("more than %d rows of one class for one key", maxSeq+1)
	}
	w.next[base] = next + 1
	return next, nil
}

// insertFTS inserts one row of the full-text table.
func (w *writer) insertFTS(p *ftsRow) error {
	_, err := w.fts.ExecContext(w.ctx, p.id, p.sect, p.heading, p.text)
	return err
}

// flush inserts the full-text rows held back in a fresh index, in rowid
// order. FTS5 writes its pending terms out as a new segment whenever a
// rowid is not above the last one (and merges segments as they pile up);
// rowids group rows by paper, not by file, so inserted file by file almost
// every note started a segment, and building 10,000 notes spent about 2.5 s
// of its 8 s of CPU writing and merging them.
func (w *writer) flush() error {
	slices.SortFunc(w.rows, func(a, b ftsRow) int { return cmp.Compare(a.id, b.id) })
	for i := range w.rows {
		if err := w.insertFTS(&w.rows[i]); err != nil {
			return err
		}
		w.rows[i] = ftsRow{} // let the text go
	}
	w.rows = nil
	return nil
}

// add inserts a parsed file.
func (w *writer) add(d *doc) error {
	rel := d.info.rel()
	if _, err := w.file.ExecContext(w.ctx, rel, d.info.mtime, d.info.size, d.hash); err != nil {
		return err
	}
	for _, r := range d.rows {
		kid, err := w.kid(r.key)
		if err != nil {
			return err
		}
		id, err := w.rowID(kid, sectionClass(r.section))
		if err != nil {
			return err
		}
		if _, err := w.section.ExecContext(w.ctx, id, rel, r.section, r.heading, r.line); err != nil {
			return err
		}
		if _, err := w.text.ExecContext(w.ctx, id, r.text); err != nil {
			return err
		}
		p := ftsRow{id: id, sect: sectToken(r.section), heading: r.segHeading, text: r.segText}
		if w.fresh {
			w.rows = append(w.rows, p)
		} else if err := w.insertFTS(&p); err != nil {
			return err
		}
	}
	for _, n := range d.notes {
		kid, err := w.kid(n.key)
		if err != nil {
			return err
		}
		if _, err := w.note.ExecContext(w.ctx, rel, kid, n.title, n.status, n.read, n.added); err != nil {
			return err
		}
		for _, t := range d.tags {
			if _, err := w.tag.ExecContext(w.ctx, rel, kid, t); err != nil {
				return err
			}
		}
	}
	for _, e := range d.entries {
		kid, err := w.kid(e.key)
		if err != nil {
			return err
		}
		if _, err := w.entry.ExecContext(w.ctx, rel, kid, e.title, e.year, e.line); err != nil {
			return err
		}
	}
	return nil
}
