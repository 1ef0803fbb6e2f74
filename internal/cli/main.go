package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Main runs papernotes with args (without the program name) on the process's
// streams and environment, and returns the exit code: 0 success, 1 failure,
// 2 usage error.
func Main(args []string) int {
	return Run(NewFactory(System(os.Getenv), os.Getenv), args)
}

// errPrefix starts every error line papernotes prints, so that a script or a
// person can tell them from data and from other programs' messages.
const errPrefix = "papernotes: "

// Run runs papernotes with args on f's streams and returns the exit code, as
// [Main] does. Tests call it with a Factory over [Test] streams.
//
// A usage error (a [*FlagError], an unknown command or flag) prints one line,
// with cobra's suggestions when there are any, then "see 'papernotes help
// CMD'", and exits 2. Any other error prints its lines, each after
// "papernotes: ", and exits 1; positioned messages keep their file:line:col
// right after the prefix.
func Run(f *Factory, args []string) int {
	defer f.restoreMemory()
	root := NewCmdRoot(f)
	strictHelp(root)
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return rejectEmptyValues(cmd) }
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
	if ee := (*exitError)(nil); errors.As(err, &ee) {
		printError(f.IOStreams.ErrOut, ee.Error())
		return ee.Code
	}
	if msg, ok := usageMessage(cmd, err); ok {
		printError(f.IOStreams.ErrOut, msg)
		fmt.Fprintf(f.IOStreams.ErrOut, "see '%s'\n", helpCommand(cmd))
		return 2
	}
	printError(f.IOStreams.ErrOut, err.Error())
	return 1
}

// strictHelp makes `papernotes help TOPIC` with an unknown TOPIC a usage
// error with suggestions, like an unknown command, instead of cobra's
// "Unknown help topic" and the whole usage with exit 0.
func strictHelp(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() != "help" || c.Run == nil {
			continue
		}
		run := c.Run
		c.Run = nil
		c.RunE = func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				found, rest, err := root.Find(args)
				if err != nil || found == nil || len(rest) > 0 {
					topic := args[0]
					parent := root
					if found != nil && err == nil {
						topic, parent = rest[0], found
					}
					if parent.SuggestionsMinimumDistance <= 0 {
						parent.SuggestionsMinimumDistance = 2
					}
					return flagErrorf("unknown help topic %q%s", strings.Join(args, " "), didYouMean(parent.SuggestionsFor(topic), false))
				}
			}
			run(c, args)
			return nil
		}
	}
}

// valueFlags are the flags whose empty value given on purpose (--week "")
// would otherwise read as "not given" and silently pick a default.
var valueFlags = map[string]bool{
	"week": true, "date": true, "from": true, "status": true, "tag": true, "lang": true,
	"format": true, "section": true, "author": true, "year": true, "sort": true, "type": true,
}

// rejectEmptyValues makes an explicitly empty value of one of valueFlags a
// usage error.
func rejectEmptyValues(cmd *cobra.Command) error {
	var bad string
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if bad == "" && valueFlags[fl.Name] && fl.Value.Type() == "string" && strings.TrimSpace(fl.Value.String()) == "" {
			bad = fl.Name
		}
	})
	if bad != "" {
		return flagErrorf("--%s is empty: give a value or leave the flag out", bad)
	}
	return nil
}

// printError prints msg, one "papernotes: " line per line of msg.
func printError(w io.Writer, msg string) {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
		b.WriteString(errPrefix)
		b.WriteString(line)
		b.WriteByte('\n')
	}
	io.WriteString(w, b.String())
}

// helpCommand returns "papernotes help CMD" for cmd ("papernotes help" for
// the root).
func helpCommand(cmd *cobra.Command) string {
	root := cmd.Root()
	path := strings.TrimSpace(strings.TrimPrefix(cmd.CommandPath(), root.Name()))
	if path == "" || path == "help" {
		return root.Name() + " help"
	}
	return root.Name() + " help " + path
}

