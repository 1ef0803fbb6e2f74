package web

import (
	"html/template"

	"github.com/papernotes/papernotes/notes"
)

// funcs are the template functions.
var funcs = template.FuncMap{
	"keyURL":   func(key string) string { return KeyURL("/p/", key) },
	"statuses": func() []string { return notes.Statuses },
}
