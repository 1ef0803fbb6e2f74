package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/bib"
)

func testLibrary(t *testing.T, src string) func([]string) (*bib.Library, error) {
	t.Helper()
	return func([]string) (*bib.Library, error) {
		return bib.NewLibrary([]*bib.File{bib.Parse("x.bib", []byte(src), nil)}, bib.LoadOptions{}), nil
	}
}

// TestCheckRunColour checks that colour appears only on a terminal and
// never with NO_COLOR, and that errors give ErrSilent (exit 1).
func TestCheckRunColour(t *testing.T) {
	const src = "@misc{a, title = {T}, howpublished = undefined}\n@misc{b, title = {unclosed\n"
	tests := []struct {
		name      string
		tty, noCo bool
		wantColor bool
	}{
		{"pipe", false, false, false},
		{"tty", true, false, true},
		{"tty NO_COLOR", true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := Test()
			ios.OutTTY, ios.NoColor = tt.tty, tt.noCo
			opts := &checkOptions{IO: ios, Files: []string{"x.bib"}, Load: testLibrary(t, src), DisplayPath: func(s string) string { return s }}
			err := checkRun(opts)
			if !errors.Is(err, ErrSilent) {
				t.Fatalf("err = %v, want ErrSilent", err)
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tt.wantColor {
				t.Errorf("colour = %v, want %v:\n%q", got, tt.wantColor, out.String())
			}
			if !strings.Contains(out.String(), "x.bib:1:38: ") || !strings.Contains(errOut.String(), "1 error, 1 warning") {
				t.Errorf("stdout:\n%s\nstderr:\n%s", out, errOut)
			}
		})
	}
}

func TestListRunEmptyJSON(t *testing.T) {
	ios, _, out, _ := Test()
	lib := testLibrary(t, "")
	opts := &listOptions{IO: ios, JSON: true, Sort: "key", DisplayPath: func(s string) string { return s },
		Library: func(func(*bib.Entry) bool, func([]*bib.Entry)) (*bib.Library, error) { return lib(nil) }}
	if err := listRun(opts); err != nil {
		t.Fatal(err)
	}
	if out.String() != "[]\n" {
		t.Errorf("got %q, want []", out)
	}
}
