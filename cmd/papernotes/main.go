// Command papernotes manages a BibTeX library, one markdown reading note per
// paper, weekly group-meeting reports, LaTeX citation export and search over
// notes. See the README for a tour.
package main

import (
	"os"

	"github.com/papernotes/papernotes/internal/cli"
	_ "github.com/papernotes/papernotes/internal/hugeheap"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
