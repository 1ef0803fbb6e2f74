package notes

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

type citeCase struct {
	Desc string   `yaml:"desc"`
	Give string   `yaml:"give"`
	Want []string `yaml:"want"`
	HTML *string  `yaml:"html"`
}

// abResolver knows every key starting with "a" or "b".
type abResolver struct{}

func (abResolver) CiteTitle(key string) (string, bool) {
	if strings.HasPrefix(key, "a") || strings.HasPrefix(key, "b") {
		return "Title of " + key, true
	}
	return "", false
}

func TestCitations(t *testing.T) {
	src, err := os.ReadFile("testdata/cites.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []citeCase
	if err := yaml.Unmarshal(src, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Desc, func(t *testing.T) {
			t.Parallel()
			n, _ := Parse("x.md", []byte(c.Give), Options{})
			got := []string{}
			for _, ci := range n.Cites {
				got = append(got, fmt.Sprintf("%s %d:%d", ci.Key, ci.Pos.Line, ci.Pos.Column))
			}
			if c.Want == nil {
				c.Want = []string{}
			}
			if diff := cmp.Diff(c.Want, got); diff != "" {
				t.Errorf("cites of %q (-want +got):\n%s", c.Give, diff)
			}
			if c.HTML != nil {
				var b bytes.Buffer
				if err := Render(&b, n, RenderOptions{Resolver: abResolver{}}); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(*c.HTML, b.String()); diff != "" {
					t.Errorf("html (-want +got):\n%s", diff)
				}
			}
		})
	}
}
