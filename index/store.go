package index

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// schemaVersion changes whenever the tables, the segmentation or the rows
// change meaning, or the file's layout does (6: 16 KiB pages; 7: marked with
// application_id and user_version; 8: sections indexed by file and line);
// an index of another version is rebuilt.
const schemaVersion = 8

// pageSize is the database page size of a new index. FTS5 keeps its index
// in blobs of about 4,000 bytes and looks up the row lengths bm25() needs
// one row at a time: with 16 KiB pages the blobs fit in one page each and
// the lookups descend one level less than with SQLite's 4 KiB. A common
// query on 10,000 notes took about 2.5 ms less.
const pageSize = 16384

// schema creates an empty index. The FTS5 table is contentless: the text it
// indexes is segmented (bigrams), so the original text lives in sections
// and snippets are cut from there.
const schema = `
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE files(
	path TEXT PRIMARY KEY, -- relative to the workspace root, slash-separated
	mtime INTEGER NOT NULL,
	size INTEGER NOT NULL,
	hash BLOB NOT NULL
) WITHOUT ROWID;
-- Every cite key seen gets a number, kept for the life of the index.
CREATE TABLE keys(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
-- One row per FTS row; id = fts rowid, see rowID.
CREATE TABLE sections(
	id INTEGER PRIMARY KEY,
	file TEXT NOT NULL,
	section TEXT NOT NULL,
	heading TEXT NOT NULL,
	line INTEGER NOT NULL
);
-- By file and line: a hit's section ends at the file's next row, found
-- with one seek (a hit in a large .bib file scanned all its rows).
CREATE INDEX sections_file ON sections(file, line);
-- The text is kept apart so that the sections b-tree stays small; only
-- the hits shown read their text.
CREATE TABLE texts(id INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE notes(
	file TEXT NOT NULL,
	kid INTEGER NOT NULL,
	title TEXT NOT NULL,
	status TEXT NOT NULL,
	read TEXT NOT NULL,
	added TEXT NOT NULL
);
CREATE INDEX notes_file ON notes(file);
CREATE INDEX notes_kid ON notes(kid);
CREATE INDEX notes_status ON notes(status);
CREATE TABLE tags(file TEXT NOT NULL, kid INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX tags_file ON tags(file);
CREATE INDEX tags_tag ON tags(tag);
CREATE TABLE entries(
	file TEXT NOT NULL,
	kid INTEGER NOT NULL,
	title TEXT NOT NULL,
	year INTEGER NOT NULL,
	line INTEGER NOT NULL
);
CREATE INDEX entries_file ON entries(file);
CREATE INDEX entries_kid ON entries(kid);
CREATE INDEX entries_year ON entries(year);
CREATE VIRTUAL TABLE fts USING fts5(sect, heading, body, content='', contentless_delete=1);
`

// An FTS rowid (= sections.id) packs the paper's key number, the weight
// class of the section and a sequence number, so that a search groups and
// weighs FTS hits by paper with no join:
//
//	rowid = kid<<23 | class<<20 | seq
const (
	seqBits   = 20
	classBits = 3
	kidShift  = seqBits + classBits
	maxSeq    = 1<<seqBits - 1
)

// rowID returns the rowid of the seq-th row of class cls for key number kid.
func rowID(kid int64, cls int, seq int64) int64 {
	return kid<<kidShift | int64(cls)<<seqBits | seq
}

// kidOf returns the key number of a rowid.
func kidOf(rowid int64) int64 { return rowid >> kidShift }

// classOf returns the weight class of a rowid.
func classOf(rowid int64) int { return int(rowid>>seqBits) & (1<<classBits - 1) }

// Index is an open search index. Its methods are safe for concurrent use
// (they serialise on one database connection). Several processes may use
// the same index file: each holds a shared lock on the file beside it
// (index.db.lock) while it has the database open, and a process that
// creates or replaces the database holds it exclusively, so the others
// wait for it rather than fail.
type Index struct {
	path string
	// db is nil while there is no usable index file: the next sync builds it.
	db   *sql.DB
	lock *fileLock
	// mu serialises syncs within the process (a rebuild replaces the
	// database handle) and keeps searches out while one runs.
	mu sync.RWMutex
	// fresh is true while db is a new database being filled by its first
	// sync.
	fresh bool
}

// applicationID marks a SQLite file as a papernotes index ("pnix"), in the
// header field SQLite reserves for this; user_version holds schemaVersion.
const applicationID = 0x706e6978

// ErrNotIndex is wrapped by the error of [Open] when the file at the index
// path exists but is not a papernotes index: another program's database,
// or any other file. It is left alone; only a file that is recognisably an
// index (or empty) is ever deleted or replaced.
var ErrNotIndex = errors.New("not a papernotes index (another program's file?); set index.dir to another folder, or move the file away")

