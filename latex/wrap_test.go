package latex

import (
	"strings"
	"testing"
)

func TestWrapVerbatim(t *testing.T) {
	src := "@inproceedings{li2022grounded,\n  author={Li, Liunian Harold and Zhang, Pengchuan and Zhang, Haotian and Yang, Jianwei and Li, Chunyuan and others},\n  url={https://example.org/a/very/long/path/without/any/space/at/all/that/goes/on/and/on/index.html},\n\ttitle={短},\n  note={" + strings.Repeat("中", 50) + "}\n}"
	got := wrapVerbatim(src, 40)
	for _, l := range strings.Split(got, "\n") {
		if w := displayWidth(l); w > 40 {
			t.Errorf("line %q is %d columns wide", l, w)
		}
	}
	// Only white space changed: the words are all there, in order.
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if squash(got) != squash(strings.ReplaceAll(src, "\t", " ")) {
		t.Errorf("text changed:\n%s", got)
	}
	if !strings.Contains(got, "\n      Zhang, Haotian") && !strings.Contains(got, "\n      ") {
		t.Errorf("continuation lines are not indented:\n%s", got)
	}
	short := "@misc{k,\n  year={2020}\n}"
	if got := wrapVerbatim(short, 40); got != short {
		t.Errorf("short entry changed: %q", got)
	}
}

func FuzzWrapVerbatim(f *testing.F) {
	f.Add("@misc{k, author={A and B and C}}", 10)
	f.Add("          xxxxxxxxxxxxxxxxxxxxxxxxx", 4)
	f.Add("中文中文中文中文", 3)
	f.Fuzz(func(t *testing.T, src string, width int) {
		if width < 2 || width > 200 || strings.ContainsRune(src, '\t') {
			return
		}
		got := wrapVerbatim(src, width)
		if strings.Join(strings.Fields(got), "") != strings.Join(strings.Fields(src), "") {
			t.Fatalf("wrapVerbatim(%q, %d) = %q: text changed", src, width, got)
		}
	})
}
