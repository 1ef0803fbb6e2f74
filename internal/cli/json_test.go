package cli

import (
	"bytes"
	"encoding/json"
	"testing"
)

// marshalNoHTML is encoding/json's output for s with HTML escaping off,
// which appendJSONString must reproduce byte for byte.
func marshalNoHTML(t testing.TB, s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "tab\tnl\ncr\r\x00\x1f\x7f", "<&>", "Müller 张三", "\u2028\u2029", "bad\xffutf8\xc3", "end\xe2\x82"} {
		if got, want := appendJSONString(nil, s), marshalNoHTML(t, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", `a"b\c`, "\x00\n\u2028", "\xff\xfe", "张三"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendJSONString(nil, s), marshalNoHTML(t, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

// writeJSONArray writes what writeJSON writes of the slice, element by
// element.
func TestWriteJSONArray(t *testing.T) {
	type item struct {
		Key  string   `json:"key"`
		Tags []string `json:"tags"`
		N    int      `json:"n"`
	}
	for _, items := range [][]item{
		{},
		{{Key: "a<b>&c", Tags: []string{}}},
		{{Key: "x", Tags: []string{"t1", "t2"}, N: 2}, {Key: "中文\n\"q\"", N: -1}, {}},
	} {
		var want, got bytes.Buffer
		if err := writeJSON(&want, items); err != nil {
			t.Fatal(err)
		}
		if err := writeJSONArray(&got, len(items), func(i int) any { return items[i] }); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("writeJSONArray:\n%s\nwant:\n%s", got.String(), want.String())
		}
	}
}