// Open opens the index database at path, creating its folder when missing,
// and takes the shared lock beside it (waiting up to [LockWait] for a
// process that is replacing the database). A missing or empty file, or an
// index that is corrupt or of another schema version, is not an error: the
// next [Index.Sync] builds a new index and puts it in place. A file that is
// not an index gives an error wrapping [ErrNotIndex]. Open does not read
// any notes.
func Open(path string) (*Index, error) {
	return OpenContext(context.Background(), path)
}

// OpenContext is [Open] that stops waiting for the lock when ctx is done.
func OpenContext(ctx context.Context, path string) (*Index, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	l, err := openLock(path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	ix := &Index{path: path, lock: l}
	if err := l.set(ctx, lockSH); err != nil {
		l.close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if err := ix.load(); err != nil {
		l.close()
		return nil, err
	}
	return ix, nil
}

// Built reports whether the index file holds an index that can be
// searched as it is (it may be out of date); false means the next sync
// builds it.
func (ix *Index) Built() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.db != nil
}

// Path returns the database file name.
func (ix *Index) Path() string { return ix.path }

// Close closes the database and releases the lock.
func (ix *Index) Close() error {
	var err error
	if ix.db != nil {
		err = ix.db.Close()
		ix.db = nil
	}
	if lerr := ix.lock.close(); err == nil {
		err = lerr
	}
	return err
}

// fileKind is what lies at the index path.
type fileKind int

const (
	fileMissing fileKind = iota // no file, or an empty one
	fileOurs                    // an index, of any version
	fileForeign                 // anything else
)

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// classify looks at the file at path without changing it.
func classify(path string) (fileKind, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileMissing, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() {
		return fileForeign, nil
	}
	if fi.Size() == 0 {
		return fileMissing, nil
	}
	var hdr [100]byte
	if _, err := io.ReadFull(f, hdr[:]); err != nil {
		return fileForeign, nil
	}
	if string(hdr[:16]) != sqliteMagic {
		return fileForeign, nil
	}
	switch binary.BigEndian.Uint32(hdr[68:72]) {
	case applicationID:
		return fileOurs, nil
	case 0:
		// Indexes before schema 7 carried no application id: one of those
		// has a meta table with a schema row.
		if legacyIndex(path) {
			return fileOurs, nil
		}
	}
	return fileForeign, nil
}

// legacyIndex reports whether the database at path, which has no
// application id, is an index made before schema 7.
func legacyIndex(path string) bool {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		return false
	}
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT count(*) FROM meta WHERE name IN ('schema', 'fingerprint', 'config')`).Scan(&n)
	return err == nil && n == 3
}

// load opens the database at ix.path, under the shared lock, when it is a
// usable index; otherwise it leaves ix.db nil for the next sync to build.
func (ix *Index) load() error {
	kind, err := classify(ix.path)
	if err != nil {
		return fmt.Errorf("open index %s: %w", ix.path, err)
	}
	switch kind {
	case fileForeign:
		return fmt.Errorf("%s: %w", ix.path, ErrNotIndex)
	case fileMissing:
		return nil
	}
	db, err := openDB(ix.path, true)
	if err == nil {
		var ok bool
		if ok, err = valid(db); err == nil && ok {
			ix.db = db
			return nil
		}
		db.Close()
	}
	if err != nil && !isCorrupt(err) {
		return fmt.Errorf("open index %s: %w", ix.path, plain(err))
	}
	return nil // corrupt or another version: rebuilt by the next sync
}

// openDB opens a database file; wal says whether it is a finished index
// (write-ahead log, crash-safe) or one being built (no journal: a build
// that fails is thrown away).
func openDB(path string, wal bool) (*sql.DB, error) {
	q := url.Values{}
	pragmas := []string{"busy_timeout(10000)", "cache_size(-16000)", "mmap_size(1073741824)"}
	if wal {
		pragmas = append(pragmas, "synchronous(NORMAL)", "journal_mode(WAL)")
	} else {
		pragmas = append(pragmas, "synchronous(OFF)", "journal_mode(OFF)")
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	// Write transactions take the write lock when they begin: a deferred
	// one that upgrades later fails at once with SQLITE_BUSY when another
	// process wrote in between, whatever the busy timeout.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One connection: the writer and the readers of one process take turns,
	// and pragmas set on it stay set.
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// valid reports whether db holds a complete index of this schema version.
func valid(db *sql.DB) (bool, error) {
	var v string
	err := db.QueryRow(`SELECT value FROM meta WHERE name = 'schema'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_ERROR {
			return false, nil // no meta table
		}
		return false, err
	}
	return v == strconv.Itoa(schemaVersion), nil
}

