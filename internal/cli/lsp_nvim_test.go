package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/papernotes/papernotes/internal/testutil"
)

// TestNeovimLSP drives `papernotes lsp` from a real client: Neovim's
// built-in LSP client, headless, over a copy of examples/workspace (see
// testdata/nvim/*.txtar). Without nvim it is skipped, except under CI=true,
// where .ci/run installs it and its absence is a failure.
func TestNeovimLSP(t *testing.T) {
	if _, err := exec.LookPath("nvim"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("nvim is not installed; CI needs it for the LSP client test (apt-get install neovim)")
		}
		t.Skip("nvim is not installed: skipping the Neovim LSP client test (apt-get install neovim)")
	}
	example := filepath.Join(testutil.RepoRoot(t), "examples", "workspace")
	testscript.Run(t, testscript.Params{
		Dir: "testdata/nvim",
		Setup: func(env *testscript.Env) error {
			if err := setupHermetic(env); err != nil {
				return err
			}
			return os.CopyFS(filepath.Join(env.WorkDir, "ws"), os.DirFS(example))
		},
	})
}
