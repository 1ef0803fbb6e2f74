package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/bib"
)

// countingWriter counts the writes that reach it.
type countingWriter struct {
	bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// TestShowTextBuffered checks that `show` on an entry with many fields
// writes its text through one buffer (a few large writes), not one write per
// line: 200,000 fields took about 8 s unbuffered. The count of writes is the
// measure, not the time.
func TestShowTextBuffered(t *testing.T) {
	const n = 5000
	var src strings.Builder
	src.WriteString("@misc{big,\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&src, "  f%d = {value %d},\n", i, i)
	}
	src.WriteString("  title = {T}\n}\n")
	ios, _, _, _ := Test()
	out := &countingWriter{}
	ios.Out = out
	lib := testLibrary(t, src.String())
	opts := &showOptions{IO: ios, Key: "big", DisplayPath: func(s string) string { return s },
		Library: func(...string) (*bib.Library, error) { return lib(nil) }}
	if err := showRun(opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "f4999  value 4999\n") || !strings.HasSuffix(out.String(), "}\n") {
		t.Fatalf("output incomplete:\n%s", out.String()[max(0, out.Len()-300):])
	}
	// 5000 lines of fields and 5000 of raw; 64 KiB buffers make it a handful.
	if max := out.Len()/(32<<10) + 4; out.writes > max {
		t.Errorf("%d writes for %d bytes, want at most %d (buffered)", out.writes, out.Len(), max)
	}
}
