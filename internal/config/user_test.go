package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkspaceEditorIgnored checks issue 9 point 7: a workspace's
// config.yaml cannot choose the editor (a program to run); the user-level
// config and $VISUAL/$EDITOR can.
func TestWorkspaceEditorIgnored(t *testing.T) {
	ws := t.TempDir()
	home := t.TempDir()
	write := func(path, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(ws, FileName), "language: en\neditor: touch PWNED;\n")
	for _, tc := range []struct {
		name string
		env  map[string]string
		user string // the user-level config, "" for none
		want string
	}{
		{"no-env", map[string]string{}, "", "vi"},
		{"editor-env", map[string]string{"EDITOR": "nano"}, "", "nano"},
		{"visual-env", map[string]string{"EDITOR": "nano", "VISUAL": "code -w"}, "", "code -w"},
		{"user-config", map[string]string{"EDITOR": "nano"}, "editor: myed\nreport:\n  lang: zh\n", "myed"},
		{"home-config", map[string]string{"HOME": home}, "editor: homeed\n", "homeed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfgHome := filepath.Join(t.TempDir(), "xdg")
			env := map[string]string{"XDG_CONFIG_HOME": cfgHome}
			for k, v := range tc.env {
				env[k] = v
			}
			if _, ok := tc.env["HOME"]; ok {
				delete(env, "XDG_CONFIG_HOME")
				cfgHome = filepath.Join(home, ".config")
			}
			if tc.user != "" {
				write(filepath.Join(cfgHome, "papernotes", FileName), tc.user)
			}
			getenv := func(k string) string { return env[k] }
			c, err := Load(LoadOptions{Dir: ws, Getenv: getenv})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.EditorCommand(getenv); got != tc.want {
				t.Errorf("editor = %q, want %q", got, tc.want)
			}
			if len(c.Warnings) != 1 || c.Warnings[0].Pos.Line != 2 || c.Warnings[0].Pos.Column != 1 ||
				!strings.HasSuffix(c.Warnings[0].Pos.Filename, FileName) || !strings.Contains(c.Warnings[0].Msg, "editor is ignored") {
				t.Errorf("warnings = %v", c.Warnings)
			}
			if c.Language != "en" {
				t.Errorf("language = %q: the workspace's other keys must still apply", c.Language)
			}
			if tc.name == "user-config" && c.ReportLang() != "zh" {
				t.Errorf("report lang = %q, want the user config's zh", c.ReportLang())
			}
		})
	}
}

// TestUserConfigBadKey checks that a user-level config is validated like a
// workspace's, with its own file name in the message.
func TestUserConfigBadKey(t *testing.T) {
	ws := t.TempDir()
	xdg := t.TempDir()
	if err := os.MkdirAll(filepath.Join(xdg, "papernotes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(xdg, "papernotes", FileName), []byte("bogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(LoadOptions{Dir: ws, Getenv: func(k string) string { return map[string]string{"XDG_CONFIG_HOME": xdg}[k] }})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(xdg, "papernotes", FileName)+":1:1: bogus: ") {
		t.Errorf("err = %v", err)
	}
}

// TestEmptyWorkspaceEditorNoWarning: the documented default config (which
// init writes into workspaces) has `editor: ""`; that says nothing and
// gets no warning.
func TestEmptyWorkspaceEditorNoWarning(t *testing.T) {
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, FileName), DefaultYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(LoadOptions{Dir: ws})
	if err != nil || len(c.Warnings) != 0 {
		t.Fatalf("err %v, warnings %v", err, c.Warnings)
	}
}