// newFile is the name a new index is built under, beside the index, and
// renamed to it when complete: a build that fails or is killed never
// leaves a half-built index in place, and the searches of other processes
// read the old one meanwhile.
func (ix *Index) newFile() string { return ix.path + ".new" }

// removeDB deletes a database file and its companions.
func removeDB(path string) error {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// createNew makes an empty index at ix.newFile() and makes it ix.db.
// The caller holds the lock exclusively.
func (ix *Index) createNew() error {
	tmp := ix.newFile()
	if err := removeDB(tmp); err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	db, err := openDB(tmp, false)
	if err != nil {
		return fmt.Errorf("create index %s: %w", tmp, plain(err))
	}
	// The page size takes effect with a VACUUM (of an empty file here).
	for _, s := range []string{
		"PRAGMA page_size=" + strconv.Itoa(pageSize), "VACUUM",
		"PRAGMA application_id=" + strconv.Itoa(applicationID),
		"PRAGMA user_version=" + strconv.Itoa(schemaVersion),
		schema,
	} {
		if _, err := db.Exec(s); err != nil {
			db.Close()
			return fmt.Errorf("create index %s: %w", tmp, plain(err))
		}
	}
	ix.db, ix.fresh = db, true
	return nil
}

// installNew switches the new index, filled, to its normal settings, and
// renames it over the index. The caller holds the lock exclusively, so no
// process has the old index (or its -wal and -shm files) open.
func (ix *Index) installNew() error {
	db := ix.db
	ix.db = nil
	ix.fresh = false
	_, err := db.Exec("PRAGMA journal_mode=WAL")
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if err = removeDB(ix.path); err == nil {
			err = os.Rename(ix.newFile(), ix.path)
		}
	}
	if err != nil {
		removeDB(ix.newFile())
		return fmt.Errorf("install index %s: %w", ix.path, plain(err))
	}
	if ix.db, err = openDB(ix.path, true); err != nil {
		return fmt.Errorf("open index %s: %w", ix.path, plain(err))
	}
	return nil
}

// dropNew throws away a new index that could not be filled.
func (ix *Index) dropNew() {
	if ix.fresh && ix.db != nil {
		ix.db.Close()
		ix.db, ix.fresh = nil, false
		removeDB(ix.newFile())
	}
}

func (ix *Index) meta(ctx context.Context, name string) (string, error) {
	return readMeta(ctx, ix.db, name)
}

// readMeta reads a meta value, "" when there is none.
func readMeta(ctx context.Context, db querier, name string) (string, error) {
	var v string
	err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// isCorrupt reports whether err says the database file is damaged or is not
// a database at all.
func isCorrupt(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}

// Errors of the index database, in words of this package: SQLite's own
// messages ("database is locked", "database disk image is malformed") mean
// nothing to a user, who never chose a database.
var (
	// ErrCorrupt is wrapped by the error of an operation that found the
	// index damaged after rebuilding it once.
	ErrCorrupt = errors.New("the index is damaged; run papernotes reindex")
	// ErrStorage is wrapped by other failures of the index database.
	ErrStorage = errors.New("the index could not be read or written")
)

// dbError is an error of the index database, said in plain words. Its
// Unwrap gives the sentinel (ErrBusy, ErrCorrupt, ErrStorage).
type dbError struct {
	sentinel error
	detail   string
}

func (e *dbError) Error() string {
	if e.detail == "" {
		return e.sentinel.Error()
	}
	return e.sentinel.Error() + " (" + e.detail + ")"
}

func (e *dbError) Unwrap() error { return e.sentinel }

// plain replaces a SQLite error in err's chain by a [dbError]; other errors
// are returned unchanged. The caller's wrapping text is kept.
func plain(err error) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	var e *dbError
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		e = &dbError{sentinel: ErrBusy}
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		e = &dbError{sentinel: ErrCorrupt}
	case sqlite3.SQLITE_FULL:
		e = &dbError{sentinel: ErrStorage, detail: "the disk is full"}
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN:
		e = &dbError{sentinel: ErrStorage, detail: "no permission to write the index folder"}
	case sqlite3.SQLITE_IOERR:
		e = &dbError{sentinel: ErrStorage, detail: "input/output error"}
	default:
		e = &dbError{sentinel: ErrStorage, detail: fmt.Sprintf("code %d", se.Code())}
	}
	// Keep what the callers said around the SQLite error.
	msg := err.Error()
	if i := strings.Index(msg, se.Error()); i >= 0 {
		return &wrapped{msg: msg[:i] + e.Error(), err: e}
	}
	return e
}

// wrapped is an error with its own text that unwraps to err.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