// usageMessage reports whether err is a usage error and returns its one-line
// message: a [*FlagError] (an unknown flag gets the nearest flag names), or
// cobra's unknown command with its "Did you mean this?" list folded into the
// line.
func usageMessage(cmd *cobra.Command, err error) (string, bool) {
	msg := err.Error()
	var fe *FlagError
	switch {
	case errors.As(err, &fe):
		return plainFlagValue(oneLineMsg(msg)) + flagSuggestion(cmd, msg), true
	case strings.HasPrefix(msg, "unknown command "):
		first, rest, _ := strings.Cut(msg, "\n")
		var sugg []string
		for _, l := range strings.Split(rest, "\n") {
			if strings.HasPrefix(l, "\t") {
				sugg = append(sugg, strings.TrimSpace(l))
			}
		}
		return first + didYouMean(sugg, false), true
	}
	return "", false
}

// plainFlagValue replaces the strconv words of pflag's invalid-value
// message (`invalid argument "x" for "-n, --limit" flag: strconv.ParseInt:
// parsing "x": invalid syntax`) with what the value should have been.
func plainFlagValue(msg string) string {
	head, tail, ok := strings.Cut(msg, " flag: strconv.")
	if !ok {
		return msg
	}
	want := "not a valid value"
	switch {
	case strings.HasPrefix(tail, "ParseInt"), strings.HasPrefix(tail, "ParseUint"):
		want = "not a whole number"
		if strings.Contains(tail, "out of range") {
			want = "out of range"
		}
	case strings.HasPrefix(tail, "ParseFloat"):
		want = "not a number"
	case strings.HasPrefix(tail, "ParseBool"):
		want = "not true or false"
	}
	return head + " flag: " + want
}

// oneLineMsg joins the lines of msg with "; ".
func oneLineMsg(msg string) string {
	var parts []string
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}

// didYouMean returns ` (did you mean "a" or "b"?)`, or "" when there is
// no suggestion. quote puts the suggestions in double quotes.
func didYouMean(sugg []string, quote bool) string {
	if len(sugg) == 0 {
		return ""
	}
	q := make([]string, len(sugg))
	for i, s := range sugg {
		if quote {
			s = fmt.Sprintf("%q", s)
		}
		q[i] = s
	}
	list := q[0]
	if n := len(q); n > 1 {
		list = strings.Join(q[:n-1], ", ") + " or " + q[n-1]
	}
	return " (did you mean " + list + "?)"
}

// flagSuggestion returns a did-you-mean for pflag's "unknown flag: --nmae":
// the flags of cmd (its own and inherited) within a small edit distance, or
// those the typed name is a prefix of.
func flagSuggestion(cmd *cobra.Command, msg string) string {
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok || cmd == nil {
		return ""
	}
	var names []string
	seen := map[string]bool{}
	add := func(fl *pflag.Flag) {
		if !seen[fl.Name] && !fl.Hidden {
			seen[fl.Name] = true
			names = append(names, fl.Name)
		}
	}
	cmd.Flags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	var best []string
	bestD := 3 // accept at most 2 edits, 1 for a short name
	if len(name) <= 4 {
		bestD = 2
	}
	for _, n := range names {
		d := editDistance(name, n)
		if strings.HasPrefix(n, name) && len(name) >= 2 {
			d = min(d, 1)
		}
		switch {
		case d < bestD:
			bestD, best = d, []string{"--" + n}
		case d == bestD && best != nil:
			best = append(best, "--"+n)
		}
	}
	return didYouMean(best, false)
}

// editDistance is the edit distance between a and b in runes, counting a
// swap of two neighbours as one edit ("yaer" is one edit from "year"); flag
// names are short, so the plain algorithm is enough (keys use
// [bib.Library.Closest]).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	pp := make([]int, len(rb)+1) // row i-2, for swaps
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(rb)]
}
