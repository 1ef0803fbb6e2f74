package cli

import (
	"bufio"
	"bytes"
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

// writeJSONArray writes the n values item(0) ... item(n-1) to w as one JSON
// array, byte for byte as writeJSON writes the slice of them, but one
// element at a time: the array of a large library is tens of MB, which
// writeJSON would hold twice (encoded, then indented).
func writeJSONArray(w io.Writer, n int, item func(i int) any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if n == 0 {
		bw.WriteString("[]\n")
		return bw.Flush()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	bw.WriteString("[\n")
	for i := range n {
		buf.Reset()
		if err := enc.Encode(item(i)); err != nil {
			return err
		}
		bw.WriteString("  ")
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		if i < n-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
