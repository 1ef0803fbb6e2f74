package cli

// TEMPORARY adapter until bib.Load and bib.Library land (being written in
// package bib). When they do, delete this file and make Factory.Library return
// *bib.Library; commands only use the methods below, so they keep compiling.

import (
	"errors"
	"strconv"
	"strings"

	"github.com/papernotes/papernotes/bib"
)

type library interface {
	Files() []*bib.File
	Entries() []*bib.Entry
	Lookup(key string) (*bib.Entry, bool)
	Problems() bib.ErrorList
	Check() bib.ErrorList
}

var errPendingBib = errors.New("the bib reader is not built yet")

func loadLibrary(paths []string) (library, error) { return nil, errPendingBib }

func lookupFold(lib library, key string) (*bib.Entry, bool) {
	for _, e := range lib.Entries() {
		if strings.EqualFold(e.Key, key) {
			return e, true
		}
	}
	return nil, false
}

func decodeLaTeX(s string) string { return s }

func entryTitle(e *bib.Entry) string { return e.Get("title") }

func entryAuthors(e *bib.Entry) []string {
	a := e.Get("author")
	if a == "" {
		a = e.Get("editor")
	}
	if a == "" {
		return nil
	}
	return strings.Split(a, " and ")
}

func entryYear(e *bib.Entry) int {
	n, _ := strconv.Atoi(strings.TrimSpace(e.Get("year")))
	return n
}

func parseBib(name string, src []byte) *bib.File {
	return &bib.File{Name: name, Size: len(src)}
}
