package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// schemaVersion changes whenever the tables, the segmentation or the rows
// change meaning, or the file's layout does (6: 16 KiB pages); an index of
// another version is rebuilt.
const schemaVersion = 6

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
CREATE INDEX sections_file ON sections(file);
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
// (they serialise on one database connection); several processes may use
// the same index file, SQLite's locking keeps them apart.
type Index struct {
	path string
	db   *sql.DB
	// mu serialises syncs within the process (a rebuild replaces the
	// database handle) and keeps searches out while one runs.
	mu sync.RWMutex
	// fresh is true while the database was just created and has never
	// been filled by a complete sync.
	fresh bool
}

// Open opens the index database at path, creating it and its folder when
// missing. An existing file that is not a readable index of this schema
// version (corrupt, truncated, another version, or left half-built) is
// deleted and created afresh; the next [Index.Sync] fills it. Open does
// not read any notes.
func Open(path string) (*Index, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	ix := &Index{path: path}
	err := ix.open()
	if err == nil {
		var ok bool
		ok, err = ix.valid()
		if err == nil && ok {
			return ix, nil
		}
		ix.db.Close()
	}
	if err != nil && !isCorrupt(err) {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if err := ix.create(); err != nil {
		return nil, err
	}
	return ix, nil
}

// Path returns the database file name.
func (ix *Index) Path() string { return ix.path }

// Close closes the database.
func (ix *Index) Close() error { return ix.db.Close() }

func (ix *Index) open() error {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "synchronous(NORMAL)", "journal_mode(WAL)", "cache_size(-16000)", "mmap_size(1073741824)"} {
		q.Add("_pragma", p)
	}
	// Write transactions take the write lock when they begin: a deferred
	// one that upgrades later fails at once with SQLITE_BUSY when another
	// process wrote in between, whatever the busy timeout.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(ix.path)+"?"+q.Encode())
	if err != nil {
		return err
	}
	// One connection: the writer and the readers of one process take turns,
	// and pragmas set on it stay set.
	db.SetMaxOpenConns(1)
	ix.db = db
	return db.Ping()
}

// valid reports whether the database holds a complete index of this
// schema version.
func (ix *Index) valid() (bool, error) {
	var v string
	err := ix.db.QueryRow(`SELECT value FROM meta WHERE name = 'schema'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_ERROR {
			return false, nil // no meta table: not ours, or empty
		}
		return false, err
	}
	return v == strconv.Itoa(schemaVersion), nil
}

// create deletes the database files and creates an empty index. Until the
// first sync completes it runs without a journal: a crash leaves an index
// with no schema row, which the next Open rebuilds.
func (ix *Index) create() error {
	if ix.db != nil {
		ix.db.Close()
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(ix.path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	if err := ix.open(); err != nil {
		return fmt.Errorf("create index %s: %w", ix.path, err)
	}
	// The page size can change only outside WAL mode, which open has set,
	// and takes effect with a VACUUM (of an empty file here).
	for _, s := range []string{"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA page_size=" + strconv.Itoa(pageSize), "VACUUM", schema} {
		if _, err := ix.db.Exec(s); err != nil {
			return fmt.Errorf("create index %s: %w", ix.path, err)
		}
	}
	ix.fresh = true
	return nil
}

// finishFresh switches a freshly built index to its normal, crash-safe
// settings.
func (ix *Index) finishFresh(ctx context.Context) error {
	for _, s := range []string{"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"} {
		if _, err := ix.db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	ix.fresh = false
	return nil
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
