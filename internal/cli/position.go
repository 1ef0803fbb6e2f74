package cli

import "go/token"

// token0 is the position of a whole file, for problems with no line.
func token0(name string) token.Position { return token.Position{Filename: name} }
