package mathjs

import (
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestScriptSafeInline(t *testing.T) {
	s := Script()
	for _, bad := range []string{"</script", "</SCRIPT", "<!--", "<script"} {
		if strings.Contains(strings.ToLower(s), strings.ToLower(bad)) {
			t.Errorf("script contains %q: it cannot be written inline", bad)
		}
	}
	if !strings.HasPrefix(s, temmlJS) || !strings.HasSuffix(s, renderJS) {
		t.Error("script is not Temml followed by render.js")
	}
	if !strings.Contains(temmlJS, `version:"`+Version+`"`) {
		t.Errorf("temml.min.js is not version %s (update Version with the vendored files)", Version)
	}
	if strings.Contains(strings.ToLower(Style()), "</style") {
		t.Error("style contains </style")
	}
}

func TestStyleEmbedsFont(t *testing.T) {
	st := Style()
	if strings.Contains(st, fontURL) {
		t.Errorf("style still loads %s: Temml-Local.css changed its font URL", fontURL)
	}
	if !strings.Contains(st, "url(data:font/woff2;base64,") {
		t.Error("style has no embedded font")
	}
	if regexp.MustCompile(`url\(['"]?(https?:|//)`).MatchString(st) {
		t.Error("style refers to a network URL")
	}
	if !strings.Contains(st, ".math-error") {
		t.Error("style has no .math-error rule")
	}
}

// TestTags checks that each tag appears once and that the CSP hashes are
// those of the exact bytes between the tags, as browsers compute them.
func TestTags(t *testing.T) {
	tags := Tags()
	var b strings.Builder
	if err := WriteTags(&b); err != nil {
		t.Fatal(err)
	}
	if b.String() != tags {
		t.Error("WriteTags and Tags differ")
	}
	if n := strings.Count(tags, "<script>"); n != 1 {
		t.Errorf("%d <script> tags, want 1", n)
	}
	if n := strings.Count(tags, "<style>"); n != 1 {
		t.Errorf("%d <style> tags, want 1", n)
	}
	inner := func(open, close string) string {
		_, rest, ok := strings.Cut(tags, open)
		if !ok {
			t.Fatalf("no %s", open)
		}
		in, _, ok := strings.Cut(rest, close)
		if !ok {
			t.Fatalf("no %s", close)
		}
		return in
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	}
	if got, want := ScriptHash(), hash(inner("<script>", "</script>")); got != want {
		t.Errorf("ScriptHash = %s, want %s", got, want)
	}
	if got, want := StyleHash(), hash(inner("<style>", "</style>")); got != want {
		t.Errorf("StyleHash = %s, want %s", got, want)
	}
	if !strings.HasPrefix(ScriptHash(), "sha256-") || len(ScriptHash()) != len("sha256-")+44 {
		t.Errorf("ScriptHash %q is not a CSP sha256 source", ScriptHash())
	}
}

// TestRenderScript pins the contract of render.js that the browser test
// checks end to end: errors keep the TeX as text, nothing escapes the script.
func TestRenderScript(t *testing.T) {
	for _, want := range []string{
		`".math.inline, .math.display"`, // the classes notes writes
		`throwOnError: true`,
		`maxSize: [30, 360]`,   // [em, pt]: a number would be ignored
		`el.textContent = tex`, // never innerHTML
		`"math-error"`,
		`window.papernotesRenderMath = renderAll`,
	} {
		if !strings.Contains(renderJS, want) {
			t.Errorf("render.js lacks %s", want)
		}
	}
	if strings.Contains(renderJS, "innerHTML") {
		t.Error("render.js uses innerHTML")
	}
}

func TestLinkTags(t *testing.T) {
	got := LinkTags("/assets/math.js?v=1&x", `/assets/"m".css`)
	want := `<link rel="stylesheet" href="/assets/&#34;m&#34;.css">` + "\n" +
		`<script src="/assets/math.js?v=1&amp;x"></script>` + "\n"
	if got != want {
		t.Errorf("LinkTags = %q, want %q", got, want)
	}
}
