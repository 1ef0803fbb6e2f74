package latex

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// bcfNamespace is the XML namespace of biblatex's control file.
const bcfNamespace = "https://sourceforge.net/projects/biblatex"

// BCFData is what [ScanBCF] found in a biblatex control file (.bcf).
type BCFData struct {
	// Citations are the cite keys in citation order (the order attribute);
	// `*` is \nocite{*}.
	Citations []Citation
	// DataSources are the bibliography files named by \addbibresource.
	DataSources []string
}

// ScanBCF reads the biblatex control file at path. Errors wrap [ErrRead] or
// [ErrSyntax] (malformed XML, with its line); the keys read before a syntax
// error are returned.
func ScanBCF(path string) (*BCFData, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return &BCFData{}, &Error{Pos: token.Position{Filename: path}, Err: fmt.Errorf("%w: %v", ErrRead, err)}
	}
	return ParseBCF(path, src)
}

// ParseBCF is [ScanBCF] on a file's content; filename is used only for positions.
func ParseBCF(filename string, src []byte) (*BCFData, error) {
	data := &BCFData{}
	fset := token.NewFileSet()
	f := fset.AddFile(filename, -1, len(src))
	f.SetLinesForContent(src)
	type keyed struct {
		c     Citation
		order int
	}
	var keys []keyed
	d := xml.NewDecoder(bytes.NewReader(src))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			sort.SliceStable(keys, func(i, j int) bool { return keys[i].order < keys[j].order })
			for _, k := range keys {
				data.Citations = append(data.Citations, k.c)
			}
			return data, &Error{Pos: token.Position{Filename: filename, Line: line}, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Space != bcfNamespace {
			continue
		}
		switch start.Name.Local {
		case "citekey":
			off := int(d.InputOffset())
			var text string
			if err := d.DecodeElement(&text, &start); err != nil {
				continue // reported by the next Token call
			}
			order := len(keys)
			for _, a := range start.Attr {
				if a.Name.Local == "order" {
					if n, err := strconv.Atoi(a.Value); err == nil {
						order = n
					}
				}
			}
			if text = strings.TrimSpace(text); text != "" {
				keys = append(keys, keyed{Citation{Key: text, Pos: f.Position(f.Pos(off)), Command: "bcf"}, order})
			}
		case "datasource":
			var text string
			if err := d.DecodeElement(&text, &start); err == nil {
				if text = strings.TrimSpace(text); text != "" {
					data.DataSources = append(data.DataSources, text)
				}
			}
		}
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].order < keys[j].order })
	for _, k := range keys {
		data.Citations = append(data.Citations, k.c)
	}
	return data, nil
}
