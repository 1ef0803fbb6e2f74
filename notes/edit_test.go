package notes

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestSetStatus(t *testing.T) {
	d := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		desc, give, status, want string
	}{
		{"to read adds read after status", "---\nkey: k\ntags: [a]\nstatus: toread\nadded: 2026-11-01\n---\n\n# T\n",
			"read", "---\nkey: k\ntags: [a]\nstatus: read\nread: 2026-11-30\nadded: 2026-11-01\n---\n\n# T\n"},
		{"read to toread drops read and read_order", "---\nkey: k\nstatus: read\nread: 2026-11-02\nread_order: 2\nadded: 2026-11-01\n---\nbody  \n",
			"toread", "---\nkey: k\nstatus: toread\nadded: 2026-11-01\n---\nbody  \n"},
		{"replace read keeps comments and CRLF", "---\r\nkey: k # the key\r\nstatus: reading\r\nextra:\r\n  - x\r\nread: 2020-01-01\r\n---\r\nA\r\n",
			"read", "---\r\nkey: k # the key\r\nstatus: read\r\nextra:\r\n  - x\r\nread: 2026-11-30\r\n---\r\nA\r\n"},
		{"no status line", "---\nkey: k\n---\n# T\n", "reading", "---\nkey: k\nstatus: reading\n---\n# T\n"},
		{"no front matter", "# T\n\ntext\n", "read", "---\nstatus: read\nread: 2026-11-30\n---\n\n# T\n\ntext\n"},
		{"bom", "\ufeff---\nkey: k\n---\n", "reading", "\ufeff---\nkey: k\nstatus: reading\n---\n"},
		{"block value of read", "---\nkey: k\nread:\n  2020-01-01\nstatus: read\n---\n", "toread", "---\nkey: k\nstatus: toread\n---\n"},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			got, err := SetStatus([]byte(c.give), c.status, d)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("got\n%q\nwant\n%q", got, c.want)
			}
			n, err := Parse("k.md", got, Options{})
			if err != nil && n.Meta.Key != "" {
				t.Fatalf("result does not parse: %v", err)
			}
			if n.Meta.Status != c.status || (c.status == "read") != !n.Meta.Read.IsZero() {
				t.Errorf("parsed status %q read %v", n.Meta.Status, n.Meta.Read)
			}
		})
	}
	if _, err := SetStatus([]byte("---\nkey: k\n"), "read", d); !errors.Is(err, ErrBadFrontMatter) {
		t.Errorf("unclosed block: err = %v", err)
	}
	if _, err := SetStatus([]byte("---\nkey: k\n---\n"), "done", d); !errors.Is(err, ErrBadStatus) {
		t.Errorf("bad status: err = %v", err)
	}
	if _, err := SetStatus([]byte("---\nkey: k\n---\n"), "read", time.Time{}); !errors.Is(err, ErrBadDate) {
		t.Errorf("zero date: err = %v", err)
	}
}

func TestSetReadOrder(t *testing.T) {
	got, err := SetReadOrder([]byte("---\nkey: k\nstatus: read\nread: 2025-11-19\nadded: 2025-11-19\n---\n"), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := "---\nkey: k\nstatus: read\nread: 2025-11-19\nread_order: 2\nadded: 2025-11-19\n---\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	n, err := Parse("k.md", got, Options{})
	if err != nil || n.Meta.ReadOrder != 2 {
		t.Errorf("parsed read_order %d, err %v", n.Meta.ReadOrder, err)
	}
	if _, err := Parse("k.md", []byte("---\nkey: k\nread_order: two\n---\n"), Options{}); err == nil || err.Error() != `k.md:3:13: bad front matter: read_order must be a whole number, not "two"` {
		t.Errorf("read_order: two: err = %v", err)
	}
}

// FuzzSetStatus: never panics; on a note that parses cleanly the result
// parses with the new status, and the body is kept byte for byte.
func FuzzSetStatus(f *testing.F) {
	f.Add([]byte("---\nkey: k\nstatus: toread\n---\n# T\n"), "read")
	f.Add([]byte("---\r\nkey: k\r\nread: 2020-01-01\r\n---\r\nx"), "toread")
	f.Add([]byte("# no front matter\n"), "reading")
	f.Add([]byte("---\nkey: k\nread:\n  - a\n---\n"), "read")
	d := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src []byte, status string) {
		out, err := SetStatus(src, status, d)
		if err != nil {
			return
		}
		n0, err := Parse("a.md", src, Options{})
		if err != nil {
			return
		}
		n, err := Parse("a.md", out, Options{})
		if err != nil {
			t.Fatalf("SetStatus(%q, %q) = %q: %v", src, status, out, err)
		}
		if n.Meta.Status != status || (status == "read") != n.Meta.Read.Equal(d) || n.Meta.Key != n0.Meta.Key {
			t.Fatalf("SetStatus(%q, %q) = %q: parsed %+v", src, status, out, n.Meta)
		}
		if !bytes.HasSuffix(out, src[n0.BodyOffset:]) {
			t.Fatalf("SetStatus(%q, %q) = %q: body changed", src, status, out)
		}
	})
}
