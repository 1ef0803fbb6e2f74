package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeFlags(t *testing.T) {
	tests := []struct {
		args    string
		env     string
		want    serveOptions
		wantErr string
	}{
		{args: "", want: serveOptions{Addr: "127.0.0.1:8470"}},
		{args: "--addr localhost:9000 --open", want: serveOptions{Addr: "localhost:9000", Open: true}},
		{args: "--addr [::1]:9000", want: serveOptions{Addr: "[::1]:9000"}},
		{args: "--addr 0.0.0.0:8470 --token t", want: serveOptions{Addr: "0.0.0.0:8470", Token: "t"}},
		{args: "--addr 0.0.0.0:8470", env: "fromenv", want: serveOptions{Addr: "0.0.0.0:8470", Token: "fromenv"}},
		{args: "--token flag", env: "fromenv", want: serveOptions{Addr: "127.0.0.1:8470", Token: "flag"}},
		{args: "--addr 0.0.0.0:8470", wantErr: `--addr "0.0.0.0:8470" listens on 0.0.0.0, which other machines can reach: give --token T (or PAPERNOTES_SERVE_TOKEN) so that only those with the token can read the workspace`},
		{args: "--addr example.org:80", wantErr: `--addr "example.org:80" listens on example.org, which other machines can reach: give --token T (or PAPERNOTES_SERVE_TOKEN) so that only those with the token can read the workspace`},
		{args: "--addr nonsense", wantErr: `--addr "nonsense" is not HOST:PORT (for example 127.0.0.1:8470)`},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			ios, _, _, _ := Test()
			f := NewFactory(ios, func(k string) string {
				if k == "PAPERNOTES_SERVE_TOKEN" {
					return tt.env
				}
				return ""
			})
			var got *serveOptions
			cmd := newCmdServe(f, func(o *serveOptions) error { got = o; return nil })
			cmd.SetArgs(strings.Fields(tt.args))
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if tt.wantErr != "" {
				var fe *FlagError
				if err == nil || err.Error() != tt.wantErr || !asFlagError(err, &fe) {
					t.Fatalf("error %v, want usage error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Addr != tt.want.Addr || got.Open != tt.want.Open || got.Token != tt.want.Token {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func asFlagError(err error, fe **FlagError) bool {
	e, ok := err.(*FlagError)
	*fe = e
	return ok
}

// TestServeRun starts the real server on a free loopback port with a token:
// the printed link sets the cookie, the cookie opens the library, and
// cancelling the context stops it.
func TestServeRun(t *testing.T) {
	ws := t.TempDir()
	for name, body := range map[string]string{
		"config.yaml":         "language: en\n",
		"bib/library.bib":     "@article{li2023blip, title={BLIP-2}, year={2023}}\n",
		"notes/li2023blip.md": "---\nkey: li2023blip\nstatus: read\n---\n\n# BLIP-2\n\n## Method\n\nQ-Former.\n",
	} {
		p := filepath.Join(ws, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ios, _, _, errOut := Test()
	f := NewFactory(ios, func(string) string { return "" })
	f.WorkDir = ws
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serveRun(&serveOptions{IO: ios, Factory: f, Context: ctx, Addr: "127.0.0.1:0", Token: "tok en", Ready: func(u string) { ready <- u }})
	}()
	var link string
	select {
	case link = <-ready:
	case err := <-done:
		t.Fatalf("serve ended: %v\n%s", err, errOut)
	}
	if !strings.HasSuffix(link, "/?token=tok+en") {
		t.Errorf("link %q", link)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
		t.Fatalf("token link: status %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	base := strings.TrimSuffix(link, "?token=tok+en")
	req, _ := http.NewRequest("GET", base+"p/li2023blip", nil)
	req.AddCookie(resp.Cookies()[0])
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Q-Former.") {
		t.Errorf("paper page: status %d\n%s", resp.StatusCode, body)
	}
	if resp, err := client.Get(base); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %v %v", resp, err)
	}
	if !strings.Contains(errOut.String(), "serving ") {
		t.Errorf("stderr %q", errOut)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(30 * time.Second): // a hang, not a timing assertion
		t.Fatal("serve did not stop")
	}
}
