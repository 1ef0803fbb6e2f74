package index

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadDir checks the scan's folder listing against os.ReadDir: the
// same names (hidden ones left out), sorted, links marked, and each name
// usable by statAt.
func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	names := []string{"b.md", "a.md", ".hidden.md", "中文 笔记.md", "line\nbreak.md", "sub", strings.Repeat("x", 250) + ".md"}
	for _, n := range names {
		p := filepath.Join(dir, n)
		if n == "sub" {
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a.md", filepath.Join(dir, "link.md")); err != nil {
		t.Fatal(err)
	}
	for i := range 3000 { // more than one getdents buffer
		if err := os.WriteFile(filepath.Join(dir, "n"+strings.Repeat("0", 20)+string(rune('a'+i%26))+filepath.Base(t.Name())+itoa(i)+".md"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fd, err := openDirFD(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDirFD(fd)
	got, err := readDir(fd, dir)
	if err != nil {
		t.Fatal(err)
	}
	os_, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []dirEntry
	for _, e := range os_ {
		if !strings.HasPrefix(e.Name(), ".") {
			want = append(want, dirEntry{name: e.Name(), link: e.Type()&fs.ModeSymlink != 0})
		}
	}
	slices.SortFunc(want, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	if d := cmp.Diff(want, got, cmp.AllowUnexported(dirEntry{})); d != "" {
		t.Fatalf("readDir differs from os.ReadDir (-want +got):\n%s", d)
	}
	for i := range got {
		e := &got[i]
		if err := statAt(fd, dir, e); err != nil {
			t.Fatalf("statAt %q: %v", e.name, err)
		}
		fi, err := os.Stat(filepath.Join(dir, e.name))
		if err != nil {
			t.Fatal(err)
		}
		if e.isDir != fi.IsDir() || e.isReg != fi.Mode().IsRegular() || (e.isReg && (e.size != fi.Size() || e.mtime != fi.ModTime().UnixNano())) {
			t.Errorf("statAt %q: dir %v regular %v size %d mtime %d; os.Stat says %v %v %d %d", e.name, e.isDir, e.isReg, e.size, e.mtime, fi.IsDir(), fi.Mode().IsRegular(), fi.Size(), fi.ModTime().UnixNano())
		}
	}
}

func itoa(i int) string {
	return string(rune('0'+i/1000%10)) + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}
