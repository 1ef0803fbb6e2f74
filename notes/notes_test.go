package notes

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
)

// fakeResolver is a tiny [CiteResolver] over a map.
type fakeResolver map[string]string

func (f fakeResolver) CiteTitle(key string) (string, bool) {
	t, ok := f[key]
	return t, ok
}

var testResolver = fakeResolver{
	"li2023blip":            "BLIP-2: Bootstrapping Language-Image Pre-training",
	"li2022grounded":        "Grounded Language-Image Pre-training",
	"bahdanau2015neural":    "Neural Machine Translation by Jointly Learning to Align and Translate",
	"gehring2017conv":       "Convolutional Sequence to Sequence Learning",
	"sutskever2014seq":      "Sequence to Sequence Learning with Neural Networks",
	"devlin2019bert":        "BERT: Pre-training of Deep Bidirectional Transformers",
	"李四2023稠密":              "稠密检索",
	"DBLP:conf/cvpr/LiZZ22": "A <b>bold</b> & \"quoted\" title",
}

var testRenderOptions = RenderOptions{
	Resolver: testResolver,
	NoteURL: func(key string) (string, bool) {
		if key == "li2023blip" || key == "gehring2017conv" {
			return FileName(key) + ".html", true
		}
		return "", false
	},
	EntryURL: func(key string) string { return "/entry/" + key },
}

// dump is the JSON form of a parsed note that golden files hold.
type dump struct {
	Key      string
	KeyPos   string
	Meta     Meta
	Title    string
	BodyLine int
	Sections []Section
	Cites    []citeDump
	Errors   []string `json:",omitempty"`
}

type citeDump struct {
	Key, Pos, Prefix, Locator, Command string
	SuppressAuthor                     bool
}

func dumpNote(n *Note, err error) []byte {
	d := dump{Key: n.Key, KeyPos: n.KeyPos.String(), Meta: n.Meta, Title: n.Title, BodyLine: n.BodyLine, Sections: n.Sections}
	for _, c := range n.Cites {
		d.Cites = append(d.Cites, citeDump{c.Key, c.Pos.String(), c.Prefix, c.Locator, c.Command, c.SuppressAuthor})
	}
	if err != nil {
		d.Errors = strings.Split(err.Error(), "\n")
	}
	out, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(out, '\n')
}

func TestParseGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.md")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".md")
		if strings.HasPrefix(name, "report") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			n, perr := Parse(path, src, Options{})
			testutil.Golden(t, "testdata/"+name+".sections.golden", dumpNote(n, perr))

			var a, b bytes.Buffer
			if err := Render(&a, n, testRenderOptions); err != nil {
				t.Fatal(err)
			}
			if err := Render(&b, n, testRenderOptions); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("rendering twice gave different bytes")
			}
			testutil.Golden(t, "testdata/"+name+".html.golden", a.Bytes())
		})
	}
}
