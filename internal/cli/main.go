package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Main runs papernotes with args (without the program name) on the process's
// streams and environment, and returns the exit code: 0 success, 1 failure,
// 2 usage error.
func Main(args []string) int {
	return Run(NewFactory(System(os.Getenv), os.Getenv), args)
}

// Run runs papernotes with args on f's streams and returns the exit code, as
// [Main] does. Tests call it with a Factory over [Test] streams.
func Run(f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	cmd, err := root.ExecuteC()
	if err == nil {
		return 0
	}
	if errors.Is(err, ErrSilent) {
		return 1
	}
	cs := f.IOStreams.ErrColors()
	var fe *FlagError
	if errors.As(err, &fe) || strings.HasPrefix(err.Error(), "unknown command ") {
		fmt.Fprintln(f.IOStreams.ErrOut, cs.Red("error:"), err)
		fmt.Fprintln(f.IOStreams.ErrOut)
		fmt.Fprint(f.IOStreams.ErrOut, cmd.UsageString())
		return 2
	}
	// Messages carry their own file:line:col positions, so print them as they
	// are, one per line, where editors and CI problem matchers find them.
	fmt.Fprintln(f.IOStreams.ErrOut, err)
	return 1
}
