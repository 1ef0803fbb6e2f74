package cli

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are a command's standard streams and what is known about them.
// Data goes to Out, diagnostics to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// InTTY, OutTTY and ErrTTY report whether each stream is a terminal.
	InTTY, OutTTY, ErrTTY bool
	// NoColor is set when the NO_COLOR convention or TERM=dumb asks for no colour.
	NoColor bool
}

// System returns the process's own streams. getenv is consulted for NO_COLOR
// and TERM.
func System(getenv func(string) string) *IOStreams {
	isTTY := func(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY: isTTY(os.Stdin), OutTTY: isTTY(os.Stdout), ErrTTY: isTTY(os.Stderr),
		NoColor: getenv("NO_COLOR") != "" || getenv("TERM") == "dumb",
	}
}

// Test returns streams over buffers, none of them a terminal, for tests.
// Set the TTY fields to simulate a terminal.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// ColorEnabled reports whether Out may carry ANSI colour: only on a terminal,
// and never when NO_COLOR is set.
func (s *IOStreams) ColorEnabled() bool { return s.OutTTY && !s.NoColor }

// ErrColorEnabled is [IOStreams.ColorEnabled] for ErrOut.
func (s *IOStreams) ErrColorEnabled() bool { return s.ErrTTY && !s.NoColor }

// Colors returns the colour scheme for Out.
func (s *IOStreams) Colors() ColorScheme { return ColorScheme{enabled: s.ColorEnabled()} }

// ErrColors returns the colour scheme for ErrOut.
func (s *IOStreams) ErrColors() ColorScheme { return ColorScheme{enabled: s.ErrColorEnabled()} }

// ColorScheme wraps text in ANSI colours when enabled, and returns it
// unchanged otherwise. The zero value is disabled.
type ColorScheme struct{ enabled bool }

func (c ColorScheme) wrap(code, s string) string {
	if !c.enabled {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Bold returns s in bold.
func (c ColorScheme) Bold(s string) string { return c.wrap("1", s) }

// Red returns s in red, for errors.
func (c ColorScheme) Red(s string) string { return c.wrap("31", s) }

// Yellow returns s in yellow, for warnings.
func (c ColorScheme) Yellow(s string) string { return c.wrap("33", s) }

// Green returns s in green, for success.
func (c ColorScheme) Green(s string) string { return c.wrap("32", s) }

// Cyan returns s in cyan, for keys and highlights.
func (c ColorScheme) Cyan(s string) string { return c.wrap("36", s) }

// Gray returns s dimmed, for positions and secondary text.
func (c ColorScheme) Gray(s string) string { return c.wrap("90", s) }
