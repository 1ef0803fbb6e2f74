package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasExample: `papernotes help CMD` shows at least one
// example for every command a user can run, cobra's completion included,
// and each example runs papernotes.
func TestEveryCommandHasExample(t *testing.T) {
	ios, _, _, _ := Test()
	root := NewCmdRoot(NewFactory(ios, func(string) string { return "" }))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			// The shell-specific children of completion share its example.
			if c.Name() != "completion" {
				if !strings.Contains(sub.Example, "papernotes ") {
					t.Errorf("papernotes help %s has no example", sub.CommandPath()[len("papernotes "):])
				}
			}
			walk(sub)
		}
	}
	walk(root)
}
