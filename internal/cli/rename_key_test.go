package cli

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestRenameKeyFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    renameKeyOptions
		wantErr string
	}{
		{args: "a b", want: renameKeyOptions{Old: "a", New: "b"}},
		{args: "a b -n --json", want: renameKeyOptions{Old: "a", New: "b", DryRun: true, JSON: true}},
		{args: "a b --dry-run --tex-root ../paper --tex-root /abs", want: renameKeyOptions{Old: "a", New: "b", DryRun: true, TexRoots: []string{"../paper", "/abs"}}},
		{args: "a", wantErr: "missing NEW: usage: rename-key OLD NEW [flags]"},
		{args: "a b c", wantErr: "accepts 2 arg(s), received 3"},
		{args: "a b --tex-root=", wantErr: "--tex-root needs a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			got, err := runFlags(t, newCmdRenameKey, tt.args)
			if usageErrorCase(t, err, tt.wantErr) {
				return
			}
			opt := cmpopts.IgnoreFields(renameKeyOptions{}, "IO", "Config", "DisplayPath", "WorkDir", "Lock", "Library", "Streamed")
			if diff := cmp.Diff(tt.want, *got, opt); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}
