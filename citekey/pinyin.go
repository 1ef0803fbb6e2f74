package citekey

import (
	_ "embed" // pinyin.txt
	"strconv"
	"strings"
	"sync"
)

// pinyinTable is go-pinyin's dictionary in the style this package uses
// (no tones): one line per character, its code point in hex, a space, and
// its readings separated by commas, the most common first. pinyin_test.go
// checks it against go-pinyin and regenerates it with -update.
//
// The table is parsed on first use, when a key is made from a Chinese
// name: go-pinyin builds its map when the program starts, which cost every
// papernotes command over a millisecond.
//
//go:embed pinyin.txt
var pinyinTable string

// pinyinReadings returns the map from character to readings, built on
// first use; it is read-only after.
var pinyinReadings = sync.OnceValue(func() map[rune]string {
	m := make(map[rune]string, strings.Count(pinyinTable, "\n"))
	for line := range strings.Lines(pinyinTable) {
		code, readings, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		r, err := strconv.ParseUint(code, 16, 32)
		if !ok || err != nil {
			panic("citekey: bad pinyin.txt line " + strconv.Quote(line))
		}
		m[rune(r)] = readings
	}
	return m
})

// heteronyms returns every reading of r without tones, as go-pinyin's
// SinglePinyin with Heteronym set: nil for a character it does not know.
func heteronyms(r rune) []string {
	s, ok := pinyinReadings()[r]
	if !ok {
		return nil
	}
	return strings.Split(s, ",")
}

// defaultReading returns the most common reading of r without tones, as
// go-pinyin's LazyPinyin of r alone: "" for a character it does not know.
func defaultReading(r rune) string {
	s := pinyinReadings()[r]
	first, _, _ := strings.Cut(s, ",")
	return first
}
