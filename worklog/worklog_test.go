package worklog

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFileName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2025-11-17": "2025-W47.md",
		"2025-11-19": "2025-W47.md",
		"2025-11-16": "2025-W46.md", // a Sunday ends its ISO week
		"2024-12-30": "2025-W01.md", // ISO year differs from calendar year
		"2021-01-03": "2020-W53.md",
	} {
		if got := FileName(day(t, in)); got != want {
			t.Errorf("FileName(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestAppendAndBetween(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "journal")
	add := func(d, text string) {
		t.Helper()
		if err := Append(dir, day(t, d), text); err != nil {
			t.Fatal(err)
		}
	}
	// The meeting week 2025-11-13..19 straddles 2025-W46 and 2025-W47.
	add("2025-11-17", "已将数据集和代码迁移至新硬盘，已重新恢复代码运行环境")
	add("2025-11-13", "ran the baseline")
	add("2025-11-12", "before the week")
	add("2025-11-19", "  two\n\n  lines  \n")
	add("2025-11-20", "after the meeting")

	src, err := os.ReadFile(filepath.Join(dir, "2025-W47.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := "# 2025-W47\n\n- 2025-11-17 已将数据集和代码迁移至新硬盘，已重新恢复代码运行环境\n- 2025-11-19 two lines\n- 2025-11-20 after the meeting\n"
	if diff := cmp.Diff(want, string(src)); diff != "" {
		t.Errorf("2025-W47.md (-want +got):\n%s", diff)
	}

	got, err := Between(dir, day(t, "2025-11-13"), day(t, "2025-11-19"))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range got {
		texts = append(texts, e.Date.Format(time.DateOnly)+" "+e.Text)
	}
	wantTexts := []string{"2025-11-13 ran the baseline", "2025-11-17 已将数据集和代码迁移至新硬盘，已重新恢复代码运行环境", "2025-11-19 two lines"}
	if diff := cmp.Diff(wantTexts, texts); diff != "" {
		t.Errorf("Between (-want +got):\n%s", diff)
	}
	if got[0].Line != 3 || !strings.HasSuffix(got[0].File, "2025-W46.md") {
		t.Errorf("position %s:%d", got[0].File, got[0].Line)
	}

	if err := Append(dir, day(t, "2025-11-19"), " \n\t"); !errors.Is(err, ErrEmpty) {
		t.Errorf("Append(blank) = %v, want ErrEmpty", err)
	}
	none, err := Between(filepath.Join(dir, "missing"), day(t, "2025-11-13"), day(t, "2025-11-19"))
	if err != nil || len(none) != 0 {
		t.Errorf("Between(missing dir) = %v, %v", none, err)
	}
}

func TestAppendKeepsExistingBytes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "2025-W47.md")
	if err := os.WriteFile(path, []byte("# my notes\nfree text, no newline"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Append(dir, day(t, "2025-11-18"), "x"); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(path)
	if want := "# my notes\nfree text, no newline\n- 2025-11-18 x\n"; string(src) != want {
		t.Errorf("got %q, want %q", src, want)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	src := "\ufeff- 2025-11-17 a\r\n* 2025-11-18 b\nnot a line\n- 2025-13-40 bad date\n- short\n  - 2025-11-19 indented\n"
	got := Parse("j.md", []byte(src))
	var s []string
	for _, e := range got {
		s = append(s, e.Text)
	}
	if diff := cmp.Diff([]string{"a", "b", "indented"}, s); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestAppendMissing(t *testing.T) {
	dir := t.TempDir()
	d := time.Date(2025, 11, 19, 0, 0, 0, 0, time.UTC)
	n, err := AppendMissing(dir, d, []string{"a", "", "b"})
	if err != nil || n != 2 {
		t.Fatalf("first: n = %d, err = %v", n, err)
	}
	n, err = AppendMissing(dir, d, []string{"b", "c"})
	if err != nil || n != 1 {
		t.Fatalf("second: n = %d, err = %v", n, err)
	}
	es, err := Between(dir, d, d)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Text)
	}
	if strings.Join(got, ",") != "a,b,c" {
		t.Errorf("entries = %q, want a,b,c", got)
	}
}
