package cli

import (
	"bufio"
	"encoding/json"
	"io"
)

// writeJSON writes v to w as indented JSON followed by a newline. HTML
// characters are not escaped: the output is for scripts, not web pages.
func writeJSON(w io.Writer, v any) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return bw.Flush()
}
